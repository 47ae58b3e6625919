"""Reads of case data. Every one starts from the access policy's scope."""

import re
from difflib import SequenceMatcher

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q

from accounts.models import AccessGrantRequest, AuditAction, AuditEvent, Role, User

from .access import case_scope, enquiry_leads, get_case_for_user
from .models import ENQUIRY_STATES, Case, CaseEvent, Decision, Enquiry, Person, Risk

LIST_PAGE_SIZE = 25
RECENT_EVENTS = 10
NAME_SIMILARITY = 0.75


class ListPage:
    """One page of results without a COUNT(*): a million-row count is slower than the page itself."""

    def __init__(self, queryset, number, size):
        self.number = number
        rows = self.fetch(queryset, number, size)
        self.has_next = len(rows) > size
        self.object_list = rows[:size]
        self.has_previous = number > 1
        self.previous_page_number = number - 1
        self.next_page_number = number + 1

    def fetch(self, queryset, number, size):
        """The page's rows and one more (to know whether there is a next page)."""
        return list(queryset[(number - 1) * size : number * size + 1])

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)


def case_list(*, user):
    """Cases the user may see, newest concern first, with what a list row shows."""
    return (
        Case.objects.filter(case_scope(user))
        .select_related("person", "team", "enquiry__lead_practitioner")
        .order_by("-received_at", "-id")
    )


def search_cases(queryset, text):
    """Narrow cases to a case reference, an NHS number, or every word of a legal or preferred name."""
    text = (text or "").strip()
    if not text:
        return queryset
    digits = re.sub(r"[\s-]", "", text)
    if digits.isdigit() and len(digits) == 10:
        return queryset.filter(person__nhs_number=digits)
    words = text.split()[:5]
    people = Person.objects.all()
    for word in words:
        people = people.filter(Q(legal_name__icontains=word) | Q(preferred_name__icontains=word))
    # A UNION of two index lookups (the unique ref; the trigram name indexes, then person_id),
    # rather than an OR, which would make PostgreSQL test every case in date order.
    by_ref = Case.objects.filter(ref__in={text, text.upper()}).values("pk")
    by_name = Case.objects.filter(person_id__in=people.values("id")).values("pk")
    return queryset.filter(pk__in=by_ref.union(by_name))


def case_detail_queryset():
    return Case.objects.select_related(
        "person", "team", "created_by", "enquiry__lead_practitioner", "closure_review__signed_off_by"
    )


def case_page(*, user, pk, write=False):
    """One case through the policy, with everything the case page shows loaded in fixed queries."""
    queryset = case_detail_queryset().prefetch_related(
        Prefetch("risks", queryset=Risk.objects.select_related("provider").prefetch_related("types")),
        Prefetch("decisions", queryset=Decision.objects.select_related("proposed_by", "reviewed_by")),
    )
    return get_case_for_user(user, pk, write=write, queryset=queryset)


def case_risks(case):
    """The case's risks, numbered from 1 in the order recorded, each with its `history` (every
    kept version, newest first; empty until corrected), in two queries (three where a version
    names a provider)."""
    from .models import RiskRevision

    history = {}
    revisions = RiskRevision.objects.filter(case=case).select_related("changed_by").order_by("-version")
    for revision in RiskRevision.name_providers(list(revisions)):
        history.setdefault(revision.risk_id, []).append(revision)
    risks = list(case.risks.all())
    for number, risk in enumerate(risks, start=1):
        risk.number = number
        risk.history = history.get(risk.pk, [])
    return risks


def current_decision(case):
    """The newest decision on the case (from the prefetched list), or None."""
    decisions = list(case.decisions.all())
    return decisions[0] if decisions else None


def recent_events(*, case, limit=RECENT_EVENTS):
    """The latest chronology lines, oldest first, for the case page."""
    latest = list(CaseEvent.objects.filter(case=case).select_related("actor").order_by("-at", "-id")[:limit])
    return latest[::-1]


def chronology(*, case):
    """Every chronology line of the case, oldest first."""
    return CaseEvent.objects.filter(case=case).select_related("actor").order_by("at", "id")


def possible_duplicates(*, user, legal_name="", preferred_name="", date_of_birth=None, nhs_number=""):
    """People the user can already see (through a case in scope) who may be this adult:
    the same NHS number, or the same date of birth and a similar name."""
    in_scope = Exists(Case.objects.filter(case_scope(user)).filter(person_id=OuterRef("pk")))
    match = Q(pk__in=[])
    if nhs_number:
        match |= Q(nhs_number=nhs_number)
    if date_of_birth:
        match |= Q(date_of_birth=date_of_birth)
    candidates = (
        Person.objects.filter(match)
        .filter(in_scope)
        .annotate(case_count=Count("cases", distinct=True), last_received=Max("cases__received_at"))
        .order_by("legal_name", "pk")[:50]
    )
    names = [n.lower() for n in (legal_name, preferred_name) if n]
    found = []
    for person in candidates:
        if nhs_number and person.nhs_number == nhs_number:
            person.match_reason = "Same NHS number"
            found.append(person)
        elif _similar_name(names, person):
            person.match_reason = "Same date of birth and a similar name"
            found.append(person)
    return found


def _similar_name(names, person):
    theirs = [n.lower() for n in (person.legal_name, person.preferred_name) if n]
    for mine in names:
        for other in theirs:
            if SequenceMatcher(None, mine, other).ratio() >= NAME_SIMILARITY:
                return True
            # Same surname and same first initial: "Margaret Oakes" and "M. Oakes".
            a, b = mine.replace(".", " ").split(), other.replace(".", " ").split()
            if a and b and a[-1] == b[-1] and a[0][0] == b[0][0]:
                return True
    return False


def allocatable_practitioners(*, case):
    """Who in the case's team may lead its enquiry (`access.enquiry_leads`)."""
    return enquiry_leads().filter(memberships__team_id=case.team_id).order_by("first_name", "last_name", "username")


def open_caseloads(users, *, viewer):
    """{user id: open enquiries they lead, in the viewer's scope (as the caseload page counts
    them)} for `users`: their ids, then one grouped query over their open enquiries, whatever the
    number of users (a correlated count per person read every open enquiry once per person)."""
    # The users' ids as values (one small query), not a subquery: knowing them, PostgreSQL reads
    # their enquiries from the index by lead (at a million cases 60 ms, not 140-330 ms).
    rows = (
        Enquiry.objects.filter(case_scope(viewer, prefix="case__"))
        .filter(
            lead_practitioner__in=list(users.order_by().values_list("pk", flat=True)),
            concluded_on__isnull=True,
            case__state__in=ENQUIRY_STATES,
        )
        .order_by()
        .values("lead_practitioner")
        .annotate(n=Count("pk"))
    )
    return {row["lead_practitioner"]: row["n"] for row in rows}


def with_caseload_label(user, load=None):
    """A practitioner as the allocation lists name them: name, role and open caseload."""
    label = f"{user.display_name} ({user.get_role_display()})"
    if load is None:
        return label
    return f"{label}: {load} open {'enquiry' if load == 1 else 'enquiries'}"


class CaseloadLabels:
    """`label_from_instance` of a practitioner choice field: each name with its open caseload,
    the caseloads read once (`open_caseloads`) when the first label is drawn."""

    def __init__(self, users, *, viewer):
        self.users, self.viewer, self.loads = users, viewer, None

    def __call__(self, user):
        if self.loads is None:
            self.loads = open_caseloads(self.users, viewer=self.viewer)
        return with_caseload_label(user, self.loads.get(user.pk, 0))


def case_access_log(*, case):
    """Who has read or changed this case, newest first."""
    return AuditEvent.objects.filter(case_id=case.pk).select_related("actor").order_by("-at", "-id")


def case_readers(*, case):
    """Distinct users who viewed this case and when they last did."""
    return (
        AuditEvent.objects.filter(case_id=case.pk, action=AuditAction.VIEW)
        .values("actor__username", "actor__first_name", "actor__last_name")
        .annotate(last_viewed=Max("at"), views=Count("id"))
        .order_by("-last_viewed")
    )


def restriction_candidates(*, case):
    """Users who could see this case once named: active case workers of its team, and leads.

    Anyone else would still be outside the case's team scope (cases.access.case_scope).
    """
    return (
        User.objects.filter(is_active=True)
        .filter(Q(role__in=[Role.PRACTITIONER, Role.MANAGER], memberships__team_id=case.team_id) | Q(role=Role.LEAD))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def case_named(*, case):
    """The users named on a restricted case, with who named them."""
    return case.access_grants.select_related("user", "granted_by").order_by("user__first_name", "user__username")


def case_pending_names(*, case):
    """Names on this case waiting for a safeguarding lead's approval."""
    return AccessGrantRequest.objects.pending().filter(case=case).select_related("user", "requested_by")
