"""Write the statutory return's workbook (SAC, unrounded) and print its checks before submission."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts import audit
from reporting import periods
from reporting.checks import WARNING, ready_to_submit
from reporting.workbook import build_return

EXIT_NOT_READY = 3


class Command(BaseCommand):
    help = (
        "Write the Safeguarding Adults Collection workbook (xlsx, one sheet per SG table, UNROUNDED: for "
        "submission, never for SAB members) for a financial year, and print the checks before submission with "
        "the cases behind each failure. Exits with status 3 when a check failed (the workbook is still written)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True, help="the financial year, e.g. 2024-25 (1 April to 31 March)")
        parser.add_argument("--xlsx", required=True, type=Path, help="where to write the workbook")

    def handle(self, *args, year, xlsx, **options):
        period = periods.parse_fy(year)
        if period is None:
            raise CommandError(f"{year!r} is not a financial year in the form 2024-25.")
        files = build_return(period)
        xlsx.write_bytes(files.xlsx)
        audit.record(
            actor=None,
            action=audit.AuditAction.EXPORT,
            object_type="reporting.sac_return",
            fields=["xlsx"],
            detail=f"sac_return command {periods.fy_label(period)}",
        )
        self.stdout.write(f"Statutory return, financial year {periods.fy_label(period)}: {xlsx}")
        self.stdout.write(f"Aggregated and checked in {files.aggregation_ms} ms, written in {files.render_ms} ms.")
        self.stdout.write("Checks before submission:")
        for result in files.checks:
            status = "PASSED" if result.passed else ("WARNING" if result.severity == WARNING else "FAILED")
            self.stdout.write(f"  [{status}] {result.title}")
            for problem in result.problems:
                self.stdout.write(f"      {problem}")
            if result.case_count:
                refs = ", ".join(ref for _, ref in result.cases)
                more = f" (first {len(result.cases)})" if result.case_count > len(result.cases) else ""
                self.stdout.write(f"      {result.case_count} cases{more}: {refs}")
        if not ready_to_submit(files.checks):
            self.stderr.write("Not ready to submit: put right the cases above and make the workbook again.")
            raise SystemExit(EXIT_NOT_READY)
        self.stdout.write("Ready to submit.")
