import datetime

import pytest
import time_machine
from django.utils import timezone

from cases import services
from cases.tests.factories import concern_form_data
from cases.working_days import add_working_days, decision_due_date, is_working_day

D = datetime.date


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (D(2026, 11, 16), 2, D(2026, 11, 18)),  # Monday: plain weekdays
        (D(2026, 11, 20), 2, D(2026, 11, 24)),  # Friday: the weekend does not count
        (D(2026, 11, 21), 2, D(2026, 11, 24)),  # received on a Saturday
        # Christmas 2026: Fri 25 Christmas Day, Mon 28 Boxing Day (substitute)
        (D(2026, 12, 24), 2, D(2026, 12, 30)),
        (D(2026, 12, 23), 3, D(2026, 12, 30)),
        # Easter 2027: Good Friday 26 March, Easter Monday 29 March
        (D(2027, 3, 25), 1, D(2027, 3, 30)),
        (D(2027, 3, 25), 2, D(2027, 3, 31)),
        # New Year 2027 falls on a Friday
        (D(2026, 12, 31), 1, D(2027, 1, 4)),
    ],
)
def test_due_dates_skip_weekends_and_england_and_wales_bank_holidays(start, days, due):
    assert add_working_days(start, days) == due


def test_bank_holidays_are_not_working_days():
    assert not is_working_day(D(2026, 12, 25))
    assert not is_working_day(D(2026, 5, 25))  # Spring bank holiday
    assert is_working_day(D(2026, 3, 17))  # St Patrick's Day is not an England and Wales holiday


def test_the_number_of_working_days_comes_from_settings(settings):
    settings.DECISION_DUE_WORKING_DAYS = 5
    received = timezone.make_aware(datetime.datetime(2026, 12, 21, 9, 0))
    # Mon 21 Dec + 5 working days: 22, 23, 24, 29, 30 (25 and 28 are bank holidays)
    assert decision_due_date(received) == D(2026, 12, 30)


def test_a_late_evening_concern_counts_from_its_local_date(settings):
    settings.DECISION_DUE_WORKING_DAYS = 1
    # 23:30 in London on a summer Friday is 22:30 UTC the same day.
    received = timezone.make_aware(datetime.datetime(2026, 7, 3, 23, 30))
    assert decision_due_date(received) == D(2026, 7, 6)


@time_machine.travel(datetime.datetime(2026, 12, 24, 10, 0, tzinfo=datetime.UTC), tick=False)
def test_a_concern_received_on_christmas_eve_is_due_after_the_bank_holidays(world, settings):
    settings.DECISION_DUE_WORKING_DAYS = 2
    case = services.record_concern(
        actor=world.practitioner,
        team=world.team_a,
        person_data={"legal_name": "Ivy Synthetic"},
        concern_data={
            "received_at": timezone.now(),
            "referrer_name": "A Neighbour",
            "what_happened": "Synthetic.",
        },
        risks=[{"types": ["neglect"], "location": "own_home", "source": "unknown"}],
    )
    assert case.decision_due == D(2026, 12, 30)
    assert not case.decision_overdue
    with time_machine.travel(datetime.datetime(2026, 12, 31, 9, 0, tzinfo=datetime.UTC)):
        case.refresh_from_db()
        assert case.decision_overdue


@time_machine.travel(datetime.datetime(2027, 1, 6, 12, 0, tzinfo=datetime.UTC), tick=False)
def test_overdue_cases_are_flagged_on_the_list_and_found_by_the_filter(world, login, settings):
    settings.DECISION_DUE_WORKING_DAYS = 2
    client = login(world.practitioner)
    data = concern_form_data(world.team_a, **{"concern-received_at": "2026-12-24T09:00"})
    client.post("/cases/new/", data)
    body = client.get("/cases/?overdue=on").content.decode()
    assert "(decision overdue)" in body
    assert "Margaret" not in body  # the preferred name is shown, never the legal name, in lists
    assert "Peggy" in body
    assert world.case.ref not in body  # an open enquiry is never overdue for a decision
