"""The attacker of the disclosure property tests: solve the integer system of what was published.

Written apart from `reporting.disclosure` and on other assumptions: it knows only what a SAB
member can download (the published cells, which tables are withheld, the published rules and
the tables' structure as docs/reporting.md states it) and writes every equation between them that
holds in the data:

- a column's rows add up to its total (or, where an enquiry can count in several rows, each
  row is at most the total and the rows add up to at least it; a remainder row elsewhere
  completes the sum);
- a quantity published in two tables is one unknown;
- in `enquiries_started` (and `concerns`, `sg1f_totals`) a row's individuals are at most its
  enquiries (cases);
- a cross-tabulation (`sg2a`, `sg2b`, `sg2ab`) is a 2-D table: each row's cells, where an
  enquiry can be in several columns, cover the one-way table's row (its row margin: type or
  location), as each column's cells cover its total (the source or location row);
- the enquiries with a risk identified (`sg2e_result` total) are covered by SG2c's two
  "risk identified" rows;
- across periods (when given), a quarter's count of events is the sum of its months' (a
  count of distinct adults is at most the sum and at least each month's).

Each unknown starts with the integer range its published form allows (`*`: 1–7, or 0–7
where the table's zeros are hidden; a rounded count p: p−2…p+2; a withheld cell: 0 up to
anything) and the ranges are narrowed by propagating every equation to a fixed point
(sound: a value is removed only when no solution has it). To bound a hidden cell the attacker
also fixes it to 1 and to 7 in turn and propagates again: a value that empties a range is
impossible. `bounds()` returns what is left for each hidden cell; the property tests require
at least seven values ("no range narrower than 1–7") for every one.
"""

from cases.codes import RISK_IDENTIFIED
from reporting import disclosure

BIG = 10**9
#: Propagation steps before the attacker stops (stopping early only leaves ranges wider).
STEPS = 20_000
TOTAL = "total"


class Infeasible(Exception):
    pass


class System:
    def __init__(self):
        self.domains = {}  # variable -> [lo, hi]
        self.constraints = []  # (kind, variables, total) or ("le", a, b)
        self.watch = {}

    def var(self, key, lo, hi):
        if key in self.domains:
            old = self.domains[key]
            self.domains[key] = [max(old[0], lo), min(old[1], hi)]
        else:
            self.domains[key] = [lo, hi]
        return key

    def add(self, constraint):
        index = len(self.constraints)
        self.constraints.append(constraint)
        for variable in _variables(constraint):
            self.watch.setdefault(variable, []).append(index)

    def propagate(self, domains=None, start=None):
        domains = {k: list(v) for k, v in (domains or self.domains).items()}
        queue = list(range(len(self.constraints)) if start is None else start)
        queued = set(queue)
        steps = 0
        while queue and steps < STEPS:
            steps += 1
            index = queue.pop()
            queued.discard(index)
            for changed in _narrow(self.constraints[index], domains):
                for other in self.watch.get(changed, ()):
                    if other not in queued:
                        queued.add(other)
                        queue.append(other)
        return domains

    def feasible_with(self, base, key, value):
        domains = {k: list(v) for k, v in base.items()}
        if not domains[key][0] <= value <= domains[key][1]:
            return False
        domains[key] = [value, value]
        try:
            self.propagate(domains, start=self.watch.get(key, ()))
        except Infeasible:
            return False
        return True


def _variables(constraint):
    if constraint[0] == "le":
        return constraint[1:]
    return [*constraint[1], constraint[2]]


def _set(domains, key, lo, hi, changed):
    old = domains[key]
    lo, hi = max(old[0], lo), min(old[1], hi)
    if lo > hi:
        raise Infeasible(key)
    if [lo, hi] != old:
        domains[key] = [lo, hi]
        changed.append(key)


def _narrow(constraint, domains):
    changed = []
    if constraint[0] == "le":
        _, a, b = constraint
        _set(domains, a, -BIG, domains[b][1], changed)
        _set(domains, b, domains[a][0], BIG, changed)
        return changed
    kind, cells, total = constraint
    for _ in range(2):
        lows = [domains[c][0] for c in cells]
        highs = [domains[c][1] for c in cells]
        t_lo, t_hi = domains[total]
        if kind == disclosure.SUM:
            _set(domains, total, sum(lows), sum(highs), changed)
            t_lo, t_hi = domains[total]
            for i, cell in enumerate(cells):
                _set(domains, cell, t_lo - (sum(highs) - highs[i]), t_hi - (sum(lows) - lows[i]), changed)
        elif kind == disclosure.COVER:
            capped = [min(h, t_hi) for h in highs]
            _set(domains, total, max(lows, default=0), sum(capped), changed)
            t_lo, t_hi = domains[total]
            for i, cell in enumerate(cells):
                _set(domains, cell, t_lo - (sum(capped) - capped[i]), t_hi, changed)
        else:  # subset
            _set(domains, total, max(lows, default=0), BIG, changed)
            for cell in cells:
                _set(domains, cell, 0, domains[total][1], changed)
    return changed


def _published_range(publication, table, row, column):
    if publication.is_withheld(table, column):
        return None
    value = publication.cells[table][row][column]
    total = publication.cells[table][TOTAL][column]
    zeros_hidden = not (isinstance(total, int) and total - 2 >= disclosure.zero_minimum())
    if value == "*":
        return (0 if zeros_hidden else 1, 7)
    if value == 0:
        return (0, 0)
    return (value - 2, value + 2)


def _key(name, publication, table, row, column):
    position = (table, row, column)
    group = disclosure.GROUP_OF.get(position)
    return (name, group[0] if group else position)


def add_report(system, name, publication):
    """Every unknown and equation of one published report; returns {position: variable}."""
    variables = {}
    for table, rows in publication.true.items():
        for row in rows:
            for column in rows[TOTAL]:
                key = _key(name, publication, table, row, column)
                published = _published_range(publication, table, row, column)
                system.var(key, *(published or (0, BIG)))
                variables[(table, row, column)] = key
    for table, rows in publication.true.items():
        codes = [row for row in rows if row != TOTAL]
        for column in rows[TOTAL]:
            cells = [variables[(table, code, column)] for code in codes]
            remainder = disclosure.REMAINDERS.get((table, column))
            if remainder and remainder in variables:
                cells.append(variables[remainder])
            system.add((disclosure.kind_of(table, column), cells, variables[(table, TOTAL, column)]))
    for table, rows, people, cases in (
        ("enquiries_started", ("s42", "other_enquiry", TOTAL), "individuals", "enquiries"),
        ("concerns", (TOTAL,), "individuals", "concerns"),
        ("sg1f_totals", ("concerns", "s42", "other_enquiry"), "individuals", "cases"),
    ):
        if table in publication.true:
            for row in rows:
                system.add(("le", variables[(table, row, people)], variables[(table, row, cases)]))
    for cross, margin in (
        ("sg2a_type_by_source", "concluded_by_type"),
        ("sg2b_location_by_source", "concluded_by_location"),
        ("sg2ab_type_by_location", "concluded_by_type"),
    ):
        if cross in publication.true and margin in publication.true:
            columns = list(publication.true[cross][TOTAL])
            for row in publication.true[cross]:
                if row != TOTAL:
                    cells = [variables[(cross, row, column)] for column in columns]
                    system.add((disclosure.COVER, cells, variables[(margin, row, "enquiries")]))
    if "sg2e_result" in publication.true:
        identified = [variables[("sg2c_risk_assessment", code, "enquiries")] for code in RISK_IDENTIFIED]
        system.add((disclosure.COVER, identified, variables[("sg2e_result", TOTAL, "enquiries")]))
    return variables


#: Across periods an adult's age band is taken on each period's last day, so age tables obey
#: no equation between a quarter and its months; other person tables obey COVER.
NO_TIME_EQUATION = frozenset({"s42_started_by_age", "sg1a_age"})


def add_time(system, whole, parts):
    """Equations between a period's published cells and those of the periods it is made of."""
    for (table, row, column), key in whole.items():
        if table in NO_TIME_EQUATION:
            continue
        person = table in disclosure.PERSON_TABLES or column == "individuals"
        cells = [part[(table, row, column)] for part in parts]
        system.add((disclosure.COVER if person else disclosure.SUM, cells, key))


def hidden_cells(name, publication, variables):
    """{variable: true value} of the cells shown as `*` everywhere with a true count of 1–7.

    (Zeros are governed by the zero rule; a zero a withheld table hides can follow from zeros
    its parts publish, which tells nothing about anyone.)
    """
    out = {}
    for (table, row, column), key in variables.items():
        if publication.shown_as_suppressed(table, row, column):
            true = publication.true[table][row][column]
            if 1 <= true <= 7:
                out[key] = true
    return out


def bounds(system, hidden, *, probe=None):
    """{variable: (lo, hi)}: the range the attacker can prove for each hidden cell.

    `probe`: the hidden cells to also fix at the ends of 1–7 and propagate again (all when
    None): a value that makes the system infeasible is ruled out.
    """
    base = system.propagate()
    out = {}
    for key in hidden:
        lo, hi = base[key]
        if probe is None or key in probe:
            if lo <= 1 <= hi and not system.feasible_with(base, key, 1):
                lo = 2
            if lo <= 7 <= hi and not system.feasible_with(base, key, 7):
                hi = min(hi, 6)
        out[key] = (lo, hi)
    return out


def narrower_than_1_to_7(found):
    """The hidden cells whose proven range holds fewer values than 1–7 (seven)."""
    return {key: (lo, hi) for key, (lo, hi) in found.items() if hi - lo + 1 < 7}


def truth(system, values):
    """Check that the true counts satisfy every equation (so the attacker's system is right)."""
    domains = {key: [value, value] for key, value in values.items()}
    for key in system.domains:
        domains.setdefault(key, list(system.domains[key]))
    system.propagate(domains)


def true_values(name, publication, variables):
    return {key: publication.true[t][r][c] for (t, r, c), key in variables.items()}
