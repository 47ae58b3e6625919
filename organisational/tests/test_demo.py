"""The demo's organisational enquiries: one open about the first provider across several adults
whose risks name it, with its updates, meeting and actions, and an older concluded one."""

import io
import random

from accounts.tests.factories import UserFactory
from cases.models import CaseEvent, CaseState
from cases.tests.factories import CaseFactory
from organisational.demo import add_demo_organisational
from organisational.models import OrganisationalEnquiry
from partnership.tests.factories import PartnerOrganisationFactory


def _provider_cases(provider, state, n):
    risk = {"source": "service_provider", "location": "care_home_residential", "provider": provider}
    return [CaseFactory(state=state, risks=[risk]) for _ in range(n)]


def test_the_demo_opens_an_enquiry_across_the_adults_whose_risks_name_the_first_provider(db):
    UserFactory(role="lead")
    home = PartnerOrganisationFactory(name="Synthetic Meadows Care Home", sector="care_provider", cqc_registered=True)
    agency = PartnerOrganisationFactory(name="Synthetic Home Care Agency", sector="care_provider", cqc_registered=True)
    open_cases = _provider_cases(home, CaseState.ENQUIRY_OPEN, 6)
    closed_cases = _provider_cases(agency, CaseState.CLOSED, 2)
    out = io.StringIO()
    assert add_demo_organisational({}, random.Random(1), out) == 5
    assert "1 open about Synthetic Meadows Care Home with 5 adults' cases" in out.getvalue()
    current = OrganisationalEnquiry.objects.get(concluded_on__isnull=True)
    linked = [link.case for link in current.linked_cases.select_related("case")]
    assert current.provider == home and len({case.person_id for case in linked}) == 5
    assert {case.pk for case in linked} <= {case.pk for case in open_cases}
    assert all(case.risks.filter(provider=home).exists() for case in linked)
    for case in linked:
        assert CaseEvent.objects.filter(kind="organisational:linked", case=case).count() == 1
    assert sorted(current.updates.values_list("source", flat=True)) == ["provider", "regulator"]
    meeting = current.meetings.get().meeting
    assert list(meeting.staff.all()) == [current.lead_officer]
    assert ("Registered manager (demo)", home.name) in meeting.partner_attendees.values_list("name", "organisation")
    assert sorted(a.done_on is not None for a in current.actions.all()) == [False, True]
    older = OrganisationalEnquiry.objects.get(concluded_on__isnull=False)
    assert older.provider == agency and {link.case for link in older.linked_cases.all()} == set(closed_cases)
    again = io.StringIO()
    assert add_demo_organisational({}, random.Random(1), again) == 0  # once only
    assert "none added" in again.getvalue() and OrganisationalEnquiry.objects.count() == 2


def test_without_a_provider_the_demo_adds_no_enquiry_and_says_so(db):
    UserFactory(role="lead")
    out = io.StringIO()
    assert add_demo_organisational({}, random.Random(1), out) == 0
    assert "none added" in out.getvalue() and not OrganisationalEnquiry.objects.exists()


def test_too_few_cases_naming_the_provider_add_no_enquiry(db):
    UserFactory(role="lead")
    home = PartnerOrganisationFactory(name="Synthetic Meadows Care Home", sector="care_provider", cqc_registered=True)
    _provider_cases(home, CaseState.ENQUIRY_OPEN, 1)
    out = io.StringIO()
    assert add_demo_organisational({}, random.Random(1), out) == 0
    assert "too few open cases" in out.getvalue() and not OrganisationalEnquiry.objects.exists()
