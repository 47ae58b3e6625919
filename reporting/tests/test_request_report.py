import datetime

import pytest
import time_machine
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent
from reporting.models import ReportRun, ReportStatus
from reporting.tests import scenario

URL = reverse("reporting:request")
FY = {"period_start": "2024-04-01", "period_end": "2025-03-31"}


@pytest.fixture
def records(world):
    teams = [world.team_a, world.team_b]
    return scenario.build(teams)


def test_the_form_offers_the_last_complete_financial_year(world, login):
    with time_machine.travel(datetime.datetime(2025, 7, 14, 12, tzinfo=datetime.UTC)):
        response = login(world.sab_member).get(URL)
    assert response.context["form"]["period_start"].value() == datetime.date(2024, 4, 1)
    assert response.context["form"]["period_end"].value() == datetime.date(2025, 3, 31)


def test_a_sab_member_requests_a_board_report_and_it_is_produced(
    world, records, login, django_capture_on_commit_callbacks
):
    client = login(world.sab_member)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(URL, FY)
    run = ReportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reporting:detail", args=[run.pk])
    assert len(callbacks) == 1  # the task is queued only once the request has committed
    run.refresh_from_db()
    assert run.status == ReportStatus.DONE and run.team is None and run.attempts == 1
    assert run.pdf.name.endswith(".pdf") and run.csv.name.endswith(".csv")
    assert run.started_at and run.finished_at and run.aggregation_ms is not None
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="reporting.reportrun").exists()
    page = client.get(reverse("reporting:detail", args=[run.pk]))
    assert reverse("reporting:download_pdf", args=[run.pk]) in page.content.decode()
    assert reverse("reporting:download_unrounded_csv", args=[run.pk]) not in page.content.decode()


def test_nothing_is_queued_until_the_request_commits(world, records, login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        login(world.sab_member).post(URL, FY)
    assert len(callbacks) == 1
    assert ReportRun.objects.get().status == ReportStatus.QUEUED


def test_a_report_about_fewer_than_8_adults_is_refused_and_the_dates_are_kept(world, login):
    response = login(world.sab_member).post(URL, {"period_start": "2024-04-01", "period_end": "2024-04-30"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "fewer than 8 adults" in page and "There is a problem" in page
    assert 'value="2024-04-01"' in page and 'value="2024-04-30"' in page
    assert not ReportRun.objects.exists()


def test_an_end_before_the_start_is_explained_next_to_the_field(world, login):
    response = login(world.lead).post(URL, {"period_start": "2025-04-01", "period_end": "2025-03-31"})
    assert response.context["form"].errors["period_end"] == ["The last day must be on or after the first day."]


def test_a_sab_member_cannot_choose_a_team(world, records, login, django_capture_on_commit_callbacks):
    client = login(world.sab_member)
    assert "team" not in client.get(URL).context["form"].fields
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {**FY, "team": world.team_a.pk})
    assert ReportRun.objects.get().team is None


def test_a_lead_may_request_a_team_report(world, records, login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        login(world.lead).post(URL, {**FY, "team": world.team_a.pk})
    run = ReportRun.objects.get()
    assert run.team == world.team_a and run.status == ReportStatus.DONE
    assert "team-north-team" in run.pdf.name


def test_the_status_view_reports_progress_as_json(world, login):
    run = ReportRun.objects.create(
        requested_by=world.sab_member, period_start=datetime.date(2024, 4, 1), period_end=datetime.date(2025, 3, 31)
    )
    data = login(world.sab_member).get(reverse("reporting:status", args=[run.pk])).json()
    assert data == {"status": "queued", "label": "Queued", "finished": False, "reason": "", "downloads": []}


def test_the_report_page_polls_with_a_script_file_and_no_inline_script(world, login):
    run = ReportRun.objects.create(
        requested_by=world.sab_member, period_start=datetime.date(2024, 4, 1), period_end=datetime.date(2025, 3, 31)
    )
    page = login(world.sab_member).get(reverse("reporting:detail", args=[run.pk])).content.decode()
    assert "/static/js/report_status." in page
    assert f'data-status-url="{reverse("reporting:status", args=[run.pk])}"' in page
    assert "<script>" not in page and "style=" not in page


def test_sab_members_land_on_reports_and_see_the_nav_item(world, login):
    client = login(world.sab_member)
    assert client.get(reverse("accounts:home"))["Location"] == reverse("reporting:index")
    assert "SAB reports" in client.get(reverse("reporting:index")).content.decode()


def test_the_report_list_runs_a_constant_number_of_queries(world, login, django_assert_max_num_queries):
    for _ in range(5):
        ReportRun.objects.create(
            requested_by=world.lead, period_start=datetime.date(2024, 4, 1), period_end=datetime.date(2025, 3, 31),
            team=world.team_a,
        )  # fmt: skip
    client = login(world.lead)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("reporting:index"))
    assert response.content.decode().count("Team: North Team") == 5
