"""The Celery application. Tasks live in each app's tasks.py and receive primary keys only."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "msp.settings")

app = Celery("msp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def send_after_commit(task, *args, on_failure):
    """Queue `task(*args)` once the current transaction commits (a worker must see the rows).

    If the broker cannot take the message (Redis down or restarting), nothing waits for ever:
    `on_failure()` records the failure where the user will see it, and the web request goes
    on to say so instead of answering with an error page. Only the exception type is logged.
    """
    import logging

    from django.db import transaction
    from kombu.exceptions import OperationalError

    def send():
        try:
            task.delay(*args)
        except (OperationalError, OSError) as exc:
            logging.getLogger(__name__).warning("could not queue %s (%s)", task.name, type(exc).__name__)
            on_failure()

    transaction.on_commit(send)
