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
    assert PartnerOrganisation.objects.count() == 4

    from accounts.tests.factories import UserFactory

    lead = UserFactory()
    for case_id in open_ids:
        EnquiryFactory._meta.model.objects.filter(case_id=case_id).update(lead_practitioner=lead)
    assert add_demo_partnership({CaseState.ENQUIRY_OPEN.value: open_ids}, random.Random(1), out) == 3
    assert PartnerOrganisation.objects.count() == 4  # run twice: the list is not repeated
    assert CausedEnquiry.objects.get().overdue
    assert Meeting.objects.get().actions.count() == 1
    assert InformationShare.objects.awaiting_review().count() == 1
    assert "Partnership: 4 partner organisations, 1 caused enquiry, 1 meeting, 3 information shares." in out.getvalue()
