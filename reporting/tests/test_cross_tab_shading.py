"""The cross-tabulations in the SAB report: readable tables whose shading comes from published counts only."""

import re

from django.utils import timezone

from reporting import disclosure, periods
from reporting.aggregation import ALL_TABLES, SPECS, TOTAL
from reporting.rendering import cross_tab_view, heat_level, render_report_html, report_context

FY = periods.financial_year(2024)


def _publication(true_hidden):
    """Every cell 40 except two hidden (`*`) ones whose true value is `true_hidden`."""
    true, cells = {}, {}
    for spec in ALL_TABLES:
        rows = {code: dict.fromkeys(spec.columns, 40) for code, _ in spec.rows}
        true[spec.id] = {**rows, TOTAL: dict.fromkeys(spec.columns, 400)}
        cells[spec.id] = {row: dict(columns) for row, columns in true[spec.id].items()}
    for row, column in (("physical", "known"), ("sexual", "unknown")):
        true["sg2a_type_by_source"][row][column] = true_hidden
        cells["sg2a_type_by_source"][row][column] = disclosure.SUPPRESSED
    cells["sg2a_type_by_source"]["neglect"]["known"] = 120
    true["sg2a_type_by_source"]["neglect"]["known"] = 121
    return disclosure.Publication(true=true, cells=cells)


def test_a_hidden_cell_has_no_shading_step_and_published_cells_are_stepped_by_their_published_size():
    assert heat_level(disclosure.SUPPRESSED, 120) is None
    assert heat_level(0, 120) == 0
    assert [heat_level(v, 120) for v in (5, 30, 31, 60, 90, 120)] == [1, 1, 2, 2, 3, 4]
    view = cross_tab_view(SPECS["sg2a_type_by_source"], _publication(7))
    cells = {row["label"]: row["cells"] for row in view["rows"]}
    assert cells["Physical"][1] == {"value": "*", "level": None, "hidden": True}
    assert cells["Neglect and acts of omission"][1]["level"] == 4
    assert cells["Financial or material"][0]["level"] == 2  # 40 of the largest published, 120
    assert all(cell["level"] in (0, None) for cell in cells["Total"])  # the margins are not shaded


def _html(publication):
    context = report_context(FY, None, publication, publication, [], produced_at=timezone.now())
    return render_report_html(context)


def test_the_shading_is_the_same_whatever_the_hidden_cells_true_values_are():
    # Two periods publishing the same cells, whose hidden counts are 1 and 7: identical tables.
    low, high = _html(_publication(1)), _html(_publication(7))

    def table(html):
        return re.search(r'<table id="sg2a_type_by_source".*?</table>', html, re.S).group(0)

    assert table(low) == table(high)
    assert table(low).count('class="num hatch">*</td>') == 2


def test_the_cross_tabulations_have_headers_with_scope_and_a_legend_that_does_not_rely_on_colour():
    html = _html(_publication(3))
    for table_id in ("sg2a_type_by_source", "sg2b_location_by_source", "sg2ab_type_by_location"):
        table = re.search(rf'<table id="{table_id}".*?</table>', html, re.S).group(0)
        assert "<caption>" in table
        assert table.count('<th scope="col"') == len(SPECS[table_id].columns) + 1
        assert table.count('<th scope="row">') == len(SPECS[table_id].rows) + 1
        assert "Other – known to the individual" in html
    assert "hatched pattern" in html and "never shaded by its true value" in html
