"""Reads of people alleged to have caused harm, always through the case access policy: a user
sees a person's links only on cases they could see anyway (`case_scope`), and the register
lists only people named on at least one such case."""

from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from cases.access import case_scope

from .models import IN_POSITION_OF_TRUST, PersonAlleged, ReferralOutcome, RiskPerson, TrustReferral

REGISTER_PAGE = 50


def _visible_links(user):
    return RiskPerson.objects.filter(case_scope(user, prefix="case__"))


def case_people(case):
    """The people named on the case's risks (the case already fetched through the policy), each
    link with its person and its risk's number on the case, in one query (two where the case's
    risks are not already prefetched)."""
    numbers = {risk.pk: n for n, risk in enumerate(case.risks.all(), start=1)}
    links = list(RiskPerson.objects.filter(case=case).select_related("person", "person__provider", "added_by"))
    for link in links:
        link.risk_number = numbers.get(link.risk_id)
    links.sort(key=lambda link: (link.risk_number or 0, link.pk))
    return links


def register(user, *, repeat=False, trust=False, provider=None, awaiting=False, name=""):
    """The people named on cases `user` may see, each with `n_cases` (cases they may see), their
    latest referral's outcome, filtered as asked; people on most cases first."""
    visible = (
        _visible_links(user)
        .filter(person=OuterRef("pk"))
        .order_by()
        .values("person")
        .annotate(n=Count("case", distinct=True))
        .values("n")
    )
    latest = TrustReferral.objects.filter(person=OuterRef("pk")).order_by("-referred_on", "-id").values("outcome")[:1]
    people = (
        PersonAlleged.objects.current()
        .select_related("provider")
        .annotate(n_cases=Coalesce(Subquery(visible), 0), latest_referral=Subquery(latest))
        .filter(n_cases__gt=0)
    )
    if repeat:
        people = people.filter(n_cases__gt=1)
    if trust:
        people = people.filter(position_of_trust__in=list(IN_POSITION_OF_TRUST))
    if provider:
        people = people.filter(provider=provider)
    if awaiting:
        awaited = TrustReferral.objects.filter(person=OuterRef("pk"), outcome=ReferralOutcome.AWAITING)
        people = people.filter(Exists(awaited))
    if name:
        people = people.filter(name__icontains=name.strip())
    return people.order_by("-n_cases", "name", "id")


def possible_matches(user, person=None):
    """Groups of current records that may be the same person: the same name (ignoring case and
    spaces) and no two different dates of birth. Only people on cases `user` may see. With
    `person`, the records that may match that one."""
    visible_people = PersonAlleged.objects.current().filter(Exists(_visible_links(user).filter(person=OuterRef("pk"))))
    if person is not None:
        others = visible_people.filter(match_key=person.match_key).exclude(pk=person.pk).select_related("provider")
        return [other for other in others if _compatible(person, other)]
    repeated = visible_people.values("match_key").order_by().annotate(n=Count("id")).filter(n__gt=1)
    groups = {}
    for candidate in visible_people.filter(match_key__in=repeated.values("match_key")).order_by("match_key", "id"):
        groups.setdefault(candidate.match_key, []).append(candidate)
    # A group is kept while two of its records could be one person (not every date of birth differs).
    return [
        group
        for group in groups.values()
        if len({p.date_of_birth or p.pk for p in group}) < len(group) or any(p.date_of_birth is None for p in group)
    ]


def _compatible(a, b):
    return a.date_of_birth is None or b.date_of_birth is None or a.date_of_birth == b.date_of_birth


def person_for_lead(user, pk):
    """One current record named on a case `user` may see (404 otherwise: a merged record
    answers with the one it became, through the view)."""
    person = get_object_or_404(PersonAlleged.objects.select_related("provider", "merged_into"), pk=pk)
    if not _visible_links(user).filter(person=person.merged_into or person).exists():
        raise Http404("No such person.")
    return person


def visible_current(user, pk):
    """A current record named on a case `user` may see, or None."""
    people = PersonAlleged.objects.current().filter(pk=pk)
    return people.filter(Exists(_visible_links(user).filter(person=OuterRef("pk")))).first()


def person_links(user, person):
    """The person's links on cases `user` may see (with case, team and risk), and how many more
    links are on cases they may not."""
    links = list(
        _visible_links(user)
        .filter(person=person)
        .select_related("case", "case__team", "case__person", "risk", "risk__provider")
        .prefetch_related("risk__types")
        .order_by("-case__received_at", "id")
    )
    hidden = RiskPerson.objects.filter(person=person).count() - len(links)
    return links, hidden


def referrals(person):
    return person.referrals.select_related("case", "recorded_by")


def subject_access_lines(cases):
    """For the adult's subject access export: each person named on their cases, as the risk
    number and the relationship only (the person's own data is redacted)."""
    return [
        {"case": case, "risk_number": link.risk_number, "relationship": link.get_relationship_display()}
        for case in cases
        for link in case_people(case)
    ]
