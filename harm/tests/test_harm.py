"""People alleged to have caused harm: named on a case's risk by whoever may change the case,
seen across cases by a safeguarding lead (only cases the lead may see), merged when found to be
the same person, referred to their employer; never named on the adult's own summary, in the
chronology, an audit entry or the adult's subject access export."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from cases.models import CaseAccessGrant, CaseEvent, CaseState
from cases.tests.factories import CaseFactory
from documents import subject_access
from documents.models import SubjectAccessExport
from harm import selectors, services
from harm.models import PersonAlleged, RiskPerson, TrustReferral
from outcomes.selectors import summary_context

from .factories import PersonAllegedFactory, RiskPersonFactory, TrustReferralFactory

pytestmark = pytest.mark.django_db

NAME = "Quillon Vexmarrow"  # synthetic, and unlike anything else in the test data
NEW_PERSON = {
    "relationship": "paid_carer",
    "name": NAME,
    "date_of_birth": "1980-02-03",
    "care_needs": "no",
    "position_of_trust": "employed_adults",
    "employer": "Synthetic Home Care Agency",
}


def _name_url(case):
    return reverse("harm_case:name_on_risk", args=[case.pk])


def _name(client, case, **data):
    risk = case.risks.order_by("id").first()
    return client.post(_name_url(case), {"risk": risk.pk, **NEW_PERSON, **data})


def _no_name_in_audit_or_chronology():
    assert not [e for e in AuditEvent.objects.all() if NAME in f"{e.detail} {e.fields} {e.object_type}"]
    assert not CaseEvent.objects.filter(summary__contains=NAME.split()[1]).exists()


def test_a_practitioner_names_a_new_person_on_a_risk(world, login):
    client = login(world.practitioner)
    response = _name(client, world.case)
    assert response.status_code == 302 and response["Location"].endswith("#people-alleged-heading")
    link = RiskPerson.objects.get()
    assert (link.case, link.risk, link.relationship) == (world.case, world.case.risks.first(), "paid_carer")
    person = link.person
    assert (person.name, person.date_of_birth, person.care_needs) == (NAME, datetime.date(1980, 2, 3), "no")
    assert person.in_position_of_trust and person.created_by == world.practitioner
    page = client.get(reverse("cases:detail", args=[world.case.pk])).content.decode()
    assert NAME in page and "Position of trust" in page and "on risk 1: paid carer" in page
    line = CaseEvent.objects.get(case=world.case, kind="harm:named")
    assert line.summary == "A person alleged to have caused harm was named on risk 1 (paid carer)."
    assert AuditEvent.objects.filter(object_type="harm.riskperson", action="create", case_id=world.case.pk).exists()
    _no_name_in_audit_or_chronology()


def test_the_form_preselects_nothing_and_an_empty_answer_keeps_what_was_typed(world, login):
    client = login(world.practitioner)
    form = client.get(_name_url(world.case)).content.decode()
    assert " checked" not in form
    response = client.post(_name_url(world.case), {"name": NAME, "employer": "Typed employer"})
    page = response.content.decode()
    assert response.status_code == 200 and not RiskPerson.objects.exists()
    for message in (
        "Choose the risk.",
        "Choose their relationship to the adult.",
        "Say whether they have care and support needs themselves",
        "Say whether they are in a position of trust",
    ):
        assert message in page
    assert f'value="{NAME}"' in page and 'value="Typed employer"' in page


def test_a_second_risk_names_the_same_person_and_a_person_from_another_case_cannot_be_chosen(world, login):
    case = CaseFactory(team=world.team_a, state=CaseState.ENQUIRY_OPEN, risks=[{}, {"source": "stranger"}])
    client = login(world.practitioner)
    assert _name(client, case).status_code == 302
    person = PersonAlleged.objects.get()
    second = case.risks.order_by("id").last()
    form = client.get(_name_url(case)).content.decode()
    assert f"{NAME}, already named on this case" in form
    assert (
        client.post(_name_url(case), {"risk": second.pk, "who": person.pk, "relationship": "family"}).status_code == 302
    )
    assert PersonAlleged.objects.count() == 1 and person.risk_links.count() == 2
    # Someone named on another case is not offered, and posting their id is refused.
    elsewhere = RiskPersonFactory(case=world.case_b).person
    refused = client.post(_name_url(case), {"risk": second.pk, "who": elsewhere.pk, "relationship": "family"})
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    assert elsewhere.name not in refused.content.decode()
    # The same person twice on one risk is refused.
    again = client.post(_name_url(case), {"risk": second.pk, "who": person.pk, "relationship": "family"})
    assert "already named on this risk" in again.content.decode()


def test_another_teams_case_is_404_and_a_closed_case_is_409(world, login):
    client = login(world.outsider)
    assert _name(client, world.case).status_code == 404
    closed = CaseFactory(team=world.team_a, state=CaseState.CLOSED)
    assert _name(login(world.practitioner), closed).status_code == 409
    assert not RiskPerson.objects.exists()


def test_taking_a_person_off_a_risk_keeps_their_record(world, login):
    link = RiskPersonFactory(case=world.case, added_by=world.practitioner)
    client = login(world.practitioner)
    url = reverse("harm_case:remove_from_risk", args=[link.pk])
    assert "Say why" in client.post(url, {}).content.decode()
    assert client.post(url, {"reason": "error"}).status_code == 302
    assert not RiskPerson.objects.exists() and PersonAlleged.objects.filter(pk=link.person_id).exists()
    line = CaseEvent.objects.get(kind="harm:removed")
    assert line.summary == "A person alleged to have caused harm was taken off risk 1: named in error."


def test_the_lead_sees_one_person_across_cases_but_only_cases_the_lead_may_see(world, login):
    person = PersonAllegedFactory(name=NAME)
    other = CaseFactory(team=world.team_b, state=CaseState.ENQUIRY_OPEN)
    restricted = CaseFactory(team=world.team_a, state=CaseState.ENQUIRY_OPEN, restricted=True)
    for case in (world.case, other, restricted):
        RiskPersonFactory(case=case, person=person)
    PersonAllegedFactory(name="Only On A Restricted Case").risk_links.create(
        risk=restricted.risks.first(), case=restricted, relationship="family", added_by=world.lead
    )
    client = login(world.lead)
    register = client.get(reverse("harm:register")).content.decode()
    assert NAME in register and "Only On A Restricted Case" not in register
    rows = {p.pk: p.n_cases for p in selectors.register(world.lead)}
    assert rows == {person.pk: 2}
    assert [p.pk for p in selectors.register(world.lead, repeat=True)] == [person.pk]
    page = client.get(reverse("harm:person", args=[person.pk])).content.decode()
    assert world.case.ref in page and other.ref in page and restricted.ref not in page
    assert "1 more risk naming them is on cases you may not see" in page
    # Named on the restricted case, the lead sees it too.
    CaseAccessGrant.objects.create(case=restricted, user=world.lead, granted_by=world.lead)
    assert {p.pk: p.n_cases for p in selectors.register(world.lead)}[person.pk] == 3
    # A manager is not a lead: no register.
    assert login(world.manager).get(reverse("harm:register")).status_code == 403


def test_a_name_search_is_posted_never_in_the_address(world, login):
    RiskPersonFactory(case=world.case, person=PersonAllegedFactory(name=NAME))
    RiskPersonFactory(case=world.case, person=PersonAllegedFactory(name="Somebody Else Entirely"))
    client = login(world.lead)
    found = client.post(reverse("harm:register"), {"name": "vexmar"}).content.decode()
    assert NAME in found and "Somebody Else Entirely" not in found
    search = AuditEvent.objects.filter(object_type="harm.register", action="search").get()
    assert "vexmar" not in f"{search.detail} {search.fields}"
    assert "vexmar" not in client.get(reverse("harm:register")).content.decode()


def test_two_records_of_one_person_are_matched_and_merged(world, login):
    first = PersonAllegedFactory(name=NAME, date_of_birth=datetime.date(1980, 2, 3))
    second = PersonAllegedFactory(name=f"  {NAME.upper()} ", date_of_birth=None, employer="Another Agency")
    different = PersonAllegedFactory(name=NAME, date_of_birth=datetime.date(1990, 1, 1))
    other_case = CaseFactory(team=world.team_b, state=CaseState.ENQUIRY_OPEN)
    RiskPersonFactory(case=world.case, person=first)
    RiskPersonFactory(case=other_case, person=second)
    RiskPersonFactory(case=CaseFactory(team=world.team_b), person=different)
    TrustReferralFactory(person=second, recorded_by=world.lead)
    assert [p.pk for p in selectors.possible_matches(world.lead, first)] == [second.pk]
    client = login(world.lead)
    merge = reverse("harm:merge", args=[first.pk])
    assert second.label in client.get(merge).content.decode()
    refused = client.post(merge, {"other": second.label})
    assert "Confirm that you have checked" in refused.content.decode()
    assert "That is this record" in client.post(merge, {"other": first.label, "same_person": "on"}).content.decode()
    assert client.post(merge, {"other": second.label, "same_person": "on"}).status_code == 302
    second.refresh_from_db()
    assert second.merged_into == first and first.risk_links.count() == 2 and first.referrals.count() == 1
    assert {p.pk: p.n_cases for p in selectors.register(world.lead)}[first.pk] == 2
    assert second.pk not in {p.pk for p in selectors.register(world.lead)}
    assert client.get(reverse("harm:person", args=[second.pk])).url == reverse("harm:person", args=[first.pk])
    assert AuditEvent.objects.filter(object_type="harm.personalleged", object_id=str(second.pk)).exists()


def test_a_referral_to_the_employer_and_its_outcome(world, login):
    person = RiskPersonFactory(case=world.case).person
    client = login(world.lead)
    add = reverse("harm:referral_add", args=[person.pk])
    today = timezone.localdate()
    missing_date = {"employer": "Synthetic Care Agency", "referred_on": today, "outcome": "dismissed"}
    assert "Enter the date of the outcome." in client.post(add, missing_date).content.decode()
    future = {**missing_date, "outcome": "awaiting", "referred_on": today + datetime.timedelta(days=1)}
    assert "cannot be in the future" in client.post(add, future).content.decode()
    awaiting = {**missing_date, "outcome": "awaiting", "case": world.case.pk}
    assert client.post(add, awaiting).status_code == 302
    referral = TrustReferral.objects.get()
    assert (referral.case, referral.outcome, referral.outcome_on) == (world.case, "awaiting", None)
    assert [p.pk for p in selectors.register(world.lead, awaiting=True)] == [person.pk]
    outcome = reverse("harm:referral_outcome", args=[referral.pk])
    before = {"outcome": "disciplinary", "outcome_on": today - datetime.timedelta(days=9), "version": 1}
    assert "cannot be before the referral" in client.post(outcome, before).content.decode()
    done = {"outcome": "disciplinary", "outcome_on": today, "outcome_notes": "Final written warning.", "version": 1}
    assert client.post(outcome, done).status_code == 302
    referral.refresh_from_db()
    assert (referral.outcome, referral.outcome_on, referral.version) == ("disciplinary", today, 2)
    stale = client.post(outcome, {**done, "outcome": "dismissed"})
    assert stale.status_code == 409 and "Someone else recorded an outcome" in stale.content.decode()


def test_the_adults_own_summary_and_subject_access_export_never_name_them(world):
    services.name_on_risk(
        actor=world.practitioner,
        case=world.case,
        risk=world.case.risks.first(),
        relationship="family",
        person_data={"name": NAME, "care_needs": "yes", "position_of_trust": "no"},
        risk_number=1,
    )
    context = summary_context(case=world.case)
    for template in ("outcomes/summary_pdf.html", "outcomes/summary_easy_read_pdf.html"):
        assert NAME.split()[1] not in render_to_string(template, context)
    export = SubjectAccessExport.objects.create(person=world.case.person, requested_by=world.lead)
    text = " ".join(subject_access.render_html(export).split())
    assert NAME.split()[1] not in text and NAME.split()[0] not in text
    assert f"Case {world.case.ref}, risk 1: a person alleged to have caused harm (family member)." in text
    assert "Their details are another person's personal data." in text
    _no_name_in_audit_or_chronology()


def test_a_name_search_with_a_null_character_is_refused_with_a_message(world, login):
    RiskPersonFactory(case=world.case, person=PersonAllegedFactory(name=NAME))
    response = login(world.lead).post(reverse("harm:register"), {"name": "Vex\x00marrow"})
    assert response.status_code == 200 and "Null characters are not allowed." in response.content.decode()
