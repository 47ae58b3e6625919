"""Views for MSP records: parse a form, call a service or selector, render. POST changes state."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts import access, audit
from accounts.submissions import once_per_key
from cases.access import can_edit_case, correction_refusal
from cases.models import CaseState
from msp.errors import StateRefused

from . import forms, selectors, services
from .models import (
    Advocacy,
    CapacityAssessment,
    Conversation,
    DeclinedSupport,
    DesiredOutcome,
    PlanAction,
    SummaryStatus,
)

GET_POST = require_http_methods(["GET", "POST"])


def _recording_case(request, pk):
    """A case whose enquiry is open and which this user may change (404 outside scope, 403 otherwise)."""
    case = selectors.enquiry_case(request.user, pk, write=True)
    if case.state != CaseState.ENQUIRY_OPEN:
        raise StateRefused(
            f"The case is at the stage “{case.get_state_display()}”. "
            "MSP records can be added while the enquiry is open.",
            back_url=_record_url(case),
            back_label="Back to the MSP record",
        )
    return case


def _record_url(case):
    return reverse("outcomes:enquiry", kwargs={"pk": case.pk})


@access.role_required(access.CASE_WORKERS)
@require_http_methods(["GET"])
def enquiry_record(request, pk):
    case = selectors.enquiry_case(request.user, pk)
    audit.record(actor=request.user, action=audit.AuditAction.VIEW, obj=case, case_id=case.pk, detail="MSP record")
    context = selectors.enquiry_record(case=case, user=request.user)
    can_record = can_edit_case(request.user, case) and case.state == CaseState.ENQUIRY_OPEN
    review = getattr(case, "closure_review", None)
    context.update(
        case=case,
        enquiry=getattr(case, "enquiry", None),
        closure_review=review,
        can_record=can_record,
        can_sign_off=access.manages(request.user) and case.state == CaseState.CLOSURE_PENDING,
    )
    return render(request, "outcomes/enquiry_record.html", context)


def _form_page(request, *, case, form, save, title, success, template="outcomes/record_form.html", extra=None):
    """The page of one record form: `save(form.cleaned_data)` once it is valid. `success` is the
    message shown once it is saved: a sentence naming what was saved ("Conversation saved."),
    never the page title."""
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            # A rule the service checks (or a concurrent change): shown on the form, nothing typed lost.
            form.add_error(None, error)
            status = 409 if any(e.code == "conflict" for e in error.error_list) else 200
        else:
            messages.success(request, success)
            return redirect(_record_url(case))
    if request.method == "GET":
        _audit_read(request, case, title)
    return render(request, template, {"case": case, "form": form, "title": title, **(extra or {})}, status=status)


def _audit_read(request, case, detail):
    audit.record(actor=request.user, action=audit.AuditAction.VIEW, obj=case, case_id=case.pk, detail=detail)


@access.role_required(access.CASE_WORKERS)
@GET_POST
@once_per_key
def conversation_add(request, pk):
    case = _recording_case(request, pk)
    form = forms.ConversationForm(request.POST or None)
    return _form_page(
        request,
        case=case,
        form=form,
        save=lambda data: services.conversation_record(case=case, actor=request.user, conversation_data=data),
        title="Record a conversation",
        success="Conversation saved.",
        template="outcomes/conversation_form.html",
    )


@access.role_required(access.CASE_WORKERS)
@GET_POST
@once_per_key
def desired_outcome_add(request, pk):
    case = _recording_case(request, pk)
    form = forms.DesiredOutcomeForm(request.POST or None)
    return _form_page(
        request,
        case=case,
        form=form,
        save=lambda data: services.desired_outcome_save(case=case, actor=request.user, outcome_data=data),
        title="Record a desired outcome",
        success="Desired outcome saved.",
    )


def _against_stored_version(form, instance, save):
    """`save`, which on an edit conflict carries the version now stored into the re-shown form,
    so the next save (after reading what changed) is checked against it."""

    def guarded(data):
        try:
            return save(data)
        except ValidationError as error:
            if error.code == "conflict":
                form.data = form.data.copy()
                form.data["version"] = selectors.stored_version(instance)
            raise

    return guarded


@access.role_required(access.CASE_WORKERS)
@GET_POST
def desired_outcome_edit(request, pk):
    outcome = selectors.case_record(request.user, DesiredOutcome, pk)
    case = _recording_case(request, outcome.case_id)
    form = forms.DesiredOutcomeForm(request.POST or None, instance=outcome)

    return _form_page(
        request,
        case=case,
        form=form,
        save=_against_stored_version(
            form,
            outcome,
            lambda data: services.desired_outcome_save(
                case=case, actor=request.user, outcome=outcome, outcome_data=data, change_reason=data["change_reason"]
            ),
        ),
        title="Change a desired outcome",
        success="Desired outcome changed.",
        extra={"revisions": selectors.outcome_revisions(outcome)},
    )


@access.role_required(access.CASE_WORKERS)
@GET_POST
def negotiated_outcome_edit(request, pk):
    outcome = selectors.case_record(request.user, DesiredOutcome, pk, related=["negotiated"])
    case = _recording_case(request, outcome.case_id)
    form = forms.NegotiatedOutcomeForm(request.POST or None, instance=getattr(outcome, "negotiated", None))
    return _form_page(
        request,
        case=case,
        form=form,
        save=lambda data: services.negotiated_outcome_save(
            desired_outcome=outcome, actor=request.user, negotiated_data=data
        ),
        title="Record a negotiated outcome",
        success="Negotiated outcome saved.",
        template="outcomes/negotiated_form.html",
        extra={"desired": outcome},
    )


@access.role_required(access.CASE_WORKERS)
@GET_POST
@once_per_key
def capacity_add(request, pk):
    case = _recording_case(request, pk)
    form = forms.CapacityAssessmentForm(request.POST or None)
    return _form_page(
        request,
        case=case,
        form=form,
        save=lambda data: services.capacity_assessment_record(case=case, actor=request.user, assessment_data=data),
        title="Record a capacity assessment",
        success="Capacity assessment saved.",
    )


@access.role_required(access.CASE_WORKERS)
@GET_POST
@once_per_key
def advocacy_add(request, pk):
    case = _recording_case(request, pk)
    form = forms.AdvocacyForm(request.POST or None)
    return _form_page(
        request,
        case=case,
        form=form,
        save=lambda data: services.advocacy_record(case=case, actor=request.user, advocacy_data=data),
        title="Record advocacy",
        success="Advocacy saved.",
    )


@access.role_required(access.CASE_WORKERS)
@GET_POST
@once_per_key
def declined_add(request, pk):
    case = _recording_case(request, pk)
    form = forms.DeclinedSupportForm(request.POST or None)
    return _form_page(
        request,
        case=case,
        form=form,
        save=lambda data: services.declined_support_record(case=case, actor=request.user, declined_data=data),
        title="Record declined support",
        success="Declined support saved.",
    )


@access.role_required(access.CASE_WORKERS)
@require_POST
def followup_done(request, pk):
    declined = selectors.case_record(request.user, DeclinedSupport, pk)
    # An open door stays open after closure, so any in-scope case worker may mark it done.
    case = selectors.enquiry_case(request.user, declined.case_id)
    declined.case = case
    services.followup_mark_done(declined=declined, actor=request.user)
    messages.success(request, "Open-door follow-up marked done.")
    if request.POST.get("next") == "my":
        return redirect("workspace:my_work")
    return redirect(_record_url(case))


@access.role_required(access.CASE_WORKERS)
@GET_POST
@once_per_key
def plan_action_add(request, pk):
    case = _recording_case(request, pk)
    form = forms.PlanActionForm(request.POST or None)
    return _form_page(
        request,
        case=case,
        form=form,
        save=lambda data: services.plan_action_add(case=case, actor=request.user, action_data=data),
        title="Add a protection plan action",
        success="Protection plan action added.",
    )


@access.role_required(access.CASE_WORKERS)
@require_POST
def plan_action_status(request, pk):
    action = selectors.case_record(request.user, PlanAction, pk)
    case = _recording_case(request, action.case_id)
    action.case = case
    form = forms.PlanActionStatusForm(request.POST)
    if form.is_valid():
        services.plan_action_set_status(action=action, actor=request.user, status=form.cleaned_data["status"])
        messages.success(request, "Protection plan action updated.")
    else:
        messages.error(request, "Choose open, done or cancelled.")
    return redirect(_record_url(case))


@access.role_required(access.CASE_WORKERS)
@GET_POST
def principles(request, pk):
    case = _recording_case(request, pk)
    form = forms.PrincipleEvidenceForm(request.POST or None, checks=selectors.principle_checks(case))
    if request.method == "POST" and form.is_valid():
        services.principle_evidence_save(case=case, actor=request.user, evidence=form.cleaned_data)
        messages.success(request, "Six-principle evidence saved.")
        return redirect(_record_url(case))
    if request.method == "GET":
        _audit_read(request, case, "six-principle evidence")
    return render(request, "outcomes/principles_form.html", {"case": case, "form": form})


@access.role_required(access.CASE_WORKERS)
@GET_POST
def closure_review(request, pk):
    case = _recording_case(request, pk)
    form = forms.ClosureReviewForm(
        request.POST or None,
        instance=getattr(case, "closure_review", None),
        outcomes=selectors.closure_outcomes(case),
        risks=selectors.closure_risks(case),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.closure_review_save(
                case=case,
                actor=request.user,
                review_data=form.cleaned_data,
                outcome_views=form.outcome_views(),
                risk_outcomes=form.risk_outcomes(),
            )
        except ValidationError as error:  # a risk added or changed meanwhile: shown, nothing typed lost
            form.add_error(None, error)
        else:
            messages.success(request, "Closure review saved.")
            return redirect(_record_url(case))
    if request.method == "GET":
        _audit_read(request, case, "closure review")
    return render(request, "outcomes/closure_review_form.html", {"case": case, "form": form})


@access.role_required(access.CASE_WORKERS)
@require_POST
def send_for_closure(request, pk):
    case = _recording_case(request, pk)
    try:
        services.send_for_closure(case=case, actor=request.user)
    except ValidationError as exc:
        for problem in exc.messages:
            messages.error(request, problem)
    else:
        messages.success(request, "Sent to a manager for closure sign-off.")
    return redirect(_record_url(case))


@access.role_required(access.MANAGERS)
@GET_POST
def closure_sign_off(request, pk):
    case = selectors.enquiry_case(request.user, pk)
    if case.state != CaseState.CLOSURE_PENDING:
        messages.info(request, "This case is not awaiting closure sign-off.")
        return redirect(_record_url(case))
    review = case.closure_review
    form = forms.SignOffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        kwargs = {
            "case": case,
            "manager": request.user,
            "ratings": form.ratings(),
            "comments": form.cleaned_data["comments"],
        }
        try:
            if form.cleaned_data["decision"] == "sign_off":
                services.sign_off_closure(**kwargs)
                messages.success(request, "Closure signed off. The enquiry is concluded.")
            else:
                services.return_closure(**kwargs)
                messages.success(request, "Closure returned to the practitioner with your comments.")
            if request.GET.get("next") == "queue":  # opened from the managers' sign-off queue
                return redirect("workspace:queue")
            return redirect(_record_url(case))
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            form.add_error(None, exc)
    context = selectors.enquiry_record(case=case)
    context.update(
        case=case,
        form=form,
        closure_review=review,
        enquiry=case.enquiry,
        self_sent=review.sent_by_id == request.user.pk,
    )
    return render(request, "outcomes/sign_off_form.html", context)


#: kind (from the URL) -> (model, correction form, page title, template)
CORRECTIONS = {
    "conversation": (
        Conversation,
        forms.ConversationCorrectionForm,
        "Correct a conversation",
        "outcomes/conversation_form.html",
    ),
    "capacity": (CapacityAssessment, forms.CapacityAssessmentCorrectionForm, "Correct a capacity assessment", None),
    "advocacy": (Advocacy, forms.AdvocacyCorrectionForm, "Correct an advocacy record", None),
    "declined": (DeclinedSupport, forms.DeclinedSupportCorrectionForm, "Correct a declined support record", None),
    "plan_action": (PlanAction, forms.PlanActionCorrectionForm, "Correct a protection plan action", None),
}


@access.role_required(access.CASE_WORKERS)
@GET_POST
def record_correct(request, pk, kind):
    """Correct a saved record (an update: checked against its version, not a submission key)."""
    model, form_class, title, template = CORRECTIONS[kind]
    record = selectors.case_record(request.user, model, pk, related=["recorded_by"])
    case = selectors.enquiry_case(request.user, record.case_id)  # 404 outside the user's scope
    refusal = correction_refusal(user=request.user, case=case, record=record)
    if refusal:
        context = {"case": case, "title": title, "reason": refusal}
        return render(request, "outcomes/correction_refused.html", context, status=403)
    record.case = case
    form = form_class(request.POST or None, instance=record)

    def save(data):
        return services.record_correct(
            record=record,
            actor=request.user,
            expected_version=data["version"],
            record_data=data,
            change_reason=data["change_reason"],
        )

    return _form_page(
        request,
        case=case,
        form=form,
        save=_against_stored_version(form, record, save),
        title=title,
        template=template or "outcomes/record_form.html",
        extra={"record_history": selectors.record_history(record), "correcting": True},
        success=f"{services.CORRECTABLE_LABELS[record._meta.model_name]} corrected.",
    )


@access.role_required(access.CASE_WORKERS)
@require_POST
def summary_request(request, pk):
    case = selectors.enquiry_case(request.user, pk)
    summary = services.summary_request(case=case, actor=request.user, easy_read=request.POST.get("easy_read") == "yes")
    if summary.status == SummaryStatus.FAILED:
        messages.error(
            request,
            "The summary could not be prepared because the document service is unavailable. "
            "Nothing was produced: please try again in a few minutes.",
        )
    else:
        messages.success(request, "The “What you told us” summary is being prepared. Refresh this page to download it.")
    return redirect(_record_url(case) + "#summary-heading")


@access.role_required(access.CASE_WORKERS)
@require_http_methods(["GET"])
def summary_download(request, pk):
    summary = selectors.summary_for_user(request.user, pk)
    if summary.status != SummaryStatus.DONE or not summary.file:
        raise Http404("This summary is not ready.")
    services.summary_downloaded(summary=summary, actor=request.user)
    response = FileResponse(
        summary.file.open("rb"),
        as_attachment=True,
        filename=f"what-you-told-us-{'easy-read-' if summary.easy_read else ''}{summary.case_id}.pdf",
    )
    response["Content-Type"] = "application/pdf"
    return response


@access.role_required(access.CASE_WORKERS)
@require_http_methods(["GET"])
def my_followups(request):
    """Folded into "My work" (the managers' workspace); the old address still leads there."""
    return redirect("workspace:my_work")
