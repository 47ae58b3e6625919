"""No SAC-bearing answer has a default: the form asks the question and nothing is preselected."""

import re

import pytest
from django.urls import reverse

from outcomes.forms import CapacityAssessmentForm, ClosureReviewForm, ConversationForm

from .factories import CapacityAssessmentFactory

CAPACITY = {
    "decision": "Managing her bank account",
    "outcome": "lacks_capacity",
    "assessed_on": "2020-01-02",
    "assessor": "Synthetic Assessor",
    "best_interests": "Her sister and the GP were consulted.",
}


def _checked(html, name):
    return re.findall(rf'<input[^>]*name="{name}"[^>]*checked', html)


@pytest.mark.parametrize(
    ("form_class", "name"),
    [
        (CapacityAssessmentForm, "about_the_enquiry"),
        (ConversationForm, "outcomes_discussion"),
        (ClosureReviewForm, "review_held"),
    ],
)
def test_a_new_form_preselects_no_answer_that_feeds_a_return(db, form_class, name):
    form = form_class()
    html = str(form[name])
    assert 'type="radio"' in html
    assert _checked(html, name) == []


def test_the_capacity_form_asks_whether_the_decision_is_about_the_enquiry(world, login):
    client = login(world.practitioner)
    page = client.get(reverse("outcomes:capacity_add", args=[world.case.pk])).content.decode()
    assert _checked(page, "about_the_enquiry") == []
    response = client.post(reverse("outcomes:capacity_add", args=[world.case.pk]), CAPACITY)
    assert response.status_code == 200
    assert "Answer: is this decision about the safeguarding enquiry?" in response.content.decode()
    assert not world.case.capacity_assessments.exists()


def test_lacking_capacity_for_another_decision_leaves_the_enquiry_answer_alone(world, login):
    client = login(world.practitioner)
    client.post(reverse("outcomes:capacity_add", args=[world.case.pk]), {**CAPACITY, "about_the_enquiry": "False"})
    assert world.case.capacity_assessments.get().about_the_enquiry is False
    world.case.enquiry.refresh_from_db()
    assert world.case.enquiry.lacked_capacity == "not_recorded"


def test_a_capacity_assessment_about_the_enquiry_re_derives_the_enquirys_answers(world, login):
    client = login(world.practitioner)
    client.post(reverse("outcomes:capacity_add", args=[world.case.pk]), {**CAPACITY, "about_the_enquiry": "True"})
    world.case.enquiry.refresh_from_db()
    assert (world.case.enquiry.lacked_capacity, world.case.enquiry.advocacy) == ("yes", "not_recorded")
    assert world.case.enquiry.concluded_on is None


def test_the_capacity_table_shows_whether_each_decision_is_about_the_enquiry(world, login):
    CapacityAssessmentFactory(case=world.case, decision="Where to live", about_the_enquiry=True)
    CapacityAssessmentFactory(case=world.case, decision="Selling the car", about_the_enquiry=False, best_interests="x")
    body = login(world.practitioner).get(reverse("outcomes:enquiry", args=[world.case.pk])).content.decode()
    table = body[body.index("Capacity assessments, one per decision") :]
    table = table[: table.index("</table>")]
    assert "About the enquiry" in table
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
    assert any("Where to live" in r and ">Yes<" in r for r in rows)
    assert any("Selling the car" in r and ">No<" in r for r in rows)
