"""The cases' facts rows (`reporting.facts`): kept true by PostgreSQL triggers whatever writes the records.

After every kind of write the aggregation's inputs can see (a concern, its adult, its enquiry,
its risks and their types; inserted, changed, moved, deleted, one by one or in bulk), the facts
table must hold exactly what recomputing every row from the records gives.
"""

import datetime
import os

import pytest
from django.db import connection, transaction
from django.utils import timezone

from accounts.tests.factories import TeamFactory
from cases.codes import (
    RISK_IDENTIFIED,
    AbuseType,
    EnquiryKind,
    LocationOfRisk,
    RiskAssessment,
    RiskResult,
    SourceOfRisk,
)
from cases.models import Case, Enquiry, Person, Risk, RiskType
from cases.tests.factories import CaseFactory, EnquiryFactory, PersonFactory
from reporting import facts

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the facts are kept by PostgreSQL triggers")


def _rows():
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM reporting_casefacts ORDER BY case_id")
        return cursor.fetchall()


def assert_current():
    """The facts rows equal a recomputation of every row from the records (rolled back)."""
    kept = _rows()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(facts.rebuild_sql())
        recomputed = _rows()
        transaction.set_rollback(True)
    assert kept == recomputed
    return kept


def _cells(case):
    with connection.cursor() as cursor:
        cursor.execute("SELECT risk_cells FROM reporting_casefacts WHERE case_id = %s", [case.pk])
        row = cursor.fetchone()
    return None if row is None else [facts.decode(cell) for cell in row[0]]


def test_every_cell_number_decodes_to_its_grouping_and_codes():
    seen = set()
    for number, (name, rows, columns) in enumerate(facts.CELL_GROUPINGS, start=1):
        for i, row in enumerate(rows or [None], start=1):
            for j, column in enumerate(columns or [None], start=1):
                cell = number * 10000 + (i if row else 0) * 100 + (j if column else 0)
                key = tuple(code for code in (row, column) if code is not None)
                assert facts.decode(cell) == (name, key)
                seen.add(cell)
    assert len(seen) == sum(max(len(r), 1) * max(len(c), 1) for _, r, c in facts.CELL_GROUPINGS)


def test_a_case_its_risks_and_its_enquiry_are_one_row_of_cells_each_counted_once():
    case = CaseFactory(
        risks=[
            {"types": [AbuseType.FINANCIAL, AbuseType.NEGLECT], "source": SourceOfRisk.KNOWN},
            {"types": [AbuseType.FINANCIAL], "source": SourceOfRisk.KNOWN, "location": LocationOfRisk.OWN_HOME},
        ]
    )
    rows = assert_current()
    assert len(rows) == 1
    cells = _cells(case)
    assert cells.count(("type_source", (AbuseType.FINANCIAL, SourceOfRisk.KNOWN))) == 1  # two risks, one cell
    assert ("type", (AbuseType.NEGLECT,)) in cells and ("total", ()) in cells
    assert not any(name in ("assessed", "identified") for name, _ in cells)  # nothing assessed yet
    EnquiryFactory(case=case, kind=EnquiryKind.S42)
    assert_current()


def test_every_change_to_the_records_is_followed():
    team, other_team = TeamFactory(), TeamFactory()
    person = PersonFactory(date_of_birth=datetime.date(1950, 1, 2))
    case = CaseFactory(person=person, team=team, abuse=[AbuseType.PHYSICAL])
    second = CaseFactory(person=person, team=team, abuse=[AbuseType.NEGLECT])
    enquiry = EnquiryFactory(case=case, started_on=timezone.localdate() - datetime.timedelta(days=5))
    assert_current()
    risk = case.risks.get()

    # A risk assessed, with and without a result; a type added, changed and removed.
    identified = sorted(RISK_IDENTIFIED)[0]
    Risk.objects.filter(pk=risk.pk).update(assessment=identified, result=RiskResult.values[0])
    assert ("identified", ()) in _cells(case) and ("resulted", ()) in _cells(case)
    RiskType.objects.create(risk=risk, abuse_type=AbuseType.PSYCHOLOGICAL)
    RiskType.objects.filter(risk=risk, abuse_type=AbuseType.PHYSICAL).update(abuse_type=AbuseType.SEXUAL)
    RiskType.objects.filter(risk=risk, abuse_type=AbuseType.PSYCHOLOGICAL).delete()
    assert ("type", (AbuseType.SEXUAL,)) in _cells(case) and ("type", (AbuseType.PHYSICAL,)) not in _cells(case)
    assert_current()

    # The enquiry concluded, then its kind changed; the adult's demographics; the case's team.
    Enquiry.objects.filter(pk=enquiry.pk).update(concluded_on=timezone.localdate())
    Enquiry.objects.filter(pk=enquiry.pk).update(kind=EnquiryKind.OTHER_ENQUIRY)
    Person.objects.filter(pk=person.pk).update(gender="female", health_condition="autism", date_of_birth=None)
    Case.objects.filter(pk=case.pk).update(team=other_team)
    assert_current()
    from reporting.models import CaseFacts

    assert set(CaseFacts.objects.values_list("team_id", flat=True)) == {team.pk, other_team.pk}

    # A risk moved to the other case changes both; one deleted; the enquiry deleted.
    Risk.objects.filter(pk=risk.pk).update(case=second)
    assert _cells(case) == [] and ("type", (AbuseType.SEXUAL,)) in _cells(second)
    assert_current()
    second.risks.filter(pk=risk.pk).delete()
    Enquiry.objects.filter(pk=enquiry.pk).delete()
    assert_current()

    # The case deleted (its risks, types and enquiry with it): no row left behind.
    second.delete()
    assert _cells(second) is None
    assert len(assert_current()) == 1


def test_bulk_writes_are_followed_in_one_statement_each():
    team = TeamFactory()
    people = Person.objects.bulk_create([Person(legal_name=f"Bulk Synthetic{n}") for n in range(3)])
    cases = Case.objects.bulk_create(
        [
            Case(ref=f"BULK-{n}", person=people[n % 3], team=team, received_at=timezone.now(), what_happened="x")
            for n in range(6)
        ]
    )
    risks = Risk.objects.bulk_create(
        [
            Risk(case=case, location=LocationOfRisk.values[n % 3], source=SourceOfRisk.values[n % 2])
            for n, case in enumerate(cases * 2)
        ]
    )
    RiskType.objects.bulk_create([RiskType(risk=risk, abuse_type=AbuseType.values[risk.pk % 4]) for risk in risks])
    Enquiry.objects.bulk_create(
        [Enquiry(case=case, kind=EnquiryKind.S42, started_on=timezone.localdate()) for case in cases[:4]]
    )
    assert len(assert_current()) == 6
    Risk.objects.filter(case__in=cases[:3]).update(assessment=RiskAssessment.CEASED)
    Person.objects.filter(pk__in=[p.pk for p in people]).update(ethnicity="white")
    assert all(("sg2c_risk_assessment", (RiskAssessment.CEASED,)) in _cells(case) for case in cases[:3])
    assert_current()


def test_install_recomputes_every_row():
    CaseFactory()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE reporting_casefacts SET risk_cells = '{}', adult_gender = 'wrong'")
    with connection.schema_editor() as editor:
        facts.install(editor)
    assert_current()
    from reporting.models import CaseFacts

    assert CaseFacts.objects.get().adult_gender != "wrong"


def test_a_bulk_load_refreshes_its_cases_once_at_the_end():
    from cases import bulk
    from reporting.models import CaseFacts

    team, person = TeamFactory(), PersonFactory()
    case_ids = bulk.reserve_ids(Case, 2)
    with bulk.loading(case_ids):
        bulk.copy_rows(
            Case,
            ["id", "ref", "person_id", "team_id", "received_at", "what_happened"],
            [(pk, f"LOAD-{pk}", person.pk, team.pk, timezone.now(), "x") for pk in case_ids],
        )
        risk_ids = bulk.reserve_ids(Risk, 2)
        bulk.copy_rows(
            Risk,
            ["id", "case_id", "location", "source"],
            [
                (rid, pk, LocationOfRisk.OWN_HOME, SourceOfRisk.KNOWN)
                for rid, pk in zip(risk_ids, case_ids, strict=True)
            ],
        )
        bulk.copy_rows(RiskType, ["risk_id", "abuse_type"], [(rid, AbuseType.NEGLECT) for rid in risk_ids])
        assert not CaseFacts.objects.exists()  # the triggers wait for the end of the load
    assert len(assert_current()) == 2
    assert ("type", (AbuseType.NEGLECT,)) in _cells(Case.objects.get(pk=case_ids[0]))


def test_the_demo_generator_leaves_every_row_current():
    # It writes through `cases.bulk.loading`, as the legacy import does.
    from django.core.management import call_command

    call_command("generate_demo_data", cases=40, seed=5, stdout=open(os.devnull, "w"))  # noqa: SIM115
    rows = assert_current()
    assert len(rows) == Case.objects.count() >= 40


def test_the_triggers_sit_beside_the_risks_own_case_facts_triggers():
    # Both apps keep copies by triggers on cases_case; neither may replace the other's.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'cases_case'::regclass AND NOT tgisinternal ORDER BY 1"
        )
        names = {name for (name,) in cursor.fetchall()}
    assert {"cases_case_facts_insert", "cases_case_facts_update"} <= names  # cases.risk_facts
    assert {"cases_case_sac_facts_insert", "cases_case_sac_facts_update", "cases_case_sac_facts_delete"} <= names
