"""The legacy case import (`interchange.md` sections 1 and 1b): validate whole files, then load them.

A cases file (one row per concern) and, optionally, a risks file (one row per risk). A case
has its risks either on its own row (version 1: one risk, from `abuse_types`,
`location_of_risk`, `source_of_risk` and `risk_outcome`) or in the risks file, never both.

`validate()` reads every row of both files and collects every error as `row N, column C:
message` (the header is row 1, the first data row is row 2), or `risks row N, column C:
message` for the risks file. `import_file()` imports nothing unless both files are valid, and
then loads them in one transaction with bulk writes (COPY on PostgreSQL), so a million cases
and their risks take minutes.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from accounts import audit
from accounts.models import Team
from msp.timezone import LONDON

from . import bulk
from .codes import (
    RISK_IDENTIFIED,
    V1_RISK_OUTCOME,
    AbuseType,
    AskedDesiredOutcomes,
    DecisionOutcome,
    Ethnicity,
    Gender,
    HealthCondition,
    LocationOfRisk,
    OutcomesAchieved,
    RiskAssessment,
    RiskOutcome,
    RiskResult,
    SourceOfRisk,
    SupportReason,
    YesNoUnknown,
)
from .columns import (
    CASE_COLUMNS,
    DECISION_COLUMNS,
    ENQUIRY_COLUMNS,
    EVENT_COLUMNS,
    PERSON_COLUMNS,
    RISK_COLUMNS,
    RISK_TYPE_COLUMNS,
    row_maker,
)
from .models import Case, CaseEvent, CaseState, Decision, DecisionStatus, Enquiry, Person, Risk, RiskType

# The cases file: every one of COLUMNS in the header, OPTIONAL_COLUMNS may be left out.
COLUMNS = [
    "case_ref",
    "person_ref",
    "team",
    "date_of_birth",
    "gender",
    "ethnicity",
    "primary_support_reason",
    "concern_received",
    "decision",
    "decision_date",
    "enquiry_concluded",
    "abuse_types",
    "location_of_risk",
    "source_of_risk",
    "risk_outcome",
    "asked_desired_outcomes",
    "outcomes_achieved",
    "lacked_capacity",
    "advocacy",
]
OPTIONAL_COLUMNS = ["health_condition"]
# The risks file (version 2): every column in the header.
RISK_FILE_COLUMNS = ["case_ref", "types", "location", "source", "assessment", "result"]
RISKS_LABEL = "risks "  # how an error of the risks file starts: "risks row N, column C: ..."

REQUIRED_COLUMNS = ["case_ref", "person_ref", "team", "concern_received", "decision"]
# A case's one risk on its own row (version 1): required unless its risks are in the risks file.
ROW_RISK_COLUMNS = ("abuse_types", "location_of_risk", "source_of_risk")
PENDING = "pending"
DECISIONS = [*DecisionOutcome.values, PENDING]
ENQUIRY_DECISIONS = {DecisionOutcome.S42, DecisionOutcome.OTHER_ENQUIRY}
CODES = {
    "gender": Gender.values,
    "ethnicity": Ethnicity.values,
    "primary_support_reason": SupportReason.values,
    "health_condition": HealthCondition.values,
    "decision": DECISIONS,
    "location_of_risk": LocationOfRisk.values,
    "source_of_risk": SourceOfRisk.values,
    "risk_outcome": RiskOutcome.values,
    "asked_desired_outcomes": AskedDesiredOutcomes.values,
    "outcomes_achieved": OutcomesAchieved.values,
    "lacked_capacity": YesNoUnknown.values,
    "advocacy": YesNoUnknown.values,
}
RISK_CODES = {
    "location": LocationOfRisk.values,
    "source": SourceOfRisk.values,
    "assessment": RiskAssessment.values,
    "result": RiskResult.values,
}
# Each code maps to one shared string, so a million rows do not hold a million copies.
CODE_SETS = {name: {code: code for code in values} for name, values in CODES.items()}
RISK_CODE_SETS = {name: {code: code for code in values} for name, values in RISK_CODES.items()}
ABUSE_CODES = frozenset(AbuseType.values)
ABUSE_MESSAGE = "each must be one of " + ", ".join(AbuseType.values) + "; separated by ;"
IDENTIFIED_MESSAGE = " or ".join(RISK_IDENTIFIED)
MAX_LENGTH = {"case_ref": 40, "person_ref": 100, "team": 100}
IMPORTED_RATIONALE = "Imported from the previous system; the rationale was not carried over."
_DB_CHECK_CHUNK = 5_000
NUL = "\x00"
NUL_SHOWN = "\\x00"  # how a NUL in a column name is written in the message
NUL_MESSAGE = "must not contain a NUL character (byte 0)"


class ImportFileError(Exception):
    """The files are not valid; `errors` lists every problem as `[risks ]row N, column C: message`."""

    def __init__(self, errors):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


@dataclass(slots=True)
class ValidRow:
    case_ref: str
    person_ref: str
    team: str
    date_of_birth: datetime.date | None
    gender: str
    ethnicity: str
    primary_support_reason: str
    health_condition: str
    concern_received: datetime.date
    decision: str
    decision_date: datetime.date | None
    enquiry_concluded: datetime.date | None
    # The case's one risk when it is on this row (version 1); empty when it is in the risks file.
    abuse_types: list
    location_of_risk: str
    source_of_risk: str
    risk_outcome: str
    asked_desired_outcomes: str
    outcomes_achieved: str
    lacked_capacity: str
    advocacy: str


@dataclass(slots=True)
class ValidRisk:
    """One row of the risks file (`number` is its row number there)."""

    number: int
    case_ref: str
    types: tuple
    location: str
    source: str
    assessment: str
    result: str
    valid: bool = True


@dataclass
class Result:
    rows: list = field(default_factory=list)
    risks: list = field(default_factory=list)
    errors: list = field(default_factory=list)


def _date(value):
    try:
        if len(value) != 10:
            raise ValueError
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def _codes_message(values):
    return "must be one of " + ", ".join(values)


def _abuse_types(value, column, error):
    """The `;`-separated abuse type codes of `value` (errors reported on `column`)."""
    codes = [code.strip() for code in value.split(";")] if value else []
    if codes:
        if any(code not in ABUSE_CODES for code in codes):
            error(column, ABUSE_MESSAGE)
        elif len(set(codes)) != len(codes):
            error(column, "lists an abuse type more than once")
    return codes


def _is_concluded(raw):
    return bool(raw["enquiry_concluded"]) and raw["decision"] in ENQUIRY_DECISIONS


# The cases file, one validator per column group. Each reports through `error(column, message)`.


def _check_cells(raw, error):
    """Required cells, lengths and the single-code columns."""
    for name in REQUIRED_COLUMNS:
        if not raw[name]:
            error(name, "is required")
    for name, limit in MAX_LENGTH.items():
        if len(raw[name]) > limit:
            error(name, f"must be at most {limit} characters")
    for name, values in CODE_SETS.items():
        if raw[name] and raw[name] not in values:
            error(name, _codes_message(CODES[name]))


def _check_dates(raw, today, error):
    """The four dates: well formed, not in the future, birth before the concern; returns them parsed."""
    dates = {}
    for name in ("date_of_birth", "concern_received", "decision_date", "enquiry_concluded"):
        value = raw[name]
        if value:
            parsed = _date(value)
            if parsed is None:
                error(name, "must be a date written YYYY-MM-DD")
            elif parsed > today:
                error(name, "must not be in the future")
            else:
                dates[name] = parsed
    born, received = dates.get("date_of_birth"), dates.get("concern_received")
    if born and received and born > received:
        error("date_of_birth", "must not be after concern_received")
    return dates


def _check_decision(raw, dates, error):
    """The decision and the order of its dates: received, decided, concluded."""
    decision = raw["decision"]
    if decision in CODE_SETS["decision"]:
        if decision == PENDING and raw["decision_date"]:
            error("decision_date", "must be empty when the decision is pending")
        if decision != PENDING and not raw["decision_date"]:
            error("decision_date", "is required when a decision was made")
        if raw["enquiry_concluded"] and decision not in ENQUIRY_DECISIONS:
            error("enquiry_concluded", "is only for s42 and other_enquiry decisions")
    received, decided = dates.get("concern_received"), dates.get("decision_date")
    concluded = dates.get("enquiry_concluded")
    if decided and received and decided < received:
        error("decision_date", "must not be before concern_received")
    if concluded and decided and concluded < decided:
        error("enquiry_concluded", "must not be before decision_date")


def _check_row_risk(raw, risks_in_file, risks_file_given, error):
    """The case's one risk on its own row, or nothing there when its risks are in the risks file.

    `risks_in_file` is None when the risks file could not be read: then only the codes are checked.
    """
    if risks_in_file is None:
        return _abuse_types(raw["abuse_types"], "abuse_types", error)
    if risks_in_file:
        for name in (*ROW_RISK_COLUMNS, "risk_outcome"):
            if raw[name]:
                error(name, "must be empty: this case has its risks in the risks file")
        return []
    for name in ROW_RISK_COLUMNS:
        if not raw[name]:
            error(
                name, "is required when the case has no rows in the risks file" if risks_file_given else "is required"
            )
    concluded = _is_concluded(raw)
    if concluded and not raw["risk_outcome"]:
        error("risk_outcome", "is required for a concluded enquiry")
    elif not concluded and raw["risk_outcome"]:
        error("risk_outcome", "must be empty unless the enquiry is concluded")
    return _abuse_types(raw["abuse_types"], "abuse_types", error)


def _check_answers(raw, error):
    """The concluded enquiry's SAC answers: desired outcomes, capacity and advocacy."""
    concluded = _is_concluded(raw)
    for name in ("asked_desired_outcomes", "lacked_capacity"):
        if concluded and not raw[name]:
            error(name, "is required for a concluded enquiry")
        elif not concluded and raw[name]:
            error(name, "must be empty unless the enquiry is concluded")
    expressed = raw["asked_desired_outcomes"] == AskedDesiredOutcomes.ASKED_EXPRESSED
    if expressed and not raw["outcomes_achieved"]:
        error("outcomes_achieved", "is required when asked_desired_outcomes is asked_expressed")
    elif not expressed and raw["outcomes_achieved"]:
        error("outcomes_achieved", "must be empty unless asked_desired_outcomes is asked_expressed")
    lacked = raw["lacked_capacity"] == YesNoUnknown.YES
    if lacked and not raw["advocacy"]:
        error("advocacy", "is required when lacked_capacity is yes")
    elif not lacked and raw["advocacy"]:
        error("advocacy", "must be empty unless lacked_capacity is yes")


def _check_row(number, raw, errors, *, today, risk_refs=frozenset(), risks_file_given=False):
    """Validate one cases-file row (a dict of stripped strings); returns a ValidRow or None."""
    start = len(errors)

    def error(column, message):
        errors.append(f"row {number}, column {column}: {message}")

    _check_cells(raw, error)
    dates = _check_dates(raw, today, error)
    _check_decision(raw, dates, error)
    in_file = None if risk_refs is None else raw["case_ref"] in risk_refs
    abuse_types = _check_row_risk(raw, in_file, risks_file_given, error)
    _check_answers(raw, error)
    if len(errors) > start:
        return None
    codes = CODE_SETS
    return ValidRow(
        case_ref=raw["case_ref"],
        person_ref=raw["person_ref"],
        team=raw["team"],
        date_of_birth=dates.get("date_of_birth"),
        gender=codes["gender"].get(raw["gender"], Gender.UNKNOWN),
        ethnicity=codes["ethnicity"].get(raw["ethnicity"], Ethnicity.UNKNOWN),
        primary_support_reason=codes["primary_support_reason"].get(
            raw["primary_support_reason"], SupportReason.UNKNOWN
        ),
        health_condition=codes["health_condition"].get(raw["health_condition"], ""),
        concern_received=dates["concern_received"],
        decision=codes["decision"][raw["decision"]],
        decision_date=dates.get("decision_date"),
        enquiry_concluded=dates.get("enquiry_concluded"),
        abuse_types=abuse_types,
        location_of_risk=raw["location_of_risk"],
        source_of_risk=raw["source_of_risk"],
        risk_outcome=raw["risk_outcome"],
        asked_desired_outcomes=raw["asked_desired_outcomes"],
        outcomes_achieved=raw["outcomes_achieved"],
        lacked_capacity=raw["lacked_capacity"],
        advocacy=raw["advocacy"],
    )


# The risks file: the checks of one row alone, then those against the cases file.


def _check_risk_row(number, raw, errors, *, types_seen):
    """Validate one risks-file row on its own; returns a ValidRisk (valid=False if it has errors).

    `types_seen` maps a valid `types` cell to its codes, one tuple shared by every row that has it.
    """
    start = len(errors)

    def error(column, message):
        errors.append(f"{RISKS_LABEL}row {number}, column {column}: {message}")

    for name in ("case_ref", "types", "location", "source"):
        if not raw[name]:
            error(name, "is required")
    for name, values in RISK_CODE_SETS.items():
        if raw[name] and raw[name] not in values:
            error(name, _codes_message(RISK_CODES[name]))
    types = types_seen.get(raw["types"])
    if types is None:
        before = len(errors)
        types = tuple(_abuse_types(raw["types"], "types", error))
        if len(errors) == before:
            types_seen[raw["types"]] = types
    identified = raw["assessment"] in RISK_IDENTIFIED
    if identified and not raw["result"]:
        error("result", f"is required when assessment is {IDENTIFIED_MESSAGE}")
    elif not identified and raw["result"]:
        error("result", f"must be empty unless assessment is {IDENTIFIED_MESSAGE}")
    codes = RISK_CODE_SETS
    return ValidRisk(
        number=number,
        case_ref=raw["case_ref"],
        types=types,
        location=codes["location"].get(raw["location"], ""),
        source=codes["source"].get(raw["source"], ""),
        assessment=codes["assessment"].get(raw["assessment"], raw["assessment"]),
        result=codes["result"].get(raw["result"], ""),
        valid=len(errors) == start,
    )


def _check_risks_against_cases(risks, case_rows, concluded_refs, errors):
    """Each risk's case is in the cases file, assessed when (and only when) its enquiry concluded;
    if one risk of an enquiry is ceased, all of them are."""
    ceased_on = {}
    for risk in risks:
        if risk.assessment == RiskAssessment.CEASED:
            ceased_on.setdefault(risk.case_ref, risk.number)
    for risk in risks:
        start = len(errors)

        def error(column, message, number=risk.number):
            errors.append(f"{RISKS_LABEL}row {number}, column {column}: {message}")

        if risk.case_ref not in case_rows:
            error("case_ref", f"{_ref_label(risk.case_ref)} is not a case_ref of the cases file")
        elif risk.case_ref in concluded_refs:
            if not risk.assessment:
                error("assessment", "is required when the case's enquiry is concluded")
            elif risk.case_ref in ceased_on and risk.assessment != RiskAssessment.CEASED:
                error(
                    "assessment",
                    f"must be ceased: another risk of this enquiry (risks row {ceased_on[risk.case_ref]}) is ceased, "
                    "so all of them are",
                )
        elif risk.assessment:
            error("assessment", "must be empty unless the case's enquiry is concluded")
        if len(errors) > start:
            risk.valid = False


# Reading a file: the header, then each non-blank row as a dict of stripped cells.


def _read(stream, *, columns, optional=(), label="", errors):
    """Yield (number, raw, with_nul) for each row of a CSV file; header and CSV errors go to `errors`.

    `raw` maps every column (and every optional one, "" when absent) to its stripped cell;
    `with_nul` lists the columns whose cell holds a NUL character, which PostgreSQL cannot store.
    """

    def error(number, column, message):
        errors.append(f"{label}row {number}, column {column}: {message}")

    reader = csv.reader(stream)
    first = columns[0]
    try:
        header = [h.strip().lstrip("\ufeff") for h in next(reader)]
    except StopIteration:
        error(1, first, "the file is empty (expected a header row)")
        return
    except csv.Error as exc:
        error(1, first, f"not a readable CSV file ({exc})")
        return
    except UnicodeDecodeError:
        error(1, first, "the file is not UTF-8 text")
        return
    bad_header = False
    for name in header:
        if NUL in name:
            error(1, name.replace(NUL, NUL_SHOWN), NUL_MESSAGE)
            bad_header = True
    if bad_header:
        return
    known = [*columns, *optional]
    for name in columns:
        if name not in header:
            error(1, name, "the header has no such column")
            bad_header = True
    for name in sorted({h for h in header if h not in known}):
        error(1, name, "unknown column")
        bad_header = True
    if len(set(header)) != len(header):
        error(1, first, "the header lists a column twice")
        bad_header = True
    if bad_header:
        return

    present = [name for name in known if name in header]
    positions = [header.index(name) for name in present]
    absent = dict.fromkeys((name for name in optional if name not in header), "")
    width = len(header)
    number = 1
    try:
        for cells in reader:
            number += 1
            if not any(c.strip() for c in cells):
                continue  # a blank line is not a row
            if len(cells) != width:
                error(number, first, f"has {len(cells)} cells, the header has {width} columns")
                continue
            raw = {name: cells[i].strip() for name, i in zip(present, positions, strict=True)}
            if absent:
                raw.update(absent)
            with_nul = [name for name in present if NUL in raw[name]] if NUL in "".join(cells) else []
            yield number, raw, with_nul
    except csv.Error as exc:
        error(number + 1, first, f"not readable as CSV ({exc})")
    except UnicodeDecodeError:
        error(number + 1, first, "the file is not UTF-8 text")


def _check_with_nul(check, number, raw, with_nul, errors, label="", **options):
    """A row with NUL characters: one error for each such cell, and every other error of the row."""
    for name in with_nul:
        errors.append(f"{label}row {number}, column {name}: {NUL_MESSAGE}")
    others = []
    checked = check(number, {**raw, **dict.fromkeys(with_nul, "")}, others, **options)
    # The emptied cells would also report "is required"; their NUL error stands for them.
    emptied = tuple(f"{label}row {number}, column {name}:" for name in with_nul)
    errors.extend(message for message in others if not message.startswith(emptied))
    return checked


def _read_risks(stream, errors):
    """Every row of the risks file, checked on its own (rows without a usable case_ref left out)."""
    risks, types_seen = [], {}
    for number, raw, with_nul in _read(stream, columns=RISK_FILE_COLUMNS, label=RISKS_LABEL, errors=errors):
        if with_nul:
            risk = _check_with_nul(_check_risk_row, number, raw, with_nul, errors, RISKS_LABEL, types_seen=types_seen)
            risk.valid = False
        else:
            risk = _check_risk_row(number, raw, errors, types_seen=types_seen)
        if risk.case_ref and "case_ref" not in with_nul:
            risks.append(risk)
    return risks


def validate(stream, *, risks=None, today=None):
    """Check a whole cases file and its optional risks file (text streams).

    Returns a Result with the valid rows, the valid risks and every error, the cases file's
    first, each file's in row order.
    """
    today = today or timezone.localdate()
    result = Result()
    errors = result.errors
    risk_errors = []
    file_risks = _read_risks(risks, risk_errors) if risks is not None else []
    risk_refs = frozenset(risk.case_ref for risk in file_risks)
    if any(message.startswith(f"{RISKS_LABEL}row 1,") for message in risk_errors):
        risk_refs = None  # the risks file cannot be read: whose risks are where is not known
    options = {"today": today, "risk_refs": risk_refs, "risks_file_given": risks is not None}

    seen_refs = {}
    concluded_refs = set()
    for number, raw, with_nul in _read(stream, columns=COLUMNS, optional=OPTIONAL_COLUMNS, errors=errors):
        if with_nul:
            _check_with_nul(_check_row, number, raw, with_nul, errors, **options)
            row = None  # its NUL cells are errors
        else:
            row = _check_row(number, raw, errors, **options)
        ref = raw["case_ref"]
        if ref and "case_ref" not in with_nul:
            if ref in seen_refs:
                errors.append(
                    f"row {number}, column case_ref: {_ref_label(ref)} is already used on row {seen_refs[ref]}"
                )
                row = None
            else:
                seen_refs[ref] = number
                if _is_concluded(raw):
                    concluded_refs.add(ref)
        if row is not None:
            result.rows.append(row)

    # Against the database: importing a case_ref that exists is an error, not a duplicate.
    refs = list(seen_refs)
    for start in range(0, len(refs), _DB_CHECK_CHUNK):
        chunk = refs[start : start + _DB_CHECK_CHUNK]
        for ref in Case.objects.filter(ref__in=chunk).values_list("ref", flat=True):
            errors.append(f"row {seen_refs[ref]}, column case_ref: {_ref_label(ref)} already exists")
    if errors:
        errors.sort(key=_row_number)

    _check_risks_against_cases(file_risks, seen_refs, concluded_refs, risk_errors)
    if risk_errors:
        risk_errors.sort(key=_row_number)
        errors.extend(risk_errors)
    result.risks = [risk for risk in file_risks if risk.valid]
    return result


def _ref_label(ref):
    return f"case reference {ref[:40]!r}"


def _row_number(message):
    return int(message.removeprefix(RISKS_LABEL).split(",", 1)[0].removeprefix("row "))


def london_midnight(day):
    return datetime.datetime.combine(day, datetime.time(0), tzinfo=LONDON)


PERSON_ROW = row_maker(PERSON_COLUMNS)
CASE_ROW = row_maker(CASE_COLUMNS)
DECISION_ROW = row_maker(DECISION_COLUMNS)
ENQUIRY_ROW = row_maker(ENQUIRY_COLUMNS)
RISK_ROW = row_maker(RISK_COLUMNS)
# What an imported concern does not carry over from the old system.
IMPORTED_CONCERN = {
    "referrer_name": "",
    "referrer_agency": "",
    "referrer_relationship": "",
    "referrer_type": "",
    "what_happened": "",
    "others_at_risk_children": False,
    "others_at_risk_adults": False,
    "immediate_actions": "",
    "adult_aware": "not_known",
    "adult_wants": "",
}


@transaction.atomic
def import_rows(*, rows, risks=(), actor):
    """Write validated rows and risks in one transaction with bulk writes; audits one IMPORT event.

    Each case's risks are its row's one risk (version 1) or its rows of the risks file.
    """
    now = timezone.now()
    teams = _teams(rows, actor)
    people = _people(rows, now)
    case_ids = bulk.reserve_ids(Case, len(rows))
    actor_id = actor.pk if actor is not None else None
    with bulk.loading(case_ids):
        bulk.copy_rows(
            Case,
            CASE_COLUMNS,
            (_case_row(pk, row, people, teams, actor_id, now) for pk, row in zip(case_ids, rows, strict=True)),
        )
        risk_count = _write_risks(rows, case_ids, risks, now)
        bulk.copy_rows(
            Decision,
            DECISION_COLUMNS,
            (_decision_row(pk, row) for pk, row in zip(case_ids, rows, strict=True) if row.decision_date),
        )
        bulk.copy_rows(
            Enquiry,
            ENQUIRY_COLUMNS,
            (
                _enquiry_row(pk, row)
                for pk, row in zip(case_ids, rows, strict=True)
                if row.decision in ENQUIRY_DECISIONS
            ),
        )
        bulk.copy_rows(
            CaseEvent,
            EVENT_COLUMNS,
            ((pk, now, actor_id, "import", "Imported from the previous system.") for pk in case_ids),
        )
    # The counts only, never a value; a version-1 import says what it always said.
    detail = f"{len(rows)} cases and {risk_count} risks imported" if risks else f"{len(rows)} cases imported"
    audit.record(actor=actor, action=audit.AuditAction.IMPORT, object_type="cases.case", detail=detail)
    bulk.analyze([Person, Case, Risk, RiskType, Decision, Enquiry, CaseEvent])
    return len(rows)


def import_file(stream, *, risks=None, actor, today=None):
    """Validate the whole cases file (and risks file) and import them if valid.

    Returns the count of cases, or raises ImportFileError with every error of both files.
    """
    result = validate(stream, risks=risks, today=today)
    if result.errors:
        raise ImportFileError(result.errors)
    return import_rows(rows=result.rows, risks=result.risks, actor=actor)


def import_upload(uploaded, *, risks=None, actor):
    """Import uploaded files (bytes, UTF-8; `risks` optional) through `import_file`."""
    streams = [io.TextIOWrapper(f, encoding="utf-8-sig", newline="") for f in (uploaded, risks) if f is not None]
    try:
        return import_file(streams[0], risks=streams[1] if risks is not None else None, actor=actor)
    finally:
        for stream in streams:
            stream.detach()


def _teams(rows, actor):
    """Team ids by name; a team named in the file that does not exist yet is created (and audited)."""
    names = {r.team for r in rows}
    teams = {t.name: t.pk for t in Team.objects.filter(name__in=names)}
    for name in sorted(names - set(teams)):
        team = Team.objects.create(name=name)
        audit.record(actor=actor, action=audit.AuditAction.CREATE, obj=team, fields=["name"], detail="legacy import")
        teams[name] = team.pk
    return teams


def _people(rows, now):
    """Person ids by person_ref: an imported Person with that ref, or a new one from its first row."""
    person_refs = list(dict.fromkeys(r.person_ref for r in rows))
    people = {}
    for start in range(0, len(person_refs), _DB_CHECK_CHUNK):
        chunk = person_refs[start : start + _DB_CHECK_CHUNK]
        for pk, ref in Person.objects.filter(imported=True, legacy_ref__in=chunk).values_list("id", "legacy_ref"):
            people.setdefault(ref, pk)
    first_rows = {}
    for row in rows:
        if row.person_ref not in people:
            first_rows.setdefault(row.person_ref, row)
    new_ids = bulk.reserve_ids(Person, len(first_rows))
    person_rows = []
    for pk, (ref, row) in zip(new_ids, first_rows.items(), strict=True):
        people[ref] = pk
        person_rows.append(
            PERSON_ROW(
                {
                    "id": pk,
                    "legal_name": f"Imported adult {ref}",
                    "preferred_name": "",
                    "date_of_birth": row.date_of_birth,
                    "nhs_number": "",
                    "gender": row.gender,
                    "ethnicity": row.ethnicity,
                    "primary_support_reason": row.primary_support_reason,
                    "health_condition": row.health_condition,
                    "communication_needs": "",
                    "address": "",
                    "representative_contacts": "",
                    "legacy_ref": ref,
                    "imported": True,
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        )
    bulk.copy_rows(Person, PERSON_COLUMNS, person_rows)
    return people


def _write_risks(rows, case_ids, file_risks, now):
    """Each row's own risk (version 1, its risk_outcome mapped) and the risks file's, with their types."""
    risks = []  # (case_id, types, location, source, assessment, result)
    for pk, row in zip(case_ids, rows, strict=True):
        if row.abuse_types:
            assessment, result = V1_RISK_OUTCOME[row.risk_outcome] if row.risk_outcome else ("", "")
            risks.append((pk, row.abuse_types, row.location_of_risk, row.source_of_risk, assessment, result))
    if file_risks:
        case_id = {row.case_ref: pk for pk, row in zip(case_ids, rows, strict=True)}
        risks.extend((case_id[r.case_ref], r.types, r.location, r.source, r.assessment, r.result) for r in file_risks)
    risk_ids = bulk.reserve_ids(Risk, len(risks))
    bulk.copy_rows(
        Risk,
        RISK_COLUMNS,
        (
            RISK_ROW(
                {
                    "id": pk,
                    "case_id": risk[0],
                    "location": risk[2],
                    "source": risk[3],
                    "assessment": risk[4],
                    "result": risk[5],
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            for pk, risk in zip(risk_ids, risks, strict=True)
        ),
    )
    bulk.copy_rows(
        RiskType,
        RISK_TYPE_COLUMNS,
        ((pk, code) for pk, risk in zip(risk_ids, risks, strict=True) for code in risk[1]),
    )
    return len(risks)


def _state(row):
    if row.decision == PENDING:
        return CaseState.CONCERN
    if row.decision == DecisionOutcome.NO_FURTHER_ACTION:
        return CaseState.NO_FURTHER_ACTION
    return CaseState.CLOSED if row.enquiry_concluded else CaseState.ENQUIRY_OPEN


def _case_row(pk, row, people, teams, actor_id, now):
    state = _state(row)
    closed_at = None
    if state == CaseState.CLOSED:
        closed_at = london_midnight(row.enquiry_concluded)
    elif state == CaseState.NO_FURTHER_ACTION:
        closed_at = london_midnight(row.decision_date)
    return CASE_ROW(
        {
            "id": pk,
            "ref": row.case_ref,
            "person_id": people[row.person_ref],
            "team_id": teams[row.team],
            "state": state,
            "restricted": False,
            "imported": True,
            "version": 1,
            "received_at": london_midnight(row.concern_received),
            **IMPORTED_CONCERN,
            "decision_due": None,
            "closed_at": closed_at,
            "created_by_id": actor_id,
            "created_at": now,
            "updated_at": now,
        }
    )


def _decision_row(case_id, row):
    at = london_midnight(row.decision_date)
    enquiring = row.decision in ENQUIRY_DECISIONS
    return DECISION_ROW(
        {
            "case_id": case_id,
            "has_care_and_support_needs": enquiring,
            "care_and_support_rationale": IMPORTED_RATIONALE,
            "experiencing_abuse_or_neglect": enquiring,
            "abuse_or_neglect_rationale": IMPORTED_RATIONALE,
            "cannot_protect_self": row.decision == DecisionOutcome.S42,
            "protect_self_rationale": IMPORTED_RATIONALE,
            "outcome": row.decision,
            "signposting": "",
            "status": DecisionStatus.SIGNED_OFF,
            "proposed_by_id": None,
            "proposed_at": at,
            "reviewed_by_id": None,
            "reviewed_at": at,
            "review_comments": "",
            "decided_on": row.decision_date,
        }
    )


def _enquiry_row(case_id, row):
    return ENQUIRY_ROW(
        {
            "case_id": case_id,
            "kind": row.decision,
            "started_on": row.decision_date,
            "lead_practitioner_id": None,
            "allocated_at": None,
            "concluded_on": row.enquiry_concluded,
            "asked_desired_outcomes": row.asked_desired_outcomes,
            "asked_dont_know_reason": "",
            "outcomes_achieved": row.outcomes_achieved,
            "lacked_capacity": row.lacked_capacity,
            "advocacy": row.advocacy,
            "version": 1,
        }
    )
