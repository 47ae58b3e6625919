"""From the aggregated tables to the files a report is made of: CSV text, report HTML and PDF.

`build_report()` is shared by the Celery task and the `sab_report` command. The PDF and the
default CSV are always disclosure-controlled (`publish()`, through `reporting.disclosure`);
the unrounded CSV is produced only on request (for safeguarding leads) and says so in its name.
"""

import csv
import datetime
import io
import time
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from . import disclosure, periods
from .aggregation import (
    ALL_TABLES,
    FEEDBACK_TABLES,
    FRONT_DOOR_TABLES,
    SAR_TABLE_IDS,
    SAR_TABLES,
    SPECS,
    TOTAL,
    aggregate,
    aggregate_feedback,
    aggregate_front_door,
    aggregate_parts,
    aggregate_sars,
    feedback_quarters,
    individuals_in_scope,
    monthly_trend,
)
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


def _specs_of(tables):
    """The specs of the tables present, in report order (the front door's only where counted)."""
    return [spec for spec in ALL_TABLES + FRONT_DOOR_TABLES + FEEDBACK_TABLES + SAR_TABLES if spec.id in tables]


def tables_to_csv(tables):
    """The long-format CSV of `interchange.md` section 2: `table,row,column,value`, every row code."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for spec in _specs_of(tables):
        codes = [code for code, _ in spec.rows]
        if TOTAL not in codes and spec.published_total:
            codes.append(TOTAL)
        for row in codes:
            for column in spec.columns:
                writer.writerow((spec.id, row, column, tables[spec.id][row][column]))
    return out.getvalue()


def _percent_text(value):
    return "" if value is None else f"{value}%"


def _rows_of(spec):
    rows = spec.rows
    if spec.published_total and rows[-1][0] != TOTAL:
        rows += ((TOTAL, "Total"),)
    return rows


#: Shading steps of a cross-tabulation's cells (0 is unshaded): quarters of its largest figure.
HEAT_LEVELS = 4


def heat_level(value, largest):
    """The shading step of one *published* cell: None for a hidden (`*`) cell, never its true value."""
    if value == disclosure.SUPPRESSED:
        return None
    if not value or not largest:
        return 0
    return max(1, min(HEAT_LEVELS, -(-HEAT_LEVELS * value // largest)))


def cross_tab_view(spec, published):
    """A cross-tabulation for the PDF: published counts shaded by their published size.

    The largest figure and every step come from the published cells only; a `*` cell has no
    step at all (a neutral hatched pattern and the legend's "hidden" key), so the shading says
    nothing a hidden count's true value would.
    """
    codes = [code for code, _ in spec.rows]
    shown = [
        published.value(spec.id, code, column)
        for code in codes
        for column in spec.columns
        if published.value(spec.id, code, column) != disclosure.SUPPRESSED
    ]
    largest = max(shown, default=0)
    rows = []
    for code, label in _rows_of(spec):
        cells = []
        for column in spec.columns:
            value = published.value(spec.id, code, column)
            level = heat_level(value, largest)
            if code == TOTAL and level is not None:
                level = 0  # the margins are not shaded
            cells.append({"value": value, "level": level, "hidden": value == disclosure.SUPPRESSED})
        rows.append({"label": label, "cells": cells, "is_total": code == TOTAL})
    withheld_columns = [spec.column_label(c) for c in spec.columns if published.is_withheld(spec.id, c)]
    return {
        "spec": spec,
        "columns": [spec.column_label(column) for column in spec.columns],
        "rows": rows,
        "largest": largest,
        "steps": [
            {"level": n, "text": f"up to {-(-n * largest // HEAT_LEVELS)}" if largest else ""}
            for n in range(1, HEAT_LEVELS + 1)
        ],
        "withheld": published.is_withheld(spec.id),
        "withheld_columns": withheld_columns,
        "withheld_text": disclosure.WITHHELD_TEXT,
    }


def _table_view(spec, published, previous):
    """One table for the PDF: labels, published counts, whole-number percentages of them, the previous period.

    Row codes stay in the CSV; the PDF prints labels only. A percentage column is printed only
    where that period's table has percentages (none is worked out for a table with a `*`).
    """
    withheld = published.is_withheld(spec.id)
    percentages = spec.id != "concerns"
    rows = []
    for code, label in _rows_of(spec):
        cells = []
        for column in spec.columns:
            show_percent = percentages and code != TOTAL
            cells.append(
                {
                    "value": published.value(spec.id, code, column),
                    "percent": _percent_text(published.percent(spec.id, code, column) if show_percent else None),
                    "previous": previous.value(spec.id, code, column),
                    "previous_percent": _percent_text(
                        previous.percent(spec.id, code, column) if show_percent else None
                    ),
                }
            )
        rows.append({"label": label, "cells": cells, "is_total": code == TOTAL})
    withheld_columns = [column for column in spec.columns if published.is_withheld(spec.id, column)]
    return {
        "spec": spec,
        "columns": [spec.column_label(column) for column in spec.columns],
        "rows": rows,
        "has_percent": any(cell["percent"] for row in rows for cell in row["cells"]),
        "has_previous_percent": any(cell["previous_percent"] for row in rows for cell in row["cells"]),
        "withheld": withheld,
        "withheld_columns": [] if withheld else withheld_columns,
        "withheld_text": disclosure.WITHHELD_TEXT,
    }


def _share(published, table, rows, column, of_rows=None):
    """A whole-number share of published counts, or None where any of them is hidden."""
    if published.has_suppressed(table):
        return None
    numerator = sum(published.value(table, row, column) for row in rows)
    denominator = (
        sum(published.value(table, row, column) for row in of_rows)
        if of_rows
        else published.value(table, TOTAL, column)
    )
    return disclosure.share(numerator, denominator)


def _listed(items):
    return items[0] if len(items) == 1 else "; ".join(items[:-1]) + "; and " + items[-1]


def msp_summary(published):
    """Plain-English sentences on the Making Safeguarding Personal measures, from published figures only.

    A measure is described only where every share it needs can be published; the measures that
    cannot are named together in one closing sentence, not one "not shown" per figure.
    """
    concluded = next(
        (
            published.value(table, TOTAL, "enquiries")
            for table in ("msp_asked", "capacity", "concluded_by_location", "concluded_by_source", "concluded_by_type")
            if table in published.cells and not published.is_withheld(table, "enquiries")
        ),
        disclosure.SUPPRESSED,
    )
    if concluded in (0, disclosure.SUPPRESSED):
        return [
            "There are too few concluded section 42 enquiries in this period to describe them without a risk of "
            "identifying people."
        ]
    sentences = [f"{concluded} section 42 enquiries were concluded in the period (figures rounded to the nearest 5)."]
    hidden = []
    asked = _share(published, "msp_asked", ["asked_expressed", "asked_not_expressed"], "enquiries")
    expressed = _share(published, "msp_asked", ["asked_expressed"], "enquiries")
    if asked is not None and expressed is not None:
        sentences.append(
            f"The adult, or their representative, was asked about the outcomes they wanted in {asked}% of "
            f"enquiries, and expressed outcomes in {expressed}%."
        )
    else:
        hidden.append("whether the adult was asked about the outcomes they wanted")
    achieved = [_share(published, "msp_achieved", [code], "enquiries") for code in ("fully", "partially", "not")]
    if None not in achieved:
        sentences.append(
            f"Where outcomes were expressed, they were fully achieved in {achieved[0]}%, partially achieved in "
            f"{achieved[1]}% and not achieved in {achieved[2]}% of enquiries."
        )
    else:
        hidden.append("whether the outcomes they expressed were achieved")
    if "sg2e_result" in published.cells:
        removed = _share(published, "sg2e_result", ["removed"], "enquiries")
        reduced = _share(published, "sg2e_result", ["reduced"], "enquiries")
        if removed is not None and reduced is not None:
            sentences.append(
                f"Where a risk was identified, a risk was removed in {removed}% of those enquiries and reduced in "
                f"{reduced}% (an enquiry with several risks can count in both)."
            )
        else:
            hidden.append("whether an identified risk was removed or reduced")
    lacked = _share(published, "capacity", ["yes"], "enquiries")
    if lacked is not None:
        sentences.append(f"The adult lacked capacity to make decisions about the enquiry in {lacked}% of enquiries.")
    else:
        hidden.append("whether the adult lacked capacity")
    supported = _share(published, "advocacy", ["yes"], "enquiries")
    if supported is not None:
        sentences.append(
            f"Where the adult lacked capacity, {supported}% were supported by an advocate, family member or friend."
        )
    else:
        hidden.append("whether an adult who lacked capacity had an advocate, family member or friend")
    if hidden:
        sentences.append(
            "Not shown, because the counts behind them are too few to publish without a risk of identifying "
            f"people: {_listed(hidden)}."
        )
    return sentences


def _chart_items(spec, published):
    return [(label, published.value(spec.id, code, spec.columns[0])) for code, label in spec.rows]


def report_context(period, team, published, previous, trend, *, produced_at, quotes=(), feedback_trend=()):
    """Everything the report template shows; every count in it comes from the `Publication`s.

    `trend` is [(first day of month, published concerns, published s42 enquiries started)].
    """
    prior = period.previous()
    months = [month.strftime("%b %y") for month, _, _ in trend]
    chart_specs = [
        ("achievement", "msp_achieved", "Outcomes achieved, where the adult expressed outcomes"),
        ("risk", "sg2c_risk_assessment", "Risk assessment outcomes of concluded section 42 enquiries"),
        ("result", "sg2e_result", "Where a risk was identified, what became of it"),
        ("types", "concluded_by_type", "Types of risk in concluded section 42 enquiries"),
    ]
    charts = [
        {
            "title": title,
            "svg": bar_chart(
                title, _chart_items(SPECS[table], published), chart_id=f"chart-{key}", label_width=LABEL_WIDTH
            ),
        }
        for key, table, title in chart_specs
        if table in SPECS and not published.is_withheld(table)
    ]
    trend_title = "Concerns received and section 42 enquiries started, by month"
    charts.append(
        {
            "title": trend_title,
            "svg": line_chart(
                trend_title,
                months,
                [
                    ("Concerns received", [c for _, c, _ in trend]),
                    ("Section 42 enquiries started", [s for _, _, s in trend]),
                ],
                chart_id="chart-trend",
            ),
        }
    )
    return {
        "board_area_name": settings.BOARD_AREA_NAME,
        "period": period,
        "period_label": periods.label(period),
        "previous_period": prior,
        "scope_label": f"Team: {team.name}" if team is not None else "Whole board area",
        "produced_at": produced_at,
        "summary": msp_summary(published),
        "tables": [
            _table_view(spec, published, previous)
            for spec in _specs_of(published.true)
            if not spec.is_cross_tab and spec.id not in SAR_TABLE_IDS
        ],
        "cross_tabs": [cross_tab_view(spec, published) for spec in ALL_TABLES if spec.is_cross_tab],
        "charts": charts,
        "trend": [
            {"month": label, "concerns": concerns, "s42": s42}
            for label, (_, concerns, s42) in zip(months, trend, strict=True)
        ],
        "disclosure_sentence": published.summary(),
        "population_withheld": published.population_withheld,
        "feedback": {**feedback_context(period, published, quotes), "trend": list(feedback_trend)},
        "sars": sar_context(published, previous),
    }


def sar_context(published, previous):
    """The Safeguarding Adults Reviews section of the PDF: SG5a, SG5b and the recommendations by
    status, as the CSV publishes them (counts only, never a name). Board-area reports only."""
    present = [spec for spec in SAR_TABLES if spec.id in published.true]
    return {"present": bool(present), "tables": [_table_view(spec, published, previous) for spec in present]}


def _feedback_shown(published):
    return (
        "msp_feedback" in published.true
        and not published.is_withheld("msp_feedback")
        and not published.population_withheld
    )


def feedback_context(period, published, quotes):
    """What people told us, for the PDF: whether the period counts questionnaires, whether their
    answers are published (the counts are the CSV's `msp_feedback` tables), and the quotes."""

    shown = _feedback_shown(published)
    return {
        "present": "msp_feedback" in published.true,
        "published": shown,
        "quotes": list(quotes) if shown else [],
        "counted": bool(feedback_quarters(period)),
        "tables": feedback_tables(published) if shown else [],
        "charts": feedback_charts(published) if shown else [],
    }


def feedback_charts(published):
    """A chart per principle: how people answered its "I" statement, every route together, from
    the published cells of `msp_feedback` (a hidden cell draws no bar)."""
    from feedback.questions import ANSWERS, PRINCIPLES

    return [
        {
            "title": f"{question.short}: what people said",
            "svg": bar_chart(
                f"{question.short}: what people said",
                [(ANSWERS[c], published.value("msp_feedback", question.code, c)) for c in FEEDBACK_PDF_COLUMNS[:4]],
                chart_id=f"chart-feedback-{question.principle}",
                label_width=LABEL_WIDTH,
            ),
        }
        for question in PRINCIPLES
    ]


#: The PDF's columns of the feedback tables: the scale the Framework's experience questions and
#: the "I" statements share (the first two questions' own answers are in the CSV).
FEEDBACK_PDF_COLUMNS = ("yes", "partly", "no", "rather_not_say", "not_asked")


def feedback_tables(published):
    """The published cells of every feedback table, for the questions answered yes / partly / no:
    the same cells as the CSV (a subset of them, never a sum), `*` where hidden."""
    from feedback.questions import ANSWERS, BY_CODE, YES_PARTLY_NO

    out = []
    for spec in FEEDBACK_TABLES:
        if spec.id not in published.true:
            continue
        view = {"spec": spec, "withheld": published.is_withheld(spec.id), "withheld_text": disclosure.WITHHELD_TEXT}
        if not view["withheld"]:
            view["columns"] = [ANSWERS[code] for code in FEEDBACK_PDF_COLUMNS]
            view["total"] = published.value(spec.id, TOTAL, FEEDBACK_PDF_COLUMNS[0])
            view["rows"] = [
                {"label": label, "cells": [published.value(spec.id, code, c) for c in FEEDBACK_PDF_COLUMNS]}
                for code, label in spec.rows
                if BY_CODE[code].answers == YES_PARTLY_NO
            ]
        out.append(view)
    return out


#: The trend's questions (each quarter's published "yes" cell, every route together).
FEEDBACK_TREND = ("q3_listened", "q4_in_control", "q5_safer")


def feedback_trend(period, team, cache):
    """[(quarter label, questionnaires, [yes per FEEDBACK_TREND question])] for each quarter the
    period counts, exactly as that quarter's own report publishes them (`*` where it hides them)."""
    from .aggregation import add_months

    out = []
    for start in feedback_quarters(period):
        quarter = type(period)(start, add_months(start, 3) - datetime.timedelta(days=1))
        published = publish(quarter, team, _cache=cache)
        if "msp_feedback" not in published.true:
            continue
        out.append(
            (
                periods.label(quarter),
                published.value("msp_feedback", TOTAL, "yes"),
                [published.value("msp_feedback", code, "yes") for code in FEEDBACK_TREND],
            )
        )
    return out


def report_quotes(period, team, published):
    """[(route label, words)]: the quotes a lead approved, of the questionnaires the period counts,
    where given with consent; none where the period's feedback is not published at all."""
    from feedback.selectors import approved_quotes

    if not _feedback_shown(published):
        return []
    return approved_quotes(quarters=feedback_quarters(period), team=team)


def publish(period, team=None, *, _cache=None):
    """The `Publication` of a period and scope, exactly as that period's own report shows it.

    A standard board-area period (a month, quarter or financial year) is controlled against
    the periods it is made of, which are published first, so its figures never narrow theirs;
    its tables and all its parts' are counted together first (`aggregate_parts`) and kept in
    the cache until each part is published.
    """
    cache = {} if _cache is None else _cache
    key = (period, team.pk if team is not None else None)
    if key not in cache:
        groups = [] if team is not None else periods.parts(period)
        if groups and ("tables", *key) not in cache:
            # The period and all its parts counted together (five statements on PostgreSQL).
            for part, tables in aggregate_parts(period, team, parts=periods.parts).items():
                cache.setdefault(("tables", part, key[1]), tables)
        parts = [[publish(part, team, _cache=cache) for part in group] for group in groups]
        tables = cache.pop(("tables", *key), None) or aggregate(period, team)
        tables = {**tables, **aggregate_front_door(period, team), **aggregate_feedback(period, team)}
        tables.update(aggregate_sars(period, team))
        cache[key] = disclosure.control(tables, population=individuals_in_scope(period, team), parts=parts)
    return cache[key]


def published_trend(period, team, cache):
    """[(month, concerns, s42 enquiries started)] as each month's own report publishes them.

    For a board-area standard period these are the months' own published totals (withheld
    where the month's report withholds them); otherwise the monthly counts controlled one by one.
    """
    if team is None and periods.is_standard(period):
        out = []
        for month in periods.months_of(period):
            published = publish(month, None, _cache=cache)
            out.append(
                (
                    month.start,
                    published.value("concerns", TOTAL, "concerns"),
                    published.value("enquiries_started", "s42", "enquiries"),
                )
            )
        return out
    return [(month, disclosure.count(c), disclosure.count(s)) for month, c, s in monthly_trend(period, team)]


def render_report_html(context):
    return render_to_string("reporting/report_document.html", context)


def build_report(period, team=None, *, unrounded=False):
    """Aggregate, control, render and return the files of one report (nothing is stored here)."""
    started = time.perf_counter()
    cache = {}
    published = publish(period, team, _cache=cache)
    previous = publish(period.previous(), team, _cache=cache)
    trend = published_trend(period, team, cache)
    # By quarter only where the period holds more than one (each quarter as its own report
    # publishes it: a board-area year's quarters are among its parts, already published).
    by_quarter = feedback_trend(period, team, cache) if len(feedback_quarters(period)) > 1 else []
    aggregated = time.perf_counter()
    quotes = report_quotes(period, team, published)
    context = report_context(
        period, team, published, previous, trend, produced_at=timezone.localtime(), quotes=quotes,
        feedback_trend=by_quarter,
    )  # fmt: skip
    pdf = html_to_pdf(render_report_html(context))
    csv_text = tables_to_csv(published.cells)
    csv_unrounded = tables_to_csv(published.true) if unrounded else None
    finished = time.perf_counter()
    return ReportFiles(
        pdf=pdf,
        csv=csv_text,
        csv_unrounded=csv_unrounded,
        aggregation_ms=round((aggregated - started) * 1000),
        render_ms=round((finished - aggregated) * 1000),
    )
