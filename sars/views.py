"""The Safeguarding Adults Reviews register: safeguarding leads only (`role_required(LEADS)`).

Every page that shows a review is a read of personal data (people's names) and is audited;
URLs carry ids only.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from accounts import access, audit
from accounts.submissions import once_per_key

from . import forms, selectors, services

GET_POST = require_http_methods(["GET", "POST"])
GET = require_http_methods(["GET"])
LEADS = access.role_required(access.LEADS)


def _viewed(request, review, part):
    audit.record(actor=request.user, action=audit.AuditAction.VIEW, obj=review, detail=part)


@LEADS
@GET
def review_list(request):
    """Every review in the register, newest referral first."""
    audit.record(actor=request.user, action=audit.AuditAction.VIEW, object_type="sars.register", detail="list")
    return render(request, "sars/list.html", {"reviews": selectors.reviews()})


@LEADS
@GET_POST
@once_per_key
def review_create(request):
    """Record a referral for a review."""
    form = forms.ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        review = services.create_review(actor=request.user, data=form.cleaned_data)
        messages.success(request, f"{review.label} is in the register.")
        return redirect("sars:detail", pk=review.pk)
    return render(request, "sars/review_form.html", {"form": form, "title": "Record a referral for a review"})


def _people(request, review):
    """The review and its people, with the ids of their linked cases this lead may open."""
    people = list(selectors.people_of(review))
    visible = selectors.visible_case_ids(request.user, [p.case_id for p in people if p.case_id])
    return {"review": review, "people": people, "visible": visible}


@LEADS
@GET
def review_detail(request, pk):
    """One review: its decision, stages, people and recommendations."""
    review = selectors.review(pk)
    _viewed(request, review, "detail")
    return render(
        request,
        "sars/detail.html",
        {**_people(request, review), "recommendations": list(review.recommendations.all())},
    )


@LEADS
@GET_POST
def review_edit(request, pk):
    """Change a review (its decision, stages, conclusion); a concurrent save is detected."""
    review = selectors.review(pk)
    form = forms.ReviewForm(request.POST or None, instance=review)
    status = 200
    conflict = False
    if request.method == "POST" and form.is_valid():
        try:
            services.update_review(
                actor=request.user, review=review, expected_version=form.cleaned_data["version"], data=form.cleaned_data
            )
        except services.EditConflict as error:
            data = request.POST.copy()  # what they typed stays; the next save is checked against now
            data["version"] = error.current.version
            form = forms.ReviewForm(data, instance=error.current)
            conflict, status = True, 409
        else:
            messages.success(request, f"{review.label} is saved.")
            return redirect("sars:detail", pk=review.pk)
    elif request.method == "GET":
        _viewed(request, review, "edit")
    return render(
        request,
        "sars/review_form.html",
        {"form": form, "review": review, "conflict": conflict, "title": f"Change {review.label}"},
        status=status,
    )


def _find_case(request):
    return lambda ref: selectors.visible_case(request.user, ref)


@LEADS
@GET_POST
@once_per_key
def people(request, pk):
    """The people a review is about: add one (and link their case)."""
    review = selectors.review(pk)
    form = forms.PersonForm(request.POST or None, find_case=_find_case(request))
    if request.method == "POST" and form.is_valid():
        services.add_person(
            actor=request.user, review=review, name=form.cleaned_data["name"], harm=form.cleaned_data["harm"],
            case=form.case,
        )  # fmt: skip
        messages.success(request, "The person is added to the review.")
        return redirect("sars:people", pk=review.pk)
    if request.method == "GET":
        _viewed(request, review, "people")
    return render(request, "sars/people.html", {**_people(request, review), "form": form})


@LEADS
@GET_POST
def person_edit(request, pk):
    """Change a person's details or the case they are linked to."""
    person = get_object_or_404(selectors.people_of_any(), pk=pk)
    review = person.review
    can_see_case = person.case_id is None or person.case_id in selectors.visible_case_ids(
        request.user, [person.case_id]
    )
    initial = {
        "name": person.name,
        "harm": person.harm,
        "case_ref": person.case.ref if person.case and can_see_case else "",
    }
    form = forms.PersonForm(request.POST or None, initial=initial, find_case=_find_case(request))
    if request.method == "POST" and form.is_valid():
        keep = not can_see_case and not form.cleaned_data["case_ref"]
        services.update_person(
            actor=request.user, person=person, name=form.cleaned_data["name"], harm=form.cleaned_data["harm"],
            case=form.case, keep_case=keep,
        )  # fmt: skip
        messages.success(request, "The person's details are saved.")
        return redirect("sars:people", pk=review.pk)
    if request.method == "GET":
        _viewed(request, review, "person")
    return render(
        request,
        "sars/person_form.html",
        {"review": review, "person": person, "form": form, "hidden_case": not can_see_case},
    )


@LEADS
@GET_POST
@once_per_key
def recommendations(request, pk):
    """A review's findings and recommendations: add one, see each one's progress."""
    review = selectors.review(pk)
    form = forms.RecommendationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_recommendation(actor=request.user, review=review, data=form.cleaned_data)
        messages.success(request, "The recommendation is added.")
        return redirect("sars:recommendations", pk=review.pk)
    if request.method == "GET":
        _viewed(request, review, "recommendations")
    return render(
        request,
        "sars/recommendations.html",
        {"review": review, "recommendations": list(review.recommendations.all()), "form": form},
    )


@LEADS
@GET_POST
def recommendation_edit(request, pk):
    """Change a recommendation, or record its progress to completion."""
    recommendation = get_object_or_404(selectors.recommendations_of_any(), pk=pk)
    review = recommendation.review
    form = forms.RecommendationForm(request.POST or None, instance=recommendation)
    if request.method == "POST" and form.is_valid():
        services.update_recommendation(actor=request.user, recommendation=recommendation, data=form.cleaned_data)
        messages.success(request, "The recommendation is saved.")
        return redirect("sars:recommendations", pk=review.pk)
    if request.method == "GET":
        _viewed(request, review, "recommendation")
    return render(
        request, "sars/recommendation_form.html", {"review": review, "recommendation": recommendation, "form": form}
    )
