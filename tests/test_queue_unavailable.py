"""When the broker refuses a task, the request is recorded as failed and the user is told (fast, CI).

The real Redis outage is `tests/test_faults.py` (`make faulttest`); here `.delay()` raises the
error Celery raises when Redis cannot be reached.
"""

import pytest
from django.urls import reverse
from kombu.exceptions import OperationalError

from outcomes.models import SummaryDocument, SummaryStatus
from outcomes.tasks import render_summary
from reporting import requests
from reporting.models import ReportRun, ReportStatus
from reporting.tasks import generate_report
from reporting.tests import scenario

# Real commits, so the on-commit send runs inside the request as it does in production.
pytestmark = pytest.mark.django_db(transaction=True)

FY = {"period": "2024-04-01/2025-03-31"}  # a SAB member's choice of period


def _refuse(*args, **kwargs):
    raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def _messages(response):
    return [str(m) for m in response.context["messages"]]


def test_a_report_that_cannot_be_queued_is_failed_with_the_reason_shown(world, login, monkeypatch):
    scenario.build([world.team_a, world.team_b])
    monkeypatch.setattr(generate_report, "delay", _refuse)
    client = login(world.sab_member)
    response = client.post(reverse("reporting:request"), FY, follow=True)
    run = ReportRun.objects.get()
    assert response.redirect_chain[-1][0] == reverse("reporting:detail", args=[run.pk])
    assert _messages(response) == [requests.QUEUE_FAILED_REASON]
    assert run.status == ReportStatus.FAILED and run.failure_reason == requests.QUEUE_FAILED_REASON
    assert run.finished_at is not None
    assert "Failed" in response.content.decode()


def test_a_summary_that_cannot_be_queued_is_failed_and_the_practitioner_told(world, login, monkeypatch):
    monkeypatch.setattr(render_summary, "delay", _refuse)
    client = login(world.practitioner)
    response = client.post(reverse("outcomes:summary_request", args=[world.case.pk]), follow=True)
    summary = SummaryDocument.objects.get()
    assert summary.status == SummaryStatus.FAILED and summary.error == "not queued"
    assert any("could not be prepared" in message for message in _messages(response))


def test_errors_other_than_the_brokers_are_not_hidden(world, login, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug, not the broker")

    scenario.build([world.team_a, world.team_b])
    monkeypatch.setattr(generate_report, "delay", broken)
    client = login(world.sab_member)
    with pytest.raises(ValueError):
        client.post(reverse("reporting:request"), FY)
