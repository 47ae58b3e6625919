"""Organisational enquiries: safeguarding leads only (`role_required(LEADS)`). Thin: read
through `selectors` (linked cases through the case access policy), write through `services`,
render. Every page read is audited; URLs carry ids only."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts import access, audit
from accounts.submissions import once_per_key
from msp.errors import StateRefused
from partnership.models import PartnerOrganisation

from . import forms, selectors, services
from .models import OrganisationalAction

GET_POST = require_http_methods(["GET", "POST"])
GET = require_http_methods(["GET"])
LEADS = access.role_required(access.LEADS)


def _detail_url(enquiry):
    return reverse("organisational:detail", args=[enquiry.pk])


def _still_open(enquiry):
    """The enquiry, if it is still open: a concluded one takes nothing more (409, with the way back)."""
    if not enquiry.is_open:
        raise StateRefused(services.CONCLUDED, back_url=_detail_url(enquiry), back_label="Back to the enquiry")
    return enquiry


def _form_page(request, enquiry, form, title, intro=""):
    return render(
        request, "organisational/form.html", {"enquiry": enquiry, "form": form, "title": title, "intro": intro}
    )


def _saved(request, enquiry, message):
    messages.success(request, message)
    return redirect(_detail_url(enquiry))


@LEADS
@GET
def enquiry_list(request):
    audit.record(actor=request.user, action=audit.AuditAction.VIEW, object_type="organisational.register")
    return render(request, "organisational/list.html", {"enquiries": selectors.enquiries()})


@LEADS
@GET_POST
@once_per_key
def enquiry_create(request):
    initial = {"opened_on": timezone.localdate(), "lead_officer": request.user.pk}
    provider = request.GET.get("provider", "")
    if provider.isdigit() and PartnerOrganisation.objects.providers().filter(pk=provider).exists():
        initial["provider"] = int(provider)
    form = forms.EnquiryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        enquiry = services.open_enquiry(actor=request.user, data=form.cleaned_data)
        return _saved(request, enquiry, f"Organisational enquiry {enquiry.label} opened. Now link the adults' cases.")
    return _form_page(request, None, form, "Open an organisational enquiry")


@LEADS
@GET
def enquiry_detail(request, pk):
    enquiry = selectors.enquiry(pk)
    links, hidden = selectors.linked_cases(request.user, enquiry)
    audit.record(actor=request.user, action=audit.AuditAction.VIEW, obj=enquiry, detail="detail")
    return render(
        request,
        "organisational/detail.html",
        {
            "enquiry": enquiry,
            "links": links,
            "hidden": hidden,
            "updates": enquiry.updates.select_related("recorded_by"),
            "meetings": enquiry.meetings.select_related("meeting").prefetch_related(
                "meeting__staff", "meeting__partner_attendees"
            ),
            "actions": enquiry.actions.select_related("meeting__meeting"),
            "today": timezone.localdate(),
        },
    )


@LEADS
@GET_POST
def link_cases(request, pk):
    enquiry = _still_open(selectors.enquiry(pk))
    suggestions = selectors.suggested_cases(request.user, enquiry)
    data = request.POST if request.method == "POST" else None  # an empty POST is an answer: nothing chosen
    form = forms.LinkCasesForm(data, user=request.user, suggestions=suggestions)
    if request.method == "POST" and form.is_valid():
        made = services.link_cases(actor=request.user, enquiry=enquiry, cases=form.cases)
        count = len(made)
        message = f"{count} case{'s' if count != 1 else ''} linked." if count else "Those cases were already linked."
        return _saved(request, enquiry, message)
    return render(request, "organisational/link_cases.html", {"enquiry": enquiry, "form": form})


@LEADS
@GET_POST
def unlink_case(request, pk):
    link = selectors.link_for_user(request.user, pk)
    enquiry = _still_open(link.enquiry)
    form = forms.UnlinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.unlink_case(actor=request.user, link=link, reason=form.cleaned_data["reason"])
        return _saved(request, enquiry, f"Case {link.case.ref} taken out of the enquiry.")
    intro = f"Take case {link.case.ref} out of {enquiry.label} (linked in error). The adult's own case is not changed."
    return _form_page(request, enquiry, form, "Take a case out of the enquiry", intro)


@LEADS
@GET_POST
@once_per_key
def update_add(request, pk):
    enquiry = _still_open(selectors.enquiry(pk))
    form = forms.UpdateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_update(actor=request.user, enquiry=enquiry, data=form.cleaned_data)
        return _saved(request, enquiry, "Update recorded.")
    return _form_page(request, enquiry, form, "Record an update from the provider or the regulator")


@LEADS
@GET_POST
@once_per_key
def meeting_add(request, pk):
    enquiry = _still_open(selectors.enquiry(pk))
    form = forms.MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.record_meeting(
            actor=request.user, enquiry=enquiry, data=data, staff=data["staff"], attendees=form.attendees
        )
        return _saved(request, enquiry, "Meeting recorded. Add the actions agreed at it below.")
    return _form_page(request, enquiry, form, "Record a meeting of the enquiry")


@LEADS
@GET_POST
@once_per_key
def action_add(request, pk):
    enquiry = _still_open(selectors.enquiry(pk))
    form = forms.ActionForm(request.POST or None, enquiry=enquiry)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_action(actor=request.user, enquiry=enquiry, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _saved(request, enquiry, "Action added.")
    return _form_page(request, enquiry, form, "Add an action")


@LEADS
@require_POST
def action_done(request, pk):
    action = get_object_or_404(OrganisationalAction.objects.select_related("enquiry"), pk=pk)
    enquiry = _still_open(action.enquiry)
    done = services.complete_action(actor=request.user, action=action, done_on=timezone.localdate())
    return _saved(request, enquiry, "Action marked done." if done else "That action was already done.")


@LEADS
@GET_POST
def conclude(request, pk):
    enquiry = _still_open(selectors.enquiry(pk))
    form = forms.ConclusionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.conclude(actor=request.user, enquiry=enquiry, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("concluded_on", error)
        else:
            return _saved(request, enquiry, f"{enquiry.label} concluded.")
    intro = "Once concluded, the enquiry is kept as it is: nothing more can be added. Each adult's own case carries on."
    return _form_page(request, enquiry, form, "Conclude the organisational enquiry", intro)
