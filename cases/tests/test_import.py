import datetime
import io
from zoneinfo import ZoneInfo

import pytest

from accounts.models import AuditAction, AuditEvent, Team
from cases.importer import ImportFileError, import_file, validate
from cases.models import Case, CaseEvent, CaseState, Decision, DecisionStatus, Enquiry, Person, Risk, RiskType
from cases.tests.factories import CaseFactory, PersonFactory
from cases.tests.importing import csv_text, no_further_action, open_enquiry, pending, row

pytestmark = pytest.mark.django_db


def run_import(rows, actor=None):
    return import_file(io.StringIO(csv_text(rows)), actor=actor)


def errors_for(rows):
    return validate(io.StringIO(csv_text(rows))).errors


def test_a_valid_file_imports_people_cases_decisions_and_enquiries():
    count = run_import(
        [
            row(case_ref="OLD-1", person_ref="P-1"),
            open_enquiry(case_ref="OLD-2", person_ref="P-1", decision="other_enquiry"),
            pending(case_ref="OLD-3", person_ref="P-2"),
            no_further_action(case_ref="OLD-4", person_ref="P-3", team="Legacy West Team"),
        ]
    )

    assert count == 4
    assert Case.objects.filter(imported=True).count() == 4
    assert Person.objects.filter(imported=True).count() == 3
    assert Decision.objects.filter(status=DecisionStatus.SIGNED_OFF).count() == 3
    assert Enquiry.objects.count() == 2
    # Each version-1 row is one risk, with the row's two abuse types.
    assert Risk.objects.count() == 4
    assert RiskType.objects.count() == 8
    assert set(Team.objects.values_list("name", flat=True)) == {"Legacy East Team", "Legacy West Team"}
    assert dict(Case.objects.values_list("ref", "state")) == {
        "OLD-1": CaseState.CLOSED,
        "OLD-2": CaseState.ENQUIRY_OPEN,
        "OLD-3": CaseState.CONCERN,
        "OLD-4": CaseState.NO_FURTHER_ACTION,
    }
    assert CaseEvent.objects.filter(kind="import").count() == 4


def test_the_sac_answers_and_dates_come_straight_from_the_row():
    run_import([row()])

    case = Case.objects.get(ref="OLD-1")
    enquiry = case.enquiry
    decision = case.decisions.get()
    assert case.received_at == datetime.datetime(2023, 1, 10, tzinfo=ZoneInfo("Europe/London"))
    assert decision.decided_on == datetime.date(2023, 1, 12)
    assert decision.outcome == "s42"
    assert (enquiry.kind, enquiry.started_on, enquiry.concluded_on) == (
        "s42",
        datetime.date(2023, 1, 12),
        datetime.date(2023, 3, 1),
    )
    assert (
        enquiry.asked_desired_outcomes,
        enquiry.outcomes_achieved,
        enquiry.lacked_capacity,
        enquiry.advocacy,
    ) == ("asked_expressed", "partially", "yes", "yes")
    # The row's one risk: its place and source, and its risk_outcome `reduced` as v2's assessment and result.
    risk = case.risks.get()
    assert (risk.location, risk.source, risk.assessment, risk.result) == (
        "own_home",
        "known",
        "identified_action",
        "reduced",
    )
    assert sorted(risk.types.values_list("abuse_type", flat=True)) == ["financial", "psychological"]
    assert case.person.date_of_birth == datetime.date(1938, 4, 2)
    assert case.person.gender == "female"


def test_received_at_is_midnight_in_london_in_summer_time():
    run_import([pending(concern_received="2023-07-01")])

    received = Case.objects.get().received_at
    assert received == datetime.datetime(2023, 6, 30, 23, 0, tzinfo=datetime.UTC)


def test_a_person_ref_already_imported_reuses_that_person():
    run_import([row(case_ref="OLD-1", person_ref="P-7")])
    native = PersonFactory(legacy_ref="P-7")  # a native record with the same ref is not reused

    run_import([pending(case_ref="OLD-2", person_ref="P-7")])

    first, second = Case.objects.filter(imported=True).order_by("ref")
    assert first.person_id == second.person_id != native.pk
    assert Person.objects.filter(imported=True).count() == 1


def test_a_file_with_errors_imports_nothing_and_reports_each_error_with_row_and_column():
    rows = [
        row(case_ref="OLD-1"),
        row(case_ref="OLD-2", gender="woman"),
        row(case_ref="OLD-3", decision_date="2022-12-31", abuse_types="financial;theft"),
        row(case_ref="OLD-4", risk_outcome="", outcomes_achieved=""),
    ]

    with pytest.raises(ImportFileError) as raised:
        run_import(rows)

    errors = raised.value.errors
    assert errors[0] == "row 3, column gender: must be one of female, male, other, unknown"
    assert "row 4, column decision_date: must not be before concern_received" in errors
    assert any(e.startswith("row 4, column abuse_types: each must be one of") for e in errors)
    assert "row 5, column risk_outcome: is required for a concluded enquiry" in errors
    assert "row 5, column outcomes_achieved: is required when asked_desired_outcomes is asked_expressed" in errors
    assert len(errors) == 5
    assert Case.objects.count() == 0
    assert Person.objects.count() == 0
    assert not AuditEvent.objects.filter(action=AuditAction.IMPORT).exists()


@pytest.mark.parametrize(
    ("bad_row", "expected"),
    [
        (row(case_ref=""), "row 2, column case_ref: is required"),
        (row(case_ref="X" * 41), "row 2, column case_ref: must be at most 40 characters"),
        (row(team=""), "row 2, column team: is required"),
        (row(concern_received="10/01/2023"), "row 2, column concern_received: must be a date written YYYY-MM-DD"),
        (row(concern_received="2999-01-01"), "row 2, column concern_received: must not be in the future"),
        (
            row(decision="maybe"),
            "row 2, column decision: must be one of s42, other_enquiry, no_further_action, pending",
        ),
        (open_enquiry(decision_date=""), "row 2, column decision_date: is required when a decision was made"),
        (
            pending(decision_date="2023-01-12"),
            "row 2, column decision_date: must be empty when the decision is pending",
        ),
        (
            no_further_action(enquiry_concluded="2023-02-01"),
            "row 2, column enquiry_concluded: is only for s42 and other_enquiry decisions",
        ),
        (row(enquiry_concluded="2023-01-11"), "row 2, column enquiry_concluded: must not be before decision_date"),
        (row(abuse_types=""), "row 2, column abuse_types: is required"),
        (row(abuse_types="neglect;neglect"), "row 2, column abuse_types: lists an abuse type more than once"),
        (row(location_of_risk="moon"), "row 2, column location_of_risk: must be one of"),
        (row(source_of_risk=""), "row 2, column source_of_risk: is required"),
        (row(lacked_capacity=""), "row 2, column lacked_capacity: is required for a concluded enquiry"),
        (row(asked_desired_outcomes=""), "row 2, column asked_desired_outcomes: is required for a concluded enquiry"),
        (
            open_enquiry(risk_outcome="removed"),
            "row 2, column risk_outcome: must be empty unless the enquiry is concluded",
        ),
        (
            row(asked_desired_outcomes="not_asked", outcomes_achieved="fully"),
            "row 2, column outcomes_achieved: must be empty unless asked_desired_outcomes is asked_expressed",
        ),
        (row(advocacy=""), "row 2, column advocacy: is required when lacked_capacity is yes"),
        (
            row(lacked_capacity="no", advocacy="yes"),
            "row 2, column advocacy: must be empty unless lacked_capacity is yes",
        ),
        (row(date_of_birth="2024-01-01"), "row 2, column date_of_birth: must not be after concern_received"),
    ],
)
def test_each_column_rule_is_checked(bad_row, expected):
    errors = errors_for([bad_row])

    assert any(e.startswith(expected) for e in errors), errors


def test_optional_demographics_may_be_blank_and_default_to_unknown():
    run_import([pending(date_of_birth="", gender="", ethnicity="", primary_support_reason="")])

    person = Person.objects.get()
    assert (person.date_of_birth, person.gender, person.ethnicity, person.primary_support_reason) == (
        None,
        "unknown",
        "unknown",
        "unknown",
    )


def test_the_same_case_ref_twice_in_the_file_is_an_error():
    errors = errors_for([row(case_ref="OLD-9"), pending(case_ref="OLD-9")])

    assert errors == ["row 3, column case_ref: case reference 'OLD-9' is already used on row 2"]


def test_a_case_ref_already_in_the_database_is_an_error():
    CaseFactory(ref="OLD-5")

    with pytest.raises(ImportFileError) as raised:
        run_import([pending(case_ref="OLD-4"), pending(case_ref="OLD-5")])

    assert raised.value.errors == ["row 3, column case_ref: case reference 'OLD-5' already exists"]
    assert Case.objects.count() == 1


def test_importing_the_same_file_twice_is_refused_the_second_time():
    run_import([row()])

    with pytest.raises(ImportFileError):
        run_import([row()])

    assert Case.objects.count() == 1


def test_a_header_with_a_missing_column_is_reported_on_row_1():
    from cases.importer import COLUMNS

    text = csv_text([row()], columns=[c for c in COLUMNS if c != "team"])

    errors = validate(io.StringIO(text)).errors

    assert errors == ["row 1, column team: the header has no such column"]


def test_an_empty_file_is_reported():
    assert validate(io.StringIO("")).errors == ["row 1, column case_ref: the file is empty (expected a header row)"]


def test_one_import_audit_event_with_the_count_and_no_values(django_user_model):
    lead = django_user_model.objects.create(username="lead-x", role="lead")

    run_import([row(case_ref="OLD-1"), pending(case_ref="OLD-2")], actor=lead)

    event = AuditEvent.objects.get(action=AuditAction.IMPORT)
    assert event.actor == lead
    assert event.detail == "2 cases imported"
    assert "OLD" not in event.detail and "P-100" not in event.detail
