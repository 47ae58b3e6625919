import datetime

import pytest

from accounts.models import Role
from accounts.tests.factories import UserFactory
from reporting.models import ReportRun, ReportStatus
from reporting.tests.factories import done_run

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def unhashed_static(settings):
    # The live server serves static files through the finders, which know the source names,
    # not the hashed names the manifest storage writes into pages.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def test_the_report_page_shows_the_downloads_when_the_report_is_ready_without_a_reload(
    signed_in_page, live_server, assert_accessible, unhashed_static
):
    member = UserFactory(username="sabrina", role=Role.SAB_MEMBER)
    run = ReportRun.objects.create(
        requested_by=member,
        period_start=datetime.date(2024, 4, 1),
        period_end=datetime.date(2025, 3, 31),
        period_kind="year",
    )
    page = signed_in_page(member)
    page.goto(f"{live_server.url}/reports/{run.pk}/")
    page.get_by_text("Queued").wait_for()
    assert_accessible(page)
    finished = done_run(requested_by=member)
    ReportRun.objects.filter(pk=run.pk).update(
        status=ReportStatus.DONE,
        pdf=finished.pdf.name,
        csv=finished.csv.name,
        csv_unrounded=finished.csv_unrounded.name,
    )
    page.get_by_role("link", name="PDF report").wait_for(timeout=15_000)
    assert page.get_by_role("link", name="CSV data (disclosure-controlled)").is_visible()
    assert page.get_by_role("link", name="CSV data, UNROUNDED (leads only)").count() == 0
    assert page.locator("#report-status-text").inner_text() == "Ready"
    assert_accessible(page)
