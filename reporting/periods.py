"""Standard reporting periods: the whole months, quarters and financial years SAB members choose from.

Standard periods never overlap except by nesting (a month lies inside one quarter, a quarter
inside one financial year), so two SAB reports can only be subtracted along that nesting;
`reporting.disclosure` controls a quarter against its months and a year against its quarters
and months. Quarters are those of the financial year: April–June, July–September,
October–December, January–March. Only periods that have ended are offered: a period still
running would be published again, larger, once it ends.
"""

import datetime

from .aggregation import Period, add_months

MONTH, QUARTER, YEAR = "month", "quarter", "year"
#: How many financial years back SAB members can choose from.
YEARS_OFFERED = 6


def _whole_months(period):
    after = period.end + datetime.timedelta(days=1)
    if period.start.day != 1 or after.day != 1:
        return None
    return (after.year - period.start.year) * 12 + after.month - period.start.month


def kind(period):
    """`month`, `quarter` or `year` for a standard period, else None."""
    months = _whole_months(period)
    if months == 1:
        return MONTH
    if months == 3 and period.start.month % 3 == 1:
        return QUARTER
    if months == 12 and period.start.month == 4:
        return YEAR
    return None


def is_standard(period):
    return kind(period) is not None


def month(first_day):
    return Period(first_day, add_months(first_day, 1) - datetime.timedelta(days=1))


def financial_year(start_year):
    return Period(datetime.date(start_year, 4, 1), datetime.date(start_year + 1, 3, 31))


def months_of(period):
    return [month(add_months(period.start, n)) for n in range(_whole_months(period) or 0)]


def quarters_of(year):
    return [Period(add_months(year.start, 3 * n), add_months(year.start, 3 * n + 3) - datetime.timedelta(days=1))
            for n in range(4)]  # fmt: skip


def parts(period):
    """Groups of standard periods that each make up `period` exactly: what it could be differenced with."""
    what = kind(period)
    if what == QUARTER:
        return [months_of(period)]
    if what == YEAR:
        return [quarters_of(period), months_of(period)]
    return []


def label(period):
    what = kind(period)
    if what == MONTH:
        return period.start.strftime("%B %Y")
    if what == QUARTER:
        return f"{period.start:%B} to {period.end:%B %Y}"
    if what == YEAR:
        return f"Financial year {period.start.year}-{period.end.year % 100:02d}"
    return f"{period.start:%-d %b %Y} to {period.end:%-d %b %Y}"


def value(period):
    return f"{period.start.isoformat()}/{period.end.isoformat()}"


def parse(text):
    """The standard period a choice value stands for, or None."""
    try:
        start, end = (datetime.date.fromisoformat(part) for part in text.split("/"))
    except ValueError:
        return None
    period = Period(start, end)
    return period if is_standard(period) else None


def is_complete(period, today):
    return period.end < today


def offered(today, years=YEARS_OFFERED):
    """[(group label, [(value, label)])]: the ended financial years, quarters and months, newest first."""
    this_year = today.year if today >= datetime.date(today.year, 4, 1) else today.year - 1
    years_list = [financial_year(this_year - n) for n in range(years + 1)]
    fy = [year for year in years_list if is_complete(year, today)][:years]
    quarters = [q for year in years_list for q in reversed(quarters_of(year)) if is_complete(q, today)]
    months = [m for year in years_list for m in reversed(months_of(year)) if is_complete(m, today)]
    return [
        ("Financial years", [(value(p), label(p)) for p in fy]),
        ("Quarters", [(value(p), label(p)) for p in quarters[: 4 * years]]),
        ("Months", [(value(p), label(p)) for p in months[: 12 * years]]),
    ]


def fy_label(year):
    """ "2024-25" for the financial year 1 April 2024 to 31 March 2025."""
    return f"{year.start.year}-{year.end.year % 100:02d}"


def parse_fy(text):
    """The financial year "2024-25" stands for, or None (the second part must follow the first)."""
    parts = (text or "").strip().split("-")
    if len(parts) != 2 or not all(part.isdigit() for part in parts) or len(parts[0]) != 4 or len(parts[1]) != 2:
        return None
    start = int(parts[0])
    if (start + 1) % 100 != int(parts[1]) or not 2000 <= start <= 2200:
        return None
    return financial_year(start)
