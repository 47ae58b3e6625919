"""The scheduled work (Celery beat, CELERY_BEAT_SCHEDULE in msp/settings.py) and the immediate
allocation mail. Every task is safe to run twice at once (two beats by mistake, a redelivery):
each holds a PostgreSQL advisory lock (`msp.locks.exclusive`) and its own guard besides.
Arguments are primary keys only."""

from celery import shared_task

from . import digest, housekeeping, services
from .digest import send_immediate_task  # noqa: F401 (registered here with the schedule's tasks)


@shared_task(name="notifications.sweep")
def sweep():
    return services.sweep()


@shared_task(name="notifications.send_digests")
def send_digests():
    services.sweep()  # today's items first (idempotent), then the mail
    return digest.send_digests()


@shared_task(name="notifications.verify_audit_log")
def verify_audit_log():
    return housekeeping.verify_audit_log()


@shared_task(name="notifications.deactivate_dormant_accounts")
def deactivate_dormant_accounts():
    return housekeeping.deactivate_dormant_accounts()


@shared_task(name="notifications.expire_one_time_keys")
def expire_one_time_keys():
    return housekeeping.expire_one_time_keys()
