"""The enquiry record page: constant queries, side-by-side outcomes, history, audit of reads."""

import pytest
from django.urls import reverse

from accounts import audit
from accounts.models import AuditEvent
from outcomes import services
from outcomes.forms import DesiredOutcomeForm

from .factories import (
    AdvocacyFactory,
    CapacityAssessmentFactory,
    ConversationFactory,
    DeclinedSupportFactory,
    DesiredOutcomeFactory,
    NegotiatedOutcomeFactory,
    OutcomeReviewFactory,
    PlanActionFactory,
    PrincipleCheckFactory,
)


def _fill(case, conversations, outcomes):
    for _ in range(conversations):
        ConversationFactory(case=case, spoken_to_alone=False, not_alone_reason="Her son would not leave the room.")
    for n in range(outcomes):
        desired = DesiredOutcomeFactory(case=case)
        if n % 2:
            NegotiatedOutcomeFactory(desired_outcome=desired)
        OutcomeReviewFactory(desired_outcome=desired)
    CapacityAssessmentFactory(case=case)
    AdvocacyFactory(case=case)
    DeclinedSupportFactory(case=case)
    PlanActionFactory(case=case)
    PrincipleCheckFactory(case=case)


@pytest.mark.parametrize(("conversations", "outcomes"), [(5, 2), (50, 20)])
def test_enquiry_page_runs_a_constant_number_of_queries(
    world, client, django_assert_num_queries, conversations, outcomes
):
    _fill(world.case, conversations, outcomes)
    client.force_login(world.practitioner)
    url = reverse("outcomes:enquiry", args=[world.case.pk])
    client.get(url)  # warm the session
    # 18: with every kept version of records, the risks and their types; 19 with the person's
    # feedback, which replaced the closure review's feeling questions (feedback's template tag,
    # one query); 20 with the header's notification count; 21 with the user's team memberships,
    # read once per request (accounts.access.member_team_ids).
    with django_assert_num_queries(21 + audit.queries_per_record()):
        response = client.get(url)
    assert response.content.decode().count("Her son would not leave the room.") == conversations


def test_enquiry_page_shows_what_was_wanted_beside_what_was_agreed(world, login):
    desired = DesiredOutcomeFactory(case=world.case, words="I want him to move out today.")
    NegotiatedOutcomeFactory(
        desired_outcome=desired, words="He will stay with his sister while we talk.", reason="not_possible"
    )
    body = login(world.colleague).get(reverse("outcomes:enquiry", args=[world.case.pk])).content.decode()
    wanted, agreed = body.index("I want him to move out today."), body.index("He will stay with his sister")
    assert wanted < agreed
    assert "Not possible as stated" in body
    assert AuditEvent.objects.filter(actor=world.colleague, action="view", case_id=world.case.pk).exists()


def test_changing_a_desired_outcome_keeps_its_history_visible(world, login):
    outcome = DesiredOutcomeFactory(case=world.case, words="I want to stay at home.")
    client = login(world.practitioner)
    response = client.post(
        reverse("outcomes:desired_outcome_edit", args=[outcome.pk]),
        {
            "words": "I want to move near my daughter.",
            "expressed_by": "adult",
            "expressed_on": outcome.expressed_on,
            "change_reason": "She changed her mind after her fall.",
        },
    )
    assert response.status_code == 302
    outcome.refresh_from_db()
    assert outcome.version == 2
    assert [r.words for r in outcome.revisions.order_by("version")] == [
        "I want to stay at home.",
        "I want to move near my daughter.",
    ]
    body = client.get(reverse("outcomes:enquiry", args=[world.case.pk])).content.decode()
    assert "History of this outcome" in body
    assert "I want to stay at home." in body and "She changed her mind after her fall." in body


def test_a_conversation_not_alone_needs_a_reason_and_keeps_what_was_typed(world, login):
    response = login(world.practitioner).post(
        reverse("outcomes:conversation_add", args=[world.case.pk]),
        {
            "held_on": "2020-01-02",
            "mode": "phone",
            "with_adult": "on",
            "spoken_to_alone": "False",
            "what_matters": "Keep my cat.",
            "outcomes_discussion": "expressed",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Say why the adult was not spoken to alone." in body
    assert "There is a problem" in body
    assert "Keep my cat." in body


def test_a_conversation_can_record_asked_but_none_expressed(world, login):
    response = login(world.practitioner).post(
        reverse("outcomes:conversation_add", args=[world.case.pk]),
        {
            "held_on": "2020-01-02",
            "mode": "interpreter",
            "with_adult": "on",
            "spoken_to_alone": "True",
            "outcomes_discussion": "none_expressed",
        },
    )
    assert response.status_code == 302
    assert world.case.conversations.get().outcomes_discussion == "none_expressed"


def test_lacking_capacity_needs_a_best_interests_record(world, login):
    response = login(world.practitioner).post(
        reverse("outcomes:capacity_add", args=[world.case.pk]),
        {
            "decision": "Where to live",
            "about_the_enquiry": "True",
            "outcome": "lacks_capacity",
            "assessed_on": "2020-01-02",
            "assessor": "Synthetic Assessor",
        },
    )
    assert "Record the best-interests decision" in response.content.decode()


def test_overridden_declined_support_needs_an_explanation(world, login):
    response = login(world.practitioner).post(
        reverse("outcomes:declined_add", args=[world.case.pk]),
        {
            "declined_on": "2020-01-02",
            "what_was_declined": "Refuge",
            "what_was_explained": "Options",
            "override_reason": "others_at_risk",
            "follow_up_on": "2020-01-01",
        },
    )
    body = response.content.decode()
    assert "Explain why the adult&#x27;s wish is being overridden." in body
    assert "cannot be before the date support was declined" in body


def test_every_write_is_in_the_chronology_and_the_audit_log(world):
    form = DesiredOutcomeForm({"words": "Safe at home", "expressed_by": "adult", "expressed_on": "2020-01-01"})
    assert form.is_valid()
    outcome = services.desired_outcome_save(case=world.case, actor=world.practitioner, outcome_data=form.cleaned_data)
    services.principle_evidence_save(case=world.case, actor=world.practitioner, evidence={"empowerment": "Asked"})
    action = PlanActionFactory(case=world.case)
    services.plan_action_set_status(action=action, actor=world.practitioner, status="done")
    kinds = set(world.case.events.values_list("kind", flat=True))
    assert {"outcomes:desired_outcome", "outcomes:principles", "outcomes:plan_action"} <= kinds
    audit = AuditEvent.objects.filter(case_id=world.case.pk)
    assert audit.filter(action="create", object_type="outcomes.desiredoutcome", object_id=str(outcome.pk)).exists()
    assert audit.filter(object_type="outcomes.principlecheck", fields=["evidence:empowerment"]).exists()
    assert audit.filter(action="update", object_type="outcomes.planaction", fields=["status"]).exists()
    assert not any("Safe at home" in (e.detail + str(e.fields)) for e in audit)


def test_records_cannot_be_added_once_the_case_is_closed(world, login):
    world.case.state = "closed"
    world.case.save()
    assert login(world.practitioner).get(reverse("outcomes:conversation_add", args=[world.case.pk])).status_code == 409


def test_a_stale_edit_of_a_desired_outcome_is_refused_and_nothing_is_lost(world, login):
    outcome = DesiredOutcomeFactory(case=world.case, words="First wording.")
    outcome.version = 2
    outcome.save()
    response = login(world.practitioner).post(
        reverse("outcomes:desired_outcome_edit", args=[outcome.pk]),
        {
            "words": "My stale edit.",
            "expressed_by": "adult",
            "expressed_on": outcome.expressed_on,
            "change_reason": "Typed while someone else edited.",
            "version": "1",
        },
    )
    body = response.content.decode()
    assert "Someone else changed this outcome" in body
    assert "My stale edit." in body
    outcome.refresh_from_db()
    assert outcome.words == "First wording."


def test_an_edit_overtaken_between_the_check_and_the_save_is_a_409_with_the_form_kept(world, login, monkeypatch):
    """Two users save the same outcome at once: the second passed the form's version check,
    then found a newer version under the row lock. It is told, not shown an error page."""
    from outcomes import forms as outcome_forms
    from outcomes.models import DesiredOutcome, DesiredOutcomeRevision

    outcome = DesiredOutcomeFactory(case=world.case, words="First wording.")
    checked = outcome_forms.DesiredOutcomeForm.clean

    def clean_then_someone_else_saves(form):
        cleaned = checked(form)
        DesiredOutcome.objects.filter(pk=outcome.pk).update(version=2, words="Their wording.")
        return cleaned

    monkeypatch.setattr(outcome_forms.DesiredOutcomeForm, "clean", clean_then_someone_else_saves)
    data = {
        "words": "My wording.",
        "expressed_by": "adult",
        "expressed_on": outcome.expressed_on,
        "change_reason": "Saved at the same moment as a colleague.",
        "version": "1",
    }
    client = login(world.practitioner)
    response = client.post(reverse("outcomes:desired_outcome_edit", args=[outcome.pk]), data)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else changed this outcome" in body
    assert "My wording." in body
    assert 'name="version" value="2"' in body  # the next save is checked against what is stored
    outcome.refresh_from_db()
    assert (outcome.words, outcome.version) == ("Their wording.", 2)
    assert not DesiredOutcomeRevision.objects.filter(outcome=outcome, words="My wording.").exists()


def test_error_summary_links_land_on_the_radio_group_left_unanswered(world, login):
    response = login(world.practitioner).post(
        reverse("outcomes:conversation_add", args=[world.case.pk]),
        {"held_on": "2020-01-02", "mode": "phone", "with_adult": "on", "outcomes_discussion": "not_discussed"},
    )
    body = response.content.decode()
    assert 'href="#id_spoken_to_alone_0"' in body
    assert 'id="id_spoken_to_alone_0"' in body
    assert "Answer: was the adult spoken to alone?" in body
