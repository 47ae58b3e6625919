import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AuditAction, AuditEvent, Role
from accounts.tests.factories import UserFactory
from cases import services, workflow
from cases.models import CaseState, DecisionStatus, Enquiry
from cases.tests.factories import CaseFactory, DecisionFactory, decision_form_data


def _concern(world):
    return CaseFactory(team=world.team_a)


def test_practitioner_proposes_a_decision_and_the_case_awaits_sign_off(world, login):
    case = _concern(world)
    response = login(world.practitioner).post(f"/cases/{case.pk}/decision/", decision_form_data())
    assert response.status_code == 302
    case.refresh_from_db()
    decision = case.decisions.get()
    assert case.state == CaseState.DECISION_PENDING
    assert decision.status == DecisionStatus.PROPOSED
    assert decision.proposed_by == world.practitioner
    assert AuditEvent.objects.filter(case_id=case.pk, action=AuditAction.CREATE, object_type="cases.decision")


def test_each_criterion_needs_a_rationale_and_input_is_kept(world, login):
    case = _concern(world)
    data = decision_form_data(protect_self_rationale="", has_care_and_support_needs="")
    response = login(world.practitioner).post(f"/cases/{case.pk}/decision/", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Give the reason for your answer about protecting themselves." in body
    assert "Answer yes or no." in body
    assert "Dementia; home care four times a day." in body
    case.refresh_from_db()
    assert case.state == CaseState.CONCERN


def test_an_s42_enquiry_needs_all_three_criteria(world, login):
    case = _concern(world)
    response = login(world.practitioner).post(
        f"/cases/{case.pk}/decision/", decision_form_data(cannot_protect_self="False")
    )
    assert "needs all three criteria" in response.content.decode()


def test_no_further_action_needs_signposting(world, login):
    case = _concern(world)
    response = login(world.practitioner).post(
        f"/cases/{case.pk}/decision/", decision_form_data(outcome="no_further_action")
    )
    assert "Say where the adult was signposted" in response.content.decode()


def test_a_decision_cannot_be_proposed_twice(world, login):
    decision = DecisionFactory(case__team=world.team_a, proposed_by=world.practitioner)
    response = login(world.colleague).post(f"/cases/{decision.case.pk}/decision/", decision_form_data())
    assert response.status_code == 302
    assert decision.case.decisions.count() == 1
    with pytest.raises(workflow.IllegalTransition):
        services.propose_decision(actor=world.colleague, case=decision.case, decision_data=decision_form_data())


@time_machine.travel(datetime.datetime(2026, 11, 20, 15, 0, tzinfo=datetime.UTC), tick=False)
def test_manager_signs_off_an_s42_decision_and_the_enquiry_opens(world, login):
    decision = DecisionFactory(case__team=world.team_a, proposed_by=world.practitioner)
    response = login(world.manager).post(f"/cases/{decision.case.pk}/decision/review/", {"action": "sign_off"})
    assert response.status_code == 302
    decision.refresh_from_db()
    case = decision.case
    case.refresh_from_db()
    assert decision.status == DecisionStatus.SIGNED_OFF
    assert decision.reviewed_by == world.manager
    assert decision.decided_on == datetime.date(2026, 11, 20)
    assert case.state == CaseState.ENQUIRY_OPEN
    enquiry = Enquiry.objects.get(case=case)
    assert enquiry.kind == "s42"
    assert enquiry.started_on == datetime.date(2026, 11, 20)
    assert enquiry.lead_practitioner is None


def test_signing_off_other_enquiry_opens_an_other_enquiry(world):
    decision = DecisionFactory(case__team=world.team_a, proposed_by=world.practitioner, outcome="other_enquiry")
    services.sign_off_decision(actor=world.manager, decision=decision)
    assert Enquiry.objects.get(case=decision.case).kind == "other_enquiry"


def test_signing_off_no_further_action_ends_the_case_without_an_enquiry(world):
    decision = DecisionFactory(
        case__team=world.team_a, proposed_by=world.practitioner, outcome="no_further_action", signposting="GP"
    )
    services.sign_off_decision(actor=world.manager, decision=decision)
    decision.case.refresh_from_db()
    assert decision.case.state == CaseState.NO_FURTHER_ACTION
    assert not Enquiry.objects.filter(case=decision.case).exists()


def test_manager_returns_a_decision_with_comments_and_the_practitioner_proposes_again(world, login):
    decision = DecisionFactory(case__team=world.team_a, proposed_by=world.practitioner)
    case = decision.case
    response = login(world.manager).post(
        f"/cases/{case.pk}/decision/review/", {"action": "return", "comments": "Say more about capacity."}
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    case.refresh_from_db()
    assert decision.status == DecisionStatus.RETURNED
    assert decision.review_comments == "Say more about capacity."
    assert case.state == CaseState.CONCERN
    page = login(world.practitioner).get(f"/cases/{case.pk}/decision/").content.decode()
    assert "Say more about capacity." in page
    login(world.practitioner).post(f"/cases/{case.pk}/decision/", decision_form_data())
    assert case.decisions.count() == 2


def test_returning_without_comments_is_refused(world, login):
    decision = DecisionFactory(case__team=world.team_a, proposed_by=world.practitioner)
    response = login(world.manager).post(f"/cases/{decision.case.pk}/decision/review/", {"action": "return"})
    assert "Say why you are returning the decision." in response.content.decode()
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.PROPOSED


def test_practitioner_cannot_sign_off_their_own_proposal(world, login):
    decision = DecisionFactory(case__team=world.team_a, proposed_by=world.practitioner)
    response = login(world.practitioner).post(f"/cases/{decision.case.pk}/decision/review/", {"action": "sign_off"})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.sign_off_decision(actor=world.practitioner, decision=decision)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.PROPOSED


def test_manager_cannot_sign_off_own_decision(world, login):
    decision = DecisionFactory(case__team=world.team_a, proposed_by=world.manager)
    page = login(world.manager).get(f"/cases/{decision.case.pk}/decision/review/")
    assert "another manager must sign it off" in page.content.decode()
    response = login(world.manager).post(f"/cases/{decision.case.pk}/decision/review/", {"action": "sign_off"})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.sign_off_decision(actor=world.manager, decision=decision)
    with pytest.raises(PermissionDenied):
        services.return_decision(actor=world.manager, decision=decision, comments="Mine.")
    decision.refresh_from_db()
    decision.case.refresh_from_db()
    assert decision.status == DecisionStatus.PROPOSED
    assert decision.case.state == CaseState.DECISION_PENDING


def test_another_manager_signs_off_a_managers_proposal(world):
    other = UserFactory(username="morgan", role=Role.MANAGER, teams=[world.team_a])
    decision = DecisionFactory(case__team=world.team_a, proposed_by=world.manager)
    services.sign_off_decision(actor=other, decision=decision)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.SIGNED_OFF


def test_a_decision_cannot_be_signed_off_twice(world):
    decision = DecisionFactory(case__team=world.team_a, proposed_by=world.practitioner)
    services.sign_off_decision(actor=world.manager, decision=decision)
    with pytest.raises(ValidationError):
        services.sign_off_decision(actor=world.lead, decision=decision)
    assert Enquiry.objects.filter(case=decision.case).count() == 1


def test_signing_off_a_decision_keeps_the_managers_comment_and_shows_it(world, login):
    decision = DecisionFactory(case__team=world.team_a, proposed_by=world.practitioner)
    client = login(world.manager)
    response = client.post(
        f"/cases/{decision.case.pk}/decision/review/",
        {"action": "sign_off", "comments": "Clear rationale; visit within five days."},
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.SIGNED_OFF
    assert decision.review_comments == "Clear rationale; visit within five days."
    audit_row = AuditEvent.objects.get(object_type="cases.decision", action=AuditAction.STATE, case_id=decision.case_id)
    assert "review_comments" in audit_row.fields
    page = login(world.practitioner).get(f"/cases/{decision.case.pk}/").content.decode()
    assert "Clear rationale; visit within five days." in page
