from reporting.charts import bar_chart, line_chart


def test_bar_chart_is_labelled_svg_that_states_its_figures():
    svg = bar_chart("Risk outcomes", [("Risk removed", 40), ("Risk reduced", 25), ("Risk remains", "*")], chart_id="r")
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert '<title id="r-title">Risk outcomes</title>' in svg
    assert "Risk removed: 40; Risk reduced: 25; Risk remains: *" in svg
    assert svg.count("<rect") == 2  # the suppressed value draws no bar
    assert "style=" not in svg  # the CSP forbids inline styles


def test_chart_labels_are_escaped():
    svg = bar_chart("<script>alert(1)</script>", [("<b>x</b>", 3)])
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "<b>" not in svg


def test_line_chart_draws_one_line_per_series_with_a_legend():
    svg = line_chart("Concerns by month", ["Apr", "May", "Jun"], [("Concerns", [10, 12, 9]), ("Enquiries", [4, 5, 3])])
    assert svg.count("<polyline") == 2
    assert "Concerns: Apr 10, May 12, Jun 9." in svg
    assert ">Enquiries</text>" in svg
