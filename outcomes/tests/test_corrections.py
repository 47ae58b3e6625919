"""Correcting saved MSP records: conversations, capacity assessments, advocacy, declined support
and plan actions. The author or a manager corrects while the enquiry is open; every earlier
version is kept and shown; two people correcting at once cannot overwrite each other."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from cases.models import CaseEvent, CaseState
from outcomes import forms, sac, services
from outcomes.models import CapacityOutcome, Conversation, RecordRevision

from .factories import (
    AdvocacyFactory,
    CapacityAssessmentFactory,
    ConversationFactory,
    DeclinedSupportFactory,
    PlanActionFactory,
)

pytestmark = pytest.mark.django_db


def _data(form_class, record, **changes):
    """The POST a user sends from the correction page of `record`, with `changes` typed in."""
    form = form_class(instance=record)
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field, forms.forms.BooleanField):
            if value:
                data[name] = "on"
            continue
        if value is None:
            continue
        data[name] = value.isoformat() if isinstance(value, datetime.date) else str(value)
    data.setdefault("change_reason", "The wrong words were typed.")
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def _conversation(world, **kwargs):
    return ConversationFactory(case=world.case, recorded_by=world.practitioner, **kwargs)


def _url(record, name="outcomes:conversation_correct"):
    return reverse(name, args=[record.pk])


# --- the service ---------------------------------------------------------------------------


def _correction(form):
    """What the correction page passes the service from a valid correction form."""
    data = form.cleaned_data
    return {"expected_version": data["version"], "record_data": data, "change_reason": data["change_reason"]}


def _correct(record, actor, form_class=forms.ConversationCorrectionForm, **changes):
    form = form_class(_data(form_class, record, **changes), instance=record)
    assert form.is_valid(), form.errors
    return services.record_correct(record=record, actor=actor, **_correction(form))


def test_a_first_correction_keeps_the_record_as_first_saved_and_the_new_version(world):
    conversation = _conversation(world, what_matters="I want to stay in my flat.")
    recorded_at = conversation.recorded_at

    _correct(conversation, world.manager, what_matters="I want to stay in my own flat with my cat.")

    conversation.refresh_from_db()
    assert conversation.version == 2
    assert conversation.corrected
    assert conversation.what_matters == "I want to stay in my own flat with my cat."
    newest, first = list(conversation.revisions.order_by("-version"))
    assert (first.version, first.changed_by, first.changed_at) == (1, world.practitioner, recorded_at)
    assert first.data["what_matters"] == "I want to stay in my flat."
    assert (newest.version, newest.changed_by) == (2, world.manager)
    assert newest.change_reason == "The wrong words were typed."
    assert newest.data["what_matters"] == "I want to stay in my own flat with my cat."


def test_a_second_correction_adds_one_version_and_keeps_both_earlier_ones(world):
    conversation = _conversation(world, what_matters="First.")
    _correct(conversation, world.practitioner, what_matters="Second.")
    conversation.refresh_from_db()
    _correct(conversation, world.practitioner, what_matters="Third.")

    words = [r.data["what_matters"] for r in conversation.revisions.order_by("version")]
    assert words == ["First.", "Second.", "Third."]


def test_a_correction_is_audited_by_field_name_and_logged_without_the_words(world):
    conversation = _conversation(world, what_matters="I am frightened of my nephew.")
    _correct(conversation, world.practitioner, what_matters="I am frightened of my nephew Sam.", next_steps="Visit")

    event = AuditEvent.objects.get(object_type="outcomes.conversation", object_id=str(conversation.pk))
    assert event.fields == ["next_steps", "what_matters"]
    assert event.actor == world.practitioner
    assert "nephew" not in event.detail
    line = CaseEvent.objects.get(case=world.case, kind="outcomes:conversation_corrected")
    assert line.summary == "Conversation corrected (version 2)."


def test_a_correction_that_changes_nothing_writes_nothing(world):
    conversation = _conversation(world)
    _correct(conversation, world.practitioner)

    conversation.refresh_from_db()
    assert conversation.version == 1
    assert not RecordRevision.objects.exists()
    assert not AuditEvent.objects.filter(object_type="outcomes.conversation").exists()


def test_a_correction_from_a_stale_version_is_refused_as_a_conflict(world):
    conversation = _conversation(world, what_matters="First.")
    stale = forms.ConversationCorrectionForm(
        _data(forms.ConversationCorrectionForm, conversation, what_matters="Mine."), instance=conversation
    )
    _correct(Conversation.objects.get(pk=conversation.pk), world.manager, what_matters="Theirs.")

    assert stale.is_valid()
    with pytest.raises(ValidationError) as caught:
        services.record_correct(record=conversation, actor=world.practitioner, **_correction(stale))
    assert caught.value.code == "conflict"
    assert Conversation.objects.get(pk=conversation.pk).what_matters == "Theirs."


def test_a_correction_cut_off_part_way_leaves_the_record_and_its_history_as_they_were(world, monkeypatch):
    conversation = _conversation(world, what_matters="Old words.")
    form = forms.ConversationCorrectionForm(
        _data(forms.ConversationCorrectionForm, conversation, what_matters="New words."), instance=conversation
    )
    assert form.is_valid()

    def cut_off(**kwargs):
        raise RuntimeError("connection lost")

    monkeypatch.setattr(services, "log_correction", cut_off)  # after the record and both versions are written
    with pytest.raises(RuntimeError):
        services.record_correct(record=conversation, actor=world.practitioner, **_correction(form))

    stored = Conversation.objects.get(pk=conversation.pk)
    assert (stored.what_matters, stored.version) == ("Old words.", 1)
    assert not RecordRevision.objects.exists()


def test_a_capacity_correction_about_the_enquiry_re_derives_the_enquirys_sac_answer(world):
    assessment = CapacityAssessmentFactory(
        case=world.case,
        recorded_by=world.practitioner,
        about_the_enquiry=True,
        outcome=CapacityOutcome.LACKS_CAPACITY,
        best_interests="Best-interests meeting with her daughter.",
    )
    services.capacity_answers_refresh(case=world.case, actor=world.practitioner)
    world.enquiry.refresh_from_db()
    before = world.enquiry.lacked_capacity
    assert before == sac.derive_sac_answers(sac.facts_for_case(world.case)).lacked_capacity

    # The decision was about her finances, not the enquiry: the answer is corrected to "No".
    _correct(assessment, world.practitioner, forms.CapacityAssessmentCorrectionForm, about_the_enquiry="False")

    world.enquiry.refresh_from_db()
    after = sac.derive_sac_answers(sac.facts_for_case(world.case)).lacked_capacity
    assert before != after
    assert world.enquiry.lacked_capacity == after  # stored at once, not only at closure
    first = dict(assessment.revisions.get(version=1).entries())
    assert first["This decision is about the safeguarding enquiry"] == "Yes"
    assert first["Outcome"] == "Lacks capacity for this decision"
    event = AuditEvent.objects.filter(object_type="outcomes.capacityassessment").order_by("-id").first()
    assert event.fields == ["about_the_enquiry"]


# --- who may correct, and when --------------------------------------------------------------


def test_the_author_corrects_their_conversation(world, login):
    conversation = _conversation(world, what_matters="Old words.")
    client = login(world.practitioner)
    assert client.get(_url(conversation)).status_code == 200

    data = _data(forms.ConversationCorrectionForm, conversation, what_matters="New words.")
    response = client.post(_url(conversation), data, follow=True)

    assert response.redirect_chain[-1][0] == reverse("outcomes:enquiry", args=[world.case.pk])
    assert "Conversation corrected." in response.content.decode()
    assert Conversation.objects.get(pk=conversation.pk).what_matters == "New words."


@pytest.mark.parametrize("actor", ["manager", "lead"])
def test_a_manager_of_the_team_or_a_lead_corrects_another_persons_record(world, login, actor):
    conversation = _conversation(world, what_matters="Old words.")
    data = _data(forms.ConversationCorrectionForm, conversation, what_matters="New words.")

    response = login(world.user(actor)).post(_url(conversation), data)

    assert response.status_code == 302
    conversation.refresh_from_db()
    assert (conversation.what_matters, conversation.version) == ("New words.", 2)
    assert conversation.revisions.get(version=2).changed_by == world.user(actor)


def test_another_practitioner_of_the_team_is_refused_with_the_reason(world, login):
    conversation = _conversation(world, what_matters="Old words.")
    client = login(world.colleague)
    data = _data(forms.ConversationCorrectionForm, conversation, what_matters="Tampered.")

    page = client.get(_url(conversation))
    posted = client.post(_url(conversation), data)

    assert page.status_code == posted.status_code == 403
    assert "Only the person who recorded this, or a manager, can correct it." in posted.content.decode()
    assert Conversation.objects.get(pk=conversation.pk).what_matters == "Old words."


@pytest.mark.parametrize("actor", ["outsider", "manager_b"])
def test_another_team_gets_404_and_changes_nothing(world, login, actor):
    conversation = _conversation(world, what_matters="Old words.")
    data = _data(forms.ConversationCorrectionForm, conversation, what_matters="Tampered.")

    assert login(world.user(actor)).post(_url(conversation), data).status_code == 404
    assert Conversation.objects.get(pk=conversation.pk).what_matters == "Old words."


@pytest.mark.parametrize(
    ("state", "reason"),
    [
        (CaseState.CLOSED, "This enquiry is not open."),
        (CaseState.CLOSURE_PENDING, "This one has been sent for closure sign-off."),
    ],
)
def test_a_record_of_an_enquiry_that_is_not_open_is_refused_with_the_reason(world, login, state, reason):
    conversation = _conversation(world, what_matters="Old words.")
    world.case.state = state
    world.case.save(update_fields=["state"])
    data = _data(forms.ConversationCorrectionForm, conversation, what_matters="Too late.")

    response = login(world.manager).post(_url(conversation), data)

    body = response.content.decode()
    assert response.status_code == 403
    assert "Records can be corrected while the enquiry is open." in body
    assert reason in body
    assert reverse("outcomes:enquiry", args=[world.case.pk]) in body
    assert "Your role does not allow" not in body
    assert Conversation.objects.get(pk=conversation.pk).what_matters == "Old words."


def test_an_imported_case_is_corrected_only_by_a_lead_and_others_are_told_why(world, login):
    world.case.imported = True
    world.case.save(update_fields=["imported"])
    conversation = _conversation(world, what_matters="Old words.")

    refused = login(world.practitioner).get(_url(conversation))
    allowed = login(world.lead).get(_url(conversation))

    assert refused.status_code == 403
    assert "imported from the old system, so only a safeguarding lead can change it" in refused.content.decode()
    assert allowed.status_code == 200


# --- the forms and the conflict page ---------------------------------------------------------


def test_a_correction_needs_a_reason_and_keeps_what_was_typed(world, login):
    conversation = _conversation(world, what_matters="Old words.")
    data = _data(forms.ConversationCorrectionForm, conversation, what_matters="Typed words.", change_reason="")

    response = login(world.practitioner).post(_url(conversation), data)

    body = response.content.decode()
    assert response.status_code == 200
    assert "Say why the record is being corrected." in body
    assert "Typed words." in body
    assert Conversation.objects.get(pk=conversation.pk).version == 1


def test_two_people_correcting_at_once_the_second_gets_409_and_can_save_after_reading(world, client):
    conversation = _conversation(world, what_matters="Old words.")
    first = _data(forms.ConversationCorrectionForm, conversation, what_matters="The manager's words.")
    second = _data(forms.ConversationCorrectionForm, conversation, what_matters="The practitioner's words.")
    client.force_login(world.manager)
    assert client.post(_url(conversation), first).status_code == 302

    client.force_login(world.practitioner)
    response = client.post(_url(conversation), second)

    body = response.content.decode()
    assert response.status_code == 409
    assert "Someone else corrected this record while you were changing it." in body
    assert "The practitioner&#x27;s words." in body  # nothing typed is lost
    assert "The manager&#x27;s words." in body  # the history shows what they saved
    assert 'name="version" value="2"' in body
    assert Conversation.objects.get(pk=conversation.pk).what_matters == "The manager's words."

    second["version"] = "2"
    assert client.post(_url(conversation), second).status_code == 302
    assert Conversation.objects.get(pk=conversation.pk).version == 3


def _kinds():
    today = timezone.localdate()
    return [
        (
            "outcomes:capacity_correct",
            lambda w: CapacityAssessmentFactory(case=w.case, recorded_by=w.practitioner),
            forms.CapacityAssessmentCorrectionForm,
            {"assessor": "Synthetic Assessor, occupational therapist"},
            "Capacity assessment corrected.",
        ),
        (
            "outcomes:advocacy_correct",
            lambda w: AdvocacyFactory(case=w.case, recorded_by=w.practitioner),
            forms.AdvocacyCorrectionForm,
            {"advocate": "Synthetic Advocacy Service"},
            "Advocacy record corrected.",
        ),
        (
            "outcomes:declined_correct",
            lambda w: DeclinedSupportFactory(case=w.case, recorded_by=w.practitioner),
            forms.DeclinedSupportCorrectionForm,
            {"follow_up_on": (today + datetime.timedelta(days=28)).isoformat()},
            "Declined support record corrected.",
        ),
        (
            "outcomes:plan_action_correct",
            lambda w: PlanActionFactory(case=w.case, recorded_by=w.practitioner),
            forms.PlanActionCorrectionForm,
            {"responsible": "Synthetic Housing Association"},
            "Protection plan action corrected.",
        ),
    ]


@pytest.mark.parametrize(("name", "make", "form_class", "changes", "message"), _kinds())
def test_each_kind_of_record_is_corrected_and_shown_as_corrected(
    world, login, name, make, form_class, changes, message
):
    record = make(world)
    (field, new), *_ = changes.items()
    old = getattr(record, field)
    client = login(world.practitioner)

    response = client.post(reverse(name, args=[record.pk]), _data(form_class, record, **changes), follow=True)

    body = response.content.decode()
    assert message in body
    record.refresh_from_db()
    assert record.version == 2
    assert str(getattr(record, field)) == new
    assert record.revisions.get(version=1).data[field] == (old.isoformat() if hasattr(old, "isoformat") else old)
    assert "Corrected" in body


def test_a_wrong_value_in_a_correction_is_refused_like_on_the_record_form(world, login):
    record = DeclinedSupportFactory(case=world.case, recorded_by=world.practitioner)
    data = _data(forms.DeclinedSupportCorrectionForm, record, follow_up_on="2000-01-01")

    response = login(world.practitioner).post(reverse("outcomes:declined_correct", args=[record.pk]), data)

    assert response.status_code == 200
    assert "The follow-up date cannot be before the date support was declined." in response.content.decode()


# --- the MSP record page ---------------------------------------------------------------------


def test_the_record_page_shows_a_corrected_record_with_its_history(world, login):
    conversation = _conversation(world, what_matters="I want to stay in my flat.")
    _correct(conversation, world.manager, what_matters="I want to stay in my flat with my cat.")

    body = login(world.practitioner).get(reverse("outcomes:enquiry", args=[world.case.pk])).content.decode()

    assert "Corrected" in body
    assert "History of this conversation" in body
    assert "Version 1</strong>, recorded" in body
    assert "I want to stay in my flat.</dd>" in body  # what the earlier version said
    assert f"by {world.manager.display_name}. Why it was corrected: The wrong words were typed." in body
    assert _url(conversation) in body


def test_the_change_link_is_offered_only_to_who_may_correct(world, login):
    conversation = _conversation(world)
    action = PlanActionFactory(case=world.case, recorded_by=world.practitioner)
    page = reverse("outcomes:enquiry", args=[world.case.pk])
    links = (_url(conversation), _url(action, "outcomes:plan_action_correct"))

    for actor, shown in [("practitioner", True), ("manager", True), ("colleague", False)]:
        body = login(world.user(actor)).get(page).content.decode()
        assert all((link in body) is shown for link in links), actor


def test_the_record_page_runs_the_same_queries_however_many_records_were_corrected(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    page = reverse("outcomes:enquiry", args=[world.case.pk])
    client.force_login(world.practitioner)
    counts = []
    for _ in range(2):
        for _ in range(3):
            _correct(_conversation(world), world.practitioner, what_matters="Corrected words.")
            _correct(
                PlanActionFactory(case=world.case, recorded_by=world.practitioner),
                world.practitioner,
                forms.PlanActionCorrectionForm,
                responsible="Synthetic Agency",
            )
        client.get(page)
        with CaptureQueriesContext(connection) as captured:
            client.get(page)
        counts.append(len(captured))
    assert counts[0] == counts[1]
