"""Run every task of the beat schedule (CELERY_BEAT_SCHEDULE) once, in this process.

For the embedded demo (`make reminders`: SQLite, tasks eager) and for an operator who wants
today's items and digests now. Each task is idempotent, so running this beside a live beat
does no harm. `--only sweep` (or another schedule name) runs one.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from msp.celery import app


class Command(BaseCommand):
    help = "Run the beat schedule's tasks once, in-process (the demo's `make reminders`)."

    def add_arguments(self, parser):
        parser.add_argument("--only", action="append", default=None, help="a schedule entry's name (repeatable)")

    def handle(self, *args, only=None, **options):
        schedule = settings.CELERY_BEAT_SCHEDULE
        unknown = set(only or ()) - set(schedule)
        if unknown:
            raise CommandError(f"Not in CELERY_BEAT_SCHEDULE: {', '.join(sorted(unknown))}")
        app.loader.import_default_modules()  # every app's tasks.py
        for name, entry in schedule.items():
            if only and name not in only:
                continue
            result = app.tasks[entry["task"]].apply().get()
            self.stdout.write(f"{name}: {result}")
