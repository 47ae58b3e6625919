"""The practice-quality measures, checked against counts computed here from the records."""

import datetime
from collections import Counter

import pytest
from django.urls import reverse

from cases.codes import AskedDesiredOutcomes, EnquiryKind, YesNoUnknown
from cases.models import Enquiry
from outcomes.models import Conversation, Principle, PrincipleCheck
from quality import selectors

from .data import closed_enquiry, make_closed_enquiries

START, END = datetime.date(2025, 4, 1), datetime.date(2026, 3, 31)


@pytest.fixture
def records(world):
    in_a = make_closed_enquiries(world.team_a, 40, start=START, end=END, seed=3)
    in_b = make_closed_enquiries(world.team_b, 15, start=START, end=END, seed=4)
    # Closed outside the period, and still open: never counted.
    closed_enquiry(world.team_a, START - datetime.timedelta(days=1), asked_desired_outcomes="asked_expressed")
    closed_enquiry(world.team_a, END + datetime.timedelta(days=1), asked_desired_outcomes="asked_expressed")
    return in_a, in_b


def expected(enquiries):
    """The measures computed in Python from the records, independently of quality.selectors."""
    answers = Counter(e.asked_desired_outcomes for e in enquiries)
    expressed = [e for e in enquiries if e.asked_desired_outcomes == AskedDesiredOutcomes.ASKED_EXPRESSED]
    achieved = Counter(e.outcomes_achieved for e in expressed)
    lacked = [e for e in enquiries if e.lacked_capacity == YesNoUnknown.YES]
    case_ids = {e.case_id for e in enquiries}
    conversations = list(Conversation.objects.filter(case_id__in=case_ids))
    return {
        "closed": len(enquiries),
        "s42": sum(1 for e in enquiries if e.kind == EnquiryKind.S42),
        "asked_expressed": answers["asked_expressed"],
        "asked_not_expressed": answers["asked_not_expressed"],
        "not_asked": answers["not_asked"],
        "dont_know": answers["dont_know"],
        "fully": achieved["fully"],
        "partially": achieved["partially"],
        "not_achieved": achieved["not"],
        "lacked": len(lacked),
        "advocacy_yes": sum(1 for e in lacked if e.advocacy == YesNoUnknown.YES),
        "with_conversation": len({c.case_id for c in conversations}),
        "spoken_alone": len({c.case_id for c in conversations if c.spoken_to_alone}),
    }


def test_measures_match_counts_from_the_records_for_a_lead(world, records):
    in_a, in_b = records
    scope = selectors.Scope(START, END)
    assert selectors.measure_counts(world.lead, scope) == expected(in_a + in_b)


def test_a_manager_counts_only_their_team(world, records):
    in_a, _in_b = records
    assert selectors.measure_counts(world.manager, selectors.Scope(START, END)) == expected(in_a)
    # Even naming team B in the scope gives nothing of team B's to team A's manager.
    assert selectors.measure_counts(world.manager, selectors.Scope(START, END, world.team_b))["closed"] == 0


def test_the_kind_and_team_choices_narrow_the_figures(world, records):
    in_a, _in_b = records
    s42 = [e for e in in_a if e.kind == EnquiryKind.S42]
    assert selectors.measure_counts(world.lead, selectors.Scope(START, END, world.team_a, "s42")) == expected(s42)


def test_percentages_use_the_stated_denominators(world, records):
    in_a, _ = records
    counts = selectors.measure_counts(world.manager, selectors.Scope(START, END))
    measures = {m.key: m for m in selectors.msp_measures(counts)}
    want = expected(in_a)
    asked = want["asked_expressed"] + want["asked_not_expressed"]
    assert measures["asked"].count == asked and measures["asked"].of == want["closed"]
    assert measures["asked"].percent == round(100 * asked / want["closed"], 1)
    assert measures["fully"].of == want["asked_expressed"]
    assert measures["advocacy"].of == want["lacked"]
    assert measures["spoken_alone_recorded"].of == want["with_conversation"]
    recorded = asked + want["not_asked"] + want["dont_know"] + measures["not_recorded"].count
    assert recorded == want["closed"]


def test_principle_results_count_reviews_and_missing_checks(world, records):
    in_a, _ = records
    closed = len(in_a)
    rows = selectors.principle_check_results(world.manager, selectors.Scope(START, END), closed)
    checks = Counter(
        (c.principle, c.rating) for c in PrincipleCheck.objects.filter(case_id__in=[e.case_id for e in in_a])
    )
    for row in rows:
        p = row["principle"].value
        assert row["counts"] == {
            "met": checks[(p, "met")],
            "partly": checks[(p, "partly")],
            "not_met": checks[(p, "not_met")],
        }
        assert row["not_reviewed"] == checks[(p, "")]
        recorded = sum(n for (principle, _r), n in checks.items() if principle == p)
        assert row["no_record"] == closed - recorded
    assert [row["principle"] for row in rows] == list(Principle)


def test_achievement_by_month_adds_up_to_the_measures(world, records):
    scope = selectors.Scope(START, END)
    months = selectors.achievement_by_month(selectors.enquiry_figures(world.lead, scope)[1])
    assert len(months) == 12 and months[0]["month"] == START
    counts = selectors.measure_counts(world.lead, scope)
    assert sum(m["fully"] for m in months) == counts["fully"]
    assert sum(m["not"] for m in months) == counts["not_achieved"]
    assert sum(m["expressed"] for m in months) == counts["asked_expressed"]


def test_concerns_by_month_count_received_concerns_in_scope(world, records):
    in_a, in_b = records
    scope = selectors.Scope(START, END)
    from cases.models import Case

    start, end = scope.received_bounds()
    want_a = Case.objects.filter(team=world.team_a, received_at__gte=start, received_at__lt=end).count()
    want_all = Case.objects.filter(received_at__gte=start, received_at__lt=end).count()
    assert sum(n for _m, n in selectors.concerns_by_month(world.manager, scope)) == want_a
    assert sum(n for _m, n in selectors.concerns_by_month(world.lead, scope)) == want_all


def test_default_period_is_the_last_twelve_complete_months():
    assert selectors.default_period(datetime.date(2026, 11, 25)) == (
        datetime.date(2025, 11, 1),
        datetime.date(2026, 10, 31),
    )
    assert selectors.default_period(datetime.date(2026, 1, 1)) == (
        datetime.date(2025, 1, 1),
        datetime.date(2025, 12, 31),
    )


def _page(client, **params):
    return client.get(reverse("quality:index"), params)


def test_the_page_shows_the_figures_with_definitions_and_charts(world, records, login):
    in_a, _ = records
    response = _page(login(world.manager), date_from=START.isoformat(), date_to=END.isoformat())
    assert response.status_code == 200
    html = response.content.decode()
    want = expected(in_a)
    assert f"<strong>{want['closed']}</strong>" in html
    assert "How it is counted" in html and "Imported legacy cases" in html
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"') == 2
    assert "Concerns received by month as a table" in html
    assert "<script" not in html.split("<footer")[0].split("</header>")[1]
    assert response.context["counts"] == want


def test_a_manager_asking_for_another_team_gets_a_message_not_figures(world, records, login):
    response = _page(login(world.manager), team=world.team_b.pk, date_from=START.isoformat(), date_to=END.isoformat())
    assert response.status_code == 200
    assert "counts" not in response.context
    assert "Choose one of the teams in the list." in response.content.decode()


def test_a_lead_may_choose_any_team(world, records, login):
    _, in_b = records
    response = _page(login(world.lead), team=world.team_b.pk, date_from=START.isoformat(), date_to=END.isoformat())
    assert response.context["counts"] == expected(in_b)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date_from": "2026-02-01", "date_to": "2026-01-01"}, "must be on or after its start"),
        ({"date_from": "2020-01-01", "date_to": "2025-01-01"}, "at most 36 months"),
        ({"date_from": "not a date", "date_to": "2025-01-01"}, "Enter a real date."),
        ({"date_from": "2025-01-01", "date_to": "2999-01-01"}, "cannot be in the future"),
    ],
)
def test_bad_periods_get_a_clear_message_and_keep_what_was_typed(world, login, params, message):
    response = _page(login(world.manager), **params)
    html = response.content.decode()
    assert message in html
    assert f'value="{params["date_from"]}"' in html


def test_no_choices_means_the_default_period(world, login):
    response = _page(login(world.manager))
    start, end = selectors.default_period()
    assert response.context["scope"] == selectors.Scope(start, end)


def test_viewing_the_figures_is_audited_with_filter_names_only(world, login):
    from accounts.models import AuditEvent

    _page(login(world.manager), date_from="2025-04-01", date_to="2026-03-31", team=world.team_a.pk)
    event = AuditEvent.objects.filter(object_type="outcomes.practicequality").latest("id")
    assert event.actor == world.manager
    assert event.fields == ["date_from", "date_to", "team"]
    assert "2025" not in event.detail


def test_enquiries_use_the_stored_sac_answers(world):
    """An enquiry reopened (concluded_on cleared) no longer counts as closed."""
    enquiry = closed_enquiry(world.team_a, START, asked_desired_outcomes="not_asked")
    scope = selectors.Scope(START, END)
    assert selectors.measure_counts(world.manager, scope)["not_asked"] == 1
    Enquiry.objects.filter(pk=enquiry.pk).update(concluded_on=None)
    assert selectors.measure_counts(world.manager, scope)["closed"] == 0


def test_concerns_fall_in_their_london_month(world):
    from cases.tests.factories import CaseFactory

    # 23:30 UTC on 30 June is 00:30 on 1 July in London (summer time).
    CaseFactory(team=world.team_a, received_at=datetime.datetime(2025, 6, 30, 23, 30, tzinfo=datetime.UTC))
    CaseFactory(team=world.team_a, received_at=datetime.datetime(2025, 6, 30, 22, 30, tzinfo=datetime.UTC))
    CaseFactory(team=world.team_b, received_at=datetime.datetime(2025, 7, 15, 12, 0, tzinfo=datetime.UTC))
    scope = selectors.Scope(datetime.date(2025, 6, 1), datetime.date(2025, 7, 31))
    assert selectors.concerns_by_month(world.manager, scope) == [
        (datetime.date(2025, 6, 1), 1),
        (datetime.date(2025, 7, 1), 1),
    ]
    assert selectors.concerns_by_month(world.lead, scope) == [
        (datetime.date(2025, 6, 1), 1),
        (datetime.date(2025, 7, 1), 2),
    ]
    # A period starting mid-month counts from its first day.
    later = selectors.Scope(datetime.date(2025, 7, 10), datetime.date(2025, 7, 31))
    assert selectors.concerns_by_month(world.lead, later) == [(datetime.date(2025, 7, 1), 1)]


def test_a_case_closed_just_after_midnight_counts_on_its_closure_day(world):
    """The narrowing by the case's closure time has a day's margin; the enquiry's date decides."""
    enquiry = closed_enquiry(world.team_a, END, asked_desired_outcomes="not_asked")
    enquiry.case.closed_at = datetime.datetime(2026, 4, 1, 0, 0, 5, tzinfo=datetime.UTC)  # 01:00 BST next day
    enquiry.case.save(update_fields=["closed_at"])
    assert selectors.measure_counts(world.manager, selectors.Scope(START, END))["closed"] == 1
    assert (
        selectors.measure_counts(
            world.manager, selectors.Scope(END + datetime.timedelta(days=1), END + datetime.timedelta(days=5))
        )["closed"]
        == 0
    )
