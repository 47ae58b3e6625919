"""Feedback pages: parse a form, call a service, render. Staff pages go through the access
policy (`role_required`, the case scope); the anonymous questionnaire is in `public_views`."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts import access, audit
from accounts.submissions import once_per_key
from cases.models import CaseState
from msp.errors import StateRefused
from outcomes.selectors import enquiry_case

from . import forms, services
from .models import Route

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
