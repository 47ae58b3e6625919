"""Synthetic people and cases for the demo and the benchmarks (`generate_demo_data`).

Everything is invented: names are built from made-up syllables, addresses are in the
fictional town of Demotown, NHS numbers come from the 999 range reserved for testing. The
mix of stages, abuse types, ages and SAC answers is loosely shaped like published
Safeguarding Adults Collection figures so that reports and caseloads look real.

Rows are written in chunks through `cases.bulk` (COPY on PostgreSQL). The output depends only
on the seed, the number of cases and `today`.
"""

import datetime
import random
from dataclasses import dataclass, field

from accounts.demo import ensure_demo_users
from msp.timezone import LONDON

from . import bulk
from .codes import (
    RISK_IDENTIFIED,
    AbuseType,
    AskedDesiredOutcomes,
    DecisionOutcome,
    Ethnicity,
    Gender,
    HealthCondition,
    LocationOfRisk,
    OutcomesAchieved,
    RiskAssessment,
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

YEARS = 5
# The shape of the generated data (3: providers named on risks); bench/harness.py regenerates a
# dataset made by another one.
DATA_VERSION = 3

FIRST_SYLLABLES = ["Al", "Bry", "Cor", "Dal", "Ely", "Fen", "Gor", "Hal", "Isk", "Jor", "Kel", "Lor", "Mab"]
FIRST_SYLLABLES += ["Nor", "Ols", "Pem", "Quil", "Ros", "Sel", "Tam", "Ulv", "Ves", "Wyn", "Yar", "Zel"]
FIRST_ENDINGS = ["a", "en", "ia", "o", "wyn", "et", "is", "ara", "ith", "ene", "ovan", "ud"]
LAST_STARTS = ["Brack", "Cobb", "Dunn", "Fal", "Garr", "Hollo", "Kest", "Lumm", "Marr", "Nettle", "Orr", "Pell"]
LAST_STARTS += ["Quarr", "Rudd", "Stell", "Thorn", "Umber", "Varr", "Whit", "Yarr"]
LAST_ENDINGS = ["ington", "wick", "ersby", "enholt", "ock", "amore", "iss", "ley-Synth", "over", "ingale"]
STREETS = ["Quillon", "Marrowby", "Fennick", "Oswold", "Tamberlane", "Velloway", "Grimsett", "Hollowmere"]
STREET_KINDS = ["Lane", "Close", "Road", "Way", "Court", "Gardens"]

# Weights loosely after the SAC: neglect and physical abuse most common, modern slavery rare.
ABUSE_WEIGHTS = {
    AbuseType.NEGLECT: 32,
    AbuseType.PHYSICAL: 18,
    AbuseType.PSYCHOLOGICAL: 15,
    AbuseType.FINANCIAL: 15,
    AbuseType.SELF_NEGLECT: 8,
    AbuseType.DOMESTIC: 6,
    AbuseType.ORGANISATIONAL: 4,
    AbuseType.SEXUAL: 3,
    AbuseType.DISCRIMINATORY: 0.6,
    AbuseType.SEXUAL_EXPLOITATION: 0.5,
    AbuseType.MODERN_SLAVERY: 0.3,
}
LOCATION_WEIGHTS = {
    LocationOfRisk.OWN_HOME: 45,
    LocationOfRisk.CARE_HOME_RESIDENTIAL: 15,
    LocationOfRisk.CARE_HOME_NURSING: 12,
    LocationOfRisk.COMMUNITY: 8,
    LocationOfRisk.COMMUNITY_SERVICE: 5,
    LocationOfRisk.HOSPITAL_ACUTE: 5,
    LocationOfRisk.HOSPITAL_MENTAL_HEALTH: 4,
    LocationOfRisk.HOSPITAL_COMMUNITY: 2,
    LocationOfRisk.OTHER: 4,
}
SOURCE_WEIGHTS = {SourceOfRisk.KNOWN: 55, SourceOfRisk.SERVICE_PROVIDER: 35, SourceOfRisk.UNKNOWN: 10}
GENDER_WEIGHTS = {Gender.FEMALE: 59, Gender.MALE: 39, Gender.OTHER: 0.5, Gender.UNKNOWN: 1.5}
ETHNICITY_WEIGHTS = {
    Ethnicity.WHITE: 80,
    Ethnicity.ASIAN: 6,
    Ethnicity.BLACK: 4,
    Ethnicity.MIXED: 2,
    Ethnicity.OTHER: 1,
    Ethnicity.REFUSED: 1,
    Ethnicity.UNKNOWN: 6,
}
SUPPORT_WEIGHTS = {
    SupportReason.PHYSICAL: 45,
    SupportReason.MEMORY_COGNITION: 12,
    SupportReason.MENTAL_HEALTH: 14,
    SupportReason.LEARNING_DISABILITY: 10,
    SupportReason.SENSORY: 2,
    SupportReason.SOCIAL: 4,
    SupportReason.NONE: 5,
    SupportReason.UNKNOWN: 8,
}
OUTCOME_WEIGHTS = {DecisionOutcome.NO_FURTHER_ACTION: 55, DecisionOutcome.S42: 35, DecisionOutcome.OTHER_ENQUIRY: 10}
# About 1.4 risks per concern, as in the SAC (each an allegation with its own types, place, source).
RISK_COUNT_WEIGHTS = {1: 68, 2: 24, 3: 8}
TYPE_COUNT_WEIGHTS = {1: 78, 2: 17, 3: 5}
# One concluded enquiry in twenty ceased at the adult's request; then all its risks are ceased.
CEASED_SHARE = 0.05
ASSESSMENT_WEIGHTS = {
    RiskAssessment.IDENTIFIED_ACTION: 62,
    RiskAssessment.IDENTIFIED_NO_ACTION: 6,
    RiskAssessment.INCONCLUSIVE_ACTION: 8,
    RiskAssessment.INCONCLUSIVE_NO_ACTION: 5,
    RiskAssessment.NO_RISK_ACTION: 5,
    RiskAssessment.NO_RISK_NO_ACTION: 14,
}
RESULT_WEIGHTS = {RiskResult.REDUCED: 60, RiskResult.REMOVED: 26, RiskResult.REMAINED: 14}
# SG1e: a few adults have autism or Asperger's recorded.
HEALTH_WEIGHTS = {"": 96.5, HealthCondition.AUTISM: 2.5, HealthCondition.ASPERGER: 1}
ASKED_WEIGHTS = {
    AskedDesiredOutcomes.ASKED_EXPRESSED: 65,
    AskedDesiredOutcomes.ASKED_NOT_EXPRESSED: 10,
    AskedDesiredOutcomes.NOT_ASKED: 14,
    AskedDesiredOutcomes.DONT_KNOW: 5,
    AskedDesiredOutcomes.NOT_RECORDED: 6,
}
ACHIEVED_WEIGHTS = {OutcomesAchieved.FULLY: 60, OutcomesAchieved.PARTIALLY: 32, OutcomesAchieved.NOT: 8}
CAPACITY_WEIGHTS = {YesNoUnknown.YES: 30, YesNoUnknown.NO: 55, YesNoUnknown.DONT_KNOW: 10, YesNoUnknown.NOT_RECORDED: 5}
ADVOCACY_WEIGHTS = {YesNoUnknown.YES: 80, YesNoUnknown.NO: 12, YesNoUnknown.DONT_KNOW: 5, YesNoUnknown.NOT_RECORDED: 3}

WHAT_HAPPENED = {
    AbuseType.NEGLECT: "Carers reported missed visits and the adult was found without food or medication.",
    AbuseType.PHYSICAL: "Unexplained bruising to both arms noticed during personal care.",
    AbuseType.PSYCHOLOGICAL: "The adult says a relative shouts at them and threatens to move them into a home.",
    AbuseType.FINANCIAL: "Bank reports large cash withdrawals the adult cannot explain.",
    AbuseType.SELF_NEGLECT: "Neighbours report the house is cold, cluttered and the adult is not eating.",
    AbuseType.DOMESTIC: "The adult disclosed that their partner controls where they go and who they see.",
    AbuseType.ORGANISATIONAL: "Several residents left in wet bedding overnight on the same unit.",
    AbuseType.SEXUAL: "The adult disclosed unwanted touching by a visitor.",
    AbuseType.DISCRIMINATORY: "The adult reports repeated insults about their disability from a neighbour.",
    AbuseType.SEXUAL_EXPLOITATION: "Concern that the adult is being given gifts in exchange for sexual activity.",
    AbuseType.MODERN_SLAVERY: "The adult appears to work long hours for no pay and has no access to their passport.",
}
# Who raised the concern: name, agency, relationship, and the SAB report's referrer type.
REFERRERS = [
    ("District nurse", "Community health services", "Nurse visiting weekly", "health"),
    ("Home care worker", "Demotown Care Agency", "Paid carer", "care_provider"),
    ("GP surgery", "Demotown Medical Practice", "GP", "health"),
    ("Ward sister", "Demotown General Hospital", "Hospital staff", "health"),
    ("Police officer", "Police", "Attended an incident", "police"),
    ("Daughter", "", "Family member", "public"),
    ("Neighbour", "", "Neighbour", "public"),
    ("Care home manager", "Willowmere Care Home", "Provider", "care_provider"),
]
ADULT_WANTS = [
    "To stay in my own home and feel safe there.",
    "I want my money back and for it to stop.",
    "I don't want my son to get into trouble, I just want him to stop shouting.",
    "To be able to see my friends again.",
    "I want the carers to come on time.",
    "",
]
RATIONALES = {
    "needs": "Receives a package of care for personal care and mobility.",
    "abuse": "The account and the evidence seen indicate a risk of harm.",
    "protect": "Relies on others for daily care and cannot stop what is happening without support.",
    "no_needs": "No current needs for care and support identified.",
    "protected": "Able to protect themselves with advice and information.",
}
SIGNPOSTING = "Information given about the local advice service and the carers' centre."


def weighted(rng, weights):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def synthetic_name(rng):
    first = rng.choice(FIRST_SYLLABLES) + rng.choice(FIRST_ENDINGS)
    last = rng.choice(LAST_STARTS) + rng.choice(LAST_ENDINGS)
    return first, last


def test_nhs_number(rng):
    """A 999-range NHS number (reserved for testing) with a valid check digit."""
    while True:
        digits = "999" + f"{rng.randrange(1_000_000):06d}"
        total = sum(int(d) * w for d, w in zip(digits, range(10, 1, -1), strict=True))
        check = 11 - total % 11
        if check == 11:
            check = 0
        if check != 10:
            return digits + str(check)


def age_years(rng):
    # Most adults in s42 enquiries are over 65, with a peak in the mid-80s.
    if rng.random() < 0.32:
        return rng.randint(18, 64)
    return min(105, int(rng.triangular(65, 106, 85)))


def london(day, hour=0, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


def working_days_after(day, n):
    while n:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def demo_staff():
    users = ensure_demo_users()
    from accounts.models import Team

    teams = {t.name: t for t in Team.objects.filter(name__in=["North Locality Team", "South Locality Team"])}
    teams.update({t.name: t for t in Team.objects.filter(name="Hospital Safeguarding Team")})
    return [
        (teams["North Locality Team"], 45, [users["practitioner"], users["practitioner2"]], users["manager"]),
        (teams["South Locality Team"], 35, [users["practitioner3"]], users["manager2"]),
        (teams["Hospital Safeguarding Team"], 20, [users["manager2"]], users["manager2"]),
    ]


PERSON_ROW = row_maker(PERSON_COLUMNS)
CASE_ROW = row_maker(CASE_COLUMNS)
DECISION_ROW = row_maker(DECISION_COLUMNS)
ENQUIRY_ROW = row_maker(ENQUIRY_COLUMNS)
RISK_ROW = row_maker(RISK_COLUMNS)
NO_ANSWERS = {
    "concluded_on": None,
    "asked_desired_outcomes": "",
    "asked_dont_know_reason": "",
    "outcomes_achieved": "",
    "lacked_capacity": "",
    "advocacy": "",
}


@dataclass(slots=True)
class SyntheticRisk:
    """One risk of a synthetic concern, before its primary key is reserved."""

    case_id: int
    types: tuple
    location: str
    source: str
    assessment: str = ""
    result: str = ""


@dataclass
class Rows:
    """The rows of one chunk, by table, in the order they are written."""

    cases: list = field(default_factory=list)
    risks: list = field(default_factory=list)
    decisions: list = field(default_factory=list)
    enquiries: list = field(default_factory=list)
    events: list = field(default_factory=list)


class Generator:
    """Builds `cases` synthetic cases in chunks; `case_ids_by_state` collects what was made."""

    def __init__(self, *, cases, seed, today=None, chunk=50_000, stdout=None):
        self.total = cases
        self.rng = random.Random(seed)
        self.today = today or datetime.date.today()
        self.chunk = chunk
        self.stdout = stdout
        self.case_ids_by_state = {state: [] for state in CaseState.values}
        self.counts = dict.fromkeys(["people", "cases", "risks", "risk_types", "decisions", "enquiries", "events"], 0)

    def run(self):
        self.staff = demo_staff()
        self.team_weights = [t[1] for t in self.staff]
        done = 0
        while done < self.total:
            size = min(self.chunk, self.total - done)
            self._chunk(size)
            done += size
            if self.stdout:
                self.stdout.write(f"  {done:,} of {self.total:,} cases")
        bulk.analyze([Person, Case, Risk, RiskType, Decision, Enquiry, CaseEvent])
        return self.counts

    def _received_day(self):
        rng = self.rng
        # A share of recent concerns keeps the open caseloads busy; the rest spread over 5 years.
        back = int(rng.triangular(0, 150, 0)) if rng.random() < 0.2 else rng.randrange(YEARS * 365)
        return self.today - datetime.timedelta(days=back)

    def _person(self, pid, now):
        rng = self.rng
        first, last = synthetic_name(rng)
        dob = None
        if rng.random() > 0.04:
            dob = self.today - datetime.timedelta(days=age_years(rng) * 365 + rng.randrange(365))
        comms = ""
        r = rng.random()
        if r < 0.05:
            comms = "Uses British Sign Language: book a BSL interpreter."
        elif r < 0.09:
            comms = "Prefers easy read letters."
        elif r < 0.12:
            comms = "Needs an interpreter (Polish)."
        return PERSON_ROW(
            {
                "id": pid,
                "legal_name": f"{first} {last}",
                "preferred_name": first if rng.random() < 0.3 else "",
                "date_of_birth": dob,
                "nhs_number": test_nhs_number(rng) if rng.random() < 0.7 else "",
                "gender": weighted(rng, GENDER_WEIGHTS),
                "ethnicity": weighted(rng, ETHNICITY_WEIGHTS),
                "primary_support_reason": weighted(rng, SUPPORT_WEIGHTS),
                "health_condition": weighted(rng, HEALTH_WEIGHTS),
                "communication_needs": comms,
                "address": f"{rng.randint(1, 199)} {rng.choice(STREETS)} {rng.choice(STREET_KINDS)}, Demotown, "
                f"DT{rng.randint(1, 9)}",
                "representative_contacts": "",
                "legacy_ref": "",
                "imported": False,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )

    def _chunk(self, size):
        rng = self.rng
        people_count = max(1, int(size * 0.8))
        person_ids = bulk.reserve_ids(Person, people_count)
        case_ids = bulk.reserve_ids(Case, size)
        now = london(self.today, 9)
        people = [self._person(pid, now) for pid in person_ids]
        rows = Rows()
        for i, case_id in enumerate(case_ids):
            person_id = person_ids[i] if i < people_count else rng.choice(person_ids)
            self._case(case_id, person_id, rows)
        risk_rows, type_rows = self._risk_rows(rows.risks, now)
        with bulk.loading(case_ids):
            bulk.copy_rows(Person, PERSON_COLUMNS, people)
            bulk.copy_rows(Case, CASE_COLUMNS, rows.cases)
            bulk.copy_rows(Risk, RISK_COLUMNS, risk_rows)
            bulk.copy_rows(RiskType, RISK_TYPE_COLUMNS, type_rows)
            bulk.copy_rows(Decision, DECISION_COLUMNS, rows.decisions)
            bulk.copy_rows(Enquiry, ENQUIRY_COLUMNS, rows.enquiries)
            bulk.copy_rows(CaseEvent, EVENT_COLUMNS, rows.events)
        for key, written in [
            ("people", people),
            ("cases", rows.cases),
            ("risks", risk_rows),
            ("risk_types", type_rows),
            ("decisions", rows.decisions),
            ("enquiries", rows.enquiries),
            ("events", rows.events),
        ]:
            self.counts[key] += len(written)

    def _risk_rows(self, risks, now):
        """The chunk's risks and their types as rows, with reserved primary keys."""
        risk_rows, type_rows = [], []
        for pk, risk in zip(bulk.reserve_ids(Risk, len(risks)), risks, strict=True):
            risk_rows.append(
                RISK_ROW(
                    {
                        "id": pk,
                        "case_id": risk.case_id,
                        "location": risk.location,
                        "source": risk.source,
                        "assessment": risk.assessment,
                        "result": risk.result,
                        "version": 1,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
            )
            type_rows.extend((pk, code) for code in risk.types)
        return risk_rows, type_rows

    def _case(self, case_id, person_id, rows):
        """One synthetic case: its risks, where it has got to on the journey, and its concern row."""
        rng = self.rng
        team, _w, practitioners, manager = rng.choices(self.staff, weights=self.team_weights)[0]
        worker = rng.choice(practitioners)
        day = self._received_day()
        received = london(day, rng.randint(8, 17), rng.randrange(60))
        risks = self._risks(case_id)
        referrer = rng.choice(REFERRERS)
        rows.events.append((case_id, received, None, "concern", f"Concern received from {referrer[0].lower()}."))
        state, closed_at = self._journey(case_id, day, received, worker, manager, rows)
        if state == CaseState.CLOSED:
            self._assess(risks)
        rows.risks.extend(risks)
        self.case_ids_by_state[state].append(case_id)
        created_at = received + datetime.timedelta(minutes=rng.randint(5, 240))
        rows.cases.append(
            CASE_ROW(
                {
                    "id": case_id,
                    "ref": f"MSP-{case_id:07d}",  # the scheme of a new case (cases.services)
                    "person_id": person_id,
                    "team_id": team.pk,
                    "state": state,
                    "restricted": False,
                    "imported": False,
                    "version": 1,
                    "received_at": received,
                    "referrer_name": referrer[0],
                    "referrer_agency": referrer[1],
                    "referrer_relationship": referrer[2],
                    "referrer_type": referrer[3],
                    "what_happened": WHAT_HAPPENED[risks[0].types[0]],
                    "others_at_risk_children": rng.random() < 0.05,
                    "others_at_risk_adults": rng.random() < 0.1,
                    "immediate_actions": "Adult seen and safe for now." if rng.random() < 0.6 else "",
                    "adult_aware": rng.choice(("yes", "yes", "no", "not_known")),
                    "adult_wants": rng.choice(ADULT_WANTS),
                    "decision_due": working_days_after(day, 2),
                    "closed_at": closed_at,
                    "created_by_id": worker.pk,
                    "created_at": created_at,
                    "updated_at": max(created_at, closed_at or created_at),
                }
            )
        )

    def _risks(self, case_id):
        """One to three risks, each with its own types, location and source (no two the same)."""
        rng = self.rng
        risks, seen = [], set()
        for _ in range(weighted(rng, RISK_COUNT_WEIGHTS)):
            for _attempt in range(5):
                count = weighted(rng, TYPE_COUNT_WEIGHTS)
                types = []
                while len(types) < count:
                    code = weighted(rng, ABUSE_WEIGHTS)
                    if code not in types:
                        types.append(code)
                key = (frozenset(types), weighted(rng, LOCATION_WEIGHTS), weighted(rng, SOURCE_WEIGHTS))
                if key not in seen:
                    break
            if key in seen:
                continue
            seen.add(key)
            risks.append(SyntheticRisk(case_id, tuple(types), key[1], key[2]))
        return risks

    def _assess(self, risks):
        """A concluded enquiry's outcome for each risk: all ceased, or each its own assessment."""
        rng = self.rng
        if rng.random() < CEASED_SHARE:
            for risk in risks:
                risk.assessment = RiskAssessment.CEASED
            return
        for risk in risks:
            risk.assessment = weighted(rng, ASSESSMENT_WEIGHTS)
            if risk.assessment in RISK_IDENTIFIED:
                risk.result = weighted(rng, RESULT_WEIGHTS)

    def _journey(self, case_id, day, received, worker, manager, rows):
        """Where the case has got to (its decision and enquiry rows); returns (state, closed_at)."""
        rng = self.rng
        age = (self.today - day).days
        # Recent concerns may still be waiting for a decision.
        state = None
        if age <= 10 and rng.random() < 0.45:
            state = CaseState.CONCERN
        decision_day = min(self.today, day + datetime.timedelta(days=rng.choice((0, 1, 1, 2, 3, 5))))
        proposed_at = max(received, london(decision_day, 10, rng.randrange(60)) - datetime.timedelta(hours=3))
        if state is None and age <= 14 and rng.random() < 0.5:
            state = CaseState.DECISION_PENDING
        outcome = weighted(rng, OUTCOME_WEIGHTS)
        if state == CaseState.CONCERN:
            return state, None
        self._decision(case_id, outcome, state, decision_day, proposed_at, worker, manager, rows)
        if state == CaseState.DECISION_PENDING:
            return state, None
        signed = proposed_at + datetime.timedelta(hours=2)
        if outcome == DecisionOutcome.NO_FURTHER_ACTION:
            rows.events.append((case_id, signed, manager.pk, "state:no_further_action", "Decision signed off."))
            return CaseState.NO_FURTHER_ACTION, signed
        rows.events.append((case_id, signed, manager.pk, "state:enquiry_open", "Decision signed off."))
        state = self._enquiry(case_id, outcome, decision_day, signed, worker, manager, rows)
        return state, rows.events[-1][1] if state == CaseState.CLOSED else None

    def _decision(self, case_id, outcome, state, decision_day, proposed_at, worker, manager, rows):
        """The s42 decision: proposed (state DECISION_PENDING) or signed off (state None)."""
        rng = self.rng
        enquiring = outcome != DecisionOutcome.NO_FURTHER_ACTION
        signed_off = state is None
        rows.decisions.append(
            DECISION_ROW(
                {
                    "case_id": case_id,
                    "has_care_and_support_needs": True if enquiring else rng.random() < 0.6,
                    "care_and_support_rationale": RATIONALES["needs"],
                    "experiencing_abuse_or_neglect": True if enquiring else rng.random() < 0.5,
                    "abuse_or_neglect_rationale": RATIONALES["abuse"],
                    "cannot_protect_self": enquiring and outcome == DecisionOutcome.S42,
                    "protect_self_rationale": RATIONALES["protect"] if enquiring else RATIONALES["protected"],
                    "outcome": outcome,
                    "signposting": "" if enquiring else SIGNPOSTING,
                    "status": DecisionStatus.SIGNED_OFF if signed_off else DecisionStatus.PROPOSED,
                    "proposed_by_id": worker.pk,
                    "proposed_at": proposed_at,
                    "reviewed_by_id": manager.pk if signed_off else None,
                    "reviewed_at": proposed_at + datetime.timedelta(hours=2) if signed_off else None,
                    "review_comments": "",
                    "decided_on": decision_day if signed_off else None,
                }
            )
        )
        rows.events.append((case_id, proposed_at, worker.pk, "decision:proposed", "Decision proposed for sign-off."))
        rows.events.append((case_id, proposed_at, worker.pk, "state:decision_pending", "Decision sent for sign-off."))

    def _enquiry(self, case_id, outcome, started_on, signed, worker, manager, rows):
        """The enquiry of a signed-off s42 or other decision; returns the case's state."""
        rng = self.rng
        events = rows.events
        # Only recent enquiries still wait for allocation.
        allocated = (self.today - started_on).days > 21 or rng.random() > 0.5
        allocated_at = signed + datetime.timedelta(hours=rng.randint(1, 48)) if allocated else None
        if allocated:
            events.append((case_id, allocated_at, manager.pk, "enquiry:allocated", "Enquiry allocated."))
        concluded_on = started_on + datetime.timedelta(days=int(rng.triangular(7, 240, 35)))
        answers = NO_ANSWERS
        if allocated and concluded_on <= self.today - datetime.timedelta(days=1):
            state = CaseState.CLOSED
            answers = self._sac_answers(concluded_on)
            proposed = london(concluded_on, 11) - datetime.timedelta(days=rng.randint(1, 5))
            events.append((case_id, proposed, worker.pk, "state:closure_pending", "Closure proposed."))
            events.append((case_id, london(concluded_on, 15), manager.pk, "state:closed", "Closure signed off."))
        else:
            state = CaseState.ENQUIRY_OPEN
            if allocated and rng.random() < 0.2:
                state = CaseState.CLOSURE_PENDING
                proposed = min(london(self.today, 9), allocated_at + datetime.timedelta(days=rng.randint(5, 60)))
                events.append((case_id, proposed, worker.pk, "state:closure_pending", "Closure proposed."))
        rows.enquiries.append(
            ENQUIRY_ROW(
                {
                    "case_id": case_id,
                    "kind": outcome,
                    "started_on": started_on,
                    "lead_practitioner_id": worker.pk if allocated else None,
                    "allocated_at": allocated_at,
                    **answers,
                    "version": 1,
                }
            )
        )
        return state

    def _sac_answers(self, concluded_on):
        """The SAC answers of an enquiry concluded on `concluded_on` (its risks are assessed apart)."""
        rng = self.rng
        asked = weighted(rng, ASKED_WEIGHTS)
        expressed = asked == AskedDesiredOutcomes.ASKED_EXPRESSED
        dont_know = asked == AskedDesiredOutcomes.DONT_KNOW
        capacity = weighted(rng, CAPACITY_WEIGHTS)
        return {
            "concluded_on": concluded_on,
            "asked_desired_outcomes": asked,
            "asked_dont_know_reason": "Adult too unwell to discuss at the time." if dont_know else "",
            "outcomes_achieved": weighted(rng, ACHIEVED_WEIGHTS) if expressed else "",
            "lacked_capacity": capacity,
            "advocacy": weighted(rng, ADVOCACY_WEIGHTS) if capacity == YesNoUnknown.YES else "",
        }
