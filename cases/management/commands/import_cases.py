import contextlib
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import pluralize

from cases.importer import ImportFileError, import_file


class Command(BaseCommand):
    help = (
        "Import legacy cases from a CSV file, and optionally their risks from a second one (interchange.md "
        "sections 1 and 1b). Both files are validated whole first; nothing is imported unless every row is "
        "valid. Row 1 is the header."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="UTF-8 CSV file of cases with a header row")
        parser.add_argument("--risks", help="UTF-8 CSV file of the cases' risks, one row per risk (version 2)")
        parser.add_argument("--as-user", dest="as_user", help="Username recorded as the importer in the audit log")

    def handle(self, *args, file, risks, as_user, **options):
        actor = None
        if as_user:
            actor = get_user_model().objects.filter(username=as_user).first()
            if actor is None:
                raise CommandError(f"No user called {as_user!r}.")
        started = time.monotonic()
        names = file if risks is None else f"{file} and {risks}"
        try:
            with contextlib.ExitStack() as files:
                opened = [
                    files.enter_context(open(name, encoding="utf-8-sig", newline=""))
                    for name in (file, risks)
                    if name is not None
                ]
                count = import_file(opened[0], risks=opened[1] if risks is not None else None, actor=actor)
        except OSError as exc:
            raise CommandError(f"Cannot read {exc.filename}: {exc.strerror}") from exc
        except ImportFileError as exc:
            for message in exc.errors:
                self.stderr.write(message)
            raise CommandError(f"Nothing imported: {len(exc.errors)} error(s) in {names}.") from exc
        seconds = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Imported {count:,} case{pluralize(count)} in {seconds:.1f} s."))
