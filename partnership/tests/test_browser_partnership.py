"""In chromium, with axe-core on every page: a lead adds a partner organisation; a practitioner
causes an enquiry to it and records its report, which a manager finds not adequate; holds a
strategy meeting whose actions land in the protection plan; and records a share without
consent, which a manager reviews from the team dashboard. The list pages fit a 390 px phone."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from outcomes.models import PlanAction
from partnership.models import CausedEnquiry, InformationShare, Meeting
from tests.test_browser_small_screens import _assert_fits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _today():
    return timezone.localdate().isoformat()


def test_lead_adds_a_partner_that_a_practitioner_causes_an_enquiry_to(world, journey):
    j = journey(world.lead)
    j.open(reverse("workspace:dashboard"))
    j.follow("The list of partner organisations")
    j.follow("Add a partner organisation")
    j.page.get_by_label("Name").fill("Synthetic Meadows Care Home")
    j.page.get_by_label("Sector").select_option("care_provider")
    j.page.get_by_label("Registered with the CQC").check()
    j.press("Save")
    assert "Partner organisation saved." in j.page.inner_text("main")
    j.follow("Synthetic Meadows Care Home (change)")

    j = journey(world.practitioner)
    j.open(reverse("cases:detail", args=[world.case.pk]))
    j.follow("Caused enquiries")
    j.follow("Ask a partner organisation to make enquiries")
    j.page.get_by_label("Organisation").select_option(label="Synthetic Meadows Care Home")
    j.page.get_by_label("What they are asked to find out").fill("Review the night staff's records.")
    j.page.get_by_label("Contact there").fill("Registered manager, 01632 960002")
    j.page.get_by_label("Report due by").fill(_today())
    j.press("Save")
    assert "Request to the partner organisation saved." in j.page.inner_text("main")
    j.press("They have acknowledged the request")
    assert "Acknowledged" in j.page.inner_text("main")
    j.follow("Record their report")
    assert j.page.locator("input[name='adequacy']:checked").count() == 0
    j.page.get_by_label("Report received on").fill(_today())
    j.page.get_by_label("What they found").fill("Gaps in the night checks.")
    j.page.get_by_label("Partly adequate: more is needed").check()
    j.press("Save")  # the reason is missing: the form comes back with the answers kept
    assert "Say what is missing from the report." in j.page.inner_text("main")
    assert j.page.get_by_label("What they found").input_value() == "Gaps in the night checks."
    j.page.get_by_label("Why").fill("No statement from the night carer.")
    j.press("Save")
    assert "The partner's report is recorded." in j.page.inner_text("main")
    caused = CausedEnquiry.objects.get()
    assert caused.adequacy == "partly" and caused.report_received_on == timezone.localdate()

    j = journey(world.manager)
    j.open(reverse("workspace:dashboard"))
    j.open(reverse("partnership:caused_detail", args=[caused.pk]))
    j.follow("Mark the report as not adequate")
    j.page.get_by_label("Why the report is not adequate").fill("The night carer was not spoken to.")
    j.press("Save")
    assert "a manager found it not adequate" in j.page.inner_text("main")


def test_practitioner_holds_a_strategy_meeting_whose_actions_land_in_the_plan(world, journey):
    j = journey(world.practitioner)
    j.open(reverse("cases:detail", args=[world.case.pk]))
    j.follow("Strategy discussions and meetings")
    j.follow("Record a meeting")
    assert j.page.locator("input[type='radio']:checked").count() == 0
    j.page.get_by_label("Strategy discussion or meeting").check()
    j.page.get_by_label("Date held").fill(_today())
    j.page.get_by_label(world.manager.display_name).check()
    j.page.get_by_label("People from other organisations who attended").fill("Sam Jones, Northshire Police")
    j.page.get_by_role("group", name="Did the adult attend?").get_by_label("No").check()
    j.page.get_by_role("group", name="Did their advocate or representative attend?").get_by_label("Yes").check()
    j.page.get_by_label("Decisions").fill("Proceed to a section 42 enquiry.")
    j.page.get_by_label("Minutes").fill("The advocate read out the adult's wishes.")
    first = j.page.get_by_role("group", name="Action 1", exact=True)
    first.get_by_label("Action").fill("Change the locks")
    first.get_by_label("Responsible person or agency").fill("Housing officer")
    first.get_by_label("Due date").fill(_today())
    j.press("Save the meeting")  # the adult did not attend: how their views came in is asked for
    assert "say how their views were brought in" in j.page.inner_text("main")
    j.page.get_by_label("How the adult's views were brought in").fill("Their advocate read out their wishes.")
    j.press("Save the meeting")
    assert "1 action added to the protection plan." in j.page.inner_text("main")
    assert "Change the locks" in j.page.inner_text("main")
    meeting = Meeting.objects.get()
    assert PlanAction.objects.get(case=world.case).from_meeting.meeting == meeting
    j.follow("The whole protection plan")
    assert "Change the locks" in j.page.inner_text("main")


def test_practitioner_records_a_share_without_consent_that_a_manager_reviews(world, journey):
    from .factories import PartnerOrganisationFactory

    PartnerOrganisationFactory(name="Northshire Police", sector="police", cqc_registered=False)
    j = journey(world.practitioner)
    j.open(reverse("cases:detail", args=[world.case.pk]))
    j.follow("Information sharing")
    j.follow("Record information sharing")
    assert j.page.locator("input[type='radio']:checked, input[type='checkbox']:checked").count() == 0
    j.page.get_by_label("We shared information with them").check()
    j.page.get_by_label("The concern and what happened").check()
    j.page.get_by_label("Partner organisation").select_option(label="Northshire Police")
    j.page.get_by_label("When").fill(_today())
    j.page.get_by_label("Public task: the council's safeguarding duty (Article 6(1)(e))").check()
    j.page.get_by_role("group", name="Did the adult consent?").get_by_label("No").check()
    j.page.get_by_label("Risk to others").check()
    j.page.get_by_role("group", name="Was the adult told it was shared?").get_by_label("Yes").check()
    j.press("Save")
    assert "a manager will review it" in j.page.inner_text("main")
    assert "Awaiting a manager's review" in j.page.inner_text("main")
    j.page.set_viewport_size({"width": 390, "height": 900})
    _assert_fits(j.page, 390)
    j.page.set_viewport_size({"width": 1280, "height": 900})
    j.open(reverse("outcomes:principles", args=[world.case.pk]))
    assert "Northshire Police" in j.page.locator(".sharing-record").inner_text()

    j = journey(world.manager)
    j.open(reverse("workspace:dashboard"))
    j.follow(re.compile(f"^{world.case.ref}\\s*: review the share of"))
    j.page.get_by_label("Your comment (optional)").fill("Proportionate: a risk to the neighbour's children.")
    j.press("Mark as reviewed")
    share = InformationShare.objects.get()
    assert share.reviewed_by == world.manager
    assert "Review recorded." in j.page.inner_text("main")


def test_a_practitioner_names_the_provider_on_a_risk_and_a_manager_sees_the_pattern(world, journey):
    from cases.models import Risk

    from .factories import PartnerOrganisationFactory

    home = PartnerOrganisationFactory(name="Synthetic Meadows Care Home", service_type="Residential care home")
    risk = world.case.risks.get()
    j = journey(world.practitioner)
    j.open(reverse("cases:risk_correct", args=[risk.pk]))
    j.page.get_by_label("Who may be causing the harm").select_option("service_provider")
    j.page.get_by_label("Which service provider").select_option(label="Synthetic Meadows Care Home")
    j.page.get_by_label("Why it is being corrected").fill("The home's staff are alleged to have caused it.")
    j.press("Save the correction")
    assert Risk.objects.get(pk=risk.pk).provider == home
    assert "Service provider: Synthetic Meadows Care Home" in j.page.inner_text("main")

    j = journey(world.manager)
    j.open(reverse("workspace:dashboard"))
    j.follow("Concerns by provider")
    table = j.page.locator("table")
    assert "Synthetic Meadows Care Home" in table.inner_text() and "Residential care home" in table.inner_text()
    assert j.page.locator("svg.chart title").text_content().startswith("Concerns received per provider")
    j.page.get_by_label("From").fill("2020-01-01")
    j.press("Show")
    assert "Choose a period of at most a year." in j.page.inner_text("main")
    j.finish()
