"""The lead's register pages: create, change, people (linking only to cases the lead can open),
recommendations tracked to completion; every read and write audited, no name in the audit."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent, Role
from accounts.tests.factories import UserFactory
from cases.models import CaseAccessGrant
from cases.tests.factories import CaseFactory
from sars.models import Harm, RecommendationStatus, SafeguardingAdultsReview, SarPerson

from .factories import RecommendationFactory, ReviewFactory, SarPersonFactory

pytestmark = pytest.mark.django_db


def _review_data(**overrides):
    data = {"referred_on": "2025-01-10", "criteria": "s44_1", "decision": "", "decided_on": "", "reviewer": ""}
    data.update(
        dict.fromkeys(("scoping_on", "panel_on", "report_drafted_on", "report_published_on", "concluded_on"), "")
    )
    data.update(overrides)
    return data


def test_a_lead_records_a_referral_and_it_is_audited(world, login):
    client = login(world.lead)
    response = client.post(reverse("sars:create"), _review_data(reviewer="Jo Reviewer Ltd"))
    review = SafeguardingAdultsReview.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("sars:detail", args=[review.pk])
    assert review.decision == "" and review.created_by == world.lead
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="sars.safeguardingadultsreview").exists()
    page = client.get(reverse("sars:detail", args=[review.pk])).content.decode()
    assert "Not decided yet" in page and "Jo Reviewer Ltd" in page


def test_the_new_review_form_has_no_criteria_or_decision_chosen(world, login):
    page = login(world.lead).get(reverse("sars:create")).content.decode()
    assert 'name="criteria"' in page and 'name="decision"' in page
    assert "checked" not in page


def test_a_referral_without_criteria_is_refused_keeping_what_was_typed(world, login):
    response = login(world.lead).post(reverse("sars:create"), _review_data(criteria="", reviewer="Keepme Reviews"))
    page = response.content.decode()
    assert response.status_code == 200 and "Choose the criteria the referral was considered under." in page
    assert "Keepme Reviews" in page and not SafeguardingAdultsReview.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"decision": "proceed"}, "Enter the date of the decision."),
        ({"decided_on": "2025-02-01"}, "Choose the decision, or clear the date of decision."),
        ({"decision": "proceed", "decided_on": "2025-01-01"}, "Date of decision cannot be before the referral."),
        ({"concluded_on": "2025-03-01"}, "only a review the board proceeds with has stages"),
        ({"decision": "not_proceed", "decided_on": "2025-02-01", "panel_on": "2025-03-01"}, "only a review the board"),
        ({"decision": "proceed", "decided_on": "2025-02-01", "concluded_on": "2099-01-01"}, "cannot be in the future"),
    ],
)
def test_inconsistent_dates_and_decisions_are_refused(world, login, overrides, message):
    response = login(world.lead).post(reverse("sars:create"), _review_data(**overrides))
    assert response.status_code == 200 and message in response.content.decode()


def test_a_lead_concludes_a_review_and_a_stale_edit_is_detected(world, login):
    review = ReviewFactory(
        created_by=world.lead, referred_on=datetime.date(2025, 1, 2), decided_on=datetime.date(2025, 2, 1)
    )
    client = login(world.lead)
    data = _review_data(
        referred_on="2025-01-02", criteria="s44_1", decision="proceed", decided_on="2025-02-01",
        scoping_on="2025-02-10", report_published_on="2025-06-01", concluded_on="2025-06-10", version=review.version,
    )  # fmt: skip
    assert client.post(reverse("sars:edit", args=[review.pk]), data).status_code == 302
    review.refresh_from_db()
    assert review.concluded_on == datetime.date(2025, 6, 10) and review.version == 2
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="sars.safeguardingadultsreview").get()
    assert "concluded_on" in event.fields and "scoping_on" in event.fields
    stale = client.post(reverse("sars:edit", args=[review.pk]), {**data, "reviewer": "Second editor", "version": 1})
    assert stale.status_code == 409 and "Someone else saved changes" in stale.content.decode()
    assert "Second editor" in stale.content.decode()
    review.refresh_from_db()
    assert review.reviewer != "Second editor"


def test_a_person_is_added_and_linked_to_a_case_the_lead_can_open(world, login):
    review = ReviewFactory(created_by=world.lead)
    client = login(world.lead)
    data = {"name": "Invented Person", "harm": Harm.DIED, "case_ref": world.case.ref}
    assert client.post(reverse("sars:people", args=[review.pk]), data).status_code == 302
    person = SarPerson.objects.get()
    assert person.case == world.case and person.harm == Harm.DIED
    link = AuditEvent.objects.get(case_id=world.case.pk, object_type="sars.sarperson", fields=["case"])
    assert link.detail == f"Linked to SAR {review.pk}"
    assert not AuditEvent.objects.filter(detail__icontains="Invented").exists()
    page = client.get(reverse("sars:people", args=[review.pk])).content.decode()
    assert "Invented Person" in page and reverse("cases:detail", args=[world.case.pk]) in page


def test_a_person_must_be_said_to_have_died_or_survived(world, login):
    review = ReviewFactory(created_by=world.lead)
    response = login(world.lead).post(reverse("sars:people", args=[review.pk]), {"name": "Typed Name", "harm": ""})
    page = response.content.decode()
    assert "Choose whether the person died or suffered serious harm and survived." in page and "Typed Name" in page
    assert not SarPerson.objects.exists()


def test_a_restricted_case_the_lead_is_not_named_on_cannot_be_linked(world, login):
    restricted = CaseFactory(team=world.team_a, restricted=True)
    review = ReviewFactory(created_by=world.lead)
    client = login(world.lead)
    data = {"name": "Invented Person", "harm": Harm.SURVIVED, "case_ref": restricted.ref}
    response = client.post(reverse("sars:people", args=[review.pk]), data)
    assert (
        response.status_code == 200
        and f"There is no case {restricted.ref} that you can open" in response.content.decode()
    )
    assert not SarPerson.objects.exists()
    # Linked by a lead who is named on it: another lead sees the link exists, not the case.
    other_lead = UserFactory(role=Role.LEAD)
    CaseAccessGrant.objects.create(case=restricted, user=other_lead, granted_by=world.lead)
    person = SarPersonFactory(review=review, case=restricted)
    page = client.get(reverse("sars:people", args=[review.pk])).content.decode()
    assert "Linked to a case you cannot open" in page and restricted.ref not in page
    edit = client.get(reverse("sars:person_edit", args=[person.pk])).content.decode()
    assert restricted.ref not in edit
    # Saving without a reference keeps the link they cannot see.
    client.post(
        reverse("sars:person_edit", args=[person.pk]), {"name": "Renamed", "harm": Harm.SURVIVED, "case_ref": ""}
    )
    person.refresh_from_db()
    assert person.case == restricted and person.name == "Renamed"


def test_a_recommendation_is_added_and_completed_with_its_date(world, login):
    review = ReviewFactory(created_by=world.lead)
    client = login(world.lead)
    data = {"finding": "Nobody owned the plan.", "text": "Name a lead agency.", "owner": "ICB", "status": "not_started"}
    assert (
        client.post(reverse("sars:recommendations", args=[review.pk]), {**data, "completed_on": ""}).status_code == 302
    )
    recommendation = review.recommendations.get()
    url = reverse("sars:recommendation_edit", args=[recommendation.pk])
    missing = client.post(url, {**data, "status": "completed", "completed_on": ""})
    assert "Enter the date the recommendation was completed." in missing.content.decode()
    assert client.post(url, {**data, "status": "completed", "completed_on": "2025-05-01"}).status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.COMPLETED and recommendation.completed_on == datetime.date(
        2025, 5, 1
    )
    assert AuditEvent.objects.filter(action=AuditAction.STATE, object_type="sars.recommendation").exists()
    wrong = client.post(url, {**data, "status": "in_progress", "completed_on": "2025-05-01"})
    assert "A date completed is only for a completed recommendation" in wrong.content.decode()


def test_every_page_read_is_audited_without_names(world, login):
    person = SarPersonFactory(review__created_by=world.lead, name="Nobody Inaudit")
    recommendation = RecommendationFactory(review=person.review)
    client = login(world.lead)
    for url in (
        reverse("sars:list"),
        reverse("sars:detail", args=[person.review.pk]),
        reverse("sars:edit", args=[person.review.pk]),
        reverse("sars:people", args=[person.review.pk]),
        reverse("sars:person_edit", args=[person.pk]),
        reverse("sars:recommendations", args=[person.review.pk]),
        reverse("sars:recommendation_edit", args=[recommendation.pk]),
    ):
        before = AuditEvent.objects.filter(action=AuditAction.VIEW).count()
        assert client.get(url).status_code == 200
        assert AuditEvent.objects.filter(action=AuditAction.VIEW).count() == before + 1, url
    assert not AuditEvent.objects.filter(detail__icontains="Inaudit").exists()


def test_the_list_takes_a_constant_number_of_queries(world, login, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(world.lead)
    for _ in range(3):
        SarPersonFactory(review__created_by=world.lead)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("sars:list"))
    for _ in range(5):
        RecommendationFactory(review=SarPersonFactory(review__created_by=world.lead).review)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("sars:list")).content.decode().count("SAR ") >= 8


@pytest.mark.parametrize("role", ["sab_member", "manager", "practitioner", "sysadmin"])
def test_no_one_but_a_lead_reaches_the_register(world, login, role):
    review = ReviewFactory(created_by=world.lead)
    client = login(world.user(role))
    assert client.get(reverse("sars:list")).status_code == 403
    assert client.get(reverse("sars:detail", args=[review.pk])).status_code == 403


def test_the_sab_reports_page_links_the_register_for_a_lead_only(world, login):
    register = f'href="{reverse("sars:list")}"'
    assert register in login(world.lead).get(reverse("reporting:index")).content.decode()
    assert register not in login(world.sab_member).get(reverse("reporting:index")).content.decode()
