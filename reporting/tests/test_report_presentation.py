"""How the SAB report PDF reads to a board member: labels not codes, nothing clipped, charts
that say when there is nothing to draw, plain wording, no stray last page.

The PDF is read back with poppler's `pdftotext` (word positions, for clipping) and pypdf.
"""

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from accounts.tests.factories import TeamFactory
from reporting import disclosure, periods
from reporting.aggregation import ALL_TABLES, SPECS, TOTAL, Period
from reporting.charts import bar_chart, line_chart
from reporting.pdf import html_to_pdf, pdf_text
from reporting.rendering import build_report, msp_summary, render_report_html, report_context
from reporting.tests import scenario

FY = Period(scenario.FY_START, scenario.FY_END)
LONGEST_RISK_LABEL = max((label for _, label in SPECS["sg2c_risk_assessment"].rows), key=len)
# A4 with the report's 1.6 cm side margins, in PDF points.
PAGE_WIDTH, SIDE_MARGIN = 595.28, 1.6 / 2.54 * 72


@pytest.fixture
def report(db):
    scenario.build([TeamFactory(name="North Team"), TeamFactory(name="South Team")])
    return build_report(FY)


def _cells(value):
    """Every row of every table at `value`, totals the sum of the rows: a report with nothing hidden."""
    cells = {}
    for spec in ALL_TABLES:
        rows = {code: dict.fromkeys(spec.columns, value) for code, _ in spec.rows if code != TOTAL}
        cells[spec.id] = {**rows, TOTAL: dict.fromkeys(spec.columns, value * max(len(rows), 1))}
    return cells


@pytest.fixture
def full_report():
    """The PDF of a large board's year, every figure published (no database needed)."""
    published, previous = disclosure.Publication(true=_cells(40), cells=_cells(40)), None
    previous = disclosure.Publication(true=_cells(35), cells=_cells(35))
    trend = [(month.start, 120 + 5 * n, 40 + 5 * n) for n, month in enumerate(periods.months_of(FY))]
    context = report_context(FY, None, published, previous, trend, produced_at=timezone.now())
    return html_to_pdf(render_report_html(context))


def _words(pdf_bytes, tmp_path):
    """[(page, text, x_min, x_max)] for every word poppler finds in the PDF."""
    assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is needed for the PDF checks"
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf_bytes)
    xhtml = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True).stdout
    words = []
    for number, page in enumerate(ET.fromstring(xhtml).iter("{http://www.w3.org/1999/xhtml}page"), start=1):
        for word in page.iter("{http://www.w3.org/1999/xhtml}word"):
            words.append((number, word.text, float(word.get("xMin")), float(word.get("xMax"))))
    return words


def _flat(text):
    return " ".join(text.split())


@pytest.mark.parametrize("which", ["full_report", "report"])
def test_no_word_of_the_pdf_is_drawn_outside_the_page_margins_so_no_label_is_clipped(which, request, tmp_path):
    pdf = request.getfixturevalue(which)
    pdf = pdf if isinstance(pdf, bytes) else pdf.pdf
    outside = [
        (page, text)
        for page, text, x_min, x_max in _words(pdf, tmp_path)
        if x_min < SIDE_MARGIN - 1 or x_max > PAGE_WIDTH - SIDE_MARGIN + 1
    ]
    assert outside == []


def test_the_longest_risk_outcome_label_is_printed_whole_in_the_chart_and_the_table(full_report):
    assert LONGEST_RISK_LABEL == "Enquiry ceased at the individual's request and no action taken"
    assert _flat(pdf_text(full_report)).count(LONGEST_RISK_LABEL) >= 2


def test_a_long_bar_label_is_wrapped_inside_the_label_column():
    svg = bar_chart("Risk outcomes", [(LONGEST_RISK_LABEL, 10), ("No risk identified", 5)], label_width=300)
    lines = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)
    assert " ".join(lines[:2]) == LONGEST_RISK_LABEL.replace("'", "&#x27;")
    assert len(lines) == 3


@pytest.mark.parametrize("which", ["full_report", "report"])
def test_the_pdf_prints_labels_without_internal_codes(which, request):
    pdf = request.getfixturevalue(which)
    text = _flat(pdf_text(pdf if isinstance(pdf, bytes) else pdf.pdf))
    assert "Total total" not in text
    for spec in ALL_TABLES:
        assert spec.title in text
        assert f"{spec.title} {spec.id}" not in text
        for code, label in spec.rows:
            assert f"{label} {code}" not in text, (spec.id, code)
            if "_" in code:
                assert code not in text, (spec.id, code)
    for printed in ("White white", "Section 42 enquiry s42", "Yes yes"):
        assert printed not in text


def test_a_line_chart_whose_series_is_all_hidden_says_too_few_to_show_instead_of_a_legend_entry():
    svg = line_chart(
        "By month", ["Apr", "May", "Jun"], [("Concerns received", [10, 15, 20]), ("Enquiries", ["*", "*", "*"])]
    )
    assert svg.count("<polyline") == 1
    assert ">Concerns received</text>" in svg
    assert ">Enquiries</text>" not in svg
    assert "Enquiries: too few to show" in svg


def test_a_line_chart_with_every_series_hidden_draws_no_axes_and_says_so():
    svg = line_chart("By month", ["Apr", "May"], [("Concerns", ["*", "*"]), ("Enquiries", ["*", "*"])])
    assert "<polyline" not in svg and "<line" not in svg
    assert "Concerns and Enquiries: too few to show" in svg


def _tick_labels(svg):
    return [int(v) for v in re.findall(r'class="tick"[^>]*>([0-9,]+)</text>', svg)]


@pytest.mark.parametrize(
    ("peak", "expected"),
    [(23, [0, 5, 10, 15, 20, 25]), (40, [0, 10, 20, 30, 40]), (135, [0, 50, 100, 150]), (5, [0, 1, 2, 3, 4, 5])],
)
def test_the_line_chart_axis_has_round_ticks_from_zero_to_at_least_the_peak(peak, expected):
    svg = line_chart("By month", ["Apr", "May"], [("Concerns", [peak, 0])])
    assert _tick_labels(svg) == expected


def test_a_bar_chart_whose_values_are_all_hidden_says_too_few_to_show():
    svg = bar_chart("Types of risk", [("Physical", "*"), ("Sexual", "*")])
    assert "<rect" not in svg
    assert "Too few to show" in svg


def test_the_summary_says_once_which_shares_are_too_few_to_publish(report):
    text = _flat(pdf_text(report.pdf))
    assert text.count("too few to publish") <= 1
    assert "a share not shown" not in text


def test_the_summary_gives_shares_of_published_counts_and_names_the_hidden_ones_in_one_sentence():
    # The scenario hides every share; a hand-built publication with one table in full shows both.
    cells = {}
    for spec in ALL_TABLES:
        cells[spec.id] = {code: dict.fromkeys(spec.columns, "*") for code, _ in spec.rows}
        cells[spec.id][TOTAL] = dict.fromkeys(spec.columns, "*")
    cells["msp_asked"] = {
        "asked_expressed": {"enquiries": 30},
        "asked_not_expressed": {"enquiries": 10},
        "not_asked": {"enquiries": 10},
        "dont_know": {"enquiries": 5},
        "not_recorded": {"enquiries": 0},
        TOTAL: {"enquiries": 55},
    }
    sentences = msp_summary(disclosure.Publication(true=cells, cells=cells))
    text = " ".join(sentences)
    assert sentences[0].startswith("55 section 42 enquiries were concluded")
    # 40 of 55 asked and 30 of 55 expressed, worked out from the published counts as whole numbers.
    assert "asked about the outcomes they wanted in 73% of enquiries" in text
    assert "expressed outcomes in 55%" in text
    hidden = [s for s in sentences if "too few to publish" in s]
    assert len(hidden) == 1
    assert "achieved" in hidden[0] and "risk" in hidden[0] and "capacity" in hidden[0]


@pytest.mark.parametrize("which", ["full_report", "report"])
def test_the_last_page_is_not_a_stray_line(which, request, tmp_path):
    pdf = request.getfixturevalue(which)
    pdf = pdf if isinstance(pdf, bytes) else pdf.pdf
    words = _words(pdf, tmp_path)
    last = max(page for page, *_ in words)
    running = {"Safeguarding", "adults", "report", "–", "aggregate", "figures", "only", "Disclosure-controlled:"}
    on_last = [text for page, text, *_ in words if page == last and text not in running]
    assert len(on_last) > 60
    assert "Definitions" in [text for page, text, *_ in words if page == last]
