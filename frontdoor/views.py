"""The front door's pages: the public concern form (no account), the screening pages for the
front-door team, and feedback to the referrer from a case. Thin: policy, form, service, render."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts import access, audit
from accounts.submissions import once_per_key
from cases import selectors as case_selectors
from cases.forms import (
    ConcernForm,
    PersonForm,
    PersonMatchForm,
    RiskFormSet,
    concern_page_context,
    posted_risk_action,
    without_errors,
)
from msp.public import rate_limited

from . import selectors, services
from .access import screens_front_door
from .flow import REFERENCE_KEY, ROBOT_KEY, SLUGS, TITLES, Flow
from .forms import HONEYPOT, FrontDoorTeamForm, NotSafeguardingForm, ReferrerFeedbackForm

logger = logging.getLogger(__name__)


# --- The public form ---------------------------------------------------------------------


def _rate_limited(request, group, rate):
    return rate_limited(request, f"frontdoor-{group}", rate, label="Front door")


def _too_many(request):
    return render(request, "frontdoor/too_many.html", {"team": services.front_door_team()}, status=429)


def _public(request, template, context=None, status=200):
    context = {"team": services.front_door_team(), "steps": len(SLUGS), **(context or {})}
    return render(request, template, context, status=status)


@login_not_required
@require_http_methods(["GET"])
def start(request):
    return _public(request, "frontdoor/start.html", {"first_step": SLUGS[0]})


@login_not_required
@require_http_methods(["GET", "POST"])
def step(request, slug):
    if slug not in SLUGS:
        raise Http404("No such page.")
    flow = Flow(request.session)
    missing = flow.first_incomplete()
    if missing is not None and SLUGS.index(slug) > SLUGS.index(missing):
        return redirect("report:step", missing)
    form_class = flow.form_class(slug)
    returning = request.GET.get("change") == "1" or request.POST.get("then") == "check"
    if request.method == "POST":
        if _rate_limited(request, "step", settings.FRONT_DOOR_STEP_RATE):
            return _too_many(request)
        form = form_class(request.POST)
        if request.POST.get(HONEYPOT):
            request.session[ROBOT_KEY] = True
        if form.is_valid():
            flow.save(slug, form, request.POST)
            following = flow.first_incomplete()
            if following is None and (returning or slug == SLUGS[-1]):
                return redirect("report:check")
            if following is None:
                return redirect("report:step", SLUGS[SLUGS.index(slug) + 1])
            return redirect("report:step", following)
    else:
        form = flow.stored_form(slug) or form_class()
    number = SLUGS.index(slug) + 1
    return _public(
        request,
        "frontdoor/step.html",
        {
            "form": form,
            "slug": slug,
            "title": TITLES[slug],
            "number": number,
            "back": SLUGS[number - 2] if number > 1 else None,
            "returning": returning,
            "said_danger": (flow.raw.get("danger", {}).get("immediate_danger") or [""])[0] in ("yes", "not_sure"),
        },
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def check(request):
    flow = Flow(request.session)
    missing = flow.first_incomplete()
    if missing is not None:
        if request.method == "POST" and request.session.get(REFERENCE_KEY) and not flow.raw:
            return redirect("report:done")  # the same report sent twice (a double click): it is already in
        return _public(request, "frontdoor/incomplete.html", {"missing": missing, "title": TITLES[missing]})
    if request.method == "POST":
        if request.session.get(ROBOT_KEY) or request.POST.get(HONEYPOT):
            flow.clear()
            return _public(request, "frontdoor/refused.html", status=400)
        if _rate_limited(request, "submit", settings.FRONT_DOOR_SUBMIT_RATE):
            return _too_many(request)
        submission = services.submit_concern(answers=flow.answers())
        flow.clear()
        request.session[REFERENCE_KEY] = submission.reference
        return redirect("report:done")
    return _public(request, "frontdoor/check.html", {"summary": flow.summary()})


@login_not_required
@require_http_methods(["GET"])
def done(request):
    return _public(request, "frontdoor/done.html", {"reference": request.session.get(REFERENCE_KEY)})


# --- Screening ---------------------------------------------------------------------------


def _screener(request):
    if not screens_front_door(request.user):
        raise PermissionDenied("Only the front door team and safeguarding leads screen concerns raised online.")


@access.role_required(access.CASE_WORKERS)
@require_http_methods(["GET"])
def queue(request):
    _screener(request)
    waiting = list(selectors.screening_queue(user=request.user))
    audit.record(
        actor=request.user, action=audit.AuditAction.SEARCH, object_type="frontdoor.submission", detail="queue"
    )
    return render(
        request,
        "frontdoor/queue.html",
        {
            "waiting": waiting,
            "screened": selectors.recently_screened(user=request.user),
            "team": services.front_door_team(),
            "is_lead": access.is_lead(request.user),
        },
    )


def _open_submission(request, pk, *, screening=True):
    submission = selectors.get_submission_for_user(request.user, pk)
    if screening and hasattr(submission, "screening"):
        messages.info(request, f"{submission.reference} has already been screened.")
        return submission, redirect("frontdoor:submission", submission.pk)
    return submission, None


def _matches(request, submission):
    return case_selectors.possible_duplicates(
        user=request.user,
        legal_name=submission.adult_name,
        preferred_name=submission.adult_preferred_name,
        date_of_birth=submission.adult_date_of_birth,
        nhs_number=submission.adult_nhs_number,
    )


@access.role_required(access.CASE_WORKERS)
@require_http_methods(["GET"])
def submission_detail(request, pk):
    submission, _ = _open_submission(request, pk, screening=False)
    matches = [] if hasattr(submission, "screening") else _matches(request, submission)
    audit.record(actor=request.user, action=audit.AuditAction.VIEW, obj=submission, detail="submission page")
    return render(request, "frontdoor/submission.html", {"submission": submission, "matches": matches})


@access.role_required(access.CASE_WORKERS)
@require_http_methods(["GET", "POST"])
@once_per_key
def screen_concern(request, pk):
    submission, done_already = _open_submission(request, pk)
    if done_already:
        return done_already
    teams = access.teams_of(request.user)
    initial_team = services.front_door_team()
    data, risk_message, risk_focus = posted_risk_action(request)
    person_form = PersonForm(data, prefix="person", initial=services.person_from_submission(submission))
    concern_form = ConcernForm(
        data,
        prefix="concern",
        teams=teams,
        initial={**services.concern_from_submission(submission), "team": initial_team.pk if initial_team else None},
    )
    risk_formset = RiskFormSet(data, initial=[services.risk_from_submission(submission)])
    matches = _matches(request, submission)
    match_form = PersonMatchForm(data, prefix="person_match", matches=matches) if matches else None
    if risk_message or risk_focus:
        without_errors(person_form, concern_form, risk_formset, match_form)
        if risk_focus != "risk-status":
            risk_formset.focus_last()
    elif request.method == "POST" and all(
        [
            person_form.is_valid(),
            concern_form.is_valid(),
            risk_formset.is_valid(),
            match_form is None or match_form.is_valid(),
        ]
    ):
        chosen = match_form.cleaned_data["existing_person"] if match_form else "new"
        existing = next((p for p in matches if str(p.pk) == chosen), None)
        try:
            screening = services.screen_into_concern(
                actor=request.user,
                submission=submission,
                team=concern_form.cleaned_data["team"],
                person=existing,
                person_data=None if existing else person_form.cleaned_data,
                concern_data=concern_form.concern_data(),
                risks=risk_formset.risks(),
            )
        except (PermissionDenied, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", None) or [str(error)]))
            return redirect("frontdoor:submission", submission.pk)
        messages.success(request, f"{submission.reference} is now a concern: case {screening.case.ref}.")
        return redirect("cases:detail", screening.case.pk)
    context = concern_page_context(
        person_form=person_form,
        concern_form=concern_form,
        match_form=match_form,
        risk_formset=risk_formset,
        risk_message=risk_message,
        risk_focus=risk_focus,
    )
    return render(request, "frontdoor/screen_concern.html", {"submission": submission, **context})


@access.role_required(access.CASE_WORKERS)
@require_http_methods(["GET", "POST"])
def screen_not_safeguarding(request, pk):
    submission, done_already = _open_submission(request, pk)
    if done_already:
        return done_already
    form = NotSafeguardingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.screen_not_safeguarding(actor=request.user, submission=submission, **form.cleaned_data)
        except (PermissionDenied, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", None) or [str(error)]))
            return redirect("frontdoor:submission", submission.pk)
        messages.success(request, f"{submission.reference} is recorded as not a safeguarding concern.")
        return redirect("frontdoor:queue")
    return render(request, "frontdoor/not_safeguarding.html", {"submission": submission, "form": form})


@access.role_required({access.Role.LEAD})
@require_http_methods(["GET", "POST"])
def choose_team(request):
    current = services.front_door_team()
    form = FrontDoorTeamForm(request.POST or None, initial={"team": current.pk if current else None})
    if request.method == "POST" and form.is_valid():
        setting = services.choose_front_door_team(actor=request.user, team=form.cleaned_data["team"])
        messages.success(request, f"{setting.team.name} now screens concerns raised online.")
        return redirect("frontdoor:queue")
    return render(request, "frontdoor/choose_team.html", {"form": form, "current": current})


# --- Feedback to the referrer ------------------------------------------------------------


@access.role_required(access.CASE_WORKERS)
@require_http_methods(["GET", "POST"])
@once_per_key
def referrer_feedback(request, pk):
    case = case_selectors.case_page(user=request.user, pk=pk)
    can_email = bool(services.referrer_email_for(case))
    form = ReferrerFeedbackForm(request.POST or None, can_email=can_email)
    if request.method == "POST" and form.is_valid():
        try:
            feedback = services.record_referrer_feedback(actor=request.user, case=case, **form.cleaned_data)
        except (PermissionDenied, ValidationError) as error:
            form.add_error(None, " ".join(getattr(error, "messages", None) or [str(error)]))
        else:
            sent = " and emailed to the referrer" if feedback.emailed_at else ""
            messages.success(request, f"Feedback to the referrer recorded{sent}.")
            return redirect("cases:detail", case.pk)
    audit.record(
        actor=request.user, action=audit.AuditAction.VIEW, obj=case, case_id=case.pk, detail="referrer feedback"
    )
    return render(
        request,
        "frontdoor/referrer_feedback.html",
        {
            "case": case,
            "form": form,
            "can_email": can_email,
            "earlier": selectors.referrer_feedback(case=case),
            "screening": getattr(case, "front_door_screening", None),
        },
    )
