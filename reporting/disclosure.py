"""Disclosure control: the one home of the small-number rule for SAB outputs (sac-reference.md).

Everything a SAB member can download (PDF, CSV, charts) passes through `control_tables()`,
`count()` and `percent()`:

- 0 stays 0; a count from 1 to 7 is published as `*`; every other count is rounded to the
  nearest multiple of 5, halves up (8 → 10, 12 → 10, 13 → 15);
- totals are counted from the unrounded records and then rounded on their own (never the sum
  of rounded cells);
- percentages are computed from unrounded figures and are not shown where the denominator
  is below 8. We also withhold the percentage of a suppressed (`*`) cell: an unrounded
  share of a known denominator would otherwise give the small count away;
- a request whose scope and period describe fewer than 8 adults is refused
  (`SMALLEST_PUBLISHED`).
"""

SUPPRESSED = "*"
SMALLEST_PUBLISHED = 8
ROUND_TO = 5


def count(value):
    """The published form of one unrounded count: 0, `*` or a multiple of 5."""
    if value < 0:
        raise ValueError("counts are never negative")
    if value == 0:
        return 0
    if value < SMALLEST_PUBLISHED:
        return SUPPRESSED
    return ROUND_TO * ((value + ROUND_TO // 2) // ROUND_TO)


def percent(value, denominator):
    """The percentage to publish for `value` out of `denominator` (unrounded), or None."""
    if denominator < SMALLEST_PUBLISHED or count(value) == SUPPRESSED:
        return None
    return 100 * value / denominator


def control_tables(tables):
    """A copy of {table: {row: {column: count}}} with every count published by `count()`.

    Totals are rows like any other: they were counted from the records, so rounding them on
    their own is exactly the rule.
    """
    return {
        table: {row: {column: count(value) for column, value in columns.items()} for row, columns in rows.items()}
        for table, rows in tables.items()
    }


def controlled_series(values):
    """Disclosure-controlled values for a chart series."""
    return [count(value) for value in values]


def too_few_individuals(individuals):
    """Whether a report describing this many distinct adults must be refused."""
    return individuals < SMALLEST_PUBLISHED
