"""Reads of organisational enquiries. The enquiries themselves are the safeguarding leads'
(`role_required(LEADS)` on every page); the adults' cases linked to one are read through the
case access policy (`case_scope`), so a lead sees only the linked cases they could see anyway."""

from django.db.models import Count, Exists, OuterRef
from django.http import Http404

from accounts.access import MANAGERS
from accounts.models import User
from cases.access import case_scope
from cases.models import Case, Risk

from .models import LinkedCase, OrganisationalEnquiry

SUGGESTED_CASES = 50


def enquiries():
    """Every organisational enquiry, open ones first, with its count of linked cases."""
    return (
        OrganisationalEnquiry.objects.select_related("provider", "lead_officer")
        .annotate(n_cases=Count("linked_cases"))
        .order_by("concluded_on", "-opened_on", "-id")
    )


def enquiry(pk):
    found = OrganisationalEnquiry.objects.select_related("provider", "lead_officer", "opened_by", "concluded_by")
    found = found.filter(pk=pk).first()
    if found is None:
        raise Http404("No such organisational enquiry.")
    return found


def linked_cases(user, enquiry):
    """(the links whose case the user may see, with case and adult; how many others there are)."""
    links = LinkedCase.objects.filter(enquiry=enquiry)
    visible = list(
        links.filter(case_scope(user, prefix="case__")).select_related("case__person", "case__team", "linked_by")
    )
    return visible, links.count() - len(visible)


def link_for_user(user, pk):
    """One link whose case is in the user's scope (404 otherwise)."""
    link = LinkedCase.objects.filter(case_scope(user, prefix="case__"), pk=pk).select_related(
        "enquiry__provider", "case"
    )
    found = link.first()
    if found is None:
        raise Http404("No such linked case.")
    return found


def suggested_cases(user, enquiry):
    """Cases in the user's scope with a risk naming the enquiry's provider, not yet linked: newest first."""
    names = Risk.objects.filter(case=OuterRef("pk"), provider=enquiry.provider_id)
    linked = LinkedCase.objects.filter(case=OuterRef("pk"), enquiry=enquiry)
    return list(
        Case.objects.filter(case_scope(user))
        .filter(Exists(names))
        .exclude(Exists(linked))
        .select_related("person", "team")
        .order_by("-received_at", "-id")[:SUGGESTED_CASES]
    )


def cases_by_ref(user, refs):
    """{reference in upper case: case} of the cases in the user's scope with these references
    (as typed or in upper case)."""
    wanted = {ref.strip() for ref in refs if ref.strip()}
    wanted |= {ref.upper() for ref in wanted}
    cases = Case.objects.filter(case_scope(user), ref__in=wanted).select_related("person")
    return {case.ref.upper(): case for case in cases}


def case_links(case):
    """The organisational enquiries a case (already fetched through the access policy) is linked to."""
    return LinkedCase.objects.filter(case=case).select_related("enquiry__provider", "enquiry__lead_officer")


def managers_and_leads():
    """Who may lead an organisational enquiry or be named at its meetings: active managers and
    safeguarding leads."""
    return User.objects.filter(is_active=True, role__in=MANAGERS).order_by("first_name", "last_name", "username")
