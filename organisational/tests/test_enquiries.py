"""Organisational enquiries: a lead opens one for a provider, links adults' cases (suggested from
the risks naming the provider, or typed), records meetings (partnership meeting records with no
case), actions and updates, and concludes it. Linking is audited and in each case's chronology;
a lead sees only the linked cases they could see anyway; the SAC is unchanged by linking."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditAction, AuditEvent
from cases.models import CaseAccessGrant, CaseEvent
from cases.tests.factories import CaseFactory
from organisational.models import LinkedCase, OrganisationalEnquiry, ProviderUpdate
from partnership.models import Meeting
from partnership.tests.factories import PartnerOrganisationFactory
from reporting.aggregation import Period, aggregate

from .factories import LinkedCaseFactory, OrganisationalActionFactory, OrganisationalEnquiryFactory

pytestmark = pytest.mark.django_db


def _naming(team, provider, **extra):
    return CaseFactory(
        team=team,
        risks=[{"source": "service_provider", "location": "care_home_residential", "provider": provider}],
        **extra,
    )


def _text(response):
    return html.unescape(response.content.decode())


def test_a_lead_opens_an_enquiry_from_the_provider_page(world, login):
    home = PartnerOrganisationFactory(name="Synthetic Meadows Care Home")
    _naming(world.team_a, home)
    client = login(world.lead)
    providers = client.get(reverse("partners:providers")).content.decode()
    create = f"{reverse('organisational:create')}?provider={home.pk}"
    assert create in providers.replace("&amp;", "&")
    form = client.get(create).content.decode()
    assert f'<option value="{home.pk}" selected>' in form
    data = {
        "provider": home.pk,
        "concern": "Three concerns about night care in one month.",
        "opened_on": timezone.localdate().isoformat(),
        "lead_officer": world.lead.pk,
    }
    response = client.post(reverse("organisational:create"), data)
    enquiry = OrganisationalEnquiry.objects.get()
    assert response.status_code == 302 and response.url == reverse("organisational:detail", args=[enquiry.pk])
    assert (enquiry.provider, enquiry.lead_officer, enquiry.opened_by) == (home, world.lead, world.lead)
    assert AuditEvent.objects.filter(object_type="organisational.organisationalenquiry", action="create").exists()
    listing = client.get(reverse("organisational:list")).content.decode()
    assert enquiry.label in listing and "Synthetic Meadows Care Home" in listing


def test_missing_answers_are_explained_and_nothing_is_lost(world, login):
    response = login(world.lead).post(reverse("organisational:create"), {"concern": "Night care."})
    page = _text(response)
    assert "Choose the provider." in page and "Choose the lead officer." in page and "Night care." in page
    assert not OrganisationalEnquiry.objects.exists()


def test_linking_cases_from_the_suggestions_and_by_reference_is_audited_and_in_each_chronology(world, login):
    enquiry = OrganisationalEnquiryFactory(opened_by=world.lead)
    first, second = _naming(world.team_a, enquiry.provider), _naming(world.team_b, enquiry.provider)
    other = CaseFactory(team=world.team_a)  # names no provider: typed by its reference
    client = login(world.lead)
    url = reverse("organisational:link_cases", args=[enquiry.pk])
    page = client.get(url).content.decode()
    assert first.ref in page and second.ref in page and other.ref not in page
    response = client.post(url, {"suggested": [str(first.pk), str(second.pk)], "refs": other.ref.lower()})
    assert response.status_code == 302
    assert set(enquiry.linked_cases.values_list("case_id", flat=True)) == {first.pk, second.pk, other.pk}
    for case in (first, second, other):
        line = CaseEvent.objects.get(case=case, kind="organisational:linked").summary
        assert line == f"Linked to organisational enquiry {enquiry.label} about {enquiry.provider.name}."
        assert AuditEvent.objects.filter(
            object_type="organisational.linkedcase", action=AuditAction.CREATE, case_id=case.pk
        ).exists()
    again = client.post(url, {"refs": first.ref}, follow=True)
    assert "Those cases were already linked." in _text(again)
    assert enquiry.linked_cases.count() == 3
    assert first.ref not in client.get(url).content.decode()  # no longer suggested


def test_an_unknown_or_unseen_reference_is_refused_keeping_what_was_typed(world, login):
    enquiry = OrganisationalEnquiryFactory(opened_by=world.lead)
    hidden = CaseFactory(team=world.team_a, restricted=True)
    response = login(world.lead).post(
        reverse("organisational:link_cases", args=[enquiry.pk]), {"refs": f"NOPE-1, {hidden.ref}"}
    )
    page = _text(response)
    assert f"There is no case you can see with the reference NOPE-1, {hidden.ref}." in page
    assert f"NOPE-1, {hidden.ref}" in page
    assert not LinkedCase.objects.exists()
    nothing = login(world.lead).post(reverse("organisational:link_cases", args=[enquiry.pk]), {})
    assert "Tick a case or type a case reference to link." in _text(nothing)


def test_a_lead_sees_only_the_linked_cases_they_could_see_anyway(world, login):
    enquiry = OrganisationalEnquiryFactory(opened_by=world.lead)
    seen = LinkedCaseFactory(enquiry=enquiry, case=CaseFactory(team=world.team_a))
    restricted = CaseFactory(team=world.team_a, restricted=True)
    LinkedCaseFactory(enquiry=enquiry, case=restricted)
    suggestion = _naming(world.team_a, enquiry.provider, restricted=True)
    client = login(world.lead)
    page = client.get(reverse("organisational:detail", args=[enquiry.pk])).content.decode()
    assert seen.case.ref in page and restricted.ref not in page
    assert "and 1 more you may not see" in page
    assert suggestion.ref not in client.get(reverse("organisational:link_cases", args=[enquiry.pk])).content.decode()
    CaseAccessGrant.objects.create(case=restricted, user=world.lead, granted_by=world.lead)
    assert restricted.ref in client.get(reverse("organisational:detail", args=[enquiry.pk])).content.decode()


def test_the_case_page_shows_the_link_to_everyone_who_sees_the_case(world, login):
    enquiry = OrganisationalEnquiryFactory(opened_by=world.lead)
    LinkedCaseFactory(enquiry=enquiry, case=world.case)
    detail = reverse("organisational:detail", args=[enquiry.pk])
    practitioner_page = login(world.practitioner).get(reverse("cases:detail", args=[world.case.pk])).content.decode()
    assert f"{enquiry.label}: {enquiry.provider.name}" in html.unescape(practitioner_page)
    assert detail not in practitioner_page
    assert detail in login(world.lead).get(reverse("cases:detail", args=[world.case.pk])).content.decode()


def test_a_meeting_is_a_meeting_record_without_a_case_and_its_actions_are_tracked(world, login):
    enquiry = OrganisationalEnquiryFactory(opened_by=world.lead)
    client = login(world.lead)
    data = {
        "kind": "strategy",
        "held_on": timezone.localdate().isoformat(),
        "staff": [world.lead.pk, world.manager.pk],
        "partner_attendees": "Sam Synthetic, Synthetic Meadows Care Home\nAlex Example, CQC",
        "decisions": "The provider to review night staffing.",
    }
    assert client.post(reverse("organisational:meeting_add", args=[enquiry.pk]), data).status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.case is None and meeting.organisational.enquiry == enquiry
    assert sorted(meeting.partner_attendees.values_list("organisation", flat=True)) == [
        "CQC", "Synthetic Meadows Care Home",
    ]  # fmt: skip
    assert (
        client.get(reverse("partnership:meeting_detail", args=[meeting.pk])).status_code == 404
    )  # no case: no case page
    action = {
        "action": "Send the night rota.",
        "responsible": "Registered manager",
        "meeting": meeting.organisational.pk,
    }
    action["due_on"] = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    assert client.post(reverse("organisational:action_add", args=[enquiry.pk]), action).status_code == 302
    added = enquiry.actions.get()
    assert added.meeting == meeting.organisational
    page = client.get(reverse("organisational:detail", args=[enquiry.pk])).content.decode()
    assert "Strategy discussion or meeting" in page and "Send the night rota." in page and "Alex Example (CQC)" in page
    assert client.post(reverse("organisational:action_done", args=[added.pk])).status_code == 302
    added.refresh_from_db()
    assert added.done_on == timezone.localdate()


def test_an_action_cannot_name_another_enquiry_s_meeting(world, login):
    enquiry, other = OrganisationalEnquiryFactory(opened_by=world.lead), OrganisationalEnquiryFactory()
    from organisational import services

    link = services.record_meeting(
        actor=world.lead,
        enquiry=other,
        data={"kind": "mdt", "held_on": timezone.localdate(), "decisions": "Decided.", "minutes": ""},
    )
    data = {"action": "Act.", "responsible": "Someone", "due_on": timezone.localdate().isoformat(), "meeting": link.pk}
    response = login(world.lead).post(reverse("organisational:action_add", args=[enquiry.pk]), data)
    assert "Choose one of this enquiry's meetings." in _text(response)
    assert not enquiry.actions.exists()


def test_an_update_from_the_regulator_has_no_default_source(world, login):
    enquiry = OrganisationalEnquiryFactory(opened_by=world.lead)
    client = login(world.lead)
    url = reverse("organisational:update_add", args=[enquiry.pk])
    assert "checked" not in client.get(url).content.decode()
    data = {"received_on": timezone.localdate().isoformat(), "summary": "Inspection brought forward."}
    assert "Say who the update is from." in _text(client.post(url, data))
    assert client.post(url, {**data, "source": "regulator"}).status_code == 302
    assert ProviderUpdate.objects.get().get_source_display() == "The regulator (CQC)"


def test_taking_a_case_out_needs_a_reason_and_is_in_its_chronology(world, login):
    link = LinkedCaseFactory(enquiry=OrganisationalEnquiryFactory(opened_by=world.lead), case=world.case)
    client = login(world.lead)
    url = reverse("organisational:unlink_case", args=[link.pk])
    assert "Say why the case is taken out of the enquiry." in _text(client.post(url, {"reason": " "}))
    assert client.post(url, {"reason": "Linked in error: another home."}).status_code == 302
    assert not LinkedCase.objects.exists()
    line = CaseEvent.objects.get(case=world.case, kind="organisational:unlinked").summary
    assert line.endswith("Linked in error: another home.")


def test_a_concluded_enquiry_takes_nothing_more(world, login):
    enquiry = OrganisationalEnquiryFactory(opened_by=world.lead)
    action = OrganisationalActionFactory(enquiry=enquiry)
    link = LinkedCaseFactory(enquiry=enquiry, case=world.case)
    client = login(world.lead)
    url = reverse("organisational:conclude", args=[enquiry.pk])
    before = (enquiry.opened_on - datetime.timedelta(days=1)).isoformat()
    assert "it cannot conclude before" in _text(client.post(url, {"concluded_on": before, "conclusion": "Done."}))
    today = timezone.localdate().isoformat()
    assert client.post(url, {"concluded_on": today, "conclusion": "Staffing improved; monitoring."}).status_code == 302
    enquiry.refresh_from_db()
    assert not enquiry.is_open and enquiry.concluded_by == world.lead
    assert AuditEvent.objects.filter(object_id=str(enquiry.pk), action=AuditAction.STATE, detail="concluded").exists()
    for name, pk in [("link_cases", enquiry.pk), ("update_add", enquiry.pk), ("meeting_add", enquiry.pk),
                     ("action_add", enquiry.pk), ("conclude", enquiry.pk), ("unlink_case", link.pk)]:  # fmt: skip
        response = client.get(reverse(f"organisational:{name}", args=[pk]))
        assert response.status_code == 409, name
        assert "This organisational enquiry is concluded" in _text(response)
    assert client.post(reverse("organisational:action_done", args=[action.pk])).status_code == 409
    page = client.get(reverse("organisational:detail", args=[enquiry.pk])).content.decode()
    assert "Staffing improved; monitoring." in page and "Mark done" not in page


def test_the_sac_counts_each_adult_on_their_own_case_whether_linked_or_not(world, login):
    """Every adult at risk is counted (sac-reference.md); the organisational enquiry adds no count."""
    enquiry = OrganisationalEnquiryFactory(opened_by=world.lead)
    cases = [_naming(world.team_a, enquiry.provider) for _ in range(3)]
    today = timezone.localdate()
    period = Period(today - datetime.timedelta(days=30), today)
    before = aggregate(period)
    login(world.lead).post(
        reverse("organisational:link_cases", args=[enquiry.pk]), {"suggested": [str(c.pk) for c in cases]}
    )
    assert enquiry.linked_cases.count() == 3
    assert aggregate(period) == before
    assert before["concerns"]["total"]["concerns"] >= 3 and before["concerns"]["total"]["individuals"] >= 3
