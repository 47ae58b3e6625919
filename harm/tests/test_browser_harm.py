"""In chromium, with axe-core on every page: a practitioner names the person alleged to have
caused harm on a risk; a safeguarding lead finds that the same person is on another team's
case, merges the two records, refers them to their employer and records the outcome."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseState
from cases.tests.factories import CaseFactory
from harm.models import PersonAlleged, TrustReferral

from .factories import PersonAllegedFactory, RiskPersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "Demo Carer Wrenfield"


def test_a_person_named_on_two_cases_is_matched_merged_and_referred_to_their_employer(world, journey):
    other_case = CaseFactory(team=world.team_b, state=CaseState.ENQUIRY_OPEN)
    earlier = PersonAllegedFactory(name=NAME.upper(), employer="Synthetic Home Care Agency", created_by=world.lead)
    RiskPersonFactory(case=other_case, person=earlier, added_by=world.lead)
    today = timezone.localdate().isoformat()

    j = journey(world.practitioner)
    j.open(reverse("cases:detail", args=[world.case.pk]))
    j.follow("Name a person alleged to have caused harm")
    j.page.get_by_label("Which risk").select_option(index=1)
    j.page.get_by_label("Paid carer").check()
    j.page.get_by_label("Their full name").fill(NAME)
    needs = j.page.get_by_role("group", name="Are they an adult with care and support needs themselves?")
    needs.get_by_label("No", exact=True).check()
    j.page.get_by_label("Yes: employed to work with adults").check()
    j.page.get_by_label("Their employer or organisation").fill("Synthetic Home Care Agency")
    j.press("Name them on the risk")
    main = j.page.inner_text("main")
    assert "Person named on risk 1." in main and NAME in main and "Position of trust" in main

    j = journey(world.lead)
    j.open(reverse("harm:register"))
    assert "Records that may be the same person" in j.page.inner_text("main")
    j.follow(f"Merge into {earlier.label}")
    j.page.get_by_label("I have checked that these records are the same person").check()
    j.press("Merge the records")
    assert "one record now for every case naming them" in j.page.inner_text("main")
    assert PersonAlleged.objects.current().count() == 1
    main = j.page.inner_text("main")
    assert world.case.ref in main and other_case.ref in main and "2 cases" in main
    j.follow("Record a referral to their employer")
    j.page.get_by_label("Date referred").fill(today)
    j.page.get_by_label("Awaiting the employer's response").check()
    j.press("Save")
    assert "Referral to their employer recorded." in j.page.inner_text("main")
    j.follow("Record the outcome", exact=False)
    j.page.get_by_label("Disciplinary action").check()
    j.page.get_by_label("Date of the outcome").fill(today)
    j.page.get_by_label("What the employer did or said").fill("Final written warning and retraining.")
    j.press("Save")
    assert "Outcome recorded." in j.page.inner_text("main")
    assert TrustReferral.objects.get().outcome == "disciplinary"
    j.finish()
