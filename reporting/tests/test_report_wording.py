"""Board-facing text spells out "section 42": board members read words, not practitioners' shorthand."""

import re

from django.utils import timezone

from reporting import disclosure, periods
from reporting.aggregation import SPECS, TOTAL, Period
from reporting.pdf import html_to_pdf, pdf_text
from reporting.rendering import render_report_html, report_context
from reporting.templatetags.board_text import board_words
from reporting.tests import scenario

SHORTHAND = re.compile(r"(?i)\bs\.?\s?42\b")


def _cells(value):
    cells = {}
    for spec in SPECS.values():  # every table the board report may show
        rows = {code: dict.fromkeys(spec.columns, value) for code, _ in spec.rows if code != TOTAL}
        cells[spec.id] = {**rows, TOTAL: dict.fromkeys(spec.columns, value * max(len(rows), 1))}
    return cells


def test_board_words_spells_out_section_42():
    assert board_words("distinct adults with an s42 enquiry") == "distinct adults with a section 42 enquiry"
    assert board_words("An s42 enquiry") == "A section 42 enquiry"
    assert board_words("s42 enquiries concluded") == "section 42 enquiries concluded"
    assert board_words("Section 42 enquiries") == "Section 42 enquiries"


def test_the_sab_report_never_says_s42():
    period = Period(scenario.FY_START, scenario.FY_END)
    published = disclosure.Publication(true=_cells(40), cells=_cells(40))
    previous = disclosure.Publication(true=_cells(35), cells=_cells(35))
    trend = [(month.start, 120, 40) for month in periods.months_of(period)]
    html = render_report_html(report_context(period, None, published, previous, trend, produced_at=timezone.now()))
    text = " ".join(pdf_text(html_to_pdf(html)).split())
    found = [text[max(0, m.start() - 60) : m.end() + 20] for m in SHORTHAND.finditer(text)]
    assert found == []
    assert "section 42 enquiries concluded in the period" in text
    assert "distinct adults with a section 42 enquiry started" in text
