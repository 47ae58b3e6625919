"""Working days in England and Wales: weekdays that are not bank holidays.

Deadlines such as the s42 decision due date count working days from the day a concern is
received. Bank holidays come from the `holidays` package (England's list, which Wales shares).
"""

import datetime
from functools import lru_cache

import holidays
from django.conf import settings
from django.utils import timezone


@lru_cache(maxsize=64)
def _bank_holidays(year):
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day):
    """True for a Monday to Friday that is not an England and Wales bank holiday."""
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start, days):
    """The date `days` working days after `start` (a concern received on a weekend or bank
    holiday starts counting from the next working day, as the team could not act before)."""
    current = start
    remaining = days
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def decision_due_date(received_at):
    """When the s42 decision is due for a concern received at `received_at` (a datetime)."""
    received_on = timezone.localdate(received_at) if isinstance(received_at, datetime.datetime) else received_at
    return add_working_days(received_on, settings.DECISION_DUE_WORKING_DAYS)
