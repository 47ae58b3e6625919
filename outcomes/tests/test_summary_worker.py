"""The "What you told us" PDF rendered by a real Celery worker (Redis broker, PostgreSQL).

Skipped unless REDIS_URL is set and the database is PostgreSQL (CI runs it).
"""

import pytest
from django.core.files.storage import default_storage

from outcomes import services
from outcomes.models import SummaryDocument
from reporting.pdf import pdf_text
from tests.workers import wait_for

from .factories import DesiredOutcomeFactory

pytestmark = [pytest.mark.worker, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_a_real_worker_renders_the_summary_with_the_persons_name_and_outcomes(world, workers):
    person = world.case.person
    person.preferred_name = "Dotty"
    person.save()
    DesiredOutcomeFactory(case=world.case, words="I want to keep my own bank card.")
    workers(CELERY_VISIBILITY_TIMEOUT=120)

    summary = services.summary_request(case=world.case, actor=world.practitioner)  # queued on commit

    def finished():
        summary.refresh_from_db()
        return summary.status in ("done", "failed")

    wait_for(finished, 90, "the worker did not render the summary in 90 s")
    assert summary.status == "done", summary.error
    text = pdf_text(default_storage.open(summary.file.name).read())
    assert "Dotty" in text
    assert "I want to keep my own bank card." in text
    assert SummaryDocument.objects.filter(case=world.case).count() == 1


def test_a_real_worker_renders_the_staff_case_summary(world, workers):
    from outcomes import case_summary
    from outcomes.models import CaseSummaryDocument

    DesiredOutcomeFactory(case=world.case, words="I want to stay in my flat.")
    workers(CELERY_VISIBILITY_TIMEOUT=120)

    document = case_summary.request_case_summary(case=world.case, actor=world.practitioner)  # queued on commit

    def finished():
        document.refresh_from_db()
        return document.status in ("done", "failed")

    wait_for(finished, 90, "the worker did not render the case summary in 90 s")
    assert document.status == "done", document.error
    text = " ".join(pdf_text(default_storage.open(document.file.name).read()).split())
    assert f"Case summary: case {world.case.ref}" in text
    assert "I want to stay in my flat." in text
    assert CaseSummaryDocument.objects.filter(case=world.case).count() == 1
