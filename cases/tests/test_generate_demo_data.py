import datetime

import pytest
from django.core.management import call_command
from django.db.models import Count

from accounts.models import User
from cases.codes import RISK_IDENTIFIED, RiskAssessment
from cases.models import Case, CaseEvent, CaseState, Decision, DecisionStatus, Enquiry, Person, Risk, RiskType
from cases.validators import nhs_number_is_valid

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


def generate(cases=400, seed=1, **options):
    call_command("generate_demo_data", cases=cases, seed=seed, today=TODAY, stdout=None, **options)


def test_demo_data_has_cases_at_every_stage_of_the_journey():
    generate()

    states = set(Case.objects.values_list("state", flat=True))
    assert states == set(CaseState.values)
    assert Case.objects.count() == 400
    assert Enquiry.objects.filter(lead_practitioner__isnull=True, concluded_on__isnull=True).exists()
    assert Decision.objects.filter(status=DecisionStatus.PROPOSED, case__state=CaseState.DECISION_PENDING).exists()


def test_the_demo_practitioner_has_a_caseload_in_their_own_team():
    generate()

    practitioner = User.objects.get(username="practitioner")
    open_work = Enquiry.objects.filter(lead_practitioner=practitioner, concluded_on__isnull=True)
    assert open_work.count() >= 3
    assert set(open_work.values_list("case__team__name", flat=True)) == {"North Locality Team"}


def test_closed_enquiries_carry_every_sac_answer_the_reports_need():
    generate()

    closed = Enquiry.objects.filter(case__state=CaseState.CLOSED)
    assert closed.exists()
    assert not closed.filter(concluded_on__isnull=True).exists()
    assert not closed.filter(asked_desired_outcomes="").exists()
    assert not closed.filter(lacked_capacity="").exists()
    assert not closed.filter(asked_desired_outcomes="asked_expressed", outcomes_achieved="").exists()
    assert not closed.filter(lacked_capacity="yes", advocacy="").exists()
    assert not closed.exclude(lacked_capacity="yes").exclude(advocacy="").exists()


def test_concerns_have_about_one_and_a_half_risks_each_with_varied_types_places_and_sources():
    generate()

    per_case = list(Case.objects.annotate(n=Count("risks")).values_list("n", flat=True))
    assert set(per_case) == {1, 2, 3}
    assert 1.25 <= sum(per_case) / len(per_case) <= 1.55
    types_per_risk = set(Risk.objects.annotate(n=Count("types")).values_list("n", flat=True))
    assert types_per_risk == {1, 2, 3}
    assert RiskType.objects.values("abuse_type").distinct().count() >= 8
    assert Risk.objects.values("location").distinct().count() >= 7
    assert Risk.objects.values("source").distinct().count() == 3
    # Two risks of one concern are different allegations: never the same types, place and source.
    seen = set()
    for risk in Risk.objects.prefetch_related("types"):
        key = (risk.case_id, risk.location, risk.source, frozenset(t.abuse_type for t in risk.types.all()))
        assert key not in seen
        seen.add(key)


def test_risks_are_assessed_when_and_only_when_the_enquiry_was_sent_for_closure_or_concluded():
    generate()

    closed = Risk.objects.filter(case__state=CaseState.CLOSED)
    assert closed.exists()
    assert not closed.filter(assessment="").exists()
    # A closure review is sent only once every risk has its outcome (cases.risks.outcome_problems).
    assert not Risk.objects.filter(case__state=CaseState.CLOSURE_PENDING, assessment="").exists()
    earlier = Risk.objects.exclude(case__state__in=[CaseState.CLOSED, CaseState.CLOSURE_PENDING])
    assert not earlier.exclude(assessment="").exists()
    assert set(closed.values_list("assessment", flat=True)) == set(RiskAssessment.values)
    assert not closed.filter(assessment__in=RISK_IDENTIFIED, result="").exists()
    assert not Risk.objects.exclude(assessment__in=RISK_IDENTIFIED).exclude(result="").exists()
    assert set(closed.exclude(result="").values_list("result", flat=True)) == {"remained", "reduced", "removed"}


def test_a_ceased_enquiry_has_every_risk_ceased():
    generate()

    ceased_cases = set(Risk.objects.filter(assessment=RiskAssessment.CEASED).values_list("case_id", flat=True))
    assert ceased_cases
    assert not Risk.objects.filter(case_id__in=ceased_cases).exclude(assessment=RiskAssessment.CEASED).exists()
    assert Case.objects.filter(pk__in=ceased_cases).annotate(n=Count("risks")).filter(n__gt=1).exists()


def test_some_adults_have_a_health_condition():
    generate(cases=1000)

    conditions = dict(
        Person.objects.values_list("health_condition").annotate(n=Count("id")).values_list("health_condition", "n")
    )
    assert set(conditions) == {"", "autism", "asperger"}
    assert conditions["autism"] + conditions["asperger"] < conditions[""] / 10


def test_every_case_has_a_chronology():
    generate()

    assert not Case.objects.annotate(n=Count("events")).filter(n=0).exists()
    closed = Case.objects.filter(state=CaseState.CLOSED).first()
    kinds = list(CaseEvent.objects.filter(case=closed).values_list("kind", flat=True))
    assert kinds[0] == "concern" and kinds[-1] == "state:closed"


def test_cases_spread_over_five_years_up_to_today():
    generate()

    first = Case.objects.earliest("received_at").received_at.date()
    last = Case.objects.latest("received_at").received_at.date()
    assert first >= TODAY - datetime.timedelta(days=5 * 365 + 1)
    assert first <= TODAY - datetime.timedelta(days=4 * 365)
    assert last <= TODAY


def test_people_are_synthetic_with_test_range_nhs_numbers_and_older_ages():
    generate()

    numbers = [n for n in Person.objects.values_list("nhs_number", flat=True) if n]
    assert numbers and all(n.startswith("999") and nhs_number_is_valid(n) for n in numbers)
    births = [d for d in Person.objects.values_list("date_of_birth", flat=True) if d]
    ages = [(TODAY - d).days // 365 for d in births]
    assert min(ages) >= 18 and max(ages) <= 106
    assert sum(a >= 65 for a in ages) > len(ages) / 2
    assert Person.objects.filter(date_of_birth__isnull=True).exists()


def test_the_same_seed_gives_the_same_data():
    generate(cases=60, seed=7)
    first = same_seed_view()
    Case.objects.all().delete()
    Person.objects.all().delete()

    generate(cases=60, seed=7)

    assert same_seed_view() == first


def same_seed_view():
    cases = list(Case.objects.order_by("id").values_list("state", "person__legal_name", "person__health_condition"))
    risks = list(Risk.objects.order_by("id").values_list("location", "source", "assessment", "result"))
    types = list(RiskType.objects.order_by("risk_id", "abuse_type").values_list("abuse_type", flat=True))
    return cases, risks, types


def test_if_empty_does_nothing_when_cases_exist():
    generate(cases=20)

    generate(cases=20, if_empty=True)

    assert Case.objects.count() == 20


def test_extensions_are_called_with_the_case_ids_by_state(settings):
    calls = []
    settings.DEMO_DATA_EXTENSIONS = ["cases.tests.test_generate_demo_data.record_extension"]
    record_extension.calls = calls

    generate(cases=30)

    by_state, rng, _stdout = calls[0]
    assert sum(len(ids) for ids in by_state.values()) == 30
    assert set(by_state[CaseState.CLOSED]) == set(
        Case.objects.filter(state=CaseState.CLOSED).values_list("id", flat=True)
    )
    assert rng.random() < 1


def record_extension(case_ids_by_state, rng, stdout):
    record_extension.calls.append((case_ids_by_state, rng, stdout))
