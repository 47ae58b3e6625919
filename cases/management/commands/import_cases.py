import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cases.importer import ImportFileError, import_file


class Command(BaseCommand):
    help = (
        "Import legacy cases from a CSV file (interchange.md section 1). The whole file is validated "
        "first; nothing is imported unless every row is valid. Row 1 is the header."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="UTF-8 CSV file with a header row")
        parser.add_argument("--as-user", dest="as_user", help="Username recorded as the importer in the audit log")

    def handle(self, *args, file, as_user, **options):
        actor = None
        if as_user:
            actor = get_user_model().objects.filter(username=as_user).first()
            if actor is None:
                raise CommandError(f"No user called {as_user!r}.")
        started = time.monotonic()
        try:
            with open(file, encoding="utf-8-sig", newline="") as stream:
                count = import_file(stream, actor=actor)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from exc
        except ImportFileError as exc:
            for message in exc.errors:
                self.stderr.write(message)
            raise CommandError(f"Nothing imported: {len(exc.errors)} error(s) in {file}.") from exc
        seconds = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Imported {count:,} cases in {seconds:.1f} s."))
