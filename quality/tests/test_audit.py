"""The random-sample case audit: drawing the sample, rating cases, results and access."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent
from cases.models import CaseAccessGrant, CaseState
from cases.tests.factories import EnquiryFactory
from outcomes.models import PracticeAudit, PracticeAuditCase, PracticeAuditRating, PracticeAuditStatus, Principle
from quality import selectors, services

from .data import closed_enquiry, make_closed_enquiries

START, END = datetime.date(2025, 4, 1), datetime.date(2026, 3, 31)


@pytest.fixture
def closed(world):
    in_a = make_closed_enquiries(world.team_a, 30, start=START, end=END, seed=5, imported_share=0.2)
    in_b = make_closed_enquiries(world.team_b, 10, start=START, end=END, seed=6)
    return in_a, in_b


def _drawable(enquiries):
    return {e.case_id for e in enquiries if not e.case.imported}


def test_the_sample_is_n_distinct_closed_cases_of_the_team_in_the_period(world, closed):
    in_a, _ = closed
    # Not drawable: an open enquiry, a case closed outside the period, a restricted case not granted.
    EnquiryFactory(case__team=world.team_a)
    outside = closed_enquiry(world.team_a, END + datetime.timedelta(days=1))
    restricted = closed_enquiry(world.team_a, START)
    restricted.case.restricted = True
    restricted.case.save(update_fields=["restricted"])

    audit = services.create_practice_audit(actor=world.manager, team=world.team_a, start=START, end=END, size=12)
    drawn = list(audit.audit_cases.values_list("case_id", flat=True))
    assert len(drawn) == 12 == len(set(drawn))
    assert set(drawn) <= _drawable(in_a)
    assert outside.case_id not in drawn and restricted.case_id not in drawn
    assert list(audit.audit_cases.values_list("order", flat=True)) == list(range(1, 13))


def test_asking_for_more_than_there_are_draws_them_all(world, closed):
    in_a, _ = closed
    audit = services.create_practice_audit(actor=world.manager, team=world.team_a, start=START, end=END, size=50)
    assert set(audit.audit_cases.values_list("case_id", flat=True)) == _drawable(in_a)


def test_the_same_seed_draws_the_same_sample_and_another_seed_another(world, closed):
    first = selectors.draw_sample(world.manager, team=world.team_a, start=START, end=END, size=8, seed=42)
    again = selectors.draw_sample(world.manager, team=world.team_a, start=START, end=END, size=8, seed=42)
    other = selectors.draw_sample(world.manager, team=world.team_a, start=START, end=END, size=8, seed=43)
    assert first == again
    assert first != other


def test_a_lead_may_sample_all_teams_and_a_manager_must_choose_a_team(world, closed):
    in_a, in_b = closed
    audit = services.create_practice_audit(actor=world.lead, team=None, start=START, end=END, size=50)
    assert set(audit.audit_cases.values_list("case_id", flat=True)) == _drawable(in_a) | _drawable(in_b)
    with pytest.raises(ValidationError):
        services.create_practice_audit(actor=world.manager, team=None, start=START, end=END, size=5)


def test_the_restricted_case_is_drawn_for_a_named_manager(world):
    enquiry = closed_enquiry(world.team_a, START)
    enquiry.case.restricted = True
    enquiry.case.save(update_fields=["restricted"])
    CaseAccessGrant.objects.create(case=enquiry.case, user=world.manager)
    audit = services.create_practice_audit(actor=world.manager, team=world.team_a, start=START, end=END, size=5)
    assert list(audit.audit_cases.values_list("case_id", flat=True)) == [enquiry.case_id]


def test_nothing_to_draw_is_refused_with_a_message(world, login):
    response = login(world.manager).post(
        reverse("quality:audit_create"),
        {"team": world.team_a.pk, "period_start": "2025-04-01", "period_end": "2026-03-31", "sample_size": "5"},
    )
    assert response.status_code == 200
    assert "No closed cases in that period and team can be audited" in response.content.decode()
    assert not PracticeAudit.objects.exists()


def test_drawing_through_the_page_is_audited_and_opens_the_audit(world, closed, login):
    response = login(world.manager).post(
        reverse("quality:audit_create"),
        {"team": world.team_a.pk, "period_start": "2025-04-01", "period_end": "2026-03-31", "sample_size": "6"},
    )
    audit = PracticeAudit.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("quality:audit_detail", args=[audit.pk])
    assert audit.audit_cases.count() == 6 and audit.created_by == world.manager and audit.team == world.team_a
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="outcomes.practiceaudit")
    assert event.fields == sorted(["team", "period_start", "period_end", "sample_size", "seed", "cases"])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"sample_size": "0"}, "Audit at least 1 case."),
        ({"sample_size": "51"}, "Audit at most 50 cases at a time."),
        ({"sample_size": "ten"}, "Enter a whole number."),
        ({"team": ""}, "Choose the team whose cases you will audit."),
        ({"period_start": "2026-04-01"}, "must be on or after its start"),
    ],
)
def test_bad_sample_choices_get_a_message_and_keep_what_was_typed(world, login, data, message):
    posted = {"team": world.team_a.pk, "period_start": "2025-04-01", "period_end": "2026-03-31", "sample_size": "5"}
    posted.update(data)
    response = login(world.manager).post(reverse("quality:audit_create"), posted)
    html = response.content.decode()
    assert message in html
    assert f'value="{posted["period_start"]}"' in html
    assert not PracticeAudit.objects.exists()


def test_a_manager_cannot_draw_from_another_team(world, closed, login):
    response = login(world.manager).post(
        reverse("quality:audit_create"),
        {"team": world.team_b.pk, "period_start": "2025-04-01", "period_end": "2026-03-31", "sample_size": "5"},
    )
    assert "Choose one of the teams in the list." in response.content.decode()
    assert not PracticeAudit.objects.exists()


def _ratings(**overrides):
    data = {}
    for principle in Principle:
        data[f"rating_{principle.value}"] = "met"
        data[f"comment_{principle.value}"] = ""
    data.update(overrides)
    return data


@pytest.fixture
def audit(world, closed):
    return services.create_practice_audit(actor=world.manager, team=world.team_a, start=START, end=END, size=3)


def test_rating_a_case_saves_six_ratings_and_is_audited_by_field_names(world, audit, login):
    client = login(world.manager)
    first = audit.audit_cases.first()
    comment = "Synthetic: the plan did not say who would tell her."
    response = client.post(
        reverse("quality:audit_rate", args=[first.pk]),
        _ratings(rating_accountability="not_met", comment_accountability=comment),
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("quality:audit_detail", args=[audit.pk]))
    ratings = {r.principle: (r.rating, r.comment) for r in PracticeAuditRating.objects.filter(audit_case=first)}
    assert len(ratings) == 6 and ratings["accountability"] == ("not_met", comment)
    first.refresh_from_db()
    assert first.rated_by == world.manager and first.rated_at
    event = AuditEvent.objects.filter(object_type="outcomes.practiceauditcase").latest("id")
    assert event.action == AuditAction.CREATE and event.case_id == first.case_id
    assert "accountability.comment" in event.fields and "empowerment.rating" in event.fields
    assert comment not in str(event.fields) + event.detail
    assert comment not in response["Location"]


def test_changing_ratings_records_only_what_changed(world, audit, login):
    client = login(world.manager)
    first = audit.audit_cases.first()
    url = reverse("quality:audit_rate", args=[first.pk])
    client.post(url, _ratings())
    client.post(url, _ratings(rating_prevention="partly", comment_prevention="Synthetic: leaflet not given."))
    event = AuditEvent.objects.filter(object_type="outcomes.practiceauditcase").latest("id")
    assert event.action == AuditAction.UPDATE
    assert event.fields == ["prevention.comment", "prevention.rating"]
    assert PracticeAuditRating.objects.filter(audit_case=first).count() == 6


def test_rating_validation_names_each_problem_and_keeps_what_was_typed(world, audit, login):
    client = login(world.manager)
    first = audit.audit_cases.first()
    typed = "Synthetic note kept after an error."
    data = _ratings(rating_empowerment="", rating_protection="not_met", comment_partnership=typed)
    response = client.post(reverse("quality:audit_rate", args=[first.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose a rating for Empowerment." in html
    assert "Say what was missing for Protection." in html
    assert typed in html
    assert 'href="#id_rating_empowerment_0"' in html
    assert not PracticeAuditRating.objects.exists()


def test_the_audit_completes_when_every_case_is_rated_and_summarises_by_principle(world, audit, login):
    client = login(world.manager)
    cases = list(audit.audit_cases.all())
    for n, row in enumerate(cases):
        rating = "met" if n else "partly"
        data = _ratings(rating_empowerment=rating, comment_empowerment="Synthetic." if rating != "met" else "")
        client.post(reverse("quality:audit_rate", args=[row.pk]), data)
    audit.refresh_from_db()
    assert audit.status == PracticeAuditStatus.COMPLETE and audit.completed_at
    summary = {row["principle"]: row for row in selectors.audit_summary(audit)}
    assert summary[Principle.EMPOWERMENT]["counts"] == {"met": 2, "partly": 1, "not_met": 0}
    assert summary[Principle.PREVENTION]["counts"] == {"met": 3, "partly": 0, "not_met": 0}
    page = client.get(reverse("quality:audit_detail", args=[audit.pk])).content.decode()
    assert "Complete: 3 of 3 cases rated" in page


def test_sample_results_on_the_figures_page_count_audited_cases_closed_in_the_period(world, audit, login):
    client = login(world.manager)
    for row in audit.audit_cases.all():
        client.post(reverse("quality:audit_rate", args=[row.pk]), _ratings())
    rows = selectors.sample_audit_results(world.manager, selectors.Scope(START, END))
    assert all(row["counts"]["met"] == 3 for row in rows)
    assert all(
        row["rated"] == 0 for row in selectors.sample_audit_results(world.manager_b, selectors.Scope(START, END))
    )
    later = selectors.Scope(END + datetime.timedelta(days=1), END + datetime.timedelta(days=30))
    assert all(row["rated"] == 0 for row in selectors.sample_audit_results(world.manager, later))


def test_another_teams_manager_never_sees_the_audit(world, audit, login):
    client = login(world.manager_b)
    first = audit.audit_cases.first()
    assert client.get(reverse("quality:audit_detail", args=[audit.pk])).status_code == 404
    assert client.get(reverse("quality:audit_rate", args=[first.pk])).status_code == 404
    assert client.post(reverse("quality:audit_rate", args=[first.pk]), _ratings()).status_code == 404
    listing = client.get(reverse("quality:audit_list"))
    assert list(listing.context["page"]) == []
    assert not PracticeAuditRating.objects.exists()


def test_a_lead_sees_every_audit_and_the_list_filters_sort_and_paginate(world, closed, login):
    for _ in range(3):
        services.create_practice_audit(actor=world.manager, team=world.team_a, start=START, end=END, size=2)
    b_audit = services.create_practice_audit(actor=world.lead, team=world.team_b, start=START, end=END, size=2)
    client = login(world.lead)
    url = reverse("quality:audit_list")
    assert len(client.get(url).context["page"]) == 4
    only_b = client.get(url, {"team": world.team_b.pk})
    assert [a.pk for a in only_b.context["page"]] == [b_audit.pk]
    assert "team=" in only_b.context["query_string"]
    oldest_first = client.get(url, {"sort": "created"}).context["page"]
    assert [a.pk for a in oldest_first] == sorted(a.pk for a in oldest_first)
    selectors.AUDIT_PAGE_SIZE, size = 3, selectors.AUDIT_PAGE_SIZE
    try:
        second = client.get(url, {"page": 2, "team": ""})
        assert len(second.context["page"]) == 1
        assert "Page 2 of 2" in second.content.decode()
    finally:
        selectors.AUDIT_PAGE_SIZE = size
    mine = client.get(reverse("quality:audit_list"), {"status": "in_progress"})
    assert len(mine.context["page"]) == 4


def test_the_audit_page_links_each_case_record(world, audit, login):
    html = login(world.manager).get(reverse("quality:audit_detail", args=[audit.pk])).content.decode()
    for row in PracticeAuditCase.objects.filter(audit=audit):
        assert reverse("cases:detail", args=[row.case_id]) in html
        assert reverse("quality:audit_rate", args=[row.pk]) in html


def test_drawn_cases_are_closed(world, audit):
    assert set(audit.audit_cases.values_list("case__state", flat=True)) == {CaseState.CLOSED}


def test_the_service_refuses_another_teams_sample(world, closed):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.create_practice_audit(actor=world.manager, team=world.team_b, start=START, end=END, size=5)
    assert not PracticeAudit.objects.exists()
