"""Case journey pages. Thin: check access, parse the form, call a selector or service, render."""

import datetime
import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods

from accounts import access, audit
from accounts.submissions import once_per_key
from accounts.text import MULTI_LINE_LIMIT

from . import risks, selectors, services, workflow
from .access import IMPORTED_CASE_REFUSAL, can_edit_case, get_case_for_user, may_change_imported
from .filters import CaseFilter
from .forms import (
    AllocationForm,
    ConcernEditForm,
    ConcernForm,
    DecisionForm,
    DecisionReviewForm,
    PersonEditForm,
    PersonForm,
    PersonMatchForm,
    ReopenForm,
    RestrictionForm,
    RiskAddForm,
    RiskCorrectionForm,
    RiskFormSet,
    concern_page_context,
    posted_risk_action,
    risk_formset_initial,
    without_errors,
)
from .models import CaseState, DecisionStatus, Risk
from .selectors import ListPage


def page_number(request):
    try:
        return max(1, min(int(request.GET.get("page", 1)), 10_000))
    except ValueError:
        return 1


def _view_audit(request, case, detail=""):
    audit.record(actor=request.user, action=audit.AuditAction.VIEW, obj=case, case_id=case.pk, detail=detail)


def _refuse(request, case, error):
    messages.error(request, " ".join(getattr(error, "messages", None) or [str(error)]))
    return redirect("cases:detail", case.pk)


SEARCHES_SESSION_KEY = "case_searches"
URL_FILTERS = ("team", "stage", "abuse_type", "received_from", "received_to", "overdue")


def _search_redirect(request):
    """Move posted filters into the URL, but the search text (a name or an NHS number is
    personal data) into the session, referred to from the URL by a random token."""
    params = QueryDict(mutable=True)
    for name in URL_FILTERS:
        if request.POST.get(name):
            params[name] = request.POST[name]
    # Kept whole (up to the multi-line limit) so a search that is too long is shown back with
    # the filter form's message, not silently cut to the limit.
    text = request.POST.get("q", "").strip()[:MULTI_LINE_LIMIT]
    if text:
        token = secrets.token_urlsafe(6)
        searches = request.session.get(SEARCHES_SESSION_KEY, {})
        searches[token] = text
        request.session[SEARCHES_SESSION_KEY] = dict(list(searches.items())[-20:])
        params["s"] = token
    return redirect(reverse("cases:list") + (f"?{params.urlencode()}" if params else ""))


@access.role_required(access.CASE_WORKERS)
@require_http_methods(["GET", "POST"])
def case_list(request):
    if request.method == "POST":
        return _search_redirect(request)
    data = request.GET.copy()
    data.pop("q", None)  # search text never comes from the URL
    text = request.session.get(SEARCHES_SESSION_KEY, {}).get(data.get("s", ""), "")
    if text:
        data["q"] = text
    case_filter = CaseFilter(data or None, queryset=selectors.case_list(user=request.user), user=request.user)
    page = ListPage(case_filter.qs, page_number(request), selectors.LIST_PAGE_SIZE)
    used = case_filter.used_filters()
    audit.record(
        actor=request.user,
        action=audit.AuditAction.SEARCH,
        object_type="cases.case",
        fields=used,
        detail=f"list page {page.number}",
    )
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("q", None)
    return render(
        request,
        "cases/case_list.html",
        {"page": page, "filter": case_filter, "query_string": query.urlencode(), "filtered": bool(used)},
    )


@access.role_required(access.CASE_WORKERS)
@require_http_methods(["GET", "POST"])
@once_per_key
def case_create(request):
    teams = access.teams_of(request.user)
    data, risk_message, risk_focus = posted_risk_action(request)
    person_form = PersonForm(data, prefix="person")
    concern_form = ConcernForm(data, prefix="concern", teams=teams)
    risk_formset = RiskFormSet(data)
    match_form = None
    if risk_message or risk_focus:
        without_errors(person_form, concern_form, risk_formset)
        if risk_focus != "risk-status":
            risk_formset.focus_last()
    elif request.method == "POST" and all([person_form.is_valid(), concern_form.is_valid(), risk_formset.is_valid()]):
        person_data = person_form.cleaned_data
        matches = selectors.possible_duplicates(
            user=request.user,
            legal_name=person_data["legal_name"],
            preferred_name=person_data["preferred_name"],
            date_of_birth=person_data["date_of_birth"],
            nhs_number=person_data["nhs_number"],
        )
        chosen = "new"
        if matches:
            # Offering matches shows existing people's details: that is a read of case data.
            audit.record(
                actor=request.user,
                action=audit.AuditAction.SEARCH,
                object_type="cases.person",
                fields=["possible_duplicates"],
                detail=f"{len(matches)} possible matches offered",
            )
            offered = "person_match-existing_person" in request.POST
            match_form = PersonMatchForm(request.POST if offered else None, prefix="person_match", matches=matches)
            chosen = match_form.cleaned_data["existing_person"] if offered and match_form.is_valid() else None
        if chosen is not None:
            existing = next((p for p in matches if str(p.pk) == chosen), None)
            case = services.record_concern(
                actor=request.user,
                team=concern_form.cleaned_data["team"],
                person=existing,
                person_data=None if existing else person_data,
                concern_data=concern_form.concern_data(),
                risks=risk_formset.risks(),
            )
            messages.success(request, f"Concern recorded as case {case.ref}.")
            return redirect("cases:detail", case.pk)
    context = concern_page_context(
        person_form=person_form,
        concern_form=concern_form,
        match_form=match_form,
        risk_formset=risk_formset,
        risk_message=risk_message,
        risk_focus=risk_focus,
    )
    return render(request, "cases/case_create.html", context)


def _risks_valid(formset):
    return formset is None or not formset.is_bound or formset.is_valid()


@access.role_required(access.CASE_WORKERS)
@require_http_methods(["GET"])
def case_detail(request, pk):
    case = selectors.case_page(user=request.user, pk=pk)
    _view_audit(request, case, detail="case page")
    user = request.user
    decision = selectors.current_decision(case)
    can_edit = can_edit_case(user, case)
    manages = access.manages(user) and may_change_imported(user, case)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "person": case.person,
            "risks": selectors.case_risks(case),
            "risk_refusal": risks.risk_refusal(user=user, case=case),
            "can_change_risks": not risks.risk_refusal(user=user, case=case),
            "decision": decision,
            "decisions": case.decisions.all(),
            "enquiry": getattr(case, "enquiry", None),
            "events": selectors.recent_events(case=case),
            "can_edit": can_edit,
            "can_propose": can_edit and workflow.can_transition(case, CaseState.DECISION_PENDING),
            "can_review": bool(
                manages
                and decision
                and decision.status == DecisionStatus.PROPOSED
                and decision.proposed_by_id != user.pk
                and case.state == CaseState.DECISION_PENDING
            ),
            "can_allocate": manages and case.state == CaseState.ENQUIRY_OPEN,
            "can_reopen": manages and case.state in (CaseState.CLOSED, CaseState.NO_FURTHER_ACTION),
            "can_see_access_log": access.manages(user),
            "can_restrict": access.manages(user),
        },
    )


def _current_values(form_class, instance, extra=()):
    """(label, value) pairs of what is stored now, shown beside the editor's kept input."""
    form = form_class(instance=instance)
    rows = []
    for name, field in form.fields.items():
        if name == "version":
            continue
        if hasattr(instance, f"get_{name}_display"):
            value = getattr(instance, f"get_{name}_display")()
        else:
            value = getattr(instance, name)
            if isinstance(value, bool):
                value = "Yes" if value else "No"
            elif isinstance(value, datetime.datetime):
                value = date_format(timezone.localtime(value), "j M Y, H:i")
            elif isinstance(value, datetime.date):
                value = date_format(value, "j M Y")
        rows.append((field.label, value))
    if hasattr(instance, "risks"):
        for number, risk in enumerate(instance.risks.prefetch_related("types"), start=1):
            value = f"{risk.types_display()}; {risk.get_location_display()}; {risk.get_source_display()}"
            rows.append((f"Risk {number}", value))
    return rows


def _edit(request, pk, *, form_class, instance_of, save, title, success, extra_form_kwargs=None):
    case = selectors.case_page(user=request.user, pk=pk, write=True)
    instance = instance_of(case)
    form = form_class(request.POST or None, instance=instance)
    if request.method == "GET":
        _view_audit(request, case, detail=title)
    elif form.is_valid():
        try:
            save(case, form)
        except services.EditConflict as conflict:
            data = request.POST.copy()
            data["version"] = conflict.current.version
            return render(
                request,
                "cases/edit_form.html",
                {
                    "case": case,
                    "form": form_class(data, instance=conflict.current),
                    "title": title,
                    "conflict": _current_values(form_class, conflict.current),
                },
                status=409,
            )
        messages.success(request, success)
        return redirect("cases:detail", case.pk)
    return render(request, "cases/edit_form.html", {"case": case, "form": form, "title": title})


@access.role_required(access.CASE_WORKERS)
@require_http_methods(["GET", "POST"])
def concern_edit(request, pk):
    """The concern details and, before an enquiry opens, its risks (added or corrected one by one,
    with history, once it is open)."""
    case = selectors.case_page(user=request.user, pk=pk, write=True)
    title = "Concern details"
    with_risks = case.state in (CaseState.CONCERN, CaseState.DECISION_PENDING)
    data, risk_message, risk_focus = posted_risk_action(request)
    form = ConcernEditForm(data, instance=case)
    risk_formset = None
    if with_risks:
        risk_formset = RiskFormSet(data, initial=None if data else risk_formset_initial(case))
    context = {"case": case, "title": title, "risk_message": risk_message, "risk_focus": risk_focus}
    if risk_message or risk_focus:
        without_errors(form, risk_formset)
        if risk_formset is not None and risk_focus != "risk-status":
            risk_formset.focus_last()
    elif request.method == "GET":
        _view_audit(request, case, detail=title)
    elif form.is_valid() and _risks_valid(risk_formset):
        try:
            services.update_concern(
                actor=request.user,
                case=case,
                expected_version=form.cleaned_data["version"],
                concern_data=form.concern_data(),
                risks=risk_formset.risks() if risk_formset is not None else None,
            )
        except services.EditConflict as conflict:
            fresh = request.POST.copy()
            fresh["version"] = conflict.current.version
            context.update(
                form=ConcernEditForm(fresh, instance=conflict.current),
                risk_formset=RiskFormSet(fresh) if with_risks else None,
                conflict=_current_values(ConcernEditForm, conflict.current),
            )
            return render(request, "cases/edit_form.html", context, status=409)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Concern details saved.")
            return redirect("cases:detail", case.pk)
    context.update(
        form=form,
        risk_formset=risk_formset,
        has_errors=bool(form.errors) or not _risks_valid(risk_formset),
    )
    return render(request, "cases/edit_form.html", context)


@access.role_required(access.CASE_WORKERS)
@require_http_methods(["GET", "POST"])
def person_edit(request, pk):
    def save(case, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        services.update_person(
            actor=request.user, case=case, expected_version=form.cleaned_data["version"], person_data=data
        )

    return _edit(
        request,
        pk,
        form_class=PersonEditForm,
        instance_of=lambda case: case.person,
        save=save,
        title="The adult's details",
        success="The adult's details saved.",
    )


@access.role_required(access.CASE_WORKERS)
@require_http_methods(["GET", "POST"])
@once_per_key
def decision_propose(request, pk):
    case = selectors.case_page(user=request.user, pk=pk, write=True)
    if not workflow.can_transition(case, CaseState.DECISION_PENDING):
        messages.error(request, "A decision can only be proposed while the case is at the concern stage.")
        return redirect("cases:detail", case.pk)
    form = DecisionForm(request.POST or None)
    if request.method == "GET":
        _view_audit(request, case, detail="propose decision")
    elif form.is_valid():
        try:
            services.propose_decision(actor=request.user, case=case, decision_data=form.cleaned_data)
        except (workflow.IllegalTransition, ValidationError) as error:
            return _refuse(request, case, error)
        messages.success(request, "Decision proposed. A manager will sign it off or return it.")
        return redirect("cases:detail", case.pk)
    return render(
        request,
        "cases/decision_form.html",
        {"case": case, "form": form, "previous": selectors.current_decision(case)},
    )


@access.role_required(access.MANAGERS)
@require_http_methods(["GET", "POST"])
def decision_review(request, pk):
    case = selectors.case_page(user=request.user, pk=pk, write=True)
    decision = selectors.current_decision(case)
    if decision is None or decision.status != DecisionStatus.PROPOSED or case.state != CaseState.DECISION_PENDING:
        messages.error(request, "There is no decision awaiting sign-off on this case.")
        return redirect("cases:detail", case.pk)
    own = decision.proposed_by_id == request.user.pk
    form = DecisionReviewForm(request.POST or None)
    if request.method == "GET":
        _view_audit(request, case, detail="review decision")
    elif own:
        raise PermissionDenied("You proposed this decision, so another manager must review it.")
    elif form.is_valid():
        try:
            if form.cleaned_data["action"] == "sign_off":
                services.sign_off_decision(
                    actor=request.user, decision=decision, comments=form.cleaned_data["comments"]
                )
                messages.success(request, "Decision signed off.")
            else:
                services.return_decision(actor=request.user, decision=decision, comments=form.cleaned_data["comments"])
                messages.success(request, "Decision returned with your comments.")
        except (workflow.IllegalTransition, ValidationError) as error:
            return _refuse(request, case, error)
        if request.GET.get("next") == "queue":  # opened from the managers' sign-off queue
            return redirect("workspace:queue")
        return redirect("cases:detail", case.pk)
    return render(request, "cases/decision_review.html", {"case": case, "decision": decision, "form": form, "own": own})


@access.role_required(access.MANAGERS)
@require_http_methods(["GET", "POST"])
def enquiry_allocate(request, pk):
    case = selectors.case_page(user=request.user, pk=pk, write=True)
    enquiry = getattr(case, "enquiry", None)
    if enquiry is None or case.state != CaseState.ENQUIRY_OPEN:
        messages.error(request, "Only an open enquiry can be allocated.")
        return redirect("cases:detail", case.pk)
    practitioners = selectors.allocatable_practitioners(case=case)
    form = AllocationForm(
        request.POST or None,
        practitioners=practitioners,
        viewer=request.user,
        initial={"lead_practitioner": enquiry.lead_practitioner_id, "version": enquiry.version},
    )
    if request.method == "GET":
        _view_audit(request, case, detail="allocate enquiry")
    elif form.is_valid():
        try:
            services.allocate_enquiry(
                actor=request.user,
                enquiry=enquiry,
                lead_practitioner=form.cleaned_data["lead_practitioner"],
                expected_version=form.cleaned_data["version"],
            )
        except services.EditConflict as conflict:
            data = request.POST.copy()  # their choice stays selected; the next save is checked against now
            data["version"] = conflict.current.version
            return render(
                request,
                "cases/allocate.html",
                {
                    "case": case,
                    "enquiry": conflict.current,
                    "form": AllocationForm(data, practitioners=practitioners, viewer=request.user),
                    "conflict": True,
                },
                status=409,
            )
        except (workflow.IllegalTransition, ValidationError) as error:
            return _refuse(request, case, error)
        messages.success(request, f"Enquiry allocated to {form.cleaned_data['lead_practitioner'].display_name}.")
        return redirect("cases:detail", case.pk)
    return render(request, "cases/allocate.html", {"case": case, "enquiry": enquiry, "form": form})


@access.role_required(access.MANAGERS)
@require_http_methods(["GET", "POST"])
def case_reopen(request, pk):
    case = selectors.case_page(user=request.user, pk=pk)
    if not may_change_imported(request.user, case):
        raise PermissionDenied(IMPORTED_CASE_REFUSAL)
    if case.state not in (CaseState.CLOSED, CaseState.NO_FURTHER_ACTION):
        messages.error(request, "Only a closed or no-further-action case can be reopened.")
        return redirect("cases:detail", case.pk)
    form = ReopenForm(request.POST or None)
    if request.method == "GET":
        _view_audit(request, case, detail="reopen case")
    elif form.is_valid():
        try:
            services.reopen_case(actor=request.user, case=case, reason=form.cleaned_data["reason"])
        except (workflow.IllegalTransition, ValidationError) as error:
            return _refuse(request, case, error)
        messages.success(request, "Case reopened.")
        return redirect("cases:detail", case.pk)
    return render(request, "cases/reopen.html", {"case": case, "form": form})


@access.role_required(access.MANAGERS)
@require_http_methods(["GET", "POST"])
def case_restriction(request, pk):
    """Restrict the case to named users, change who is named, or lift the restriction."""
    case = selectors.case_page(user=request.user, pk=pk)
    named = list(selectors.case_named(case=case))
    pending = list(selectors.case_pending_names(case=case))
    candidates = selectors.restriction_candidates(case=case).exclude(pk=request.user.pk)
    initial = {
        "restricted": case.restricted,
        "reason": case.restricted_reason,
        "named": [grant.user_id for grant in named + pending if grant.user_id != request.user.pk],
    }
    form = RestrictionForm(request.POST or None, candidates=candidates, initial=initial)
    if request.method == "GET":
        _view_audit(request, case, detail="restriction")
    elif form.is_valid():
        try:
            services.set_restriction(
                actor=request.user,
                case=case,
                restricted=form.cleaned_data["restricted"],
                reason=form.cleaned_data["reason"],
                named=form.cleaned_data["named"],
            )
        except ValidationError as error:
            return _refuse(request, case, error)
        waiting = selectors.case_pending_names(case=case).count()
        note = f" {waiting} name(s) wait for a safeguarding lead's approval." if waiting else ""
        messages.success(request, f"Saved who may see this case.{note}")
        return redirect("cases:detail", case.pk)
    return render(
        request,
        "cases/restriction.html",
        {"case": case, "form": form, "named": named, "pending": pending},
    )


@access.role_required(access.CASE_WORKERS)
@require_http_methods(["GET"])
def case_chronology(request, pk):
    case = selectors.case_page(user=request.user, pk=pk)
    _view_audit(request, case, detail="chronology")
    return render(request, "cases/chronology.html", {"case": case, "events": selectors.chronology(case=case)})


@access.role_required(access.MANAGERS)
@require_http_methods(["GET"])
def case_access_log(request, pk):
    from django.core.paginator import Paginator

    case = get_case_for_user(request.user, pk, queryset=selectors.case_detail_queryset())
    audit.record(actor=request.user, action=audit.AuditAction.VIEW, obj=case, case_id=case.pk, detail="access log")
    page = Paginator(selectors.case_access_log(case=case), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/case_access_log.html",
        {"case": case, "page": page, "readers": selectors.case_readers(case=case)},
    )


def _risk_page(request, case, refusal):
    if refusal:
        messages.error(request, refusal)
        return redirect("cases:detail", case.pk)
    return None


@access.role_required(access.CASE_WORKERS)
@require_http_methods(["GET", "POST"])
@once_per_key
def risk_add(request, pk):
    """Add a risk found during the enquiry."""
    case = selectors.case_page(user=request.user, pk=pk, write=True)
    refused = _risk_page(request, case, risks.risk_refusal(user=request.user, case=case))
    if refused:
        return refused
    form = RiskAddForm(request.POST or None)
    if request.method == "GET":
        _view_audit(request, case, detail="add a risk")
    elif form.is_valid():
        try:
            risks.risk_add(actor=request.user, case=case, risk=form.risk_data())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Risk added.")
            return redirect(reverse("cases:detail", args=[case.pk]) + "#risks-heading")
    return render(request, "cases/risk_form.html", {"case": case, "form": form, "title": "Add a risk", "history": []})


@access.role_required(access.CASE_WORKERS)
@require_http_methods(["GET", "POST"])
def risk_correct(request, pk):
    """Correct a risk during the enquiry (checked against the version it was read at)."""
    risk = get_object_or_404(Risk.objects.only("id", "case_id"), pk=pk)
    case = selectors.case_page(user=request.user, pk=risk.case_id, write=True)  # 404 outside scope
    refused = _risk_page(request, case, risks.risk_refusal(user=request.user, case=case))
    if refused:
        return refused
    numbered = {r.pk: r for r in selectors.case_risks(case)}
    risk = numbered[risk.pk]
    title = f"Correct risk {risk.number}"
    form = RiskCorrectionForm(request.POST or None, risk=risk)
    status = 200
    if request.method == "GET":
        _view_audit(request, case, detail="correct a risk")
    elif form.is_valid():
        try:
            risks.risk_correct(
                actor=request.user,
                risk=risk,
                expected_version=form.cleaned_data["version"],
                risk_data=form.risk_data(),
                change_reason=form.cleaned_data["change_reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            status = 409 if any(e.code == "conflict" for e in error.error_list) else 200
            risk = {r.pk: r for r in selectors.case_risks(case)}[risk.pk]
        else:
            messages.success(request, f"Risk {risk.number} corrected.")
            return redirect(reverse("cases:detail", args=[case.pk]) + "#risks-heading")
    return render(
        request,
        "cases/risk_form.html",
        {"case": case, "form": form, "title": title, "history": risk.history, "correcting": True},
        status=status,
    )
