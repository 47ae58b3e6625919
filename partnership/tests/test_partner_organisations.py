"""The safeguarding leads' list of partner organisations."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from cases.codes import ReferrerType
from frontdoor.forms import ProfessionalReferrerForm
from partnership.models import PARTNER_SECTORS, PartnerOrganisation

from .factories import PartnerOrganisationFactory

pytestmark = pytest.mark.django_db


def test_the_sectors_are_the_front_doors_professional_referrer_sectors():
    front_door = [(value, label) for value, label in ProfessionalReferrerForm.base_fields["referrer_type"].choices]
    assert front_door == PARTNER_SECTORS
    assert ReferrerType.PUBLIC not in dict(PARTNER_SECTORS)


def test_lead_adds_a_cqc_registered_care_provider_and_it_is_audited(world, login):
    client = login(world.lead)
    data = {"name": "Synthetic Meadows Care Home", "sector": "care_provider", "cqc_registered": "on", "active": "on"}
    response = client.post(reverse("partners:create"), data)
    assert response.status_code == 302
    organisation = PartnerOrganisation.objects.get()
    assert (organisation.sector, organisation.cqc_registered, organisation.active) == ("care_provider", True, True)
    event = AuditEvent.objects.get(object_type="partnership.partnerorganisation", action="create")
    assert event.actor == world.lead and "name" in event.fields
    listing = client.get(reverse("partners:list")).content.decode()
    assert "Synthetic Meadows Care Home" in listing and "Care provider" in listing


def test_a_duplicate_name_is_refused_and_what_was_typed_is_kept(world, login):
    PartnerOrganisationFactory(name="Northshire Police")
    response = login(world.lead).post(reverse("partners:create"), {"name": "Northshire Police", "sector": "police"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is already a partner organisation with this name." in html and 'value="Northshire Police"' in html


def test_lead_makes_an_organisation_inactive_and_it_is_no_longer_offered(world, login):
    organisation = PartnerOrganisationFactory(name="Old Provider Ltd")
    client = login(world.lead)
    data = {"name": "Old Provider Ltd", "sector": "care_provider"}  # active unticked
    assert client.post(reverse("partners:edit", args=[organisation.pk]), data).status_code == 302
    organisation.refresh_from_db()
    assert organisation.active is False
    assert AuditEvent.objects.filter(object_type="partnership.partnerorganisation", action="update").exists()
    page = login(world.practitioner).get(reverse("partnership:caused_new", args=[world.case.pk])).content.decode()
    assert "Old Provider Ltd" not in page


def test_a_practitioner_cannot_change_the_list(world, login):
    response = login(world.practitioner).post(reverse("partners:create"), {"name": "X Ltd", "sector": "police"})
    assert response.status_code == 403
    assert not PartnerOrganisation.objects.exists()
