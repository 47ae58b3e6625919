"""Interchange version 2: the risks file (`interchange.md` section 1b) and `health_condition`."""

import io

import pytest

from accounts.models import AuditAction, AuditEvent
from cases.importer import COLUMNS, RISK_FILE_COLUMNS, ImportFileError, import_file, validate
from cases.models import Case, Enquiry, Person, Risk, RiskType
from cases.tests.importing import (
    csv_text,
    no_further_action,
    open_enquiry,
    pending,
    risk,
    risks_text,
    row,
    unassessed_risk,
    with_file_risks,
)

pytestmark = pytest.mark.django_db


def run_import(cases, risks=None, actor=None):
    risks_stream = io.StringIO(risks_text(risks)) if risks is not None else None
    return import_file(io.StringIO(csv_text(cases)), risks=risks_stream, actor=actor)


def errors_for(cases, risks=None, risks_csv=None):
    if risks_csv is None and risks is not None:
        risks_csv = risks_text(risks)
    stream = io.StringIO(risks_csv, newline="") if risks_csv is not None else None
    return validate(io.StringIO(csv_text(cases)), risks=stream).errors


def risks_of(ref):
    """(location, source, assessment, result, types) of each risk of case `ref`, in file order."""
    return [
        (r.location, r.source, r.assessment, r.result, sorted(t.abuse_type for t in r.types.all()))
        for r in Risk.objects.filter(case__ref=ref).order_by("id").prefetch_related("types")
    ]


def test_a_case_with_several_risks_in_the_risks_file_gets_each_with_its_types_and_outcome():
    count = run_import(
        [with_file_risks(row(case_ref="OLD-1"))],
        [
            risk(case_ref="OLD-1", types="financial;psychological", location="own_home", source="known"),
            risk(
                case_ref="OLD-1",
                types="neglect",
                location="care_home_residential",
                source="service_provider",
                assessment="no_risk_no_action",
                result="",
            ),
            risk(case_ref="OLD-1", types="physical", assessment="identified_no_action", result="remained"),
        ],
    )

    assert count == 1
    assert risks_of("OLD-1") == [
        ("own_home", "known", "identified_action", "reduced", ["financial", "psychological"]),
        ("care_home_residential", "service_provider", "no_risk_no_action", "", ["neglect"]),
        ("own_home", "known", "identified_no_action", "remained", ["physical"]),
    ]
    enquiry = Enquiry.objects.get(case__ref="OLD-1")
    assert enquiry.asked_desired_outcomes == "asked_expressed"


def test_version_1_rows_and_cases_with_file_risks_import_together():
    run_import(
        [
            row(case_ref="OLD-1", abuse_types="neglect", risk_outcome="removed"),
            with_file_risks(open_enquiry(case_ref="OLD-2")),
            with_file_risks(pending(case_ref="OLD-3")),
            no_further_action(case_ref="OLD-4", abuse_types="domestic", location_of_risk="community"),
        ],
        [
            unassessed_risk(case_ref="OLD-2", types="sexual", location="hospital_acute", source="unknown"),
            unassessed_risk(case_ref="OLD-3", types="self_neglect"),
            unassessed_risk(case_ref="OLD-2", types="modern_slavery;organisational"),
        ],
    )

    assert risks_of("OLD-1") == [("own_home", "known", "identified_action", "removed", ["neglect"])]
    assert risks_of("OLD-2") == [
        ("hospital_acute", "unknown", "", "", ["sexual"]),
        ("own_home", "known", "", "", ["modern_slavery", "organisational"]),
    ]
    assert risks_of("OLD-3") == [("own_home", "known", "", "", ["self_neglect"])]
    assert risks_of("OLD-4") == [("community", "known", "", "", ["domestic"])]
    assert Risk.objects.count() == 5 and RiskType.objects.count() == 6


@pytest.mark.parametrize(
    ("risk_outcome", "assessment", "result"),
    [
        ("removed", "identified_action", "removed"),
        ("reduced", "identified_action", "reduced"),
        ("remains", "identified_action", "remained"),
        ("no_risk", "no_risk_no_action", ""),
        ("ceased", "ceased", ""),
    ],
)
def test_a_version_1_risk_outcome_becomes_the_assessment_and_result_of_the_rows_one_risk(
    risk_outcome, assessment, result
):
    run_import([row(risk_outcome=risk_outcome)])

    assert risks_of("OLD-1") == [("own_home", "known", assessment, result, ["financial", "psychological"])]


def test_an_open_version_1_case_has_one_unassessed_risk():
    run_import([open_enquiry(location_of_risk="hospital_mental_health", source_of_risk="service_provider")])

    assert risks_of("OLD-1") == [("hospital_mental_health", "service_provider", "", "", ["financial", "psychological"])]


def test_the_health_condition_column_is_optional_and_sets_the_adults_condition():
    columns = [*COLUMNS, "health_condition"]
    text = csv_text(
        [
            pending(case_ref="OLD-1", person_ref="P-1", health_condition="autism"),
            pending(case_ref="OLD-2", person_ref="P-2", health_condition="asperger"),
            pending(case_ref="OLD-3", person_ref="P-3", health_condition=""),
        ],
        columns=columns,
    )

    import_file(io.StringIO(text), actor=None)

    assert dict(Person.objects.values_list("legacy_ref", "health_condition")) == {
        "P-1": "autism",
        "P-2": "asperger",
        "P-3": "",
    }


def test_without_the_health_condition_column_adults_have_none_recorded():
    run_import([pending()])

    assert Person.objects.get().health_condition == ""


def test_a_health_condition_outside_the_codes_is_an_error():
    text = csv_text([pending(health_condition="adhd")], columns=[*COLUMNS, "health_condition"])

    errors = validate(io.StringIO(text)).errors

    assert errors == ["row 2, column health_condition: must be one of autism, asperger"]


# The cases file against the risks file.


@pytest.mark.parametrize("column", ["abuse_types", "location_of_risk", "source_of_risk", "risk_outcome"])
def test_a_case_never_has_risks_both_on_its_row_and_in_the_risks_file(column):
    case = with_file_risks(row(), **{column: row()[column]})

    errors = errors_for([case], [risk()])

    assert errors == [f"row 2, column {column}: must be empty: this case has its risks in the risks file"]


@pytest.mark.parametrize("column", ["abuse_types", "location_of_risk", "source_of_risk"])
def test_with_a_risks_file_a_case_without_rows_there_needs_its_risk_on_its_row(column):
    cases = [with_file_risks(row(case_ref="OLD-1")), with_file_risks(row(case_ref="OLD-2"))]

    errors = errors_for(cases, [risk(case_ref="OLD-1")])

    assert f"row 3, column {column}: is required when the case has no rows in the risks file" in errors
    assert "row 2, column" not in " ".join(errors)


def test_a_concluded_case_with_file_risks_needs_no_risk_outcome_on_its_row():
    assert errors_for([with_file_risks(row())], [risk()]) == []


# The risks file's own rules, each with its message.


@pytest.mark.parametrize(
    ("bad_risk", "expected"),
    [
        (risk(case_ref=""), "risks row 2, column case_ref: is required"),
        (risk(types=""), "risks row 2, column types: is required"),
        (risk(location=""), "risks row 2, column location: is required"),
        (risk(source=""), "risks row 2, column source: is required"),
        (
            risk(types="neglect;theft"),
            "risks row 2, column types: each must be one of physical, sexual, psychological, financial, "
            "discriminatory, organisational, neglect, domestic, sexual_exploitation, modern_slavery, self_neglect; "
            "separated by ;",
        ),
        (risk(types="neglect; neglect"), "risks row 2, column types: lists an abuse type more than once"),
        (
            risk(location="moon"),
            "risks row 2, column location: must be one of own_home, community, community_service, "
            "care_home_nursing, care_home_residential, hospital_acute, hospital_mental_health, hospital_community, "
            "other",
        ),
        (risk(source="aliens"), "risks row 2, column source: must be one of service_provider, known, unknown"),
        (
            risk(assessment="identified", result=""),
            "risks row 2, column assessment: must be one of identified_action, identified_no_action, "
            "inconclusive_action, inconclusive_no_action, no_risk_action, no_risk_no_action, ceased",
        ),
        (risk(result="gone"), "risks row 2, column result: must be one of remained, reduced, removed"),
        (
            risk(assessment="identified_no_action", result=""),
            "risks row 2, column result: is required when assessment is identified_action or identified_no_action",
        ),
        (
            risk(assessment="inconclusive_action", result="reduced"),
            "risks row 2, column result: must be empty unless assessment is identified_action or identified_no_action",
        ),
        (
            risk(case_ref="OLD-404"),
            "risks row 2, column case_ref: case reference 'OLD-404' is not a case_ref of the cases file",
        ),
        (
            risk(assessment="", result=""),
            "risks row 2, column assessment: is required when the case's enquiry is concluded",
        ),
    ],
)
def test_each_risks_file_rule_is_checked(bad_risk, expected):
    errors = errors_for([with_file_risks(row())], [bad_risk])

    assert expected in errors, errors


@pytest.mark.parametrize("case", [open_enquiry(), pending(), no_further_action()])
def test_an_assessment_is_only_for_a_concluded_enquiry(case):
    errors = errors_for([with_file_risks(case)], [risk(assessment="no_risk_action", result="")])

    assert errors == ["risks row 2, column assessment: must be empty unless the case's enquiry is concluded"]


def test_if_one_risk_of_an_enquiry_is_ceased_all_of_them_are():
    errors = errors_for(
        [with_file_risks(row(case_ref="OLD-1")), with_file_risks(row(case_ref="OLD-2"))],
        [
            risk(case_ref="OLD-1", assessment="identified_action", result="removed"),
            risk(case_ref="OLD-1", assessment="ceased", result=""),
            risk(case_ref="OLD-2", assessment="identified_action", result="removed"),
            risk(case_ref="OLD-1", assessment="no_risk_no_action", result=""),
            risk(case_ref="OLD-1", assessment="ceased", result=""),
        ],
    )

    assert errors == [
        "risks row 2, column assessment: must be ceased: another risk of this enquiry (risks row 3) is ceased, "
        "so all of them are",
        "risks row 5, column assessment: must be ceased: another risk of this enquiry (risks row 3) is ceased, "
        "so all of them are",
    ]


def test_an_enquiry_whose_risks_are_all_ceased_imports():
    run_import(
        [with_file_risks(row())],
        [risk(assessment="ceased", result=""), risk(types="neglect", assessment="ceased", result="")],
    )

    assert list(Risk.objects.values_list("assessment", flat=True)) == ["ceased", "ceased"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "risks row 1, column case_ref: the file is empty (expected a header row)"),
        (
            risks_text([risk()], columns=[c for c in RISK_FILE_COLUMNS if c != "result"]),
            "risks row 1, column result: the header has no such column",
        ),
        (
            risks_text([risk()], columns=[*RISK_FILE_COLUMNS, "severity"]),
            "risks row 1, column severity: unknown column",
        ),
        (
            "case_ref,types,location,source,assessment,result,types\n",
            "risks row 1, column case_ref: the header lists a column twice",
        ),
        (
            risks_text([risk()]) + "OLD-1,neglect,own_home\n",
            "risks row 3, column case_ref: has 3 cells, the header has 6 columns",
        ),
        (
            risks_text([risk(location="own_home\x00")]),
            "risks row 2, column location: must not contain a NUL character (byte 0)",
        ),
    ],
)
def test_the_risks_files_header_and_cells_are_checked_like_the_cases_file(text, expected):
    errors = errors_for([with_file_risks(row())], risks_csv=text)

    assert expected in errors, errors


def test_a_risks_file_that_cannot_be_read_is_reported_without_an_error_for_each_case():
    errors = errors_for([with_file_risks(row(case_ref="OLD-1")), with_file_risks(row(case_ref="OLD-2"))], risks_csv="")

    assert errors == ["risks row 1, column case_ref: the file is empty (expected a header row)"]


def test_a_risks_file_that_is_not_utf8_is_reported():
    stream = io.TextIOWrapper(io.BytesIO(b"case_ref,types\n\xff\xfe"), encoding="utf-8", newline="")

    errors = validate(io.StringIO(csv_text([with_file_risks(row())])), risks=stream).errors

    assert "risks row 1, column case_ref: the file is not UTF-8 text" in errors


def test_errors_in_both_files_are_all_reported_the_cases_files_first_and_nothing_is_imported():
    with pytest.raises(ImportFileError) as raised:
        run_import(
            [with_file_risks(row(case_ref="OLD-1")), with_file_risks(row(case_ref="OLD-2", gender="woman"))],
            [risk(case_ref="OLD-2", source="aliens"), risk(case_ref="OLD-1"), risk(case_ref="OLD-1", result="")],
        )

    assert raised.value.errors == [
        "row 3, column gender: must be one of female, male, other, unknown",
        "risks row 2, column source: must be one of service_provider, known, unknown",
        "risks row 4, column result: is required when assessment is identified_action or identified_no_action",
    ]
    assert not Case.objects.exists() and not Person.objects.exists() and not Risk.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.IMPORT).exists()


def test_a_valid_cases_file_with_one_bad_risk_imports_nothing():
    with pytest.raises(ImportFileError):
        run_import(
            [with_file_risks(row(case_ref=f"OLD-{n}")) for n in range(5)],
            [risk(case_ref=f"OLD-{n}") for n in range(5)] + [risk(case_ref="OLD-3", location="")],
        )

    assert not Case.objects.exists() and not Risk.objects.exists()


def test_the_audit_event_counts_cases_and_risks_without_values(django_user_model):
    lead = django_user_model.objects.create(username="lead-r", role="lead")

    run_import(
        [with_file_risks(row(case_ref="OLD-1")), pending(case_ref="OLD-2")],
        [risk(case_ref="OLD-1"), risk(case_ref="OLD-1", types="neglect")],
        actor=lead,
    )

    event = AuditEvent.objects.get(action=AuditAction.IMPORT)
    assert event.actor == lead
    assert event.detail == "2 cases and 3 risks imported"
