"""The staff case summary PDF's "Working with partners" section."""

import pytest
from django.utils import timezone

from outcomes.tests.factories import PlanActionFactory
from outcomes.tests.test_case_summary import _render
from partnership.models import MeetingAction, MeetingAttendee
from reporting.pdf import pdf_text

from .factories import CausedEnquiryFactory, InformationShareFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def test_the_case_summary_holds_the_caused_enquiries_meetings_and_shares(world):
    CausedEnquiryFactory(
        case=world.case,
        partner__name="Synthetic Lodge Care",
        report_received_on=timezone.localdate(),
        findings="Night checks were missed twice.",
        adequacy="partly",
        adequacy_comment="No statement from the carer.",
    )
    meeting = MeetingFactory(case=world.case, decisions="Proceed with the enquiry.", minutes="Minuted discussion.")
    MeetingAttendee.objects.create(meeting=meeting, name="Sam Jones", organisation="Northshire Police")
    MeetingAction.objects.create(
        meeting=meeting, plan_action=PlanActionFactory(case=world.case, action="Fit a keysafe.")
    )
    InformationShareFactory(
        case=world.case,
        partner__name="Synthetic GP Surgery",
        consented=False,
        no_consent_reason="serious_crime",
        adult_told=False,
    )
    text = " ".join(pdf_text(_render(world.case, world.practitioner)).split())
    expected = [
        "Working with partners",
        "Synthetic Lodge Care",
        "Night checks were missed twice.",
        "No statement from the carer.",
        "Strategy discussion or meeting",
        "Sam Jones (Northshire Police)",
        "Proceed with the enquiry.",
        "Fit a keysafe.",
        "Synthetic GP Surgery",
        "To prevent or detect a serious crime",
    ]
    assert [words for words in expected if words not in text] == []
