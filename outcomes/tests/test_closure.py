"""Sending for closure, manager sign-off (never by the sender) and returning with comments."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from cases.models import CaseEvent, CaseState
from outcomes.models import ClosureReview, Principle, PrincipleCheck

from .factories import (
    CapacityAssessmentFactory,
    ClosureReviewFactory,
    DesiredOutcomeFactory,
    OutcomeReviewFactory,
    PrincipleCheckFactory,
)

RATINGS = {f"rating_{p.value}": "met" for p in Principle}


def _evidence_all_six(case):
    for principle in Principle:
        PrincipleCheckFactory(case=case, principle=principle.value)


def _ready_for_closure(case):
    _evidence_all_six(case)
    ClosureReviewFactory(case=case)
    first, second = DesiredOutcomeFactory(case=case), DesiredOutcomeFactory(case=case)
    OutcomeReviewFactory(desired_outcome=first, adult_view="fully", practitioner_view="fully")
    OutcomeReviewFactory(desired_outcome=second, adult_view="not", practitioner_view="partially")


def test_closure_is_blocked_without_evidence_for_all_six_principles(world, login):
    ClosureReviewFactory(case=world.case)
    for principle in list(Principle)[:5]:
        PrincipleCheckFactory(case=world.case, principle=principle.value)
    client = login(world.practitioner)
    response = client.post(reverse("outcomes:send_for_closure", args=[world.case.pk]), follow=True)
    world.case.refresh_from_db()
    assert world.case.state == CaseState.ENQUIRY_OPEN
    assert "missing: Accountability" in response.content.decode()


def test_blank_evidence_does_not_count(world, login):
    _ready_for_closure(world.case)
    PrincipleCheck.objects.filter(case=world.case, principle="partnership").update(evidence="")
    login(world.practitioner).post(reverse("outcomes:send_for_closure", args=[world.case.pk]))
    world.case.refresh_from_db()
    assert world.case.state == CaseState.ENQUIRY_OPEN


def test_practitioner_sends_for_closure_with_all_six_principles(world, login):
    _ready_for_closure(world.case)
    login(world.practitioner).post(reverse("outcomes:send_for_closure", args=[world.case.pk]))
    world.case.refresh_from_db()
    review = ClosureReview.objects.get(case=world.case)
    assert world.case.state == CaseState.CLOSURE_PENDING
    assert (review.status, review.sent_by) == ("sent", world.practitioner)
    assert CaseEvent.objects.filter(case=world.case, kind="state:closure_pending").exists()


def test_manager_cannot_sign_off_a_closure_they_sent(world, login):
    _ready_for_closure(world.case)
    client = login(world.manager)
    client.post(reverse("outcomes:send_for_closure", args=[world.case.pk]))
    response = client.post(
        reverse("outcomes:closure_sign_off", args=[world.case.pk]), {**RATINGS, "decision": "sign_off"}
    )
    world.case.refresh_from_db()
    assert response.status_code == 200
    assert "another manager must sign it off" in response.content.decode()
    assert world.case.state == CaseState.CLOSURE_PENDING


def test_manager_sign_off_closes_the_case_and_stores_the_derived_sac_answers(world, login):
    _ready_for_closure(world.case)
    CapacityAssessmentFactory(case=world.case, outcome="has_capacity")
    login(world.practitioner).post(reverse("outcomes:send_for_closure", args=[world.case.pk]))
    response = login(world.manager).post(
        reverse("outcomes:closure_sign_off", args=[world.case.pk]),
        {**RATINGS, "rating_prevention": "partly", "comment_prevention": "Thin.", "decision": "sign_off"},
    )
    assert response.status_code == 302
    world.case.refresh_from_db()
    world.enquiry.refresh_from_db()
    assert world.case.state == CaseState.CLOSED
    assert world.enquiry.concluded_on == timezone.localdate()
    assert (
        world.enquiry.asked_desired_outcomes,
        world.enquiry.outcomes_achieved,
        world.enquiry.lacked_capacity,
        world.enquiry.advocacy,
    ) == ("asked_expressed", "partially", "no", "")
    assert list(world.case.risks.values_list("assessment", "result")) == [("identified_action", "reduced")]
    check = PrincipleCheck.objects.get(case=world.case, principle="prevention")
    assert (check.rating, check.manager_comment, check.reviewed_by) == ("partly", "Thin.", world.manager)
    assert AuditEvent.objects.filter(case_id=world.case.pk, object_type="cases.enquiry", action="update").exists()
    page = login(world.practitioner).get(reverse("cases:detail", args=[world.case.pk])).content.decode()
    assert "asked_expressed" in page and "partially" in page


def test_manager_returns_closure_with_comments_and_the_enquiry_reopens(world, login):
    _ready_for_closure(world.case)
    login(world.practitioner).post(reverse("outcomes:send_for_closure", args=[world.case.pk]))
    client = login(world.manager)
    url = reverse("outcomes:closure_sign_off", args=[world.case.pk])
    refused = client.post(url, {**RATINGS, "decision": "return", "comments": ""})
    assert "Say what needs to change" in refused.content.decode()
    client.post(url, {**RATINGS, "decision": "return", "comments": "Ask her again about the bank."})
    world.case.refresh_from_db()
    assert world.case.state == CaseState.ENQUIRY_OPEN
    page = login(world.practitioner).get(reverse("outcomes:enquiry", args=[world.case.pk])).content.decode()
    assert "Ask her again about the bank." in page


@pytest.mark.parametrize("actor", ["practitioner", "colleague"])
def test_practitioners_cannot_reach_closure_sign_off(world, login, actor):
    response = login(world.user(actor)).get(reverse("outcomes:closure_sign_off", args=[world.case.pk]))
    assert response.status_code == 403


def test_closure_review_needs_a_reason_when_no_review_was_possible(world, login):
    DesiredOutcomeFactory(case=world.case)
    response = login(world.practitioner).post(
        reverse("outcomes:closure_review", args=[world.case.pk]),
        {
            "review_held": "False",
            "ceased": "True",
            # The feeling questions moved to the feedback app (feedback/tests/test_at_closure.py).
            "no_review_detail": "Kept text",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Say why no review with the adult was possible." in body
    assert "Say whether this outcome was achieved, in your view." in body
    assert "Kept text" in body


def test_closure_is_blocked_until_every_desired_outcome_is_reviewed(world):
    from outcomes.services import closure_problems

    _ready_for_closure(world.case)
    assert closure_problems(world.case) == []
    DesiredOutcomeFactory(case=world.case)
    assert closure_problems(world.case) == ["Record whether each desired outcome was achieved (1 not yet reviewed)."]


def test_closure_is_blocked_without_a_closure_review(world):
    from outcomes.services import closure_problems

    _evidence_all_six(world.case)
    assert closure_problems(world.case) == ["Record the closure review with the adult (or why no review was possible)."]


@pytest.mark.parametrize("outcomes", [1, 10])
def test_sign_off_page_runs_a_constant_number_of_queries(world, client, django_assert_num_queries, outcomes):
    _ready_for_closure(world.case)
    for _ in range(outcomes):
        OutcomeReviewFactory(desired_outcome=DesiredOutcomeFactory(case=world.case))
    ClosureReview.objects.filter(case=world.case).update(status="sent", sent_by=world.practitioner)
    world.case.state = CaseState.CLOSURE_PENDING
    world.case.save()
    client.force_login(world.manager)
    url = reverse("outcomes:closure_sign_off", args=[world.case.pk])
    client.get(url)
    # 20: with every kept version of the records, the risks and their types, and the header's notification count;
    # 21 with the case's information sharing record beside the Partnership evidence (partnership's template tag);
    # 22 with the user's team memberships, read once per request (accounts.access.member_team_ids)
    with django_assert_num_queries(22):
        response = client.get(url)
    assert "Your review of the six principles" in response.content.decode()


@pytest.mark.parametrize("rating", ["partly", "not_met"])
def test_a_shortfall_in_the_closure_sign_off_needs_a_reason_as_the_audit_does(world, login, rating):
    _ready_for_closure(world.case)
    login(world.practitioner).post(reverse("outcomes:send_for_closure", args=[world.case.pk]))
    url = reverse("outcomes:closure_sign_off", args=[world.case.pk])
    response = login(world.manager).post(
        url, {**RATINGS, "rating_prevention": rating, "comment_prevention": "  ", "decision": "sign_off"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Say what was missing for Prevention." in body
    world.case.refresh_from_db()
    assert world.case.state == CaseState.CLOSURE_PENDING
    assert PrincipleCheck.objects.get(case=world.case, principle="prevention").rating == ""


def test_the_closure_sign_off_comment_is_shown_on_the_case_the_msp_record_and_the_chronology(world, login):
    _ready_for_closure(world.case)
    login(world.practitioner).post(reverse("outcomes:send_for_closure", args=[world.case.pk]))
    response = login(world.manager).post(
        reverse("outcomes:closure_sign_off", args=[world.case.pk]),
        {**RATINGS, "decision": "sign_off", "comments": "Good MSP practice; well done."},
    )
    assert response.status_code == 302
    client = login(world.practitioner)
    for name in ("cases:detail", "outcomes:enquiry", "cases:chronology"):
        body = client.get(reverse(name, args=[world.case.pk])).content.decode()
        assert "Good MSP practice; well done." in body, name
    case_page = client.get(reverse("cases:detail", args=[world.case.pk])).content.decode()
    assert "Closure signed off by" in case_page


def _closure_post(**risk_answers):
    return {
        "review_held": "True",
        # The feeling questions moved to the feedback app (feedback/tests/test_at_closure.py).
        "no_review_detail": "Kept text",
        **risk_answers,
    }


def _two_risks(case):
    from cases.models import Risk, RiskType

    first = case.risks.get()
    second = Risk.objects.create(case=case, location="community", source="unknown")
    RiskType.objects.create(risk=second, abuse_type="physical")
    return first, second


def test_each_risk_gets_its_own_outcome_and_a_result_only_where_identified(world, login):
    first, second = _two_risks(world.case)
    url = reverse("outcomes:closure_review", args=[world.case.pk])
    client = login(world.practitioner)
    page = client.get(url).content.decode()
    assert "Risk 1</legend>" in page and "Risk 2</legend>" in page
    assert "This is about the whole enquiry, not one risk." in page
    assert not re.search(r'name="ceased"[^>]*checked', page)  # no default answer
    assert not re.search(rf'name="assessment_{first.pk}"[^>]*checked', page)
    response = client.post(
        url,
        _closure_post(
            ceased="False",
            **{
                f"assessment_{first.pk}": "identified_action",
                f"result_{first.pk}": "removed",
                f"assessment_{second.pk}": "no_risk_no_action",
                f"result_{second.pk}": "",
            },
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(world.case.risks.order_by("id").values_list("assessment", "result")) == [
        ("identified_action", "removed"),
        ("no_risk_no_action", ""),
    ]
    audit = AuditEvent.objects.filter(case_id=world.case.pk, object_type="cases.risk", action="update")
    assert audit.count() == 2 and all(e.fields == ["assessment", "result"] for e in audit)
    again = client.get(url).content.decode()  # the saved answers come back
    assert re.search(rf'name="assessment_{first.pk}" value="identified_action"[^>]*checked', again)
    assert re.search(rf'name="result_{first.pk}" value="removed"[^>]*checked', again)
    assert re.search(r'name="ceased" value="False"[^>]*checked', again)


def test_a_result_is_required_where_identified_and_refused_otherwise(world, login):
    first, second = _two_risks(world.case)
    response = login(world.practitioner).post(
        reverse("outcomes:closure_review", args=[world.case.pk]),
        _closure_post(
            ceased="False",
            **{
                f"assessment_{first.pk}": "identified_no_action",
                f"assessment_{second.pk}": "inconclusive_action",
                f"result_{second.pk}": "reduced",
            },
        ),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Risk 1 was identified: say whether it remained, was reduced or removed." in body
    assert "Risk 2: a result is recorded only where a risk was identified." in body
    assert "Kept text" in body
    assert not ClosureReview.objects.filter(case=world.case).exists()
    assert set(world.case.risks.values_list("assessment", flat=True)) == {""}


def test_every_risk_needs_an_outcome_unless_the_enquiry_ceased(world, login):
    first, second = _two_risks(world.case)
    client = login(world.practitioner)
    url = reverse("outcomes:closure_review", args=[world.case.pk])
    unanswered = client.post(url, _closure_post())
    assert "Did the enquiry cease at the individual" in unanswered.content.decode()
    missing = client.post(url, _closure_post(ceased="False", **{f"assessment_{first.pk}": "no_risk_action"}))
    assert "Choose the risk assessment outcome of risk 2." in missing.content.decode()
    # Ceased: every risk is ceased, whatever was left in the per-risk answers.
    ceased = client.post(
        url,
        _closure_post(
            ceased="True", **{f"assessment_{first.pk}": "identified_action", f"result_{first.pk}": "removed"}
        ),
    )
    assert ceased.status_code == 302
    assert set(world.case.risks.values_list("assessment", "result")) == {("ceased", "")}
    assert re.search(r'name="ceased" value="True"[^>]*checked', client.get(url).content.decode())


def test_closure_is_blocked_until_every_risk_has_its_outcome(world, login):
    from cases.models import Risk

    _ready_for_closure(world.case)
    Risk.objects.create(case=world.case, location="own_home", source="known")
    response = login(world.practitioner).post(reverse("outcomes:send_for_closure", args=[world.case.pk]), follow=True)
    world.case.refresh_from_db()
    assert world.case.state == CaseState.ENQUIRY_OPEN
    assert "Record the risk assessment outcome of every risk (1 not yet recorded)." in response.content.decode()


def test_a_mixed_ceased_enquiry_is_refused_by_the_service(world):
    from django.core.exceptions import ValidationError

    from cases import risks

    first, second = _two_risks(world.case)
    with pytest.raises(ValidationError) as refused:
        risks.set_outcomes(
            actor=world.practitioner,
            case=world.case,
            ceased=False,
            outcomes={first.pk: ("ceased", ""), second.pk: ("no_risk_action", "")},
        )
    assert "every one of its risks is ceased" in refused.value.messages[0]
