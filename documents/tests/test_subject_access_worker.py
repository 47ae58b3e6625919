"""The subject access export built by a real Celery worker (Redis broker, PostgreSQL).

Skipped unless REDIS_URL is set and the database is PostgreSQL (CI runs it).
"""

import pytest
from django.core.files.storage import default_storage

from documents import services
from documents.models import SubjectAccessExport
from reporting.pdf import pdf_text
from tests.workers import wait_for

from .factories import CaseContactFactory

pytestmark = [pytest.mark.worker, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_a_real_worker_builds_the_export_with_its_redactions(world, workers):
    CaseContactFactory(case=world.case, recorded_by=world.practitioner, what="The bank froze the account.")
    CaseContactFactory(
        case=world.case,
        recorded_by=world.practitioner,
        what="A neighbour named someone.",
        withheld_from_adult=True,
        withheld_reason="Third-party information given in confidence.",
    )
    workers(CELERY_VISIBILITY_TIMEOUT=120)

    export = services.request_subject_access(person=world.case.person, actor=world.lead)  # queued on commit

    def finished():
        export.refresh_from_db()
        return export.status in ("done", "failed")

    wait_for(finished, 90, "the worker did not build the export in 90 s")
    assert export.status == "done", export.failure_reason
    text = " ".join(pdf_text(default_storage.open(export.pdf.name).read()).split())
    assert "Subject access export" in text and world.case.ref in text
    assert "The bank froze the account." in text
    assert "Third-party information given in confidence." in text
    assert "A neighbour named someone." not in text
    assert SubjectAccessExport.objects.get().attempts == 1
