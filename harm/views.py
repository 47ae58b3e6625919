"""People alleged to have caused harm. Thin: read through `selectors` (always through the case
access policy), write through `services`, render. Case workers name a person on a risk of a
case they may change; the register, a person's page across cases, merging and referrals to an
employer are for safeguarding leads. Every page read is audited; URLs carry ids only."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts import access, audit
from accounts.submissions import once_per_key
from cases.access import get_case_for_user
from cases.selectors import case_risks
from partnership.models import PartnerOrganisation

from . import forms, selectors, services
from .models import RiskPerson, TrustReferral

GET_POST = require_http_methods(["GET", "POST"])
LEADS = access.role_required(access.LEADS)
CASE_WORKERS = access.role_required(access.CASE_WORKERS)


def _person_url(person):
    return reverse("harm:person", args=[person.pk])


def _case_url(case):
    return reverse("cases:detail", args=[case.pk]) + "#people-alleged-heading"


def _posted(request):
    """The posted data, or None on a GET (an empty POST is an answer: nothing chosen)."""
    return request.POST if request.method == "POST" else None


def _view(request, obj, detail, case_id=None):
    audit.record(actor=request.user, action=audit.AuditAction.VIEW, obj=obj, case_id=case_id, detail=detail)


# Case workers: naming a person on a risk.


@CASE_WORKERS
@GET_POST
@once_per_key
def name_on_risk(request, pk):
    case = get_case_for_user(request.user, pk, write=True)
    risks = case_risks(case)
    named = {link.person_id: link.person for link in selectors.case_people(case)}
    form = forms.NameOnRiskForm(_posted(request), risks=risks, named=list(named.values()))
    if request.method == "GET":
        _view(request, case, "name a person alleged to have caused harm", case_id=case.pk)
    elif form.is_valid():
        risk = next(r for r in risks if r.pk == form.cleaned_data["risk"])
        try:
            services.name_on_risk(
                actor=request.user,
                case=case,
                risk=risk,
                relationship=form.cleaned_data["relationship"],
                person=form.existing_person,
                person_data=form.person_data(),
                risk_number=risk.number,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Person named on risk {risk.number}.")
            return redirect(_case_url(case))
    return render(request, "harm/name_on_risk.html", {"case": case, "form": form, "has_named": bool(named)})


@CASE_WORKERS
@GET_POST
def remove_from_risk(request, pk):
    link = get_object_or_404(RiskPerson.objects.only("id", "case_id"), pk=pk)
    case = get_case_for_user(request.user, link.case_id, write=True)  # 404 outside scope
    link = next(lk for lk in selectors.case_people(case) if lk.pk == link.pk)
    form = forms.RemoveForm(_posted(request))
    if request.method == "GET":
        _view(request, case, "take a person alleged off a risk", case_id=case.pk)
    elif form.is_valid():
        link.case = case
        services.remove_from_risk(
            actor=request.user, link=link, reason=form.cleaned_data["reason"], risk_number=link.risk_number
        )
        messages.success(request, f"Taken off risk {link.risk_number}. Their record stays for any other risks.")
        return redirect(_case_url(case))
    return render(request, "harm/remove.html", {"case": case, "link": link, "form": form})


# Safeguarding leads: the register across cases.


def _filters(request):
    provider = request.GET.get("provider", "")
    return {
        "repeat": request.GET.get("repeat") == "1",
        "trust": request.GET.get("trust") == "1",
        "awaiting": request.GET.get("awaiting") == "1",
        "provider": int(provider) if provider.isdigit() and len(provider) < 10 else None,
    }


@LEADS
@GET_POST
def register(request):
    filters = _filters(request)
    search = forms.NameSearchForm(_posted(request))
    name = search.cleaned_data["name"].strip() if search.is_valid() else ""
    people = selectors.register(request.user, name=name, **filters)
    page = Paginator(people, selectors.REGISTER_PAGE).get_page(request.GET.get("page"))
    audit.record(
        actor=request.user,
        action=audit.AuditAction.SEARCH if name else audit.AuditAction.VIEW,
        object_type="harm.register",
        detail=",".join(sorted(k for k, v in filters.items() if v)),
    )
    return render(
        request,
        "harm/register.html",
        {
            "page": page,
            "filters": filters,
            "name": name,
            "search": search,
            "matches": selectors.possible_matches(request.user) if not name else [],
            "providers": PartnerOrganisation.objects.providers().filter(people_alleged__isnull=False).distinct(),
        },
    )


def _lead_person(request, pk):
    """The record through the policy; a merged record sends the lead to the one it became."""
    person = selectors.person_for_lead(request.user, pk)
    return person, (redirect(_person_url(person.merged_into)) if person.merged_into_id else None)


@LEADS
@require_http_methods(["GET"])
def person(request, pk):
    person, merged = _lead_person(request, pk)
    if merged:
        messages.info(request, f"{person.label} was merged into {person.merged_into.label}.")
        return merged
    links, hidden = selectors.person_links(request.user, person)
    _view(request, person, "person")
    return render(
        request,
        "harm/person.html",
        {
            "person": person,
            "links": links,
            "hidden": hidden,
            "n_cases": len({link.case_id for link in links}),
            "referrals": selectors.referrals(person),
            "matches": selectors.possible_matches(request.user, person),
        },
    )


def _person_form_page(request, person, form, title, intro="", status=200):
    return render(
        request, "harm/form.html", {"person": person, "form": form, "title": title, "intro": intro}, status=status
    )


@LEADS
@GET_POST
def person_edit(request, pk):
    person, merged = _lead_person(request, pk)
    if merged:
        return merged
    initial = {f: getattr(person, f) for f in services.PERSON_FIELDS}
    form = forms.PersonForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = services.update_person(actor=request.user, person=person, data=form.person_data())
        messages.success(request, "Details corrected." if changed else "Nothing was changed.")
        return redirect(_person_url(person))
    intro = "The record is shared by every case naming them."
    return _person_form_page(request, person, form, "Correct their details", intro)


@LEADS
@GET_POST
def merge(request, pk):
    person, merged = _lead_person(request, pk)
    if merged:
        return merged
    matches = selectors.possible_matches(request.user, person)
    initial = {"other": matches[0].label} if len(matches) == 1 else {}
    form = forms.MergeForm(_posted(request), person=person, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        other = form.cleaned_data["other"]
        try:
            services.merge(actor=request.user, keep=person, other=other)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            message = f"{other.label} merged into {person.label}: one record now for every case naming them."
            messages.success(request, message)
            return redirect(_person_url(person))
    return render(request, "harm/merge.html", {"person": person, "form": form, "matches": matches})


@LEADS
@GET_POST
@once_per_key
def referral_add(request, pk):
    person, merged = _lead_person(request, pk)
    if merged:
        return merged
    links, _hidden = selectors.person_links(request.user, person)
    cases = list({link.case_id: link.case for link in links}.values())
    form = forms.ReferralForm(_posted(request), cases=cases, initial={"employer": person.employer})
    if request.method == "POST" and form.is_valid():
        services.add_referral(actor=request.user, person=person, data=form.cleaned_data)
        messages.success(request, "Referral to their employer recorded.")
        return redirect(_person_url(person))
    intro = (
        "A people-in-positions-of-trust referral: the employer or organisation is told of the allegation so it can "
        "consider the risk in their role."
    )
    return _person_form_page(request, person, form, "Record a referral to their employer", intro)


@LEADS
@GET_POST
def referral_outcome(request, pk):
    referral = get_object_or_404(TrustReferral.objects.select_related("person"), pk=pk)
    person, merged = _lead_person(request, referral.person_id)
    if merged:
        return merged
    form = forms.OutcomeForm(_posted(request), instance=referral, initial={"version": referral.version})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            version = form.cleaned_data["version"]
            services.record_outcome(
                actor=request.user, referral=referral, expected_version=version, data=form.cleaned_data
            )
        except ValidationError as error:
            data = request.POST.copy()
            data["version"] = TrustReferral.objects.get(pk=referral.pk).version
            form = forms.OutcomeForm(data, instance=TrustReferral.objects.get(pk=referral.pk))
            form.is_valid()
            form.add_error(None, error)
            status = 409
        else:
            messages.success(request, "Outcome recorded.")
            return redirect(_person_url(person))
    intro = f"Referral to {referral.employer}, {referral.referred_on:%-d %B %Y}."
    return _person_form_page(request, person, form, "Record the employer's outcome", intro, status=status)
