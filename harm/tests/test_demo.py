"""The demo's people alleged to have caused harm: a provider's care worker on several adults'
risks (two records for a lead to merge), referred to their employer, and a relative."""

import io
import random

from accounts.tests.factories import UserFactory
from cases.models import CaseState
from cases.tests.factories import CaseFactory
from harm import selectors
from harm.demo import CARE_WORKER, add_demo_people
from harm.models import PersonAlleged, RiskPerson, TrustReferral
from partnership.tests.factories import PartnerOrganisationFactory


def test_the_demo_names_a_care_worker_across_adults_and_a_lead_can_find_and_merge_them(db):
    lead = UserFactory(role="lead")
    home = PartnerOrganisationFactory(name="Synthetic Meadows Care Home", sector="care_provider", cqc_registered=True)
    risk = {"source": "service_provider", "location": "care_home_residential", "provider": home}
    cases = [CaseFactory(state=CaseState.ENQUIRY_OPEN, risks=[risk]) for _ in range(4)]
    relative_case = CaseFactory(state=CaseState.ENQUIRY_OPEN)
    out = io.StringIO()
    assert add_demo_people({}, random.Random(1), out) == 4
    assert "3 records, named on 4 risks of 4 cases, 2 referrals." in out.getvalue()
    on_worker = RiskPerson.objects.filter(person__match_key=CARE_WORKER.lower())
    assert on_worker.values("case__person").distinct().count() == 3
    assert set(on_worker.values_list("case", flat=True)) <= {c.pk for c in cases}
    assert RiskPerson.objects.get(relationship="family").case == relative_case
    assert [len(group) for group in selectors.possible_matches(lead)] == [2]
    worker = PersonAlleged.objects.get(name=CARE_WORKER)
    assert worker.in_position_of_trust and worker.provider == home
    assert sorted(TrustReferral.objects.values_list("outcome", flat=True)) == ["awaiting", "support"]
    assert add_demo_people({}, random.Random(1), io.StringIO()) == 0  # once only
