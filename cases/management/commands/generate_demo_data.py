import datetime
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils.module_loading import import_string

from accounts.demo import ensure_demo_users
from cases.models import Case
from cases.synthetic import DATA_VERSION, Generator


class Command(BaseCommand):
    help = (
        "Create synthetic people and cases at every stage of the journey, over five years up to today, "
        "allocated to the demo teams and users. Deterministic for a seed (and a --today)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=400)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when any case already exists.")
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None, help="YYYY-MM-DD")
        parser.add_argument("--chunk", type=int, default=50_000, help="Cases written per COPY round.")

    def handle(self, *args, cases, seed, if_empty, today, chunk, **options):
        ensure_demo_users()
        if if_empty and Case.objects.exists():
            self.stdout.write("Cases already exist: no demo data generated.")
            return
        started = time.monotonic()
        generator = Generator(cases=cases, seed=seed, today=today, chunk=chunk, stdout=self.stdout)
        # One transaction per run on SQLite (fast); chunks commit one by one on PostgreSQL so
        # a million-case run does not hold one giant transaction.
        if connection.vendor == "postgresql":
            counts = generator.run()
        else:
            with transaction.atomic():
                counts = generator.run()
        for path in getattr(settings, "DEMO_DATA_EXTENSIONS", []):
            import_string(path)(generator.case_ids_by_state, generator.rng, self.stdout)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # The benchmark harness reads this marker to reuse a generated database.
                # `data=` names the generator's shape (DATA_VERSION), so a database made
                # by an older generator is not reused.
                cursor.execute(
                    f"COMMENT ON TABLE cases_case IS 'generate_demo_data cases={cases} seed={seed} data={DATA_VERSION}'"
                )
        seconds = time.monotonic() - started
        summary = ", ".join(f"{n:,} {name.replace('_', ' ')}" for name, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Generated {summary} in {seconds:.1f} s."))
