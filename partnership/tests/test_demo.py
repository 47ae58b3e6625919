"""The demo generator's partnership records."""

import io
import random

from cases.models import CaseState
from cases.tests.factories import EnquiryFactory
from partnership.demo import add_demo_partnership
from partnership.models import CausedEnquiry, InformationShare, Meeting, PartnerOrganisation


def test_demo_adds_partners_a_caused_enquiry_a_meeting_and_shares(db):
    open_ids = [EnquiryFactory(case__state=CaseState.ENQUIRY_OPEN).case_id for _ in range(3)]
    out = io.StringIO()
    assert add_demo_partnership({CaseState.ENQUIRY_OPEN.value: open_ids}, random.Random(1), out) == 0  # no leads
    assert PartnerOrganisation.objects.count() == 6  # the list and the two other providers

    from accounts.tests.factories import UserFactory

    lead = UserFactory()
    for case_id in open_ids:
        EnquiryFactory._meta.model.objects.filter(case_id=case_id).update(lead_practitioner=lead)
    assert add_demo_partnership({CaseState.ENQUIRY_OPEN.value: open_ids}, random.Random(1), out) == 3
    assert PartnerOrganisation.objects.count() == 6  # run twice: the list is not repeated
    assert CausedEnquiry.objects.get().overdue
    assert Meeting.objects.get().actions.count() == 1
    assert InformationShare.objects.awaiting_review().count() == 1
    assert "Partnership: 4 partner organisations, 1 caused enquiry, 1 meeting, 3 information shares." in out.getvalue()


def test_demo_providers_have_their_details_and_are_named_on_service_provider_risks(db):
    from cases.models import Risk
    from cases.tests.factories import CaseFactory

    for _ in range(9):
        CaseFactory(risks=[{"source": "service_provider", "location": "care_home_residential"}, {"source": "known"}])
    out = io.StringIO()
    add_demo_partnership({}, random.Random(1), out)
    home = PartnerOrganisation.objects.get(name="Synthetic Meadows Care Home")
    assert (home.service_type, home.cqc_location_id) == ("Residential care home", "1-900000001")
    named = Risk.objects.filter(provider__isnull=False)
    assert named.exists() and not named.exclude(source="service_provider").exists()
    assert Risk.objects.filter(source="service_provider", provider__isnull=True).exists()  # some not on the list
    assert f"named on {named.count()} risks." in out.getvalue()
