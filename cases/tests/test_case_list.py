import datetime

import pytest
from django.utils import timezone

from accounts import audit
from accounts.models import AuditAction, AuditEvent
from cases.models import CaseState
from cases.tests.factories import CaseFactory, DecisionFactory, EnquiryFactory, PersonFactory

# session, user, one page of cases (with person, team, enquiry and lead joined), the audit
# insert, the team choices of the filter form, the header's notification count, the user's team
# memberships (read once per request), and the session save (savepoint, update, release).
LIST_QUERIES = 9 + audit.queries_per_record()


def _make_cases(world, n):
    for i in range(n):
        if i % 3 == 0:
            EnquiryFactory(case__team=world.team_a, lead_practitioner=world.colleague)
        elif i % 3 == 1:
            DecisionFactory(case__team=world.team_a, proposed_by=world.practitioner)
        else:
            CaseFactory(team=world.team_a, abuse=["neglect", "physical"])


@pytest.mark.parametrize("extra", [3, 30])
def test_the_case_list_runs_a_constant_number_of_queries(world, login, django_assert_num_queries, extra):
    _make_cases(world, extra)
    client = login(world.practitioner)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get("/cases/?stage=&team=&q=")
    assert response.status_code == 200


@pytest.mark.parametrize("extra", [3, 30])
def test_a_filtered_search_runs_the_same_number_of_queries(world, login, django_assert_num_queries, extra):
    _make_cases(world, extra)
    client = login(world.manager)
    url = client.post(
        "/cases/", {"q": "Testperson", "abuse_type": "neglect", "overdue": "on", "received_from": "2020-01-01"}
    )["Location"]
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert "Testperson" in response.content.decode()  # kept in the search box, from the session


def search(client, text="", **filters):
    """Post the "find a case" form and follow it to the results page."""
    response = client.post("/cases/", {"q": text, **filters})
    assert response.status_code == 302
    if text:
        assert text.split()[0].lower() not in response["Location"].lower()
    return client.get(response["Location"]).content.decode()


def test_search_text_never_appears_in_the_url(world, login):
    client = login(world.practitioner)
    response = client.post("/cases/", {"q": "943 476 5919", "stage": "concern"})
    assert "943" not in response["Location"]
    assert response["Location"].startswith("/cases/?stage=concern&s=")
    assert "No cases to show." in client.get(response["Location"]).content.decode()
    # A search typed straight into the URL is ignored rather than trusted.
    assert world.case.ref in client.get("/cases/?q=nobody-matches-this").content.decode()


def test_search_by_case_reference(world, login):
    body = search(login(world.practitioner), world.case.ref.lower())
    assert world.case.ref in body


def test_search_by_legal_or_preferred_name(world, login):
    case = CaseFactory(team=world.team_a, person=PersonFactory(legal_name="Rosalind Quartz", preferred_name="Roz"))
    client = login(world.practitioner)
    assert case.ref in search(client, "quartz")
    assert case.ref in search(client, "roz")
    assert case.ref in search(client, "Rosalind Quartz")
    assert case.ref not in search(client, "Rosalind Garnet")


def test_search_by_nhs_number_with_or_without_spaces(world, login):
    case = CaseFactory(team=world.team_a, person=PersonFactory(nhs_number="9434765919"))
    client = login(world.practitioner)
    assert case.ref in search(client, "943 476 5919")
    assert world.case.ref not in search(client, "9434765919")


def test_results_respect_the_access_policy(world, login):
    hidden = CaseFactory(team=world.team_b, person=PersonFactory(legal_name="Rosalind Quartz"))
    body = search(login(world.practitioner), "Quartz")
    assert hidden.ref not in body
    assert "No cases to show." in body
    assert hidden.ref in search(login(world.lead), "Quartz")


def test_filters_by_team_stage_abuse_type_and_received_dates(world, login):
    old = CaseFactory(team=world.team_a, received_at=timezone.now() - datetime.timedelta(days=400), abuse=["sexual"])
    client = login(world.lead)
    assert old.ref in client.get("/cases/?abuse_type=sexual").content.decode()
    assert world.case.ref not in client.get("/cases/?abuse_type=sexual").content.decode()
    recent = client.get(f"/cases/?received_from={(timezone.localdate() - datetime.timedelta(days=30)):%Y-%m-%d}")
    assert old.ref not in recent.content.decode()
    assert world.case.ref in recent.content.decode()
    by_stage = client.get(f"/cases/?stage={CaseState.ENQUIRY_OPEN}").content.decode()
    assert world.case.ref in by_stage and old.ref not in by_stage
    by_team = client.get(f"/cases/?team={world.team_b.pk}").content.decode()
    assert world.case_b.ref in by_team and world.case.ref not in by_team


def test_a_practitioner_cannot_filter_on_another_team(world, login):
    body = login(world.practitioner).get(f"/cases/?team={world.team_b.pk}").content.decode()
    assert "Select a valid choice" in body


def test_pagination_keeps_the_filters_in_the_url(world, login):
    for _ in range(26):
        CaseFactory(team=world.team_a, abuse=["neglect"], person=PersonFactory(legal_name="Rosalind Quartz"))
    client = login(world.practitioner)
    url = client.post("/cases/", {"q": "Quartz", "abuse_type": "neglect"})["Location"]
    token = url.split("s=")[1]
    body = client.get(url).content.decode()
    assert f"?abuse_type=neglect&amp;s={token}&amp;page=2" in body
    second = client.get(f"{url}&page=2").content.decode()
    assert f"?abuse_type=neglect&amp;s={token}&amp;page=1" in second
    assert 'value="Quartz"' in second


def test_a_search_is_audited_by_filter_names_never_values(world, login):
    search(login(world.practitioner), "Quartz", abuse_type="neglect")
    event = AuditEvent.objects.filter(action=AuditAction.SEARCH).latest("id")
    assert event.fields == ["abuse_type", "q"]
    assert "Quartz" not in event.detail
