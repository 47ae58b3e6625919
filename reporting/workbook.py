"""The statutory return's submission workbook (xlsx, made with openpyxl).

One sheet per SAC table (SG1a … SG5b) with the official category labels, the financial year
and the date and time it was made at the top of each, then a "Checks" sheet. The figures are
UNROUNDED (councils submit true counts), so the workbook is for safeguarding leads only and
never offered to SAB members (`reporting.views`, the access table). `build_return()` is
shared by the `sac_return` command and the Celery task.
"""

import io
import time
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from . import periods
from .aggregation import SPECS, TOTAL, aggregate, aggregate_sars
from .checks import WARNING, ready_to_submit, run_checks

#: (sheet name, title, [tables]) in the order of the return.
SHEETS = (
    ("SG1a", "SG1a: Individuals by age", ["sg1a_age"]),
    ("SG1b", "SG1b: Individuals by gender", ["sg1b_gender"]),
    ("SG1c", "SG1c: Individuals by ethnicity", ["sg1c_ethnicity"]),
    ("SG1d", "SG1d: Cases by primary support reason", ["sg1d_support_reason"]),
    ("SG1e", "SG1e: Cases by health condition", ["sg1e_health_condition"]),
    ("SG1f", "SG1f: Totals", ["sg1f_totals"]),
    ("SG2a", "SG2a: Type of risk by source of risk", ["sg2a_type_by_source"]),
    ("SG2b", "SG2b: Location of risk by source of risk", ["sg2b_location_by_source"]),
    ("SG2a-b", "Type of risk by location of risk", ["sg2ab_type_by_location"]),
    ("SG2c", "SG2c: Risk assessment outcomes", ["sg2c_risk_assessment"]),
    ("SG2e", "SG2e: Result, where a risk was identified", ["sg2e_result"]),
    ("SG3a", "SG3a: Mental capacity and advocacy", ["capacity", "advocacy"]),
    ("SG4a", "SG4a: Making Safeguarding Personal", ["msp_asked", "msp_achieved"]),
    ("SG5a", "SG5a: Safeguarding Adults Reviews concluded", ["sg5a_sars"]),
    ("SG5b", "SG5b: Individuals in the Safeguarding Adults Reviews concluded", ["sg5b_people"]),
)
COLUMN_LABELS = {"enquiries": "Section 42 enquiries concluded", "cases": "Cases", "individuals": "Individuals"}
COLUMN_LABELS["reviews"] = "Safeguarding Adults Reviews concluded"
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")


@dataclass
class ReturnFiles:
    xlsx: bytes
    checks: list
    aggregation_ms: int
    render_ms: int


def file_name(period):
    return f"sac-return_{periods.fy_label(period)}_UNROUNDED.xlsx"


def _column_label(spec, column):
    if column in COLUMN_LABELS and not spec.column_labels:
        return COLUMN_LABELS[column]
    return spec.column_label(column)


def _write_table(sheet, row, spec, tables):
    sheet.cell(row=row, column=1, value=spec.title).font = BOLD
    sheet.cell(row=row + 1, column=1, value=f"Counts {spec.counts}.")
    row += 2
    sheet.cell(row=row, column=1, value="Category").font = BOLD
    for index, column in enumerate(spec.columns, start=2):
        cell = sheet.cell(row=row, column=index, value=_column_label(spec, column))
        cell.font, cell.fill = BOLD, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True)
    sheet.cell(row=row, column=1).fill = HEADER_FILL
    rows = list(spec.rows) + ([(TOTAL, "Total")] if spec.published_total else [])
    for code, label in rows:
        row += 1
        sheet.cell(row=row, column=1, value=label).font = BOLD if code == TOTAL else Font()
        for index, column in enumerate(spec.columns, start=2):
            sheet.cell(row=row, column=index, value=tables[spec.id][code][column])
    return row + 2


def render_workbook(period, tables, results, *, produced_at):
    """The xlsx bytes of the return for one financial year."""
    book = Workbook()
    book.remove(book.active)
    made = f"Made on {produced_at:%d %B %Y at %H:%M} ({produced_at.tzname() or 'local time'})"
    year = f"Financial year {periods.fy_label(period)} (1 April {period.start.year} to 31 March {period.end.year})"
    for name, title, table_ids in SHEETS:
        sheet = book.create_sheet(name)
        sheet["A1"] = title
        sheet["A1"].font = Font(bold=True, size=14)
        sheet["A2"] = f"{settings.BOARD_AREA_NAME}: {year}"
        sheet["A3"] = made
        sheet["A4"] = "UNROUNDED figures for the Safeguarding Adults Collection: not for publication."
        row = 6
        for table_id in table_ids:
            row = _write_table(sheet, row, SPECS[table_id], tables)
        sheet.column_dimensions["A"].width = 58
        for index in range(2, 12):
            sheet.column_dimensions[get_column_letter(index)].width = 18
        sheet.freeze_panes = "B6"
    checks = book.create_sheet("Checks")
    checks["A1"] = "Checks before submission"
    checks["A1"].font = Font(bold=True, size=14)
    checks["A2"], checks["A3"] = year, made
    checks["A4"] = "Ready to submit" if ready_to_submit(results) else "NOT ready to submit: put right the cases below"
    checks["A4"].font = BOLD
    for index, heading in enumerate(("Check", "Result", "Cases", "Details"), start=1):
        checks.cell(row=6, column=index, value=heading).font = BOLD
    row = 6
    for result in results:
        row += 1
        status = "Passed" if result.passed else ("Warning" if result.severity == WARNING else "Failed")
        refs = ", ".join(ref for _, ref in result.cases)
        checks.cell(row=row, column=1, value=result.title)
        checks.cell(row=row, column=2, value=status)
        checks.cell(row=row, column=3, value=result.case_count)
        checks.cell(row=row, column=4, value=" ".join(result.problems + ([f"Cases: {refs}"] if refs else [])))
    checks.column_dimensions["A"].width = 62
    checks.column_dimensions["D"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def build_return(period):
    """Aggregate the whole council's year, run the checks, render the workbook."""
    started = time.perf_counter()
    tables = {**aggregate(period), **aggregate_sars(period)}  # SG5: the board's reviews, the whole council's
    results = run_checks(period, tables)
    aggregated = time.perf_counter()
    xlsx = render_workbook(period, tables, results, produced_at=timezone.localtime())
    finished = time.perf_counter()
    return ReturnFiles(
        xlsx=xlsx,
        checks=results,
        aggregation_ms=round((aggregated - started) * 1000),
        render_ms=round((finished - aggregated) * 1000),
    )
