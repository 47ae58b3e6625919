"""Text faults (issue 19): doubled full stops, doubled quotes, one date format in the
chronology, one case reference scheme."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse

from cases.models import Case
from outcomes.selectors import summary_context
from outcomes.tests.factories import DesiredOutcomeFactory, NegotiatedOutcomeFactory


def test_a_reason_that_ends_in_a_full_stop_gets_no_second_one(world, login):
    NegotiatedOutcomeFactory(
        desired_outcome=DesiredOutcomeFactory(case=world.case),
        reason="not_possible",
        reason_detail="The landlord will not re-house the tenant.",
        explained_to_adult=True,
        explained_on=datetime.date(2026, 1, 5),
    )
    body = login(world.practitioner).get(reverse("outcomes:enquiry", args=[world.case.pk])).content.decode()
    assert "re-house the tenant. Explained" in re.sub(r"\s+", " ", body)
    assert ".." not in re.sub(r"\s+", " ", body).replace("...", "")


def test_words_typed_with_quotes_are_not_quoted_twice_in_the_summary(world):
    DesiredOutcomeFactory(case=world.case, words="“I want to stay in my flat.”")
    DesiredOutcomeFactory(case=world.case, words='"I want my cat back."')
    html = render_to_string("outcomes/summary_pdf.html", summary_context(case=world.case))
    assert "“I want to stay in my flat.”" in html
    assert "“I want my cat back.”" in html
    assert "““" not in html and "””" not in html and "“&quot;" not in html


def test_the_chronology_uses_one_date_format(world, login):
    client = login(world.practitioner)
    client.post(
        reverse("outcomes:plan_action_add", args=[world.case.pk]),
        {"action": "Bank marker.", "responsible": "Synthetic Bank", "due_on": "2027-01-05"},
    )
    client.post(
        reverse("outcomes:conversation_add", args=[world.case.pk]),
        {
            "held_on": "2026-01-05",
            "mode": "phone",
            "with_adult": "on",
            "spoken_to_alone": "True",
            "outcomes_discussion": "not_discussed",
        },
    )
    body = client.get(reverse("cases:chronology", args=[world.case.pk])).content.decode()
    assert "due 5 Jan 2027" in body and "5 Jan 2026" in body
    assert not re.search(r"\b0\d [A-Z][a-z]{2} \d{4}\b", body)


@pytest.mark.django_db
def test_demo_cases_and_new_cases_share_one_reference_scheme(world, login):
    call_command("generate_demo_data", cases=5, seed=1, today=datetime.date(2026, 6, 1), stdout=None)
    demo_refs = set(Case.objects.exclude(pk__in=[world.case.pk, world.case_b.pk]).values_list("ref", flat=True))
    assert demo_refs and all(re.fullmatch(r"MSP-\d{7}", ref) for ref in demo_refs), demo_refs
