"""The caused-enquiry report item (time-machine): due on its date to the enquiry's lead, escalated
to the team manager after ESCALATE_AFTER_WORKING_DAYS working days, cleared when the report is in.

Tuesday 12 January 2027 is the due date; two working days late is Thursday 14 January.
"""

import datetime

import pytest
import time_machine

from msp.timezone import LONDON
from notifications import services
from notifications.models import Kind, Notification
from notifications.selectors import link_for
from partnership import services as partnership_services
from partnership.tests.factories import CausedEnquiryFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture(autouse=True)
def _escalate_after_two(settings):
    settings.ESCALATE_AFTER_WORKING_DAYS = 2


def _items(user):
    return list(Notification.objects.filter(user=user, kind=Kind.CAUSED_ENQUIRY_REPORT))


def _sweep_on(day):
    with time_machine.travel(datetime.datetime(day.year, day.month, day.day, 9, tzinfo=LONDON), tick=False):
        services.sweep()


def test_the_report_is_due_on_its_date_escalated_when_late_and_cleared_when_received(
    world, django_capture_on_commit_callbacks
):
    caused = CausedEnquiryFactory(
        case=world.case, requested_by=world.colleague, requested_on=D(2027, 1, 4), due_on=D(2027, 1, 12)
    )
    _sweep_on(D(2027, 1, 11))
    assert _items(world.practitioner) == []  # not due yet

    _sweep_on(D(2027, 1, 12))
    (item,) = _items(world.practitioner)  # the lead, not the colleague who asked
    assert item.due_on == D(2027, 1, 12) and "not yet received" in item.why
    assert item.case == world.case and link_for(item).endswith(f"/cases/caused-enquiries/{caused.pk}/")
    assert _items(world.colleague) == [] and _items(world.manager) == []

    _sweep_on(D(2027, 1, 14))  # two working days late
    (escalated,) = _items(world.manager)
    assert escalated.escalated and escalated.about == world.practitioner
    assert _items(world.manager_b) == []

    report = {
        "report_received_on": D(2027, 1, 14),
        "findings": "Synthetic.",
        "adequacy": "adequate",
        "adequacy_comment": "",
    }
    travel = time_machine.travel(datetime.datetime(2027, 1, 14, 10, tzinfo=LONDON), tick=False)
    with travel, django_capture_on_commit_callbacks(execute=True):
        partnership_services.caused_enquiry_record_report(caused=caused, actor=world.practitioner, data=report)
    assert _items(world.practitioner) == [] and _items(world.manager) == []  # cleared at once


def test_a_request_without_a_lead_goes_to_whoever_asked(world):
    world.enquiry.lead_practitioner = None
    world.enquiry.save()
    CausedEnquiryFactory(
        case=world.case, requested_by=world.colleague, requested_on=D(2027, 1, 4), due_on=D(2027, 1, 5)
    )
    _sweep_on(D(2027, 1, 6))
    (item,) = _items(world.colleague)
    assert item.due_on == D(2027, 1, 5) and item.is_overdue(D(2027, 1, 6))
