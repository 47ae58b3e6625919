"""Disclosure control: the one home of the rules for everything a SAB member can download.

`control()` turns one period's unrounded tables ({table: {row: {column: count}}}, every table
with a `total` row, as `reporting.aggregation` counts them) into a `Publication`: the cells
the PDF, the CSV and the charts show, and which tables are withheld. The rule is
`sac-reference.md`'s product rule (the floor) made stricter where that rule alone would let a
small count be worked out:

1. **Cells.** `0` stays `0`; a count from 1 to 7 is published as `*`; every other count is
   rounded to the nearest 5, halves up (8 → 10, 12 → 10, 13 → 15). Totals are counted from
   the records and rounded on their own.
2. **Zeros.** A zero is shown only where the column's published total guarantees a
   denominator of at least `SAB_ZERO_DENOMINATOR_MINIMUM` (default 20): the published total
   minus the rounding (2) is at least the minimum. Elsewhere zeros are shown as `*` too. The
   decision is taken from the published total, so whether zeros show tells nothing more
   about the true total than the total itself.
3. **Withheld columns** ("too few to show": every cell, the total too, is `*`):
   - the report's population (distinct adults) is below 8: every column (no refusal, and
     no number in the reason);
   - the column's total is below 8;
   - attribute disclosure: the column's non-zero true counts all fall in one category, or
     its published form would show one non-zero cell;
   - a suppressed cell could be narrowed: some cell shown as `*` (true count 0–7) could be
     bounded to fewer values than 1–7 from the column's published cells and its total
     (see `narrowed()`), or from cells other tables reveal (`SAME`);
   - for a standard period, a published cell of this period would narrow a `*` cell of one
     of its parts (a quarter's months; a year's quarters and months): see `_time_pass()`,
     and then the joint audit of the period with its parts (`narrowed_in_audit()`), which
     solves the whole integer system a SAB member could write from both.
4. **Percentages** are worked out from the published counts, as whole numbers, and are not
   shown for a table with any `*` cell (`Publication.percent()`).

The attacker model of `narrowed()` is deliberately generous to the attacker, so that what it
passes is safe: the column's true total is taken as known exactly (other tables or reports
may pin it), a cell that another table also publishes is known exactly, and only the cells
the attacker really cannot see vary within what their published form allows.
"""

from dataclasses import dataclass, field

from . import conf

SUPPRESSED = "*"
SMALLEST_PUBLISHED = 8
ROUND_TO = 5
#: The largest distance between a published count and its true value.
ROUNDING = ROUND_TO // 2
TOTAL = "total"
#: Stand-in for "no upper bound" in a cell's range.
UNBOUNDED = 10**12

# How a column's rows relate to its total (the equations an attacker can write):
SUM = "sum"  # the rows add up to the total exactly (each adult or enquiry in one row)
COVER = "cover"  # each row is at most the total, the rows add up to at least the total
SUBSET = "subset"  # each row is at most the total, nothing more (independent measures)

#: Per table (or per column as {column: kind}); tables not listed are SUM.
KINDS = {
    "concerns": SUBSET,
    "enquiries_started": {"enquiries": SUM, "individuals": COVER},
    # An enquiry counts once in each row that applies across its risks (SG2 rule).
    "concluded_by_type": COVER,
    "concluded_by_location": COVER,
    "concluded_by_source": COVER,
    "not_recorded": SUBSET,
    # The front door's tables (SUM: each concern, or each contact, in exactly one row).
    "concerns_by_referrer": SUM,
    "conversion": SUM,
    # The SAC tables of interchange.md 2b, where present.
    "sg1e_health_condition": SUBSET,
    # What people told us (`msp_feedback*`): a column (one answer) is at most the questionnaires;
    # each question's row adds up to them instead (`cross_equations`, `ROW_PARTITIONS`).
    **dict.fromkeys(("msp_feedback", "msp_feedback_at_closure", "msp_feedback_independent"), SUBSET),
    "msp_feedback_anonymous": SUBSET,
    # Three different populations; its total row (their sum) is never published.
    "sg1f_totals": SUBSET,
    "sg2a_type_by_source": COVER,
    "sg2b_location_by_source": COVER,
    "sg2ab_type_by_location": COVER,
    "sg2c_risk_assessment": COVER,
    "sg2e_result": COVER,
    # SG5 (`sg5a_sars`, `sg5b_people`) and `sar_recommendations`: SUM, each review, individual or
    # recommendation in exactly one row.
}

#: Columns whose rows cover the total together with a cell of another table: the enquiries
#: in no row (no risk recorded, none assessed, no result) are counted there.
REMAINDERS = {
    ("msp_achieved", "enquiries"): ("not_recorded", "msp_achieved", "enquiries"),
    ("concluded_by_type", "enquiries"): ("not_recorded", "risk", "enquiries"),
    ("concluded_by_location", "enquiries"): ("not_recorded", "risk", "enquiries"),
    ("concluded_by_source", "enquiries"): ("not_recorded", "risk", "enquiries"),
    ("sg2c_risk_assessment", "enquiries"): ("not_recorded", "risk_assessment", "enquiries"),
    ("sg2e_result", "enquiries"): ("not_recorded", "result", "enquiries"),
}

#: Tables whose every row is a partition of the questionnaires (each answers each question once,
#: with one answer): each row's cells add up to the column total, which every column shares.
FEEDBACK_BY_ROUTE = ("msp_feedback_at_closure", "msp_feedback_independent", "msp_feedback_anonymous")
ROW_PARTITIONS = ("msp_feedback", *FEEDBACK_BY_ROUTE)

#: The cross-tabulations' rows have a margin too: a row's cells (one enquiry can be in several
#: columns) cover the one-way table's row, exactly as a column's cells cover its total row.
ROW_MARGINS = {
    "sg2a_type_by_source": "concluded_by_type",
    "sg2b_location_by_source": "concluded_by_location",
    "sg2ab_type_by_location": "concluded_by_type",
}

_AGE_BANDS = ("18-64", "65-74", "75-84", "85-94", "95+", "unknown")
_GENDERS = ("female", "male", "other", "unknown")
_ETHNICITIES = ("white", "mixed", "asian", "black", "other", "refused", "unknown")
_SUPPORT = ("physical", "sensory", "memory_cognition", "learning_disability", "mental_health", "social", "none")
_SUPPORT += ("unknown",)
_SOURCES = ("service_provider", "known", "unknown")
_LOCATIONS = ("own_home", "community", "community_service", "care_home_nursing", "care_home_residential")
_LOCATIONS += ("hospital_acute", "hospital_mental_health", "hospital_community", "other")
_PEOPLE_BY = ("sg1a_age", "sg1b_gender", "sg1c_ethnicity")
_CASES_BY = ("sg1d_support_reason", "sg1e_health_condition")


def _same():
    groups = [
        # SG1 totals are the v1 tables' totals, and each is the total row of every SG1 table.
        (
            ("concerns", TOTAL, "concerns"),
            ("sg1f_totals", "concerns", "cases"),
            ("concerns_by_referrer", TOTAL, "concerns"),
        )
        + tuple((table, TOTAL, "concerns") for table in _CASES_BY),
        (("concerns", TOTAL, "individuals"), ("sg1f_totals", "concerns", "individuals"))
        + tuple((table, TOTAL, "concerns") for table in _PEOPLE_BY),
        (
            ("enquiries_started", "s42", "individuals"),
            ("s42_started_by_age", TOTAL, "individuals"),
            ("s42_started_by_gender", TOTAL, "individuals"),
            ("s42_started_by_ethnicity", TOTAL, "individuals"),
            ("sg1f_totals", "s42", "individuals"),
        )
        + tuple((table, TOTAL, "s42") for table in _PEOPLE_BY),
        (
            ("enquiries_started", "s42", "enquiries"),
            ("s42_started_by_support_reason", TOTAL, "enquiries"),
            ("sg1f_totals", "s42", "cases"),
        )
        + tuple((table, TOTAL, "s42") for table in _CASES_BY),
        (("enquiries_started", "other_enquiry", "individuals"), ("sg1f_totals", "other_enquiry", "individuals"))
        + tuple((table, TOTAL, "other_enquiry") for table in _PEOPLE_BY),
        (("enquiries_started", "other_enquiry", "enquiries"), ("sg1f_totals", "other_enquiry", "cases"))
        + tuple((table, TOTAL, "other_enquiry") for table in _CASES_BY),
        (("msp_asked", "asked_expressed", "enquiries"), ("msp_achieved", TOTAL, "enquiries")),
        (("capacity", "yes", "enquiries"), ("advocacy", TOTAL, "enquiries")),
        tuple(
            (table, TOTAL, "enquiries")
            for table in (
                "concluded_by_type",
                "concluded_by_location",
                "concluded_by_source",
                "sg2c_risk_assessment",
                "msp_asked",
                "capacity",
                "not_recorded",
            )
        ),
    ]
    # A v1 demographic row is the s42 column of the SG1 table.
    for v1, sg1, codes, column in (
        ("s42_started_by_age", "sg1a_age", _AGE_BANDS, "individuals"),
        ("s42_started_by_gender", "sg1b_gender", _GENDERS, "individuals"),
        ("s42_started_by_ethnicity", "sg1c_ethnicity", _ETHNICITIES, "individuals"),
        ("s42_started_by_support_reason", "sg1d_support_reason", _SUPPORT, "enquiries"),
    ):
        groups += [((v1, code, column), (sg1, code, "s42")) for code in codes]
    # A cross-tabulation's column total is the one-way table's row.
    groups += [
        (("concluded_by_source", code, "enquiries"), ("sg2a_type_by_source", TOTAL, code),
         ("sg2b_location_by_source", TOTAL, code))
        for code in _SOURCES
    ]  # fmt: skip
    groups += [
        (("concluded_by_location", code, "enquiries"), ("sg2ab_type_by_location", TOTAL, code)) for code in _LOCATIONS
    ]
    # Every column of a feedback table has the same total: the questionnaires answered.
    from feedback.questions import ANSWER_COLUMNS

    groups += [tuple((table, TOTAL, answer) for answer in ANSWER_COLUMNS) for table in ROW_PARTITIONS]
    return tuple(groups)


#: Cells that are one quantity published in more than one place (a total of one table is a
#: row of another). The attacker may combine them, so they are taken as known exactly.
SAME = _same()


def cross_equations(tables):
    """The equations between tables beyond each column's own: [(kind, [cells], total cell)].

    A cross-tabulation's row covers its margin; SG2e's enquiries (a risk identified) are
    covered by SG2c's two "risk identified" rows; a column's individuals are at most its cases
    (kind "le", one cell).
    """
    out = []
    for cross, margin in ROW_MARGINS.items():
        if cross in tables and margin in tables:
            columns = list(tables[cross][TOTAL])
            for row in _codes(tables, cross):
                out.append((COVER, [(cross, row, c) for c in columns], (margin, row, "enquiries")))
    if "sg2e_result" in tables and "sg2c_risk_assessment" in tables:
        identified = [
            ("sg2c_risk_assessment", code, "enquiries") for code in ("identified_action", "identified_no_action")
        ]
        out.append((COVER, identified, ("sg2e_result", TOTAL, "enquiries")))
    out += _feedback_equations(tables)
    le = [(("concerns", TOTAL, "individuals"), ("concerns", TOTAL, "concerns"))]
    le += [(("enquiries_started", row, "individuals"), ("enquiries_started", row, "enquiries"))
           for row in ("s42", "other_enquiry", TOTAL)]  # fmt: skip
    le += [
        (("sg1f_totals", row, "individuals"), ("sg1f_totals", row, "cases"))
        for row in ("concerns", "s42", "other_enquiry")
    ]
    # SG5: a review with a death has at least one individual who died.
    le.append((("sg5a_sars", "died", "reviews"), ("sg5b_people", "died", "individuals")))
    out += [("le", [a], b) for a, b in le if a[0] in tables and b[0] in tables]
    return out


def _feedback_equations(tables):
    """Each question's row of a feedback table adds up to its questionnaires (the column total);
    every cell of `msp_feedback` is the sum of the by-route tables' cells at that position."""
    out = []
    for table in ROW_PARTITIONS:
        if table in tables:
            columns = list(tables[table][TOTAL])
            for row in _codes(tables, table):
                out.append((SUM, [(table, row, c) for c in columns], (table, TOTAL, columns[0])))
    if "msp_feedback" in tables and all(t in tables for t in FEEDBACK_BY_ROUTE):
        for row, columns in tables["msp_feedback"].items():
            for column in columns:
                out.append((SUM, [(t, row, column) for t in FEEDBACK_BY_ROUTE], ("msp_feedback", row, column)))
    return out


def _one_answer_in_a_row(tables, table, value):
    """Whether some question of a feedback table has at most one answer given (`value(row, col)`):
    its answer would then be everybody's (attribute disclosure), however many answered."""
    columns = list(tables[table][TOTAL])
    return any(sum(1 for c in columns if value(row, c) != 0) <= 1 for row in _codes(tables, table))


#: Tables counting distinct adults: across periods a part can count an adult the whole counts
#: once, so over time their cells obey COVER rather than SUM.
PERSON_TABLES = frozenset(
    {
        "s42_started_by_age",
        "s42_started_by_gender",
        "s42_started_by_ethnicity",
        "sg1a_age",
        "sg1b_gender",
        "sg1c_ethnicity",
    }
)

WITHHELD_TEXT = "too few to show"
POPULATION_REASON = (
    "This period describes too few adults for any figure to be published without a risk of identifying "
    "someone, so every table is withheld."
)


def zero_minimum():
    return int(conf.get("SAB_ZERO_DENOMINATOR_MINIMUM"))


def count(value):
    """The published form of one unrounded count: 0, `*` or a multiple of 5."""
    if value < 0:
        raise ValueError("counts are never negative")
    if value == 0:
        return 0
    if value < SMALLEST_PUBLISHED:
        return SUPPRESSED
    return ROUND_TO * ((value + ROUNDING) // ROUND_TO)


def too_few_individuals(individuals):
    """Whether a report describing this many distinct adults has every table withheld."""
    return individuals < SMALLEST_PUBLISHED


def kind_of(table, column):
    kind = KINDS.get(table, SUM)
    return kind.get(column, SUM) if isinstance(kind, dict) else kind


def columns_of(tables):
    """[(table, column)] of every column of the tables, in their order."""
    return [(table, column) for table, rows in tables.items() for column in rows[TOTAL]]


def _codes(tables, table):
    return [row for row in tables[table] if row != TOTAL]


def _group_of():
    return {position: group for group in SAME for position in group}


GROUP_OF = _group_of()


def narrowed(kind, total, ranges, protected):
    """See `narrowed_range()`, with the column's total known exactly."""
    return narrowed_range(kind, [total, total], ranges, protected)


def narrowed_range(kind, total_range, ranges, protected):
    """The protected cells whose possible values, given the others, are not all of 1–7.

    `ranges` are [lo, hi] integer ranges for the column's cells as the attacker sees them
    (a published 0 is [0, 0], a `*` [1, 7] or [0, 7], a rounded count [p − 2, p + 2], a cell
    known from elsewhere its value); `total_range` what the attacker knows of the total.
    Exact for one equation: sums of integer ranges are integer ranges.
    """
    total_low, total = total_range
    lows = [lo for lo, _ in ranges]
    highs = [min(hi, total) if kind != SUM else hi for _, hi in ranges]
    low_sum, high_sum = sum(lows), sum(highs)
    out = []
    for index in protected:
        lo, hi = ranges[index]
        others_low, others_high = low_sum - lows[index], high_sum - highs[index]
        if kind == SUM:
            least, most = max(lo, total_low - others_high), min(hi, total - others_low)
        elif kind == COVER:
            least, most = max(lo, total_low - others_high), min(hi, total)
        else:
            least, most = lo, min(hi, total)
        if least > 1 or most < 7:
            out.append(index)
    return out


def published_range(value, *, zeros_hidden):
    """The true values a published cell can stand for."""
    if value == SUPPRESSED:
        return [0 if zeros_hidden else 1, 7]
    if value == 0:
        return [0, 0]
    return [value - ROUNDING, value + ROUNDING]


@dataclass
class Publication:
    """What a SAB member sees of one period: cells, withheld columns and the reason."""

    true: dict
    cells: dict = field(default_factory=dict)
    withheld: set = field(default_factory=set)  # {(table, column)}
    zeros_hidden: set = field(default_factory=set)  # {(table, column)}
    population_withheld: bool = False

    def is_withheld(self, table, column=None):
        if column is None:
            return all((table, c) in self.withheld for c in self.true[table][TOTAL])
        return (table, column) in self.withheld

    def has_suppressed(self, table):
        return any(value == SUPPRESSED for columns in self.cells[table].values() for value in columns.values())

    def value(self, table, row, column):
        return self.cells[table][row][column]

    def percent(self, table, row, column):
        """A whole-number percentage of the published count of the published total, or None.

        None where any cell of the table is `*` (withheld tables included) or the total is 0.
        """
        if self.has_suppressed(table):
            return None
        return share(self.cells[table][row][column], self.cells[table][TOTAL][column])

    def known(self, table, row, column):
        """Whether the attacker sees this quantity as a number or 0 somewhere in the report."""
        positions = GROUP_OF.get((table, row, column), ((table, row, column),))
        return any(
            p[0] in self.true and (p[0], p[2]) not in self.withheld and self.cells[p[0]][p[1]][p[2]] != SUPPRESSED
            for p in positions
        )

    def shown_as_suppressed(self, table, row, column):
        """Whether every place that publishes this quantity shows `*` (so it is a hidden count)."""
        return not self.known(table, row, column)

    def attacker_range(self, table, row, column):
        """[lo, hi]: what the attacker knows of one cell, generously (see the module docstring)."""
        true = self.true[table][row][column]
        if (table, row, column) in GROUP_OF and self.known(table, row, column):
            return [true, true]
        if (table, column) in self.withheld:
            # A hidden cell of a withheld column: at most the column's total, if that is known.
            known_total = row != TOTAL and self.known(table, TOTAL, column)
            return [0, self.true[table][TOTAL][column] if known_total else UNBOUNDED]
        return published_range(self.cells[table][row][column], zeros_hidden=(table, column) in self.zeros_hidden)

    def summary(self):
        """One plain sentence (or two) saying exactly what was applied to this report."""
        if self.population_withheld:
            return POPULATION_REASON
        tables = [table for table in self.true if self.is_withheld(table)]
        partly = [table for table in self.true if not self.is_withheld(table) and self.is_withheld_any(table)]
        sentence = (
            "In this report every count from 1 to 7 is shown as *, every other count is rounded to the nearest 5 "
            "(totals are rounded on their own, so rows may not add up to the total), and a zero is shown only in a "
            f"table that certainly counts at least {zero_minimum()} adults or enquiries (elsewhere zeros are shown "
            "as * too)."
        )
        if tables or partly:
            count_text = _number_words(len(tables) + len(partly))
            sentence += (
                f" {count_text.capitalize()} {'table is' if len(tables) + len(partly) == 1 else 'tables are'} "
                "withheld in whole or in part and marked \u201ctoo few to show\u201d, because the figures would "
                "describe a very small group or would let a hidden count be worked out from the others."
            )
        sentence += (
            " Percentages are worked out from the published counts, as whole numbers, and are left out of any "
            "table with a * in it."
        )
        return sentence

    def is_withheld_any(self, table):
        return any((table, c) in self.withheld for c in self.true[table][TOTAL])


def _number_words(n):
    words = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven")
    return words[n] if n < len(words) else str(n)


def share(value, total):
    """Whole-number percentage (halves up) of two published counts, or None."""
    if not isinstance(value, int) or not isinstance(total, int) or total <= 0:
        return None
    return (200 * value + total) // (2 * total)


def control(tables, *, population, parts=()):
    """The publication of one period's unrounded tables.

    `population`: the distinct adults the period describes. `parts`: for a standard period,
    groups of publications of the periods it is made of (a quarter: [its months]; a year:
    [its quarters], [its months]), already controlled on their own.
    """
    publication = Publication(true=tables)
    columns = columns_of(tables)
    if too_few_individuals(population):
        publication.population_withheld = True
        publication.withheld = set(columns)
    else:
        publication.withheld = {column for column in columns if _withheld_on_sight(tables, *column)}
    while True:
        _publish_cells(publication)
        before = set(publication.withheld)
        _report_pass(publication)
        for group in parts:
            _time_pass(publication, group)
        if publication.withheld == before:
            # The joint audit: with each group of parts, or (for any other period) of this
            # report alone, where it solves the equations across tables (the cross-tabulations'
            # row margins among them) that the column-by-column pass does not write.
            for group in parts or [()]:
                _audit_pass(publication, group)
            if publication.withheld == before:
                break
    _publish_cells(publication)
    return publication


def _withheld_on_sight(tables, table, column):
    rows = tables[table]
    total = rows[TOTAL][column]
    if total < SMALLEST_PUBLISHED:
        return True
    if table in ROW_PARTITIONS:
        return _one_answer_in_a_row(tables, table, lambda row, c: rows[row][c])
    if kind_of(table, column) == SUBSET:
        return False
    codes = _codes(tables, table)
    non_zero = [code for code in codes if rows[code][column] > 0]
    return len(non_zero) <= 1  # every adult or enquiry of the column is in one category


def _publish_cells(publication):
    tables = publication.true
    publication.cells = {}
    publication.zeros_hidden = set()
    minimum = zero_minimum()
    for table, rows in tables.items():
        publication.cells[table] = {row: {} for row in rows}
        for column in rows[TOTAL]:
            total = count(rows[TOTAL][column])
            hidden = not (isinstance(total, int) and total - ROUNDING >= minimum)
            if hidden:
                publication.zeros_hidden.add((table, column))
            withheld = (table, column) in publication.withheld
            for row in rows:
                value = count(rows[row][column])
                if withheld or (hidden and value == 0):
                    value = SUPPRESSED
                publication.cells[table][row][column] = value
            codes = _codes(tables, table)
            if not withheld and len(codes) > 1 and kind_of(table, column) != SUBSET:
                shown = [code for code in codes if publication.cells[table][code][column] != 0]
                if len(shown) <= 1:  # the published form would show one non-zero cell
                    publication.withheld.add((table, column))
                    for row in rows:
                        publication.cells[table][row][column] = SUPPRESSED
        if table in ROW_PARTITIONS:
            cells = publication.cells[table]
            columns = list(rows[TOTAL])
            if any((table, c) not in publication.withheld for c in columns) and _one_answer_in_a_row(
                tables, table, lambda row, c, cells=cells: cells[row][c]
            ):  # a question whose published row shows one answer: the whole table is withheld
                publication.withheld |= {(table, c) for c in columns}
                for row in rows:
                    for c in columns:
                        cells[row][c] = SUPPRESSED


def _column_cells(publication, table, column):
    """[(table, row, column)] of a column's cells (rows, then the remainder cell if any)."""
    cells = [(table, code, column) for code in _codes(publication.true, table)]
    remainder = REMAINDERS.get((table, column))
    if remainder and remainder[0] in publication.true:
        cells.append(remainder)
    return cells


def _report_pass(publication):
    """Withhold what would let a `*` be narrowed inside this report."""
    true = publication.true
    for table, column in columns_of(true):
        cells = _column_cells(publication, table, column)
        total = true[table][TOTAL][column]
        withheld = (table, column) in publication.withheld
        if withheld:
            revealed = [cell for cell in cells if cell in GROUP_OF and publication.known(*cell)]
            if not revealed or not publication.known(table, TOTAL, column):
                continue  # the attacker knows no equation about this column
        ranges = [publication.attacker_range(*cell) for cell in cells]
        protected = [
            index
            for index, cell in enumerate(cells)
            if publication.shown_as_suppressed(*cell) and true[cell[0]][cell[1]][cell[2]] <= 7
        ]
        if not protected or not narrowed(kind_of(table, column), total, ranges, protected):
            continue
        if not withheld:
            publication.withheld.add((table, column))
        else:  # stop publishing the cells that reveal it elsewhere
            for cell in revealed:
                for other in GROUP_OF[cell]:
                    if other != cell and other[0] in true:
                        publication.withheld.add((other[0], other[2]))
        _publish_cells(publication)


def _time_pass(publication, parts):
    """Withhold a column of this period if one of its cells narrows a `*` cell of one of its parts."""
    true = publication.true
    for table, column in columns_of(true):
        if (table, column) in publication.withheld:
            continue
        kind = COVER if (table in PERSON_TABLES or column == "individuals") else SUM
        for row in true[table]:
            present = [part for part in parts if table in part.true]
            if not present:
                continue
            ranges = [part.attacker_range(table, row, column) for part in present]
            protected = [
                index
                for index, part in enumerate(present)
                if part.shown_as_suppressed(table, row, column) and part.true[table][row][column] <= 7
            ]
            whole = publication.attacker_range(table, row, column)
            if publication.known(table, row, column):
                whole = [true[table][row][column]] * 2  # a number: taken as known exactly
            if protected and narrowed_range(kind, whole, ranges, protected):
                publication.withheld.add((table, column))
                _publish_cells(publication)
                break


# --- the joint audit of a standard period with its parts ------------------------------------
#
# A quarter's published cells are sums of its months' cells, and each report's columns have
# their own equations: together they form one integer system that can bound a hidden cell
# more tightly than any one equation (a 2-D table with rounded margins). The audit writes the
# whole system as a SAB member could, from published figures only, narrows every unknown's
# range by propagating each equation to a fixed point (it never removes a possible value),
# then fixes each hidden cell at 1 and at 7 in turn: a hidden 1–7 count whose range is left
# with fewer than seven values is narrowed. The period is then made to publish less (see
# `_audit_pass()`) until nothing is.

AUDIT_BIG = 10**9
#: Cells' ages are taken on each period's last day, so age tables have no equation over time.
NO_TIME_EQUATION = frozenset({"s42_started_by_age", "sg1a_age"})


class _Infeasible(Exception):
    pass


def _audit_range(publication, table, row, column):
    if (table, column) in publication.withheld:
        return (0, AUDIT_BIG)
    return tuple(
        published_range(publication.cells[table][row][column], zeros_hidden=(table, column) in publication.zeros_hidden)
    )


def _audit_tighten(ranges, key, lo, hi, changed):
    old_lo, old_hi = ranges[key]
    lo, hi = max(old_lo, lo), min(old_hi, hi)
    if lo > hi:
        raise _Infeasible
    if (lo, hi) != (old_lo, old_hi):
        ranges[key] = (lo, hi)
        changed.append(key)


def _audit_equation(equation, ranges):
    changed = []
    kind, cells, total = equation
    if kind == "le":
        _audit_tighten(ranges, cells, -AUDIT_BIG, ranges[total][1], changed)
        _audit_tighten(ranges, total, ranges[cells][0], AUDIT_BIG, changed)
        return changed
    lows = [ranges[c][0] for c in cells]
    highs = [ranges[c][1] for c in cells]
    # Each cell is bounded by the total less the others (the sums over the ranges read before
    # the loop, taken once). A cell is only written when its bound is tighter than the range
    # read, which is all `_audit_tighten` would change (the system's hot loop: thousands of
    # propagations per report).
    if kind == SUM:
        sum_lo, sum_hi = sum(lows), sum(highs)
        _audit_tighten(ranges, total, sum_lo, sum_hi, changed)
        t_lo, t_hi = ranges[total]
        for cell, lo, hi in zip(cells, lows, highs, strict=True):
            new_lo, new_hi = t_lo - (sum_hi - hi), t_hi - (sum_lo - lo)
            if new_lo > lo or new_hi < hi:
                _audit_tighten(ranges, cell, new_lo, new_hi, changed)
    elif kind == COVER:
        t_hi = ranges[total][1]
        capped = [min(hi, t_hi) for hi in highs]
        sum_capped = sum(capped)
        _audit_tighten(ranges, total, max(lows, default=0), sum_capped, changed)
        t_lo, t_hi = ranges[total]
        for cell, lo, hi, cap in zip(cells, lows, highs, capped, strict=True):
            new_lo = t_lo - (sum_capped - cap)
            if new_lo > lo or t_hi < hi:
                _audit_tighten(ranges, cell, new_lo, t_hi, changed)
    else:
        _audit_tighten(ranges, total, max(lows, default=0), AUDIT_BIG, changed)
        for cell in cells:
            _audit_tighten(ranges, cell, 0, ranges[total][1], changed)
    return changed


class _AuditSystem:
    """Unknowns (numbered in order of first mention: `ranges` is a list) and their equations.

    A key (a report's cell, or its group of cells that are one figure) is numbered once, by
    `id`; the equations and the searches take the numbers."""

    def __init__(self):
        self.ids, self.ranges, self.equations, self.watch = {}, [], [], []

    def id(self, key):
        number = self.ids.get(key)
        if number is None:
            number = self.ids[key] = len(self.ranges)
            self.ranges.append((0, AUDIT_BIG))
            self.watch.append([])
        return number

    def bound(self, number, lo, hi):
        old = self.ranges[number]
        self.ranges[number] = (max(old[0], lo), min(old[1], hi))

    def equation(self, kind, cells, total):
        """`cells` a number for "le" (cell <= total), otherwise a list of numbers."""
        index = len(self.equations)
        if kind == "le":
            watched = (cells, total)
        else:
            cells = tuple(cells)
            watched = (*cells, total)
        self.equations.append((kind, cells, total))
        for number in watched:
            self.watch[number].append(index)

    def propagate(self, ranges, start):
        queue, queued, steps = list(start), set(start), 0
        equations, watch = self.equations, self.watch
        while queue and steps < 50_000:
            steps += 1
            index = queue.pop()
            queued.discard(index)
            for number in _audit_equation(equations[index], ranges):
                for other in watch[number]:
                    if other not in queued:
                        queued.add(other)
                        queue.append(other)
        return ranges

    def possible(self, base, number, value):
        if not base[number][0] <= value <= base[number][1]:
            return False
        ranges = list(base)
        ranges[number] = (value, value)
        try:
            self.propagate(ranges, self.watch[number])
        except _Infeasible:
            return False
        return True


def _audit_report(system, name, publication):
    """Number the report's cells in `system` (a cell of a group as its group), bound each by
    what is published, add its tables' equations; {position: number}."""
    numbers = {}
    for table, rows in publication.true.items():
        for row in rows:
            for column in rows[TOTAL]:
                position = (table, row, column)
                group = GROUP_OF.get(position)
                number = system.id((name, group[0] if group else position))
                system.bound(number, *_audit_range(publication, table, row, column))
                numbers[position] = number
    for table, rows in publication.true.items():
        codes = _codes(publication.true, table)
        for column in rows[TOTAL]:
            cells = [numbers[(table, code, column)] for code in codes]
            remainder = REMAINDERS.get((table, column))
            if remainder in numbers:
                cells.append(numbers[remainder])
            system.equation(kind_of(table, column), cells, numbers[(table, TOTAL, column)])
    for kind, cells, total in cross_equations(publication.true):
        if kind == "le":
            system.equation("le", numbers[cells[0]], numbers[total])
        else:
            system.equation(kind, [numbers[cell] for cell in cells], numbers[total])
    return numbers


def narrowed_in_audit(whole, parts):
    """Yield (report index, position) of each hidden 1–7 cell the joint system bounds to fewer
    than seven values (`_audit_pass()` acts on the first).

    Report index 0 is `whole`, 1… its `parts` in order.
    """
    system = _AuditSystem()
    reports = [whole, *parts]
    numbers = [_audit_report(system, index, report) for index, report in enumerate(reports)]
    for position, number in numbers[0].items() if parts else ():
        if position[0] in NO_TIME_EQUATION:
            continue
        person = position[0] in PERSON_TABLES or position[2] == "individuals"
        system.equation(COVER if person else SUM, [part[position] for part in numbers[1:]], number)
    try:
        base = system.propagate(list(system.ranges), range(len(system.equations)))
    except _Infeasible:  # cannot happen with true counts; publish nothing rather than guess
        yield from ((0, position) for position in numbers[0])
        return
    seen = set()
    for index, report in enumerate(reports):
        for position, number in numbers[index].items():
            table, row, column = position
            true = report.true[table][row][column]
            # A group's positions are one quantity: one true count, all shown or all hidden.
            if number in seen or not 1 <= true <= 7 or not report.shown_as_suppressed(*position):
                continue
            seen.add(number)
            # The true counts solve the system, so the cell's own value needs no search.
            lo, hi = base[number]
            if lo <= 1 and true != 1 and not system.possible(base, number, 1):
                lo = 2
            if hi >= 7 and true != 7 and not system.possible(base, number, 7):
                hi = 6
            if hi - lo + 1 < 7:
                yield (index, position)


def _audit_pass(publication, parts):
    """Withhold in this period until the joint system with its parts narrows no hidden cell.

    For each narrowed cell, in order: this period's column at that position; the whole table;
    every column of this period (as for too few adults). Parts are never changed: they were
    published first.
    """
    while True:
        found = next(narrowed_in_audit(publication, parts), None)
        if found is None:
            return
        _index, (table, _row, column) = found
        columns = columns_of(publication.true)
        for candidate in ({(table, column)}, {(table, c) for c in publication.true.get(table, {TOTAL: {}})[TOTAL]}):
            candidate &= set(columns)
            if candidate - publication.withheld:
                publication.withheld |= candidate
                break
        else:
            if set(columns) <= publication.withheld:
                return  # nothing left to withhold here: the parts alone are what is narrowed
            publication.withheld |= set(columns)
        _publish_cells(publication)
