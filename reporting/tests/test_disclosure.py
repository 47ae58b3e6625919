import pytest
from hypothesis import given
from hypothesis import strategies as st

from reporting import disclosure

counts = st.integers(min_value=0, max_value=10_000_000)


@pytest.mark.parametrize(
    ("true", "published"),
    [(0, 0), (1, "*"), (7, "*"), (8, 10), (10, 10), (12, 10), (13, 15), (17, 15), (18, 20), (1002, 1000)],
)
def test_counts_are_published_by_the_small_number_rule(true, published):
    assert disclosure.count(true) == published


@given(counts)
def test_no_published_count_is_between_1_and_7(true):
    published = disclosure.count(true)
    assert published == "*" or not 1 <= published <= 7


@given(counts)
def test_every_other_published_count_is_0_or_a_multiple_of_5_within_2_of_the_truth(true):
    published = disclosure.count(true)
    if published == "*":
        assert 1 <= true <= 7
    else:
        assert published % 5 == 0
        assert abs(published - true) <= 2
        assert (published == 0) == (true == 0)


@given(st.lists(counts, min_size=1, max_size=12))
def test_totals_are_rounded_from_the_unrounded_sum_not_summed_from_rounded_cells(cells):
    tables = {"t": {str(i): {"n": value} for i, value in enumerate(cells)}}
    tables["t"]["total"] = {"n": sum(cells)}
    published = disclosure.control_tables(tables)["t"]
    assert published["total"]["n"] == disclosure.count(sum(cells))
    for i, value in enumerate(cells):
        assert published[str(i)]["n"] == disclosure.count(value)


@given(counts, counts)
def test_percentages_come_from_unrounded_figures_and_need_a_denominator_of_8(value, denominator):
    shown = disclosure.percent(value, denominator)
    if denominator < 8 or 1 <= value <= 7:
        assert shown is None
    else:
        assert shown == pytest.approx(100 * value / denominator)


def test_negative_counts_are_a_programming_error():
    with pytest.raises(ValueError):
        disclosure.count(-1)


@pytest.mark.parametrize(("individuals", "refused"), [(0, True), (7, True), (8, False), (500, False)])
def test_reports_about_fewer_than_8_adults_are_refused(individuals, refused):
    assert disclosure.too_few_individuals(individuals) is refused
