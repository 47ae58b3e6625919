"""Every MSP record added through the pages is a chronology line and an audit row."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from cases.models import CaseEvent

from .factories import DeclinedSupportFactory, DesiredOutcomeFactory, PlanActionFactory

DAY = "2026-01-05"


def _case_url(name):
    return lambda w: reverse(f"outcomes:{name}", args=[w.case.pk])


CASES = {
    "conversation": (
        _case_url("conversation_add"),
        {
            "held_on": DAY,
            "mode": "video",
            "with_adult": "on",
            "spoken_to_alone": "True",
            "outcomes_discussion": "not_discussed",
        },
        "outcomes.conversation",
    ),
    "desired_outcome": (
        _case_url("desired_outcome_add"),
        {"words": "To be left alone.", "expressed_by": "representative", "expressed_on": DAY},
        "outcomes.desiredoutcome",
    ),
    "negotiated_outcome": (
        lambda w: reverse("outcomes:negotiated_outcome_edit", args=[DesiredOutcomeFactory(case=w.case).pk]),
        {"words": "Agreed instead.", "reason": "legal_duty", "explained_to_adult": "False"},
        "outcomes.negotiatedoutcome",
    ),
    "capacity": (
        _case_url("capacity_add"),
        {
            "decision": "Moving home",
            "about_the_enquiry": "True",
            "outcome": "lacks_capacity",
            "assessed_on": DAY,
            "assessor": "Synthetic Doctor",
            "best_interests": "Family and GP consulted.",
        },
        "outcomes.capacityassessment",
    ),
    "advocacy": (
        _case_url("advocacy_add"),
        {"kind": "family_friend", "advocate": "Her sister", "from_date": DAY},
        "outcomes.advocacy",
    ),
    "declined_support": (
        _case_url("declined_add"),
        {
            "declined_on": DAY,
            "what_was_declined": "Day centre",
            "what_was_explained": "What it offers",
            "follow_up_on": "2026-02-01",
        },
        "outcomes.declinedsupport",
    ),
    "followup_done": (
        lambda w: reverse("outcomes:followup_done", args=[DeclinedSupportFactory(case=w.case).pk]),
        {},
        "outcomes.declinedsupport",
    ),
    "plan_action": (
        _case_url("plan_action_add"),
        {"action": "Check on her weekly.", "responsible": "Synthetic Housing officer", "due_on": "2026-03-01"},
        "outcomes.planaction",
    ),
    "plan_action_status": (
        lambda w: reverse("outcomes:plan_action_status", args=[PlanActionFactory(case=w.case).pk]),
        {"status": "cancelled"},
        "outcomes.planaction",
    ),
    "principles": (_case_url("principles"), {"empowerment": "Her words led the plan."}, "outcomes.principlecheck"),
    "closure_review": (
        _case_url("closure_review"),
        {
            "review_held": "False",
            "no_review_reason": "moved",
            "ceased": "True",
        },
        "outcomes.closurereview",
    ),
    "summary": (_case_url("summary_request"), {}, "outcomes.summarydocument"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_record_is_in_the_chronology_and_the_audit_log(world, login, name):
    url, data, object_type = CASES[name]
    url = url(world)
    events_before = CaseEvent.objects.filter(case=world.case).count()
    response = login(world.practitioner).post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert CaseEvent.objects.filter(case=world.case).count() == events_before + 1
    assert CaseEvent.objects.filter(case=world.case, kind__startswith="outcomes:").exists()
    audit = AuditEvent.objects.filter(case_id=world.case.pk, object_type=object_type, actor=world.practitioner)
    assert audit.filter(action__in=["create", "update"]).exists()
    for event in audit:
        assert all(value not in str(event.fields) + event.detail for value in data.values() if len(value) > 8)
