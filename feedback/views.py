"""Feedback pages: parse a form, call a service, render. Staff pages go through the access
policy (`role_required`, the case scope); the anonymous questionnaire is in `public_views`."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts import access, audit
from accounts.submissions import once_per_key
from cases.models import CaseState
from msp.errors import StateRefused
from outcomes.selectors import enquiry_case

from . import forms, selectors, services, sms
from .models import FollowUpReviewer, Route

GET_POST = require_http_methods(["GET", "POST"])


@access.role_required(access.CASE_WORKERS)
@GET_POST
@once_per_key
def at_closure(request, pk):
    """The questionnaire asked by the enquiry lead at closure (it replaced the closure review's
    feeling questions): any case worker who may change the case, while the enquiry is open."""
    case = enquiry_case(request.user, pk, write=True)
    record_url = reverse("outcomes:enquiry", kwargs={"pk": case.pk})
    if case.state != CaseState.ENQUIRY_OPEN:
        raise StateRefused(
            f"The case is at the stage \u201c{case.get_state_display()}\u201d. "
            "The person's feedback at closure is recorded while the enquiry is open.",
            back_url=record_url,
            back_label="Back to the MSP record",
        )
    response = services.at_closure_response(case)
    form = forms.StaffQuestionnaireForm(request.POST or None, response=response)
    if request.method == "POST" and form.is_valid():
        services.record_staff_response(case=case, actor=request.user, route=Route.AT_CLOSURE, data=form.cleaned_data)
        messages.success(request, "The person's feedback saved.")
        return redirect(record_url + "#feedback-heading")
    if request.method == "GET":
        audit.record(
            actor=request.user, action=audit.AuditAction.VIEW, obj=case, case_id=case.pk, detail="feedback at closure"
        )
    return render(
        request,
        "feedback/questionnaire_form.html",
        {
            "case": case,
            "form": form,
            "title": "The person's feedback at closure",
            "back_url": record_url,
            "back_label": f"Back to the MSP record for case {case.ref}",
            "asked_by_lead": True,
        },
    )


def _code_page(request, pk, *, form_class, send, not_sent, failed, sent, detail, template):
    """The page that sends the person a one-time code (by email or text): `send(case, actor,
    cleaned_data)` issues and sends it; `not_sent` is what it raises when the message cannot go
    (then `failed` is shown and what was typed kept). `form_class` None: the route is not set up
    here, and the page says so. Audited on GET as a view of the case (`detail`)."""
    case = enquiry_case(request.user, pk)
    record_url = reverse("outcomes:enquiry", kwargs={"pk": case.pk})
    form = form_class(request.POST or None) if form_class is not None else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            send(case, request.user, form.cleaned_data)
        except not_sent:
            form.add_error(None, failed)
        else:
            messages.success(request, sent)
            return redirect(record_url + "#feedback-heading")
    if request.method == "GET":
        audit.record(actor=request.user, action=audit.AuditAction.VIEW, obj=case, case_id=case.pk, detail=detail)
    return render(
        request, template, {"case": case, "form": form, "back_url": record_url, "days": settings.FEEDBACK_CODE_DAYS}
    )


@access.role_required(access.CASE_WORKERS)
@GET_POST
@once_per_key
def email_code(request, pk):
    """Email the person a one-time code for the anonymous questionnaire (as the summary prints
    one): any case worker who can see the case; the address is never stored."""
    return _code_page(
        request,
        pk,
        form_class=forms.EmailCodeForm,
        send=lambda case, actor, data: services.send_code_by_email(case=case, actor=actor, address=data["email"]),
        not_sent=services.MailNotSent,
        failed="The email could not be sent just now, so no code was issued. Try again later.",
        sent="The code for the anonymous questionnaire was emailed to the person.",
        detail="email feedback code",
        template="feedback/email_code.html",
    )


@access.role_required(access.CASE_WORKERS)
@GET_POST
@once_per_key
def text_code(request, pk):
    """Text the person a one-time code for the anonymous questionnaire (as `email_code` emails
    one): any case worker who can see the case; the number is never stored. Where text messages
    are not set up (`SMS_BACKEND`), the page says so and offers no form."""
    return _code_page(
        request,
        pk,
        form_class=forms.SmsCodeForm if sms.available() else None,
        send=lambda case, actor, data: services.send_code_by_text(case=case, actor=actor, number=data["number"]),
        not_sent=services.TextNotSent,
        failed="The text message could not be sent just now, so no code was issued. Try again later.",
        sent="The code for the anonymous questionnaire was texted to the person.",
        detail="text feedback code",
        template="feedback/text_code.html",
    )


# --- The independent follow-up ----------------------------------------------------------------


@access.role_required(access.CASE_WORKERS)
@require_http_methods(["GET"])
def due(request):
    """The "feedback due" queue of a named reviewer (empty for anyone not named), and for
    managers the figures of their teams."""
    today = timezone.localdate()
    cases = list(selectors.follow_ups_due(request.user, today))
    for case in cases:
        case.due_by = selectors.due_by(case.closed_on)
        case.days_left = (case.due_by - today).days
    return render(
        request,
        "feedback/due.html",
        {
            "cases": cases,
            "window_days": settings.FEEDBACK_FOLLOW_UP_DAYS,
            "figures": selectors.follow_up_figures(user=request.user, today=today),
            "today": today,
        },
    )


@access.role_required(access.CASE_WORKERS)
@GET_POST
@once_per_key
def follow_up(request, pk):
    """Record an independent follow-up: only a named reviewer of the case's team, within the window."""
    case = selectors.follow_up_case(request.user, pk)
    form = forms.StaffQuestionnaireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.record_staff_response(case=case, actor=request.user, route=Route.INDEPENDENT, data=form.cleaned_data)
        messages.success(request, f"The follow-up for case {case.ref} saved. Thank you.")
        return redirect("feedback:due")
    if request.method == "GET":
        audit.record(
            actor=request.user,
            action=audit.AuditAction.VIEW,
            obj=case,
            case_id=case.pk,
            detail="independent feedback follow-up",
        )
    due_by = selectors.due_by(case.closed_on)
    return render(
        request,
        "feedback/questionnaire_form.html",
        {
            "case": case,
            "form": form,
            "title": f"Independent follow-up: case {case.ref}",
            "back_url": reverse("feedback:due"),
            "back_label": "Back to the feedback due",
            "script": True,
            "person": case.person,
            "lead": getattr(case.enquiry, "lead_practitioner", None),
            "due_by": due_by,
        },
    )


@access.role_required(access.LEADS)
@GET_POST
def reviewers(request):
    """Leads name who makes each team's independent follow-ups (users outside the team)."""
    form = forms.ReviewerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.name_reviewer(team=form.cleaned_data["team"], user=form.cleaned_data["user"], actor=request.user)
        except ValidationError as error:
            form.add_error("user", error)
        else:
            messages.success(request, "Named for the team's independent follow-ups.")
            return redirect("feedback:reviewers")
    return render(request, "feedback/reviewers.html", {"form": form, "reviewers": selectors.reviewers()})


@access.role_required(access.LEADS)
@require_POST
def reviewer_remove(request, pk):
    reviewer = get_object_or_404(FollowUpReviewer.objects.select_related("team", "user"), pk=pk)
    services.remove_reviewer(reviewer=reviewer, actor=request.user)
    messages.success(request, "No longer named for the team's independent follow-ups.")
    return redirect("feedback:reviewers")


# --- Quotes for the board ------------------------------------------------------------------------


@access.role_required(access.LEADS)
@GET_POST
def quotes(request):
    """A lead reads each person's words given with consent to share them, and approves (or
    refuses) each one for the board's report."""
    form = forms.QuoteReviewForm(request.POST or None)
    current = None  # the quote a refused POST was about, shown again with its error
    if request.method == "POST":
        response = current = get_object_or_404(selectors.quotes_waiting(), pk=request.POST.get("response") or 0)
        if form.is_valid():
            approve = form.cleaned_data["decision"] == "approve"
            services.review_quote(response=response, actor=request.user, approve=approve)
            messages.success(request, "Approved for the board's report." if approve else "Not to be published.")
            return redirect("feedback:quotes")
    if request.method == "GET":
        audit.record(actor=request.user, action=audit.AuditAction.VIEW, object_type="feedback.quotes", detail="quotes")
    queue = selectors.quotes_waiting()
    return render(
        request, "feedback/quotes.html", {"quote": current or queue.first(), "waiting": queue.count(), "form": form}
    )
