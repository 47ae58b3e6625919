"""The anonymous questionnaire at /feedback/: no account (every view is `login_not_required`),
opened with the one-time code printed on the adult's summary. Rate limited per address (as the
front door), a honeypot field, CSRF as everywhere, text limits on the one free-text box."""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from msp.public import rate_limited

from . import forms, services
from .anonymous import ROBOT_KEY, STEPS, Answers
from .questions import BY_CODE

logger = logging.getLogger(__name__)
QUESTIONS_ASKED = len(STEPS) - 2


def _rate_limited(request, group, rate):
    return rate_limited(request, f"feedback-{group}", rate, label="Feedback")


def _page(request, template, context=None, status=200):
    return render(request, f"feedback/public/{template}", context or {}, status=status)


@login_not_required
@require_http_methods(["GET", "POST"])
def start(request):
    form = forms.CodeForm(request.POST or None)
    if request.method == "POST":
        if _rate_limited(request, "code", settings.FEEDBACK_CODE_RATE):
            return _page(request, "too_many.html", status=429)
        if request.POST.get(forms.HONEYPOT):
            return _page(request, "refused.html", status=400)
        if form.is_valid():
            code = services.usable_code(form.cleaned_data["code"])
            if code is None:
                form.add_error(
                    "code", "This code does not work. It may be used already, or too old. Check it and try again."
                )
            else:
                Answers(request.session).start(code.pk)
                return redirect("tell_us:step", STEPS[0])
    return _page(request, "start.html", {"form": form, "questions": QUESTIONS_ASKED})


def _form_for(step, answers, data=None):
    if step == "who":
        return forms.WhoForm(data, initial={"version": answers.value(step)})
    if step == "words":
        return forms.WordsForm(data, initial=answers.value(step) or {})
    return forms.QuestionForm(
        data, question=BY_CODE[step], version=answers.version, initial={"answer": answers.value(step)}
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def step(request, slug):
    if slug not in STEPS:
        raise Http404("No such page.")
    answers = Answers(request.session)
    if not answers.open:
        return _page(request, "no_code.html")
    missing = answers.first_missing()
    if missing is not None and STEPS.index(slug) > STEPS.index(missing):
        return redirect("tell_us:step", missing)
    index = STEPS.index(slug)
    form = _form_for(slug, answers, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if _rate_limited(request, "step", settings.FEEDBACK_STEP_RATE):
            return _page(request, "too_many.html", status=429)
        if request.POST.get(forms.HONEYPOT):
            request.session[ROBOT_KEY] = True
        if form.is_valid():
            answers.save(slug, form.cleaned_data)
            following = answers.first_missing()
            if following is None:
                return redirect("tell_us:check")
            return redirect("tell_us:step", STEPS[index + 1] if index + 1 < len(STEPS) else following)
    return _page(
        request,
        "step.html",
        {
            "form": form,
            "slug": slug,
            "number": index,
            "of": QUESTIONS_ASKED,
            "is_question": slug in BY_CODE,
            "back": STEPS[index - 1] if index else None,
        },
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def check(request):
    answers = Answers(request.session)
    if not answers.open:
        return _page(request, "no_code.html")
    missing = answers.first_missing()
    if missing is not None:
        return redirect("tell_us:step", missing)
    if request.method == "POST":
        if request.session.get(ROBOT_KEY) or request.POST.get(forms.HONEYPOT):
            answers.clear()
            return _page(request, "refused.html", status=400)
        if _rate_limited(request, "send", settings.FEEDBACK_CODE_RATE):
            return _page(request, "too_many.html", status=429)
        words = answers.value("words")
        try:
            services.record_anonymous_response(
                code_id=answers.data["code"],
                version=answers.version,
                answers=answers.data["answers"],
                anything_else=words["anything_else"],
                share_consent=words["share_consent"],
            )
        except services.CodeUsed:
            answers.clear()
            return _page(request, "code_used.html", status=409)
        answers.clear()
        return redirect("tell_us:done")
    return _page(request, "check.html", {"summary": answers.summary(), "words": answers.value("words")})


@login_not_required
@require_http_methods(["GET"])
def done(request):
    return _page(request, "done.html")
