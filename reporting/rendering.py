"""From the aggregated tables to the files a report is made of: CSV text, report HTML and PDF.

`build_report()` is shared by the Celery task and the `sab_report` command. The PDF and the
default CSV are always disclosure-controlled; the unrounded CSV is produced only on request
(for safeguarding leads) and says so in its name.
"""

import csv
import io
import time
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from . import disclosure
from .aggregation import EXTRA_TABLES, SPECS, TABLES, TOTAL, aggregate, monthly_trend
from .charts import bar_chart, line_chart
from .pdf import html_to_pdf

CSV_HEADER = ("table", "row", "column", "value")
# Room for the longest SAC label (the risk outcomes) beside a bar.
LABEL_WIDTH = 360


@dataclass
class ReportFiles:
    pdf: bytes
    csv: str
    csv_unrounded: str | None
    aggregation_ms: int
    render_ms: int


def file_stem(period, team):
    scope = f"team-{slugify(team.name)}" if team is not None else "board-area"
    return f"sab-report_{scope}_{period.start:%Y-%m-%d}_to_{period.end:%Y-%m-%d}"


def file_names(period, team):
    stem = file_stem(period, team)
    return {"pdf": f"{stem}.pdf", "csv": f"{stem}.csv", "csv_unrounded": f"{stem}_UNROUNDED.csv"}


def tables_to_csv(tables):
    """The long-format CSV of `interchange.md` section 2: `table,row,column,value`, every row code."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for spec in TABLES + EXTRA_TABLES:
        codes = [code for code, _ in spec.rows]
        if TOTAL not in codes:
            codes.append(TOTAL)
        for row in codes:
            for column in spec.columns:
                writer.writerow((spec.id, row, column, tables[spec.id][row][column]))
    return out.getvalue()


def _percent_text(value):
    return "" if value is None else f"{value:.1f}%"


def _table_view(spec, current, previous):
    """Rows of one table for the PDF: published counts, percentages and the previous period."""
    published, published_previous = (
        disclosure.control_tables({spec.id: current}),
        disclosure.control_tables({spec.id: previous}),
    )
    published, published_previous = published[spec.id], published_previous[spec.id]
    rows = []
    for code, label in spec.rows + (() if spec.rows[-1][0] == TOTAL else ((TOTAL, "Total"),)):
        cells = []
        for column in spec.columns:
            show_percent = code != TOTAL and spec.id != "concerns"
            cells.append(
                {
                    "value": published[code][column],
                    "percent": _percent_text(
                        disclosure.percent(current[code][column], current[TOTAL][column]) if show_percent else None
                    ),
                    "previous": published_previous[code][column],
                    "previous_percent": _percent_text(
                        disclosure.percent(previous[code][column], previous[TOTAL][column]) if show_percent else None
                    ),
                }
            )
        rows.append({"code": code, "label": label, "cells": cells, "is_total": code == TOTAL})
    return {"spec": spec, "rows": rows, "has_percent": spec.id != "concerns"}


def _share(tables, table, rows, column, of_rows=None):
    data = tables[table]
    numerator = sum(data[row][column] for row in rows)
    denominator = sum(data[row][column] for row in of_rows) if of_rows else data[TOTAL][column]
    return disclosure.percent(numerator, denominator)


def _sentence_percent(value):
    return f"{value:.0f}%" if value is not None else "a share not shown (too few to publish)"


def msp_summary(tables):
    """Plain-English sentences on the Making Safeguarding Personal measures, from published figures."""
    concluded = disclosure.count(tables["msp_asked"][TOTAL]["enquiries"])
    sentences = [f"{concluded} section 42 enquiries were concluded in the period (figures rounded to the nearest 5)."]
    if concluded in (0, disclosure.SUPPRESSED):
        sentences.append("There are too few concluded enquiries to describe the outcomes without identifying people.")
        return sentences
    asked = _share(tables, "msp_asked", ["asked_expressed", "asked_not_expressed"], "enquiries")
    expressed = _share(tables, "msp_asked", ["asked_expressed"], "enquiries")
    sentences.append(
        f"The adult, or their representative, was asked about the outcomes they wanted in {_sentence_percent(asked)}"
        f" of enquiries, and expressed outcomes in {_sentence_percent(expressed)}."
    )
    achieved = [_share(tables, "msp_achieved", [code], "enquiries") for code in ("fully", "partially", "not")]
    sentences.append(
        "Where outcomes were expressed, they were fully achieved in "
        f"{_sentence_percent(achieved[0])}, partially achieved in {_sentence_percent(achieved[1])} "
        f"and not achieved in {_sentence_percent(achieved[2])} of enquiries."
    )
    identified = ["removed", "reduced", "remains"]
    lowered = _share(tables, "risk_outcome", ["removed", "reduced"], "enquiries", of_rows=identified)
    sentences.append(
        f"Where a risk was identified and action taken, it was removed or reduced in {_sentence_percent(lowered)}."
    )
    lacked = _share(tables, "capacity", ["yes"], "enquiries")
    supported = _share(tables, "advocacy", ["yes"], "enquiries")
    sentences.append(
        f"The adult lacked capacity to make decisions about the enquiry in {_sentence_percent(lacked)} of enquiries; "
        f"of those, {_sentence_percent(supported)} were supported by an advocate, family member or friend."
    )
    return sentences


def _chart_items(spec, published):
    return [(label, published[spec.id][code][spec.columns[0]]) for code, label in spec.rows]


def report_context(period, team, current, previous, trend, *, produced_at):
    """Everything the report template shows; every count in it is disclosure-controlled."""
    published = disclosure.control_tables(current)
    prior = period.previous()
    months = [month.strftime("%b %y") for month, _, _ in trend]
    charts = {
        "achievement": bar_chart(
            "Outcomes achieved, where the adult expressed outcomes",
            _chart_items(SPECS["msp_achieved"], published),
            chart_id="chart-achievement",
            label_width=LABEL_WIDTH,
        ),
        "risk": bar_chart(
            "Risk outcomes of concluded section 42 enquiries",
            _chart_items(SPECS["risk_outcome"], published),
            chart_id="chart-risk",
            label_width=LABEL_WIDTH,
        ),
        "types": bar_chart(
            "Types of risk in concluded section 42 enquiries",
            _chart_items(SPECS["concluded_by_type"], published),
            chart_id="chart-types",
            label_width=LABEL_WIDTH,
        ),
        "trend": line_chart(
            "Concerns received and section 42 enquiries started, by month",
            months,
            [
                ("Concerns received", disclosure.controlled_series([c for _, c, _ in trend])),
                ("Section 42 enquiries started", disclosure.controlled_series([s for _, _, s in trend])),
            ],
            chart_id="chart-trend",
        ),
    }
    return {
        "board_area_name": settings.BOARD_AREA_NAME,
        "period": period,
        "previous_period": prior,
        "scope_label": f"Team: {team.name}" if team is not None else "Whole board area",
        "produced_at": produced_at,
        "summary": msp_summary(current),
        "tables": [_table_view(spec, current[spec.id], previous[spec.id]) for spec in TABLES + EXTRA_TABLES],
        "charts": [
            {"title": title, "svg": charts[key]}
            for key, title in (
                ("achievement", "Outcomes achieved, where the adult expressed outcomes"),
                ("risk", "Risk outcomes of concluded section 42 enquiries"),
                ("types", "Types of risk in concluded section 42 enquiries"),
                ("trend", "Concerns received and section 42 enquiries started, by month"),
            )
        ],
        "trend": [
            {"month": label, "concerns": disclosure.count(c), "s42": disclosure.count(s)}
            for label, (_, c, s) in zip(months, trend, strict=True)
        ],
        "smallest_published": disclosure.SMALLEST_PUBLISHED,
    }


def render_report_html(context):
    return render_to_string("reporting/report_document.html", context)


def build_report(period, team=None, *, unrounded=False):
    """Aggregate, render and return the files of one report (nothing is stored here)."""
    started = time.perf_counter()
    current = aggregate(period, team)
    previous = aggregate(period.previous(), team)
    trend = monthly_trend(period, team)
    aggregated = time.perf_counter()
    context = report_context(period, team, current, previous, trend, produced_at=timezone.localtime())
    pdf = html_to_pdf(render_report_html(context))
    csv_text = tables_to_csv(disclosure.control_tables(current))
    csv_unrounded = tables_to_csv(current) if unrounded else None
    finished = time.perf_counter()
    return ReportFiles(
        pdf=pdf,
        csv=csv_text,
        csv_unrounded=csv_unrounded,
        aggregation_ms=round((aggregated - started) * 1000),
        render_ms=round((finished - aggregated) * 1000),
    )
