"""The team dashboard shows the documents, notes and contacts added to its cases in the last
week: only cases the viewer may see, the chosen team's only, nothing older."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseAccessGrant

from .factories import CaseContactFactory, CaseDocumentFactory

pytestmark = pytest.mark.django_db


def _dashboard(client, **params):
    response = client.get(reverse("workspace:dashboard"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_week_s_documents_and_contacts_show_on_the_dashboard_and_older_ones_do_not(world, login):
    CaseDocumentFactory(case=world.case, uploaded_by=world.practitioner, category="injury_photo", photo_consent="given")
    CaseContactFactory(
        case=world.case, recorded_by=world.practitioner, contact_name="Sam Synthetic",
        follow_up_on=timezone.localdate() + datetime.timedelta(days=3),
    )  # fmt: skip
    week_ago = timezone.now() - datetime.timedelta(days=8)
    CaseDocumentFactory(
        case=world.case, uploaded_by=world.practitioner, category="meeting_minutes", uploaded_at=week_ago
    )
    CaseContactFactory(
        case=world.case, recorded_by=world.practitioner, contact_name="Old Synthetic", recorded_at=week_ago
    )
    page = _dashboard(login(world.manager))
    assert "Documents, notes and contacts added in the last 7 days" in page
    assert "Photograph of an injury" in page and "Meeting minutes" not in page
    assert "Sam Synthetic" in page and "Old Synthetic" not in page
    assert reverse("documents:case_documents", args=[world.case.pk]) in page
    assert world.case.person.display_name in page


def test_another_team_s_and_a_restricted_case_s_records_stay_off(world, login):
    CaseDocumentFactory(case=world.case_b, uploaded_by=world.outsider, description="South letter")
    CaseContactFactory(case=world.case_b, recorded_by=world.outsider, contact_name="South Synthetic")
    world.case.restricted = True
    world.case.save(update_fields=["restricted"])
    CaseAccessGrant.objects.create(case=world.case, user=world.practitioner, granted_by=world.lead)
    CaseContactFactory(case=world.case, recorded_by=world.practitioner, contact_name="Restricted Synthetic")
    page = _dashboard(login(world.manager))
    assert "South Synthetic" not in page and "Restricted Synthetic" not in page
    assert "No documents attached in the last 7 days." in page
    lead_page = _dashboard(login(world.lead), team=world.team_a.pk)
    assert "South Synthetic" not in lead_page  # the chosen team only
    assert "South Synthetic" in _dashboard(login(world.lead))
