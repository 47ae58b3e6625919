"""Two beats by mistake, for real: the digest task delivered twice to two real Celery workers
at once, mailing through a real SMTP server (aiosmtpd), sends each digest once (the advisory
lock and the claimed `Digest` row). Needs REDIS_URL and PostgreSQL, like the report workers'
tests; the workers run on today's date, so it is skipped on a weekend or bank holiday."""

import datetime
import time

import pytest
from django.conf import settings
from django.utils import timezone

from cases.working_days import is_working_day
from notifications import services, tasks
from notifications.models import Digest
from outcomes.tests.factories import PlanActionFactory
from tests.workers import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_the_digest_task_delivered_to_two_workers_at_once_sends_each_digest_once(world, workers, smtp_server):
    if not is_working_day(timezone.localdate()):
        pytest.skip("the digest goes out on working days only")
    world.practitioner.email = "pat@example.invalid"
    world.practitioner.save()
    PlanActionFactory(case=world.case, due_on=datetime.date(2020, 1, 6))
    services.sweep()
    mail = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": settings.EMAIL_HOST, "EMAIL_PORT": settings.EMAIL_PORT, "SITE_URL": settings.SITE_URL,
    }  # fmt: skip
    workers(**mail)
    workers(**mail)
    tasks.send_digests.delay()  # the first beat
    tasks.send_digests.delay()  # the second beat, at the same minute
    wait_for(lambda: Digest.objects.filter(sent_at__isnull=False).exists(), 60, "no digest sent in 60 s")
    time.sleep(3)  # time for a second mail, if one were coming
    assert [rcpt for _, rcpt, _ in smtp_server.messages] == [["pat@example.invalid"]]
    assert Digest.objects.count() == 1
