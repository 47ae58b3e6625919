import datetime

import pytest
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent
from reporting.tests.factories import done_run


@pytest.fixture
def team_run(world):
    return done_run(requested_by=world.lead, team=world.team_a)


@pytest.mark.parametrize("name", ["detail", "status", "download_pdf", "download_csv"])
def test_a_sab_member_cannot_see_a_team_report(world, team_run, login, name):
    assert login(world.sab_member).get(reverse(f"reporting:{name}", args=[team_run.pk])).status_code == 404


def test_a_sab_member_sees_board_reports_only_in_the_list(world, team_run, login):
    board = done_run(requested_by=world.lead, period_start=datetime.date(2023, 4, 1))
    runs = list(login(world.sab_member).get(reverse("reporting:index")).context["runs"])
    assert runs == [board]


def test_a_download_is_audited_and_served_as_an_attachment(world, login):
    run = done_run(requested_by=world.sab_member)
    response = login(world.sab_member).get(reverse("reporting:download_csv", args=[run.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content).startswith(b"table,row,column,value")
    event = AuditEvent.objects.get(action=AuditAction.DOWNLOAD)
    assert event.actor == world.sab_member and event.object_id == str(run.pk) and event.fields == ["csv"]


def test_a_sab_member_never_gets_unrounded_figures(world, login):
    run = done_run(requested_by=world.sab_member)
    assert login(world.sab_member).get(reverse("reporting:download_unrounded_csv", args=[run.pk])).status_code == 403
    response = login(world.lead).get(reverse("reporting:download_unrounded_csv", args=[run.pk]))
    assert response.status_code == 200 and "UNROUNDED" in response["Content-Disposition"]


def test_an_unfinished_report_has_nothing_to_download(world, login):
    run = done_run(requested_by=world.sab_member)
    type(run).objects.filter(pk=run.pk).update(status="running")
    assert login(world.sab_member).get(reverse("reporting:download_pdf", args=[run.pk])).status_code == 404


@pytest.mark.parametrize("actor", ["practitioner", "manager", "sysadmin"])
def test_case_workers_and_administrators_cannot_use_reports(world, login, actor):
    run = done_run(requested_by=world.lead)
    client = login(world.user(actor))
    assert client.get(reverse("reporting:index")).status_code == 403
    assert client.get(reverse("reporting:download_pdf", args=[run.pk])).status_code == 403
    assert client.post(reverse("reporting:request"), {"period_start": "2024-04-01"}).status_code == 403
