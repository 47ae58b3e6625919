"""The SAB report's PDF section "What people told us": the published feedback cells, printed
inside the page margins with labels (no codes), and the approved quotes."""

import pytest
from django.utils import timezone

from reporting import disclosure, periods
from reporting.aggregation import FEEDBACK_TABLES, SPECS, TOTAL
from reporting.pdf import html_to_pdf, pdf_text
from reporting.rendering import render_report_html, report_context
from reporting.tests.test_report_presentation import FY, PAGE_WIDTH, SIDE_MARGIN, _flat, _words


def _cells(value):
    cells = {}
    for spec in SPECS.values():
        rows = {code: dict.fromkeys(spec.columns, value) for code, _ in spec.rows if code != TOTAL}
        cells[spec.id] = {**rows, TOTAL: dict.fromkeys(spec.columns, value * max(len(rows), 1))}
    return cells


@pytest.fixture
def pdf():
    published = disclosure.Publication(true=_cells(40), cells=_cells(40))
    previous = disclosure.Publication(true=_cells(35), cells=_cells(35))
    trend = [(month.start, 120, 40) for month in periods.months_of(FY)]
    quotes = [("Anonymous", "They listened to me every time.")]
    by_quarter = [("April to June 2024", 40, [40, 40, 40]), ("July to September 2024", 40, ["*", 40, 40])]
    context = report_context(
        FY, None, published, previous, trend, produced_at=timezone.now(), quotes=quotes, feedback_trend=by_quarter
    )
    return html_to_pdf(render_report_html(context))


def test_the_section_prints_every_route_inside_the_margins_with_labels_and_the_quotes(pdf, tmp_path):
    text = _flat(pdf_text(pdf))
    assert "What people told us" in text and "“They listened to me every time.”" in text
    for spec in FEEDBACK_TABLES:
        assert spec.title in text
        assert spec.id not in text
    for code in ("q5_safer", "p_empowerment", "rather_not_say", "not_asked"):
        assert code not in text
    assert "Felt involved and in control" in text and "I'd rather not say" in text
    assert "Empowerment: the “I” statement: what people said" in text  # a chart per principle
    assert "What people told us, by quarter" in text and "July to September 2024" in text
    outside = [
        (page, word)
        for page, word, x_min, x_max in _words(pdf, tmp_path)
        if x_min < SIDE_MARGIN - 1 or x_max > PAGE_WIDTH - SIDE_MARGIN + 1
    ]
    assert outside == []
