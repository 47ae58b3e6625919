"""The SAB report's front-door tables: concerns by referrer type, and contact → concern → enquiry."""

import datetime

import pytest
from django.utils import timezone

from cases.models import CaseState
from cases.tests.factories import CaseFactory, EnquiryFactory
from frontdoor.models import Screening
from frontdoor.tests.factories import SubmissionFactory
from reporting.aggregation import Period, aggregate_front_door
from reporting.disclosure import SUPPRESSED
from reporting.rendering import publish, report_context, tables_to_csv

pytestmark = pytest.mark.django_db

FY = Period(datetime.date(2024, 4, 1), datetime.date(2025, 3, 31))
IN_FY = timezone.make_aware(datetime.datetime(2024, 10, 1, 12, 0))
BEFORE = timezone.make_aware(datetime.datetime(2024, 3, 31, 23, 30))


def _screened(world, submission, outcome, case=None):
    Screening.objects.create(submission=submission, outcome=outcome, case=case, screened_by=world.practitioner)


@pytest.fixture
def front_door(world):
    for referrer, count in (("public", 12), ("police", 9), ("health", 3), ("", 2)):
        for _ in range(count):
            CaseFactory(team=world.team_a, referrer_type=referrer, received_at=IN_FY)
    CaseFactory(team=world.team_a, referrer_type="housing", received_at=BEFORE)  # another period
    for _ in range(10):
        _screened(world, SubmissionFactory(received_at=IN_FY), "not_safeguarding")
    for _ in range(4):
        SubmissionFactory(received_at=IN_FY)
    for _ in range(9):
        enquiry = EnquiryFactory(case__team=world.team_a, case__received_at=IN_FY, kind="s42")
        _screened(world, SubmissionFactory(received_at=IN_FY), "concern", enquiry.case)
    concern = CaseFactory(team=world.team_b, state=CaseState.CONCERN, received_at=IN_FY)
    _screened(world, SubmissionFactory(received_at=IN_FY), "concern", concern)
    SubmissionFactory(received_at=BEFORE)


def test_concerns_are_counted_by_who_raised_them(world, front_door):
    referrers = aggregate_front_door(FY)["concerns_by_referrer"]
    counts = {code: row["concerns"] for code, row in referrers.items()}
    assert counts["public"] == 12 and counts["police"] == 9 and counts["health"] == 3
    assert counts["housing"] == 0 and counts["care_provider"] == 0
    # Blank referrer types (2 here, plus the 10 cases the enquiries and the concern opened) are "not recorded".
    assert counts["not_recorded"] == 2 + 9 + 1
    assert counts["total"] == 12 + 9 + 3 + 2 + 9 + 1


def test_every_contact_raised_online_is_in_exactly_one_row_of_the_conversion(world, front_door):
    conversion = {code: row["contacts"] for code, row in aggregate_front_door(FY)["conversion"].items()}
    assert conversion == {
        "not_safeguarding": 10,
        "awaiting_screening": 4,
        "concern_no_enquiry": 1,
        "concern_s42": 9,
        "concern_other_enquiry": 0,
        "total": 24,
    }
    team_b = {code: row["contacts"] for code, row in aggregate_front_door(FY, world.team_b)["conversion"].items()}
    assert team_b["total"] == 1 and team_b["concern_no_enquiry"] == 1


def test_the_tables_take_one_query_each(world, front_door, django_assert_num_queries):
    with django_assert_num_queries(2):
        aggregate_front_door(FY)


def test_the_tables_are_disclosure_controlled_in_the_csv_and_the_pdf(world, front_door):
    published = publish(FY)
    assert published.value("concerns_by_referrer", "health", "concerns") == SUPPRESSED  # 3 is never shown
    assert published.value("conversion", "awaiting_screening", "contacts") == SUPPRESSED
    for table, row, column in (("concerns_by_referrer", "public", "concerns"), ("conversion", "total", "contacts")):
        value = published.value(table, row, column)
        assert value == SUPPRESSED or value % 5 == 0  # rounded to 5, or withheld
    csv_text = tables_to_csv(published.cells)
    assert "concerns_by_referrer,health,concerns,*" in csv_text
    assert "conversion,awaiting_screening,contacts,*" in csv_text
    for line in csv_text.splitlines():
        assert ",3" not in line or not line.startswith(("concerns_by_referrer", "conversion"))
    context = report_context(FY, None, published, publish(FY.previous()), [], produced_at=timezone.now())
    ids = [table["spec"].id for table in context["tables"]]
    assert ids[-2:] == ["concerns_by_referrer", "conversion"]


def test_the_readme_lists_exactly_the_rows_of_the_tables_added_to_the_contract():
    import re
    from pathlib import Path

    from django.conf import settings

    from reporting.aggregation import FRONT_DOOR_TABLES, TOTAL

    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    for spec in FRONT_DOOR_TABLES:
        line = next(line for line in readme.splitlines() if line.startswith(f"| `{spec.id}` |"))
        _, table, column, rows, _ = line.split("|")
        assert re.findall(r"`([^`]+)`", column) == list(spec.columns)
        assert re.findall(r"`([^`]+)`", rows) == [code for code, _ in spec.rows] + [TOTAL]
