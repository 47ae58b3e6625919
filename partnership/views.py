"""Views of the partnership records: parse a form, call a service or selector, render.
Every case read goes through the access policy and is audited; POST changes state."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import access, audit
from accounts.submissions import once_per_key
from cases.access import can_edit_case, edit_refusal, get_case_for_user
from cases.models import Case, CaseState
from msp.errors import StateRefused

from . import forms, selectors, services
from .models import CausedEnquiry, InformationShare, Meeting, PartnerOrganisation

GET_POST = require_http_methods(["GET", "POST"])
CASE_RELATED = ("person", "team", "enquiry__lead_practitioner")


def _case(request, pk, *, write=False):
    return get_case_for_user(request.user, pk, write=write, queryset=Case.objects.select_related(*CASE_RELATED))


def _read(request, case, detail, obj=None):
    audit.record(actor=request.user, action=audit.AuditAction.VIEW, obj=obj or case, case_id=case.pk, detail=detail)


def _writable(request, record_case):
    """403 (or the closed-case refusal) unless the user may change this in-scope case."""
    if not can_edit_case(request.user, record_case):
        raise edit_refusal(request.user, record_case)


def _open_enquiry(case, back_url):
    if case.state != CaseState.ENQUIRY_OPEN:
        raise StateRefused(
            f"The case is at the stage “{case.get_state_display()}”. {services.OPEN_ENQUIRY_ONLY}",
            back_url=back_url,
        )


def _save_or_show(request, form, save, success, redirect_to):
    """`save()` once the form is valid; a rule the service checks shows on the form, nothing lost."""
    try:
        result = save()
    except ValidationError as error:
        form.add_error(None, error)
        return None
    messages.success(request, success)
    return redirect(redirect_to(result) if callable(redirect_to) else redirect_to)


# --- Partner organisations (safeguarding leads) ----------------------------------------


@access.role_required(access.LEADS)
@require_GET
def organisation_list(request):
    organisations = PartnerOrganisation.objects.order_by("-active", "name")
    audit.record(actor=request.user, action=audit.AuditAction.VIEW, object_type="partnership.partnerorganisation")
    return render(request, "partnership/organisation_list.html", {"organisations": organisations})


@access.role_required(access.LEADS)
@GET_POST
def organisation_edit(request, pk=None):
    organisation = None
    if pk is not None:
        organisation = PartnerOrganisation.objects.filter(pk=pk).first()
        if organisation is None:
            from django.http import Http404

            raise Http404("No such organisation.")
    form = forms.OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        services.organisation_save(actor=request.user, form=form)
        messages.success(request, "Partner organisation saved.")
        return redirect("partners:list")
    title = "Change a partner organisation" if organisation else "Add a partner organisation"
    return render(request, "partnership/organisation_form.html", {"form": form, "title": title})


@access.role_required(access.MANAGERS)
@require_GET
def provider_patterns(request):
    """Concerns and enquiries per provider over a period, with a chart (managers and leads)."""
    from reporting.charts import bar_chart

    form = forms.ProviderPeriodForm(request.GET or None, user=request.user)
    start, end, team = form.period()
    rows = selectors.provider_patterns(request.user, start=start, end=end, team=team)
    audit.record(
        actor=request.user,
        action=audit.AuditAction.SEARCH,
        object_type="partnership.partnerorganisation",
        fields=sorted(name for name in ("start", "end", "team") if request.GET.get(name)),
        detail="provider patterns",
    )
    period = f"{start:%-d %b %Y} to {end:%-d %b %Y}"
    chart = bar_chart(
        f"Concerns received per provider, {period}",
        [(row["organisation"].name, row["concerns"]) for row in rows[: selectors.PROVIDER_CHART_ROWS]],
        chart_id="provider-chart",
    )
    return render(
        request,
        "partnership/provider_patterns.html",
        {
            "form": form,
            "rows": rows,
            "chart": chart if rows else None,
            "period": period,
            "team": team,
            "threshold": selectors.PATTERN_CONCERNS_IN_A_MONTH,
            "chart_rows": selectors.PROVIDER_CHART_ROWS,
        },
    )


# --- Caused enquiries -------------------------------------------------------------------


def _caused_list_url(case_id):
    return reverse("partnership:caused_list", args=[case_id])


@access.role_required(access.CASE_WORKERS)
@require_GET
def caused_list(request, pk):
    case = _case(request, pk)
    _read(request, case, "caused enquiries")
    return render(
        request,
        "partnership/caused_list.html",
        {
            "case": case,
            "caused": selectors.case_caused_enquiries(case),
            "can_cause": can_edit_case(request.user, case) and case.state == CaseState.ENQUIRY_OPEN,
        },
    )


@access.role_required(access.CASE_WORKERS)
@GET_POST
@once_per_key
def caused_new(request, pk):
    case = _case(request, pk, write=True)
    _open_enquiry(case, _caused_list_url(case.pk))
    form = forms.CausedEnquiryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _save_or_show(
            request,
            form,
            lambda: services.caused_enquiry_request(case=case, actor=request.user, data=form.cleaned_data),
            "Request to the partner organisation saved.",
            lambda caused: reverse("partnership:caused_detail", args=[caused.pk]),
        )
        if done:
            return done
    if request.method == "GET":
        _read(request, case, "cause an enquiry")
    return _form(request, case, form, "Ask a partner organisation to make enquiries", _caused_list_url(case.pk))


def _form(request, case, form, title, back_url, *, intro="", record=None):
    context = {"case": case, "form": form, "title": title, "back_url": back_url, "intro": intro, "record": record}
    context["offers_organisations"] = "partner" in form.fields
    return render(request, "partnership/form.html", context)


def _caused(request, pk):
    return selectors.case_record(
        request.user, CausedEnquiry, pk, related=("partner", "requested_by", "report_recorded_by", "not_adequate_by")
    )


@access.role_required(access.CASE_WORKERS)
@require_GET
def caused_detail(request, pk):
    caused = _caused(request, pk)
    case = caused.case
    _read(request, case, "caused enquiry", obj=caused)
    can_edit = can_edit_case(request.user, case)
    return render(
        request,
        "partnership/caused_detail.html",
        {
            "case": case,
            "caused": caused,
            "can_edit": can_edit,
            "can_judge": access.manages(request.user) and bool(caused.report_received_on),
        },
    )


@access.role_required(access.CASE_WORKERS)
@require_POST
def caused_acknowledge(request, pk):
    caused = _caused(request, pk)
    _writable(request, caused.case)
    services.caused_enquiry_acknowledge(caused=caused, actor=request.user)
    messages.success(request, "Acknowledgement recorded.")
    return redirect("partnership:caused_detail", pk=caused.pk)


@access.role_required(access.CASE_WORKERS)
@GET_POST
def caused_report(request, pk):
    caused = _caused(request, pk)
    case = caused.case
    _writable(request, case)
    form = forms.CausedReportForm(request.POST or None, instance=caused)
    if request.method == "POST" and form.is_valid():
        services.caused_enquiry_record_report(caused=caused, actor=request.user, data=form.cleaned_data)
        messages.success(request, "The partner's report is recorded.")
        return redirect("partnership:caused_detail", pk=caused.pk)
    if request.method == "GET":
        _read(request, case, "caused enquiry report", obj=caused)
    back = reverse("partnership:caused_detail", args=[caused.pk])
    intro = f"What {caused.partner.name} found, when it came, and whether it answers what was asked."
    return _form(request, case, form, "Record the partner's report", back, intro=intro, record=caused)


@access.role_required(access.MANAGERS)
@GET_POST
def caused_not_adequate(request, pk):
    caused = _caused(request, pk)
    case = caused.case
    back = reverse("partnership:caused_detail", args=[caused.pk])
    if not caused.report_received_on:
        raise StateRefused("A report can be judged once it has been received.", back_url=back)
    form = forms.NotAdequateForm(request.POST or None, initial={"reason": caused.not_adequate_reason})
    if request.method == "POST" and form.is_valid():
        services.caused_enquiry_mark_not_adequate(
            caused=caused, manager=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, "The report is marked as not adequate.")
        return redirect(back)
    if request.method == "GET":
        _read(request, case, "caused enquiry adequacy", obj=caused)
    intro = "Say why the report does not answer what was asked; the practitioner sees this on the request."
    return _form(request, case, form, "Mark the report as not adequate", back, intro=intro, record=caused)


# --- Meetings ---------------------------------------------------------------------------


@access.role_required(access.CASE_WORKERS)
@require_GET
def meeting_list(request, pk):
    case = _case(request, pk)
    _read(request, case, "meetings")
    return render(
        request,
        "partnership/meeting_list.html",
        {"case": case, "meetings": selectors.case_meetings(case), "can_edit": can_edit_case(request.user, case)},
    )


@access.role_required(access.CASE_WORKERS)
@GET_POST
@once_per_key
def meeting_new(request, pk):
    case = _case(request, pk, write=True)
    with_actions = case.state == CaseState.ENQUIRY_OPEN
    form = forms.MeetingForm(request.POST or None, case=case)
    formset = forms.meeting_actions(request.POST if request.method == "POST" else None) if with_actions else None
    if request.method == "POST" and form.is_valid() and (formset is None or formset.is_valid()):
        actions = [f.cleaned_data for f in formset if f.cleaned_data] if formset is not None else []
        try:
            meeting = services.meeting_record(
                case=case,
                actor=request.user,
                data=form.cleaned_data,
                staff=form.cleaned_data["staff"],
                attendees=form.attendees,
                actions=actions,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            added = (
                f" {len(actions)} action{'s' if len(actions) != 1 else ''} added to the protection plan."
                if actions
                else ""
            )
            messages.success(request, f"Meeting saved.{added}")
            return redirect("partnership:meeting_detail", pk=meeting.pk)
    if request.method == "GET":
        _read(request, case, "record a meeting")
    return render(
        request,
        "partnership/meeting_form.html",
        {"case": case, "form": form, "formset": formset},
    )


@access.role_required(access.CASE_WORKERS)
@require_GET
def meeting_detail(request, pk):
    meeting = selectors.case_record(request.user, Meeting, pk, related=("recorded_by",))
    _read(request, meeting.case, "meeting", obj=meeting)
    return render(
        request,
        "partnership/meeting_detail.html",
        {
            "case": meeting.case,
            "meeting": meeting,
            "staff": list(meeting.staff.all()),
            "attendees": list(meeting.partner_attendees.all()),
            "actions": [link.plan_action for link in meeting.actions.select_related("plan_action")],
        },
    )


# --- Information sharing ----------------------------------------------------------------


@access.role_required(access.CASE_WORKERS)
@require_GET
def share_list(request, pk):
    case = _case(request, pk)
    _read(request, case, "information sharing")
    return render(
        request,
        "partnership/share_list.html",
        {
            "case": case,
            "shares": selectors.case_shares(case),
            "can_edit": can_edit_case(request.user, case),
            "can_review": access.manages(request.user),
        },
    )


@access.role_required(access.CASE_WORKERS)
@GET_POST
@once_per_key
def share_new(request, pk):
    case = _case(request, pk, write=True)
    form = forms.InformationShareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        share = services.information_share_record(case=case, actor=request.user, data=form.cleaned_data)
        if share.consented:
            messages.success(request, "Information sharing recorded.")
        else:
            messages.success(
                request, "Information sharing recorded. It was shared without consent, so a manager will review it."
            )
        return redirect("partnership:share_list", pk=case.pk)
    if request.method == "GET":
        _read(request, case, "record information sharing")
    back = reverse("partnership:share_list", args=[case.pk])
    intro = "Record each time information about the adult is shared with, or received from, another organisation."
    return render(
        request,
        "partnership/share_form.html",
        {
            "case": case,
            "form": form,
            "title": "Record information sharing",
            "back_url": back,
            "intro": intro,
            "offers_organisations": True,
        },
    )


@access.role_required(access.MANAGERS)
@GET_POST
def share_review(request, pk):
    share = selectors.case_record(request.user, InformationShare, pk, related=("partner", "shared_by", "reviewed_by"))
    case = share.case
    back = reverse("partnership:share_list", args=[case.pk])
    if share.consented is not False or share.reviewed_at:
        raise StateRefused("This share does not need a manager's review.", back_url=back)
    form = forms.ShareReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.information_share_review(share=share, manager=request.user, comment=form.cleaned_data["comment"])
        messages.success(request, "Review recorded.")
        return redirect(back)
    if request.method == "GET":
        _read(request, case, "information share review", obj=share)
    return render(
        request, "partnership/share_review.html", {"case": case, "share": share, "form": form, "back_url": back}
    )
