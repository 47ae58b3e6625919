"""The legacy case import (`interchange.md` section 1): validate a whole CSV, then load it.

`validate()` reads every row and collects every error as `row N, column C: message` (the
header is row 1, the first data row is row 2). `import_file()` imports nothing unless the
whole file is valid, and then loads it in one transaction with bulk writes (COPY on
PostgreSQL), so a million rows take minutes.
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
    AbuseType,
    AskedDesiredOutcomes,
    DecisionOutcome,
    Ethnicity,
    Gender,
    LocationOfRisk,
    OutcomesAchieved,
    RiskOutcome,
    SourceOfRisk,
    SupportReason,
    YesNoUnknown,
)
from .models import Case, CaseAbuseType, CaseEvent, CaseState, Decision, DecisionStatus, Enquiry, Person
from .synthetic import CASE_COLUMNS, DECISION_COLUMNS, ENQUIRY_COLUMNS, PERSON_COLUMNS

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
REQUIRED_COLUMNS = ["case_ref", "person_ref", "team", "concern_received", "decision", "abuse_types"]
REQUIRED_COLUMNS += ["location_of_risk", "source_of_risk"]
PENDING = "pending"
DECISIONS = [*DecisionOutcome.values, PENDING]
ENQUIRY_DECISIONS = {DecisionOutcome.S42, DecisionOutcome.OTHER_ENQUIRY}
CODES = {
    "gender": Gender.values,
    "ethnicity": Ethnicity.values,
    "primary_support_reason": SupportReason.values,
    "decision": DECISIONS,
    "location_of_risk": LocationOfRisk.values,
    "source_of_risk": SourceOfRisk.values,
    "risk_outcome": RiskOutcome.values,
    "asked_desired_outcomes": AskedDesiredOutcomes.values,
    "outcomes_achieved": OutcomesAchieved.values,
    "lacked_capacity": YesNoUnknown.values,
    "advocacy": YesNoUnknown.values,
}
CODE_SETS = {name: frozenset(values) for name, values in CODES.items()}
ABUSE_CODES = frozenset(AbuseType.values)
MAX_LENGTH = {"case_ref": 40, "person_ref": 100, "team": 100}
IMPORTED_RATIONALE = "Imported from the previous system; the rationale was not carried over."
_DB_CHECK_CHUNK = 5_000
NUL = "\x00"
NUL_SHOWN = "\\x00"  # how a NUL in a column name is written in the message
NUL_MESSAGE = "must not contain a NUL character (byte 0)"


class ImportFileError(Exception):
    """The file is not valid; `errors` lists every problem as `row N, column C: message`."""

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
    concern_received: datetime.date
    decision: str
    decision_date: datetime.date | None
    enquiry_concluded: datetime.date | None
    abuse_types: list
    location_of_risk: str
    source_of_risk: str
    risk_outcome: str
    asked_desired_outcomes: str
    outcomes_achieved: str
    lacked_capacity: str
    advocacy: str


@dataclass
class Result:
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)


def _date(value):
    try:
        if len(value) != 10:
            raise ValueError
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def _codes_message(name):
    return "must be one of " + ", ".join(CODES[name])


def _check_row(number, raw, today, errors):
    """Validate one row (a dict of stripped strings); returns a ValidRow or None."""
    start = len(errors)

    def error(column, message):
        errors.append(f"row {number}, column {column}: {message}")

    for name in REQUIRED_COLUMNS:
        if not raw[name]:
            error(name, "is required")
    for name, limit in MAX_LENGTH.items():
        if len(raw[name]) > limit:
            error(name, f"must be at most {limit} characters")
    for name, values in CODE_SETS.items():
        if raw[name] and raw[name] not in values:
            error(name, _codes_message(name))

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

    decision = raw["decision"]
    received = dates.get("concern_received")
    decided = dates.get("decision_date")
    concluded = dates.get("enquiry_concluded")
    born = dates.get("date_of_birth")
    if born and received and born > received:
        error("date_of_birth", "must not be after concern_received")
    if decision in CODE_SETS["decision"]:
        if decision == PENDING and raw["decision_date"]:
            error("decision_date", "must be empty when the decision is pending")
        if decision != PENDING and not raw["decision_date"]:
            error("decision_date", "is required when a decision was made")
        if raw["enquiry_concluded"] and decision not in ENQUIRY_DECISIONS:
            error("enquiry_concluded", "is only for s42 and other_enquiry decisions")
    if decided and received and decided < received:
        error("decision_date", "must not be before concern_received")
    if concluded and decided and concluded < decided:
        error("enquiry_concluded", "must not be before decision_date")

    abuse_types = [code.strip() for code in raw["abuse_types"].split(";")] if raw["abuse_types"] else []
    if abuse_types:
        unknown = [code for code in abuse_types if code not in ABUSE_CODES]
        if unknown:
            error("abuse_types", "each must be one of " + ", ".join(AbuseType.values) + "; separated by ;")
        elif len(set(abuse_types)) != len(abuse_types):
            error("abuse_types", "lists an abuse type more than once")

    is_concluded = bool(raw["enquiry_concluded"]) and decision in ENQUIRY_DECISIONS
    for name in ("risk_outcome", "asked_desired_outcomes", "lacked_capacity"):
        if is_concluded and not raw[name]:
            error(name, "is required for a concluded enquiry")
        elif not is_concluded and raw[name]:
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

    if len(errors) > start:
        return None
    return ValidRow(
        case_ref=raw["case_ref"],
        person_ref=raw["person_ref"],
        team=raw["team"],
        date_of_birth=born,
        gender=raw["gender"] or Gender.UNKNOWN,
        ethnicity=raw["ethnicity"] or Ethnicity.UNKNOWN,
        primary_support_reason=raw["primary_support_reason"] or SupportReason.UNKNOWN,
        concern_received=received,
        decision=decision,
        decision_date=decided,
        enquiry_concluded=concluded,
        abuse_types=abuse_types,
        location_of_risk=raw["location_of_risk"],
        source_of_risk=raw["source_of_risk"],
        risk_outcome=raw["risk_outcome"],
        asked_desired_outcomes=raw["asked_desired_outcomes"],
        outcomes_achieved=raw["outcomes_achieved"],
        lacked_capacity=raw["lacked_capacity"],
        advocacy=raw["advocacy"],
    )


def _check_row_with_nul(number, raw, today, with_nul, errors):
    """A row with NUL characters: one error for each such cell, and every other error of the row."""
    for name in with_nul:
        errors.append(f"row {number}, column {name}: {NUL_MESSAGE}")
    others = []
    _check_row(number, {**raw, **dict.fromkeys(with_nul, "")}, today, others)
    # The emptied cells would also report "is required"; their NUL error stands for them.
    emptied = tuple(f"row {number}, column {name}:" for name in with_nul)
    errors.extend(message for message in others if not message.startswith(emptied))
    return None


def validate(stream, *, today=None):
    """Check a whole file (a text stream); returns a Result with the valid rows and every error."""
    today = today or timezone.localdate()
    result = Result()
    reader = csv.reader(stream)
    try:
        header = [h.strip().lstrip("\ufeff") for h in next(reader)]
    except StopIteration:
        result.errors.append("row 1, column case_ref: the file is empty (expected a header row)")
        return result
    except csv.Error as exc:
        result.errors.append(f"row 1, column case_ref: not a readable CSV file ({exc})")
        return result
    except UnicodeDecodeError:
        result.errors.append("row 1, column case_ref: the file is not UTF-8 text")
        return result
    # PostgreSQL cannot store a NUL character; refuse it as a cell error, never a traceback.
    for name in header:
        if NUL in name:
            shown = name.replace(NUL, NUL_SHOWN)
            result.errors.append(f"row 1, column {shown}: {NUL_MESSAGE}")
    if result.errors:
        return result
    missing = [name for name in COLUMNS if name not in header]
    for name in missing:
        result.errors.append(f"row 1, column {name}: the header has no such column")
    for name in sorted({h for h in header if h not in COLUMNS}):
        result.errors.append(f"row 1, column {name}: unknown column")
    if len(set(header)) != len(header):
        result.errors.append("row 1, column case_ref: the header lists a column twice")
    if result.errors:
        return result

    positions = [header.index(name) for name in COLUMNS]
    width = len(header)
    seen_refs = {}
    number = 1
    try:
        for cells in reader:
            number += 1
            if not any(c.strip() for c in cells):
                continue  # a blank line is not a row
            if len(cells) != width:
                result.errors.append(
                    f"row {number}, column case_ref: has {len(cells)} cells, the header has {width} columns"
                )
                continue
            raw = {name: cells[i].strip() for name, i in zip(COLUMNS, positions, strict=True)}
            with_nul = [name for name in COLUMNS if NUL in raw[name]] if NUL in "".join(cells) else []
            if with_nul:
                row = _check_row_with_nul(number, raw, today, with_nul, result.errors)
            else:
                row = _check_row(number, raw, today, result.errors)
            ref = raw["case_ref"]
            if ref and "case_ref" not in with_nul:
                if ref in seen_refs:
                    result.errors.append(
                        f"row {number}, column case_ref: {_ref_label(ref)} is already used on row {seen_refs[ref]}"
                    )
                    row = None
                else:
                    seen_refs[ref] = number
            if row is not None:
                result.rows.append(row)
    except csv.Error as exc:
        result.errors.append(f"row {number + 1}, column case_ref: not readable as CSV ({exc})")
    except UnicodeDecodeError:
        result.errors.append(f"row {number + 1}, column case_ref: the file is not UTF-8 text")

    # Against the database: importing a case_ref that exists is an error, not a duplicate.
    refs = list(seen_refs)
    for start in range(0, len(refs), _DB_CHECK_CHUNK):
        chunk = refs[start : start + _DB_CHECK_CHUNK]
        for ref in Case.objects.filter(ref__in=chunk).values_list("ref", flat=True):
            result.errors.append(f"row {seen_refs[ref]}, column case_ref: {_ref_label(ref)} already exists")
    if result.errors:
        result.errors.sort(key=_row_number)
    return result


def _ref_label(ref):
    return f"case reference {ref[:40]!r}"


def _row_number(message):
    return int(message.split(",", 1)[0].removeprefix("row "))


def london_midnight(day):
    return datetime.datetime.combine(day, datetime.time(0), tzinfo=LONDON)


@transaction.atomic
def import_rows(*, rows, actor):
    """Write validated rows in one transaction with bulk writes; audits one IMPORT event."""
    now = timezone.now()
    teams = {t.name: t.pk for t in Team.objects.filter(name__in={r.team for r in rows})}
    for name in sorted({r.team for r in rows} - set(teams)):
        team = Team.objects.create(name=name)
        audit.record(actor=actor, action=audit.AuditAction.CREATE, obj=team, fields=["name"], detail="legacy import")
        teams[name] = team.pk

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
            (
                pk,
                f"Imported adult {ref}",
                "",
                row.date_of_birth,
                "",
                row.gender,
                row.ethnicity,
                row.primary_support_reason,
                "",
                "",
                "",
                ref,
                True,
                1,
                now,
                now,
            )
        )
    bulk.copy_rows(Person, PERSON_COLUMNS, person_rows)

    case_ids = bulk.reserve_ids(Case, len(rows))
    bulk.copy_rows(
        Case,
        CASE_COLUMNS,
        (_case_row(pk, row, people, teams, actor, now) for pk, row in zip(case_ids, rows, strict=True)),
    )
    bulk.copy_rows(
        CaseAbuseType,
        ["case_id", "abuse_type"],
        ((pk, t) for pk, row in zip(case_ids, rows, strict=True) for t in row.abuse_types),
    )
    bulk.copy_rows(
        Decision,
        DECISION_COLUMNS,
        (_decision_row(pk, row) for pk, row in zip(case_ids, rows, strict=True) if row.decision_date),
    )
    bulk.copy_rows(
        Enquiry,
        ENQUIRY_COLUMNS,
        (_enquiry_row(pk, row) for pk, row in zip(case_ids, rows, strict=True) if row.decision in ENQUIRY_DECISIONS),
    )
    actor_id = actor.pk if actor is not None else None
    bulk.copy_rows(
        CaseEvent,
        ["case_id", "at", "actor_id", "kind", "summary"],
        ((pk, now, actor_id, "import", "Imported from the previous system.") for pk in case_ids),
    )
    audit.record(
        actor=actor,
        action=audit.AuditAction.IMPORT,
        object_type="cases.case",
        detail=f"{len(rows)} cases imported",
    )
    bulk.analyze([Person, Case, CaseAbuseType, Decision, Enquiry, CaseEvent])
    return len(rows)


def import_file(stream, *, actor, today=None):
    """Validate the whole file and import it if valid; returns the count or raises ImportFileError."""
    result = validate(stream, today=today)
    if result.errors:
        raise ImportFileError(result.errors)
    return import_rows(rows=result.rows, actor=actor)


def import_upload(uploaded, *, actor):
    """Import an uploaded file (bytes, UTF-8) through `import_file`."""
    stream = io.TextIOWrapper(uploaded, encoding="utf-8-sig", newline="")
    try:
        return import_file(stream, actor=actor)
    finally:
        stream.detach()


def _state(row):
    if row.decision == PENDING:
        return CaseState.CONCERN
    if row.decision == DecisionOutcome.NO_FURTHER_ACTION:
        return CaseState.NO_FURTHER_ACTION
    return CaseState.CLOSED if row.enquiry_concluded else CaseState.ENQUIRY_OPEN


def _case_row(pk, row, people, teams, actor, now):
    state = _state(row)
    closed_at = None
    if state == CaseState.CLOSED:
        closed_at = london_midnight(row.enquiry_concluded)
    elif state == CaseState.NO_FURTHER_ACTION:
        closed_at = london_midnight(row.decision_date)
    return (
        pk,
        row.case_ref,
        people[row.person_ref],
        teams[row.team],
        state,
        False,
        True,
        1,
        london_midnight(row.concern_received),
        "",
        "",
        "",
        "",
        row.location_of_risk,
        row.source_of_risk,
        False,
        False,
        "",
        "not_known",
        "",
        None,
        closed_at,
        actor.pk if actor is not None else None,
        now,
        now,
    )


def _decision_row(case_id, row):
    at = london_midnight(row.decision_date)
    enquiring = row.decision in ENQUIRY_DECISIONS
    return (
        case_id,
        enquiring,
        IMPORTED_RATIONALE,
        enquiring,
        IMPORTED_RATIONALE,
        row.decision == DecisionOutcome.S42,
        IMPORTED_RATIONALE,
        row.decision,
        "",
        DecisionStatus.SIGNED_OFF,
        None,
        at,
        None,
        at,
        "",
        row.decision_date,
    )


def _enquiry_row(case_id, row):
    return (
        case_id,
        row.decision,
        row.decision_date,
        None,
        None,
        row.enquiry_concluded,
        row.risk_outcome,
        row.asked_desired_outcomes,
        "",
        row.outcomes_achieved,
        row.lacked_capacity,
        row.advocacy,
        1,
    )
