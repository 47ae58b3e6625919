"""Notes and contacts with agencies, family and the referrer: recorded, in the chronology as
contacts (not conversations with the adult), audited."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from cases.models import CaseEvent
from documents.models import CaseContact

pytestmark = pytest.mark.django_db


def _data(**extra):
    data = {
        "occurred_on": timezone.localdate().isoformat(),
        "party": "agency",
        "contact_name": "Sam Synthetic",
        "organisation": "Northern Synthetic Bank",
        "method": "phone",
        "what": "The bank agreed to freeze the account.",
        "follow_up": "Ask for the statements.",
        "follow_up_on": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
    }
    data.update(extra)
    return data


def _post(client, case, **extra):
    return client.post(reverse("documents:contact_add", args=[case.pk]), _data(**extra))


def test_a_practitioner_records_a_call_with_the_bank_and_it_reads_as_a_contact_in_the_chronology(world, login):
    client = login(world.practitioner)
    assert _post(client, world.case).status_code == 302
    contact = CaseContact.objects.get()
    assert contact.recorded_by == world.practitioner and contact.follow_up == "Ask for the statements."
    line = CaseEvent.objects.get(case=world.case, kind="documents:contact").summary
    assert line.startswith("Contact, not with the adult (phone,")
    assert "Sam Synthetic (Northern Synthetic Bank, An agency or organisation)" in line
    chronology = client.get(reverse("cases:chronology", args=[world.case.pk])).content.decode()
    assert "The bank agreed to freeze the account." in chronology
    created = AuditEvent.objects.filter(object_type="documents.casecontact", action="create", case_id=world.case.pk)
    assert created.exists()
    listing = client.get(reverse("documents:case_contacts", args=[world.case.pk])).content.decode()
    assert "Ask for the statements." in listing


def test_a_case_note_is_a_note_in_the_chronology(world, login):
    _post(login(world.practitioner), world.case, method="note", party="other", contact_name="", organisation="")
    assert CaseEvent.objects.get(kind="documents:note").summary.startswith("Case note (")


def test_who_and_how_have_no_default_and_missing_answers_keep_what_was_typed(world, login):
    client = login(world.practitioner)
    page = client.get(reverse("documents:contact_add", args=[world.case.pk])).content.decode()
    assert "checked" not in page
    response = _post(client, world.case, party="", method="")
    page = html.unescape(response.content.decode())
    assert "Say who it was with." in page and "Say how" in page
    assert "The bank agreed to freeze the account." in page
    assert not CaseContact.objects.exists()


def test_a_note_withheld_from_the_adult_needs_the_reason(world, login):
    client = login(world.practitioner)
    response = _post(client, world.case, withheld_from_adult="on")
    assert "Say why this is not to be disclosed" in html.unescape(response.content.decode())
    _post(client, world.case, withheld_from_adult="on", withheld_reason="Police asked us not to disclose it.")
    assert CaseContact.objects.get().withheld_from_adult


def test_a_future_date_is_refused(world, login):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = _post(login(world.practitioner), world.case, occurred_on=tomorrow)
    assert "cannot be in the future" in response.content.decode()


def test_another_team_cannot_see_or_add_contacts(world, login):
    client = login(world.outsider)
    assert client.get(reverse("documents:case_contacts", args=[world.case.pk])).status_code == 404
    assert _post(client, world.case).status_code == 404
