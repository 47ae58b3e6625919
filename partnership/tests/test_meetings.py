"""Strategy discussions and meetings: who took part, the adult's voice, decisions, and actions
that land in the protection plan in the same step."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from cases.models import CaseEvent, CaseState
from cases.tests.factories import CaseFactory
from outcomes.models import PlanAction
from partnership.models import Meeting, MeetingAction

pytestmark = pytest.mark.django_db


def _meeting_data(world, **overrides):
    data = {
        "kind": "strategy",
        "held_on": timezone.localdate().isoformat(),
        "staff": [world.practitioner.pk, world.manager.pk],
        "partner_attendees": "Sam Jones, Northshire Police\nDr Priya Nair, Synthetic NHS Trust",
        "adult_attended": "True",
        "advocate_attended": "False",
        "decisions": "Proceed to a section 42 enquiry.",
        "minutes": "Discussed the concern.",
        "action-0-action": "Change the locks",
        "action-0-responsible": "Housing officer",
        "action-0-due_on": timezone.localdate().isoformat(),
        "action-1-action": "Visit weekly",
        "action-1-responsible": "Lead practitioner",
        "action-1-due_on": timezone.localdate().isoformat(),
    }
    data.update(overrides)
    return data


def test_a_meetings_actions_become_protection_plan_actions_in_one_step(world, login):
    response = login(world.practitioner).post(
        reverse("partnership:meeting_new", args=[world.case.pk]), _meeting_data(world)
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert sorted(PlanAction.objects.filter(case=world.case).values_list("action", flat=True)) == [
        "Change the locks",
        "Visit weekly",
    ]
    assert set(MeetingAction.objects.values_list("meeting", flat=True)) == {meeting.pk}
    assert set(meeting.staff.all()) == {world.practitioner, world.manager}
    assert list(meeting.partner_attendees.values_list("name", "organisation")) == [
        ("Sam Jones", "Northshire Police"),
        ("Dr Priya Nair", "Synthetic NHS Trust"),
    ]
    line = CaseEvent.objects.get(case=world.case, kind="partnership:meeting")
    assert "2 actions added to the protection plan" in line.summary
    assert CaseEvent.objects.filter(case=world.case, kind="outcomes:plan_action").count() == 2
    assert AuditEvent.objects.filter(object_type="partnership.meeting", action="create").exists()
    detail = login(world.colleague).get(reverse("partnership:meeting_detail", args=[meeting.pk])).content.decode()
    assert "Change the locks" in detail and "Sam Jones (Northshire Police)" in detail
    chronology = login(world.colleague).get(reverse("cases:chronology", args=[world.case.pk])).content.decode()
    assert "Strategy discussion or meeting held on" in chronology


def test_when_the_adult_did_not_attend_how_their_views_were_brought_in_is_required(world, login):
    client = login(world.practitioner)
    url = reverse("partnership:meeting_new", args=[world.case.pk])
    response = client.post(url, _meeting_data(world, adult_attended="False", decisions="Wobblefrond"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "The adult did not attend: say how their views were brought in." in html and "Wobblefrond" in html
    assert "Change the locks" in html  # the actions typed are kept too
    assert not Meeting.objects.exists() and not PlanAction.objects.exists()
    data = _meeting_data(world, adult_attended="False", views_brought_in="Seen at home the day before.")
    assert client.post(url, data).status_code == 302


def test_the_attendance_questions_have_no_default_answer(world, login):
    page = login(world.practitioner).get(reverse("partnership:meeting_new", args=[world.case.pk])).content.decode()
    assert 'name="adult_attended"' in page and 'name="kind"' in page
    assert "checked" not in page


def test_a_partner_attendee_without_an_organisation_is_refused(world, login):
    data = _meeting_data(world, partner_attendees="Sam Jones")
    response = login(world.practitioner).post(reverse("partnership:meeting_new", args=[world.case.pk]), data)
    assert response.status_code == 200
    assert "Write each person as a name, a comma, then their organisation" in response.content.decode()


def test_a_strategy_discussion_at_the_concern_stage_is_recorded_without_plan_actions(world, login):
    concern = CaseFactory(team=world.team_a, state=CaseState.CONCERN)
    client = login(world.practitioner)
    page = client.get(reverse("partnership:meeting_new", args=[concern.pk])).content.decode()
    assert "Actions go into the protection plan while the enquiry is open." in page
    assert client.post(reverse("partnership:meeting_new", args=[concern.pk]), _meeting_data(world)).status_code == 302
    assert Meeting.objects.filter(case=concern).exists() and not PlanAction.objects.exists()


def test_staff_offered_are_the_case_teams_and_the_leads(world, login):
    page = login(world.practitioner).get(reverse("partnership:meeting_new", args=[world.case.pk])).content.decode()
    assert world.manager.display_name in page and world.lead.display_name in page
    assert world.manager_b.display_name not in page
