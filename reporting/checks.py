"""The statutory return's checks before submission: its own consistency rules.

`run_checks(period, tables)` returns one `CheckResult` per rule, for the "Statutory return"
page, the `sac_return` command and the workbook's "Checks" sheet. Each rule looks at the
unrounded tables the workbook is made of (so a figure that would be submitted wrong, like a
capacity table with its rows swapped, is caught whatever caused it) and, where the fault is
in the record, lists the cases behind it (id and reference only: the page links each to the
case for a lead to put right).

The rules:

1. every concluded s42 enquiry has at least one risk with an assessment outcome;
2. a result where, and only where, a risk was identified;
3. advocacy counts never above "lacked capacity";
4. achievement counts summing to "asked and expressed";
5. SG1 individuals never above cases;
6. a ceased enquiry has every risk ceased;
7. an adult's age is known for every s42 enquiry started (a warning: such adults are counted
   as "unknown" age).
"""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q

from cases.codes import RISK_IDENTIFIED, RiskAssessment, YesNoUnknown
from cases.models import Case, Risk

from .aggregation import TOTAL, enquiries_started, s42_concluded

ERROR = "error"
WARNING = "warning"
#: How many cases a check lists (the count is always exact).
CASES_SHOWN = 200


@dataclass
class CheckResult:
    code: str
    title: str
    passed: bool
    severity: str = ERROR  # what a failure is: an error blocks submission, a warning does not
    problems: list = field(default_factory=list)  # sentences about the figures
    cases: list = field(default_factory=list)  # [(case id, case reference)], at most CASES_SHOWN
    case_count: int = 0

    @property
    def status(self):
        return "passed" if self.passed else self.severity


def _cases(queryset):
    ids = queryset.values_list("pk", flat=True)
    count = ids.count()
    if not count:  # the usual answer: nothing to list, and listing is the costlier statement
        return [], 0
    shown = list(Case.objects.filter(pk__in=ids).order_by("ref").values_list("pk", "ref")[:CASES_SHOWN])
    return shown, count


def _result(code, title, problems, cases_queryset=None, *, severity=ERROR):
    cases, count = _cases(cases_queryset) if cases_queryset is not None else ([], 0)
    return CheckResult(
        code=code,
        title=title,
        passed=not problems and not count,
        severity=severity,
        problems=problems,
        cases=cases,
        case_count=count,
    )


def _concluded_cases(period):
    return Case.objects.filter(pk__in=s42_concluded(period).values("case_id"))


def _codes(tables, table):
    return [row for row in tables[table] if row != TOTAL]


def check_risk_outcomes(period, tables):
    assessed = Risk.objects.filter(case=OuterRef("pk")).exclude(assessment="")
    faulty = _concluded_cases(period).filter(~Exists(assessed))
    problems = []
    missing = tables["not_recorded"]["risk_assessment"]["enquiries"]
    if missing:
        problems.append(f"{missing} concluded s42 enquiries have no risk with an assessment outcome (SG2c).")
    return _result(
        "risk_outcome",
        "Every concluded section 42 enquiry has at least one risk with an outcome",
        problems,
        faulty,
    )


def check_results(period, tables):
    identified = Q(assessment__in=list(RISK_IDENTIFIED))
    wrong = Risk.objects.filter(case=OuterRef("pk")).filter((identified & Q(result="")) | (~identified & ~Q(result="")))
    faulty = _concluded_cases(period).filter(Exists(wrong))
    problems = []
    sg2e = tables["sg2e_result"]
    identified_enquiries = sum(
        tables["sg2c_risk_assessment"][code]["enquiries"] for code in RISK_IDENTIFIED
    )  # each is at least SG2e's total, and together at least it
    if sg2e[TOTAL]["enquiries"] > identified_enquiries:
        problems.append("SG2e counts more enquiries with a risk identified than SG2c's two 'risk identified' rows.")
    if any(sg2e[code]["enquiries"] > sg2e[TOTAL]["enquiries"] for code in _codes(tables, "sg2e_result")):
        problems.append("An SG2e row is above the number of enquiries with a risk identified.")
    if tables["not_recorded"]["result"]["enquiries"]:
        problems.append(
            f"{tables['not_recorded']['result']['enquiries']} enquiries have a risk identified but no result (SG2e)."
        )
    return _result("result", "A result where, and only where, a risk was identified", problems, faulty)


def check_advocacy(period, tables):
    lacked = tables["capacity"][YesNoUnknown.YES]["enquiries"]
    advocacy = sum(tables["advocacy"][code]["enquiries"] for code in _codes(tables, "advocacy"))
    problems = []
    if advocacy > lacked:
        problems.append(
            f"The advocacy rows add up to {advocacy}, more than the {lacked} enquiries where the adult lacked "
            "capacity (SG3a): check the capacity table's rows."
        )
    if tables["advocacy"][TOTAL]["enquiries"] != lacked:
        problems.append("The advocacy table does not describe exactly the enquiries where capacity was lacking.")
    blank = s42_concluded(period).filter(lacked_capacity=YesNoUnknown.YES, advocacy="")
    return _result(
        "advocacy",
        "Advocacy counts are never above \u201clacked capacity\u201d",
        problems,
        Case.objects.filter(pk__in=blank.values("case_id")),
    )


def check_achievement(period, tables):
    expressed = tables["msp_asked"]["asked_expressed"]["enquiries"]
    achieved = sum(tables["msp_achieved"][code]["enquiries"] for code in _codes(tables, "msp_achieved"))
    problems = []
    if achieved != expressed:
        problems.append(
            f"The achievement rows add up to {achieved}, not the {expressed} enquiries where outcomes were asked "
            "and expressed (SG4a)."
        )
    blank = s42_concluded(period).filter(asked_desired_outcomes="asked_expressed", outcomes_achieved="")
    return _result(
        "achievement",
        "Achievement counts add up to \u201casked and expressed\u201d",
        problems,
        Case.objects.filter(pk__in=blank.values("case_id")),
    )


def check_individuals(period, tables):
    problems = []
    labels = {"concerns": "concerns", "s42": "s42 enquiries", "other_enquiry": "other enquiries"}
    for row, label in labels.items():
        figures = tables["sg1f_totals"][row]
        if figures["individuals"] > figures["cases"]:
            problems.append(f"SG1f counts more individuals than cases for {label}.")
    for column, label in labels.items():
        cases = tables["sg1d_support_reason"][TOTAL][column]
        for table in ("sg1a_age", "sg1b_gender", "sg1c_ethnicity"):
            people = sum(tables[table][code][column] for code in _codes(tables, table))
            if people > cases:
                problems.append(
                    f"{table[:4].upper()} counts more individuals ({people}) than cases ({cases}) for {label}."
                )
    return _result("individuals", "SG1 individuals are never above cases", problems)


def check_ceased(period, tables):
    ceased = Risk.objects.filter(case=OuterRef("pk"), assessment=RiskAssessment.CEASED)
    other = Risk.objects.filter(case=OuterRef("pk")).exclude(assessment=RiskAssessment.CEASED)
    faulty = _concluded_cases(period).filter(Exists(ceased), Exists(other))
    return _result("ceased", "A ceased enquiry has every risk ceased", [], faulty)


def check_age(period, tables):
    unknown = enquiries_started(period).filter(kind="s42", case__person__date_of_birth__isnull=True)
    faulty = Case.objects.filter(pk__in=unknown.values("case_id"))
    result = _result("age", "The adult's age is known for every section 42 enquiry", [], faulty, severity=WARNING)
    if not result.passed:
        adults = tables["sg1a_age"]["unknown"]["s42"]
        result.problems.append(
            f"{adults} adults with an s42 enquiry started are counted as age \u201cnot known\u201d (SG1a): "
            "record their date of birth where it is known."
        )
    return result


CHECKS = (
    check_risk_outcomes,
    check_results,
    check_advocacy,
    check_achievement,
    check_individuals,
    check_ceased,
    check_age,
)


def run_checks(period, tables):
    """[CheckResult] for the whole council's return for `period` (a financial year)."""
    return [check(period, tables) for check in CHECKS]


def ready_to_submit(results):
    return all(result.passed or result.severity == WARNING for result in results)
