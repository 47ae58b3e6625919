"""The demo generator's MSP records: bounded, consistent with the derived SAC answers."""

import io
import random

from cases.models import CaseState, Enquiry
from cases.tests.factories import EnquiryFactory
from outcomes.demo import add_demo_outcomes
from outcomes.models import ClosureReview, Conversation, DesiredOutcome, PrincipleCheck


def test_demo_adds_msp_records_and_closed_enquiries_carry_derived_answers(db):
    open_ids = [EnquiryFactory(case__state=CaseState.ENQUIRY_OPEN).case_id for _ in range(3)]
    closed_ids = [EnquiryFactory(case__state=CaseState.CLOSED).case_id for _ in range(4)]
    out = io.StringIO()
    added = add_demo_outcomes(
        {CaseState.ENQUIRY_OPEN.value: open_ids, CaseState.CLOSED.value: closed_ids, "concern": [999]},
        random.Random(1),
        out,
    )
    assert added == 7
    assert "MSP records: 7 enquiries" in out.getvalue()
    assert Conversation.objects.filter(case_id__in=open_ids + closed_ids).values("case_id").distinct().count() == 7
    assert ClosureReview.objects.filter(case_id__in=closed_ids).count() == 4
    assert PrincipleCheck.objects.filter(case_id__in=closed_ids).count() == 24
    for enquiry in Enquiry.objects.filter(case_id__in=closed_ids):
        assert enquiry.concluded_on is not None
        expressed = DesiredOutcome.objects.filter(case_id=enquiry.case_id).exists()
        assert enquiry.asked_desired_outcomes == ("asked_expressed" if expressed else "asked_not_expressed")
        assert bool(enquiry.outcomes_achieved) == expressed
