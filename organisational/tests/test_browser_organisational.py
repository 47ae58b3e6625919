"""In chromium, with axe-core on every page: a safeguarding lead opens an organisational
enquiry from the provider page, links the adults' cases, records a meeting and an action, and
concludes the enquiry; the adult's case page shows the link."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.tests.factories import CaseFactory
from organisational.models import OrganisationalEnquiry
from partnership.tests.factories import PartnerOrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_lead_runs_an_organisational_enquiry_across_three_adults(world, journey):
    home = PartnerOrganisationFactory(name="Synthetic Meadows Care Home", service_type="Residential care home")
    risk = {"source": "service_provider", "location": "care_home_residential", "provider": home}
    cases = [CaseFactory(team=world.team_a, risks=[risk]) for _ in range(3)]
    today = timezone.localdate().isoformat()

    j = journey(world.lead)
    j.open(reverse("partners:providers"))
    j.follow("Open an organisational enquiry about Synthetic Meadows Care Home")
    j.page.get_by_label("What the enquiry is about").fill("Three concerns about night care in one month.")
    j.press("Save")
    enquiry = OrganisationalEnquiry.objects.get()
    assert enquiry.provider == home
    j.follow("Link adults' cases")
    for case in cases[:2]:
        j.page.get_by_label(case.ref, exact=False).check()
    j.page.get_by_label("Other case references").fill(cases[2].ref)
    j.press("Link the cases")
    assert "3 cases linked." in j.page.inner_text("main")
    j.follow("Record a meeting")
    j.page.get_by_label("Strategy discussion or meeting").check()
    j.page.get_by_label("Date held").fill(today)
    j.page.get_by_label("People from other organisations who attended").fill(
        "Sam Synthetic, Synthetic Meadows Care Home"
    )
    j.page.get_by_label("Decisions").fill("The provider to review night staffing.")
    j.press("Save")
    j.follow("Add an action")
    j.page.get_by_label("Action").fill("Send the night staff rota.")
    j.page.get_by_label("Who is responsible").fill("Registered manager")
    j.page.get_by_label("Due by").fill(today)
    j.page.get_by_label("Agreed at").select_option(index=1)
    j.press("Save")
    j.press("Mark done", exact=False)
    assert "Action marked done." in j.page.inner_text("main")
    j.follow("Conclude the enquiry")
    j.page.get_by_label("Conclusion").fill("Night staffing improved; the commissioners will monitor it.")
    j.press("Save")
    assert f"{enquiry.label} concluded." in j.page.inner_text("main")
    j.follow(cases[0].ref)
    assert f"{enquiry.label}: Synthetic Meadows Care Home" in j.page.inner_text("main")
    j.finish()
