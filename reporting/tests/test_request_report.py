import csv
import datetime
import io
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent
from reporting import requests
from reporting.models import ReportRun, ReportStatus
from reporting.pdf import pdf_text
from reporting.tests import scenario

URL = reverse("reporting:request")
FY = {"period": "2024-04-01/2025-03-31"}  # what a SAB member chooses
FY_DATES = {"period_start": "2024-04-01", "period_end": "2025-03-31"}  # what a lead types


@pytest.fixture
def records(world):
    teams = [world.team_a, world.team_b]
    return scenario.build(teams)


def test_the_form_offers_the_last_complete_financial_year(world, login):
    with time_machine.travel(datetime.datetime(2025, 7, 14, 12, tzinfo=datetime.UTC)):
        sab = login(world.sab_member).get(URL).context["form"]
        lead = login(world.lead).get(URL).context["form"]
    assert sab["period"].value() == "2024-04-01/2025-03-31"
    assert lead["period_start"].value() == datetime.date(2024, 4, 1)
    assert lead["period_end"].value() == datetime.date(2025, 3, 31)


def test_the_page_shows_the_last_complete_financial_year_already_chosen(world, login):
    # The dates must reach the browser in ISO form: `<input type="date" value="01/04/2024">` shows empty.
    with time_machine.travel(datetime.datetime(2025, 7, 14, 12, tzinfo=datetime.UTC)):
        sab = login(world.sab_member).get(URL).content.decode()
        lead = login(world.lead).get(URL).content.decode()
    assert '<option value="2024-04-01/2025-03-31" selected>Financial year 2024-25</option>' in sab
    assert sab.count(" selected>") == 1
    assert re.search(r'<input type="date" name="period_start" value="2024-04-01"', lead)
    assert re.search(r'<input type="date" name="period_end" value="2025-03-31"', lead)


def test_a_lead_who_mistypes_a_date_gets_back_what_they_typed(world, login):
    page = login(world.lead).post(URL, {"period_start": "2024-04-01", "period_end": "2024-03-01"}).content.decode()
    assert 'value="2024-04-01"' in page and 'value="2024-03-01"' in page


def test_a_sab_member_chooses_from_ended_months_quarters_and_financial_years_only(world, login):
    with time_machine.travel(datetime.datetime(2025, 7, 14, 12, tzinfo=datetime.UTC)):
        form = login(world.sab_member).get(URL).context["form"]
    groups = dict(form.fields["period"].choices)
    assert set(groups) == {"Financial years", "Quarters", "Months"}
    assert groups["Financial years"][0] == ("2024-04-01/2025-03-31", "Financial year 2024-25")
    assert groups["Quarters"][0] == ("2025-04-01/2025-06-30", "April to June 2025")
    assert groups["Months"][0] == ("2025-06-01/2025-06-30", "June 2025")
    assert ("2025-07-01/2025-07-31", "July 2025") not in groups["Months"]  # still running
    assert "period_start" not in form.fields and "team" not in form.fields


def test_a_sab_member_cannot_ask_for_a_fortnight_by_posting_dates(world, records, login):
    # The attack of issue 20: a two-week window of 2-15 June 2025, typed into the request.
    response = login(world.sab_member).post(URL, {"period_start": "2025-06-02", "period_end": "2025-06-15"})
    assert response.status_code == 200
    assert response.context["form"].errors["period"] == ["This field is required."]
    assert not ReportRun.objects.exists()


def test_a_sab_member_cannot_choose_a_period_not_offered(world, records, login):
    with time_machine.travel(datetime.datetime(2025, 7, 14, 12, tzinfo=datetime.UTC)):
        client = login(world.sab_member)
        for value in ("2025-06-02/2025-06-15", "2025-07-01/2025-07-31", "2025-05-01/2025-07-31"):
            response = client.post(URL, {"period": value})
            assert "period" in response.context["form"].errors, value
    assert not ReportRun.objects.exists()


def test_the_service_refuses_a_sab_member_any_period_but_an_ended_standard_one(world):
    june_fortnight = (datetime.date(2025, 6, 2), datetime.date(2025, 6, 15))
    with time_machine.travel(datetime.datetime(2025, 6, 20, 12, tzinfo=datetime.UTC)):
        for start, end in (june_fortnight, (datetime.date(2025, 6, 1), datetime.date(2025, 6, 30))):
            with pytest.raises(ValidationError, match="whole month, quarter or financial year"):
                requests.request_report(user=world.sab_member, period_start=start, period_end=end)
        run = requests.request_report(user=world.lead, period_start=june_fortnight[0], period_end=june_fortnight[1])
    assert run.period_kind == ""  # a lead's own dates: never shown to SAB members


def test_a_sab_member_never_sees_a_leads_report_for_other_dates(world, login):
    fortnight = ReportRun.objects.create(
        requested_by=world.lead, period_start=datetime.date(2025, 6, 2), period_end=datetime.date(2025, 6, 15)
    )
    year = ReportRun.objects.create(
        requested_by=world.lead,
        period_start=datetime.date(2024, 4, 1),
        period_end=datetime.date(2025, 3, 31),
        period_kind="year",
    )
    client = login(world.sab_member)
    assert list(client.get(reverse("reporting:index")).context["runs"]) == [year]
    assert client.get(reverse("reporting:detail", args=[fortnight.pk])).status_code == 404
    assert client.get(reverse("reporting:download_csv", args=[fortnight.pk])).status_code == 404


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
    assert (run.period_start, run.period_end, run.period_kind) == (scenario.FY_START, scenario.FY_END, "year")
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


def test_a_period_about_too_few_adults_gets_a_withheld_report_that_states_no_number(
    world, login, django_capture_on_commit_callbacks
):
    # No refusal that answers "fewer than 8?": the report is produced, every table withheld.
    with django_capture_on_commit_callbacks(execute=True):
        response = login(world.sab_member).post(URL, {"period": "2024-04-01/2024-06-30"})
    run = ReportRun.objects.get()
    assert response.status_code == 302 and run.status == ReportStatus.DONE and run.period_kind == "quarter"
    text = pdf_text(default_storage.open(run.pdf.name).read())
    assert "too few adults for any figure to be published" in text
    assert "fewer than" not in text
    rows = list(csv.DictReader(io.StringIO(default_storage.open(run.csv.name).read().decode())))
    assert rows and {row["value"] for row in rows} == {"*"}


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
        login(world.lead).post(URL, {**FY_DATES, "team": world.team_a.pk})
    run = ReportRun.objects.get()
    assert run.team == world.team_a and run.status == ReportStatus.DONE
    assert "team-north-team" in run.pdf.name


def test_the_status_view_reports_progress_as_json(world, login):
    run = ReportRun.objects.create(
        requested_by=world.sab_member,
        period_start=datetime.date(2024, 4, 1),
        period_end=datetime.date(2025, 3, 31),
        period_kind="year",
    )
    data = login(world.sab_member).get(reverse("reporting:status", args=[run.pk])).json()
    assert data == {"status": "queued", "label": "Queued", "finished": False, "reason": "", "downloads": []}


def test_the_report_page_polls_with_a_script_file_and_no_inline_script(world, login):
    run = ReportRun.objects.create(
        requested_by=world.sab_member,
        period_start=datetime.date(2024, 4, 1),
        period_end=datetime.date(2025, 3, 31),
        period_kind="year",
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
    with django_assert_max_num_queries(7):  # 7: with the header's notification count
        response = client.get(reverse("reporting:index"))
    assert response.content.decode().count("Team: North Team") == 5
