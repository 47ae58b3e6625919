"""The independent follow-up: leads name who makes each team's follow-ups (someone outside the
team); the "feedback due" queue within eight weeks of closure; the call script; recording the
answers; the figures on the team dashboard and My work."""

import re

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from feedback.models import FeedbackResponse, FollowUpReviewer, Route
from feedback.tests.factories import answered, closed_case, named, response

pytestmark = pytest.mark.django_db


def test_a_lead_names_someone_outside_the_team_and_never_a_member(world, login):
    client = login(world.lead)
    url = reverse("feedback:reviewers")
    refused = client.post(url, {"team": world.team_a.pk, "user": world.colleague.pk})
    assert refused.status_code == 200
    assert "works in North Team: an independent follow-up is made by someone outside the team." in (
        refused.content.decode().replace("&#x27;", "'")
    )
    assert not FollowUpReviewer.objects.exists()
    assert client.post(url, {"team": world.team_a.pk, "user": world.outsider.pk}).status_code == 302
    reviewer = FollowUpReviewer.objects.get()
    assert (reviewer.team, reviewer.user, reviewer.added_by) == (world.team_a, world.outsider, world.lead)
    event = AuditEvent.objects.get(object_type="feedback.followupreviewer", action="create")
    assert event.actor == world.lead and event.changes == {"follow_up_reviewer": [None, ["otto", "North Team"]]}
    page = client.get(url).content.decode()
    assert world.outsider.display_name in page.replace("&#x27;", "'")
    assert client.post(reverse("feedback:reviewer_remove", args=[reviewer.pk])).status_code == 302
    assert not FollowUpReviewer.objects.exists()
    assert AuditEvent.objects.filter(object_type="feedback.followupreviewer", action="update").count() == 1


def test_the_queue_holds_the_teams_closed_enquiries_within_eight_weeks_nearest_deadline_first(world, login):
    named(world.outsider, world.team_a, by=world.lead)
    recent, older = closed_case(world.team_a, days_ago=3), closed_case(world.team_a, days_ago=50)
    too_old = closed_case(world.team_a, days_ago=57)
    followed = closed_case(world.team_a, days_ago=10)
    response(case=followed, route=Route.INDEPENDENT, answers={"q3_listened": "yes"})
    restricted = closed_case(world.team_a, days_ago=4, restricted=True)
    other_team = closed_case(world.team_b, days_ago=4)
    page = login(world.outsider).get(reverse("feedback:due")).content.decode()
    refs = re.findall(r'<th scope="row">([^<]+)</th>', page)
    assert refs == [older.ref, recent.ref]  # nearest deadline first
    for case in (too_old, followed, restricted, other_team):
        assert case.ref not in page
    assert "Days left" in page and ">6<" in page  # 56 - 50


def test_someone_who_joins_the_team_no_longer_sees_its_follow_ups(world, login):
    case = closed_case(world.team_a)
    named(world.outsider, world.team_a, by=world.lead)
    world.outsider.memberships.create(team=world.team_a)
    client = login(world.outsider)
    assert case.ref not in client.get(reverse("feedback:due")).content.decode()
    assert client.get(reverse("feedback:follow_up", args=[case.pk])).status_code == 404


def test_the_reviewer_reads_the_call_script_and_records_the_answers(world, login):
    case = closed_case(world.team_a)
    named(world.outsider, world.team_a, by=world.lead)
    client = login(world.outsider)
    url = reverse("feedback:follow_up", args=[case.pk])
    page = client.get(url).content.decode()
    assert "The call script" in page and "I wasn't part of your enquiry" in page
    assert not re.search(r'type="radio"[^>]*checked', page)  # no default answer
    assert AuditEvent.objects.filter(case_id=case.pk, action="view", actor=world.outsider).exists()
    saved = client.post(url, answered("partly", version="representative"))
    assert saved.status_code == 302 and saved["Location"] == reverse("feedback:due")
    follow_up = FeedbackResponse.objects.get(case=case)
    assert (follow_up.route, follow_up.asked_by, follow_up.version) == (
        Route.INDEPENDENT,
        world.outsider,
        "representative",
    )
    assert AuditEvent.objects.filter(case_id=case.pk, action="create", object_type="feedback.feedbackresponse").exists()
    # Done: off the queue, and a second follow-up cannot be made.
    queue = client.get(reverse("feedback:due")).content.decode()
    assert f"The follow-up for case {case.ref} saved." in queue
    assert case.ref not in re.findall(r'<th scope="row">([^<]+)</th>', queue)
    assert client.get(url).status_code == 404
    # The team sees that it was made, not what the person said.
    record = login(world.practitioner).get(reverse("outcomes:enquiry", args=[case.pk])).content.decode()
    assert "Independent follow-up" in record and "not shown on the case" in record


def test_the_team_dashboard_and_my_work_count_the_timescale(world, login):
    closed_case(world.team_a, days_ago=3)
    closed_case(world.team_a, days_ago=20)
    closed_case(world.team_a, days_ago=70)  # eight weeks passed with none
    closed_case(world.team_b, days_ago=3)
    dashboard = login(world.manager).get(reverse("workspace:dashboard")).content.decode()
    assert re.search(r'id="figure-feedback-due"[^>]*>2<', dashboard)
    assert re.search(r'id="figure-feedback-missed"[^>]*>1<', dashboard)
    named(world.outsider, world.team_a, by=world.lead)
    my_work = login(world.outsider).get(reverse("workspace:my_work")).content.decode()
    assert re.search(r'id="figure-feedback-mine"[^>]*>2<', my_work)
    assert "figure-feedback-mine" not in login(world.practitioner).get(reverse("workspace:my_work")).content.decode()


def test_the_follow_up_form_is_saved_once_however_often_it_is_posted(world, login):
    from django.urls import resolve

    case = closed_case(world.team_a)
    named(world.outsider, world.team_a, by=world.lead)
    client = login(world.outsider)
    url = reverse("feedback:follow_up", args=[case.pk])
    assert resolve(url).func.once_per_key
    key = re.search(r'name="submission_key" value="([0-9a-f]{32})"', client.get(url).content.decode()).group(1)
    first = client.post(url, {**answered("yes"), "submission_key": key})
    second = client.post(url, {**answered("yes"), "submission_key": key})
    assert first.status_code == second.status_code == 302
    assert FeedbackResponse.objects.filter(case=case).count() == 1
