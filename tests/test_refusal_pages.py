"""A refusal says its real reason: a rule of the case's stage is not a permission (issue 19)."""

import logging

from django.urls import reverse

from cases.tests.factories import DecisionFactory
from outcomes.tests.factories import ClosureReviewFactory

ROLE_TEXT = "Your role does not allow this page"


def test_a_stage_rule_shows_its_reason_and_a_link_back_not_a_role_refusal(world, login):
    ClosureReviewFactory(case=world.case)
    world.case.state = "closure_pending"
    world.case.save()
    response = login(world.practitioner).get(reverse("outcomes:closure_review", args=[world.case.pk]))
    body = response.content.decode()
    assert response.status_code == 409
    assert "MSP records can be added while the enquiry is open." in body
    assert ROLE_TEXT not in body
    assert f'href="{reverse("outcomes:enquiry", args=[world.case.pk])}"' in body


def test_a_closed_case_says_it_is_closed_when_asked_to_change_it(world, login):
    world.case.state = "closed"
    world.case.save()
    response = login(world.practitioner).get(reverse("cases:concern_edit", args=[world.case.pk]))
    body = response.content.decode()
    assert response.status_code == 409
    assert "This case is closed, so it can no longer be changed." in body
    assert ROLE_TEXT not in body
    assert f'href="{reverse("cases:detail", args=[world.case.pk])}"' in body


def test_a_refusal_with_a_reason_shows_the_reason(world, login):
    decision = DecisionFactory(case__team=world.team_a, proposed_by=world.manager)
    response = login(world.manager).post(
        reverse("cases:decision_review", args=[decision.case.pk]), {"action": "sign_off"}
    )
    body = response.content.decode()
    assert response.status_code == 403
    assert "You proposed this decision, so another manager must review it." in body
    assert ROLE_TEXT not in body


def test_a_role_refusal_still_says_the_role_does_not_allow_it(world, login):
    response = login(world.practitioner).get(reverse("outcomes:closure_sign_off", args=[world.case.pk]))
    assert response.status_code == 403
    assert ROLE_TEXT in response.content.decode()


def test_a_refusal_logs_one_line_with_the_role_and_url_name_and_no_traceback(world, login, caplog):
    caplog.set_level(logging.INFO)
    login(world.practitioner).get(reverse("outcomes:closure_sign_off", args=[world.case.pk]))
    refusals = [
        r
        for r in caplog.records
        if r.levelno >= logging.WARNING and ("Forbidden" in r.getMessage() or "Refused" in r.getMessage())
    ]
    assert len(refusals) == 1
    (record,) = refusals
    assert record.exc_info is None
    message = record.getMessage()
    assert "practitioner" in message and "outcomes:closure_sign_off" in message
    assert "\n" not in message
