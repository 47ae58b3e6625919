"""Produce a SAB report's PDF and CSV from the command line, without the web or a worker."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Team
from reporting.aggregation import Period
from reporting.rendering import build_report


def _date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"{value!r} is not a date in the form YYYY-MM-DD.") from error


class Command(BaseCommand):
    help = (
        "Write a SAB report (PDF and long-format CSV) for a period, both days included. The PDF and CSV are "
        "disclosure-controlled unless --unrounded is given, which writes the CSV with unrounded figures."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, type=_date, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, type=_date, help="last day (included), YYYY-MM-DD")
        parser.add_argument("--team", help="report on one team (by name) instead of the whole board area")
        parser.add_argument("--unrounded", action="store_true", help="CSV with unrounded figures (leads only)")
        parser.add_argument("--csv", required=True, type=Path, help="where to write the CSV")
        parser.add_argument("--pdf", required=True, type=Path, help="where to write the PDF")

    def handle(self, *args, start, end, team, unrounded, csv, pdf, **options):
        if end < start:
            raise CommandError("--to must not be before --from.")
        team_obj = None
        if team:
            team_obj = Team.objects.filter(name=team).first()
            if team_obj is None:
                raise CommandError(f"There is no team called {team!r}.")
        period = Period(start, end)
        files = build_report(period, team_obj, unrounded=unrounded)
        pdf.write_bytes(files.pdf)
        csv.write_text(files.csv_unrounded if unrounded else files.csv, encoding="utf-8")
        kind = "UNROUNDED figures" if unrounded else "disclosure-controlled figures"
        # A period about too few adults is written like any other, with every table withheld.
        self.stdout.write(f"Wrote {pdf} and {csv} ({kind}; aggregation {files.aggregation_ms} ms).")
