import pytest

from accounts import audit
from accounts.models import AuditAction, AuditEvent
from cases import services
from cases.tests.factories import CaseFactory, DecisionFactory

# session, user, the case (person, team, creator, enquiry and lead joined), its risks and
# their types, the risks' history, decisions (proposer and reviewer joined), recent
# chronology, the audit insert, the header's notification count, the user's team memberships
# (read once per request: accounts.access.member_team_ids), and the session save (savepoint,
# update, release).
DETAIL_QUERIES = 13 + audit.queries_per_record()
# The chronology page loads the same case, without the risks' history.
CHRONOLOGY_QUERIES = DETAIL_QUERIES - 1
# The case page also lists the latest staff case summaries (1), its "Working with partners"
# section the caused enquiries and the meetings' and shares' counts (2), the organisational
# enquiries the case is linked to (1) and the people alleged to have caused harm on its risks (1;
# the risks' numbers come from the risks already read).
CASE_PAGE_QUERIES = DETAIL_QUERIES + 1 + 2 + 1 + 1


def _busy_case(world, n):
    decision = DecisionFactory(case__team=world.team_a, proposed_by=world.practitioner)
    services.sign_off_decision(actor=world.manager, decision=decision)
    case = decision.case
    case.refresh_from_db()
    for i in range(n):
        services.update_concern(
            actor=world.practitioner,
            case=case,
            expected_version=case.version,
            concern_data={"adult_wants": f"Version {i}"},
        )
        case.refresh_from_db()
    return case


@pytest.mark.parametrize("events", [3, 30])
def test_the_case_page_runs_a_constant_number_of_queries(world, login, django_assert_num_queries, events):
    case = _busy_case(world, events)
    client = login(world.practitioner)
    with django_assert_num_queries(CASE_PAGE_QUERIES):
        response = client.get(f"/cases/{case.pk}/")
    assert response.status_code == 200


@pytest.mark.parametrize("events", [3, 30])
def test_the_chronology_page_runs_a_constant_number_of_queries(world, login, django_assert_num_queries, events):
    case = _busy_case(world, events)
    client = login(world.practitioner)
    with django_assert_num_queries(CHRONOLOGY_QUERIES):
        response = client.get(f"/cases/{case.pk}/chronology/")
    assert response.status_code == 200
    assert response.content.decode().count("Concern details updated.") == events


def test_viewing_a_case_is_audited(world, login):
    login(world.colleague).get(f"/cases/{world.case.pk}/")
    assert AuditEvent.objects.filter(case_id=world.case.pk, action=AuditAction.VIEW, actor=world.colleague).exists()


def test_viewing_the_chronology_is_audited(world, login):
    login(world.colleague).get(f"/cases/{world.case.pk}/chronology/")
    assert AuditEvent.objects.filter(case_id=world.case.pk, action=AuditAction.VIEW, detail="chronology").exists()


def test_the_case_page_shows_the_preferred_name_and_each_section(world, login):
    case = CaseFactory(team=world.team_a)
    body = login(world.practitioner).get(f"/cases/{case.pk}/").content.decode()
    assert f'<h1 class="h2">{case.person.preferred_name}</h1>' in body
    for heading in ("The adult", "The concern", "Decision (section 42 test)", "Enquiry", "Recent chronology"):
        assert f">{heading}</h2>" in body
    assert "Propose a decision" in body


def test_only_a_manager_who_did_not_propose_sees_the_sign_off_button(world, login):
    decision = DecisionFactory(case__team=world.team_a, proposed_by=world.manager)
    url = f"/cases/{decision.case.pk}/"
    assert "Sign off or return the decision" not in login(world.manager).get(url).content.decode()
    assert "Sign off or return the decision" not in login(world.practitioner).get(url).content.decode()
    assert "Sign off or return the decision" in login(world.lead).get(url).content.decode()
