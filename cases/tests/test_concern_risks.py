"""A concern's risks: recorded on the concern form (add another, remove one, without
JavaScript), changed with the concern before an enquiry, added or corrected with history during it."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent
from cases import risks as risk_services
from cases import services
from cases.models import Case, CaseEvent, CaseState, Risk, RiskRevision
from cases.tests.factories import CaseFactory, concern_form_data, risk_form_data

TWO = [
    {"types": ["financial"], "location": "own_home", "source": "known"},
    {"types": ["physical", "psychological"], "location": "care_home_residential", "source": "service_provider"},
]


def _post(team, risks, **extra):
    return {
        **{k: v for k, v in concern_form_data(team).items() if not k.startswith("risk-")},
        **risk_form_data(risks),
        **extra,
    }


def _create_data(world, risks, **extra):
    return _post(world.team_a, risks, **extra)


def test_a_concern_is_recorded_with_two_risks(world, login):
    response = login(world.practitioner).post("/cases/new/", _create_data(world, TWO))
    assert response.status_code == 302
    case = Case.objects.latest("pk")
    assert [(r.type_codes(), r.location, r.source) for r in case.risks.all()] == [
        (["financial"], "own_home", "known"),
        (["physical", "psychological"], "care_home_residential", "service_provider"),
    ]
    assert (
        "risks" in AuditEvent.objects.get(case_id=case.pk, object_type="cases.case", action=AuditAction.CREATE).fields
    )


def test_add_another_risk_keeps_everything_typed_and_shows_no_errors(world, login):
    client = login(world.practitioner)
    data = _create_data(world, TWO[:1], **{"risk_action": "add", "person-legal_name": ""})
    response = client.post("/cases/new/", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert not Case.objects.filter(referrer_name="Sam Referrer").exists()
    assert "There is a problem" not in body  # nothing was submitted yet
    assert "Risk 3" not in body and '<legend class="h5">Risk 2</legend>' in body
    assert "Risk 2 added." in body
    assert 'name="risk-TOTAL_FORMS" value="2"' in body
    assert re.search(r'name="risk-0-types" value="financial"[^>]*checked', body)
    assert "Bank cards missing; nephew visiting daily." in body  # the concern, as typed
    assert re.search(r'name="risk-1-types" value="physical"[^>]*autofocus', body)  # focus on the new risk
    assert "Remove risk 1" in body and "Remove risk 2" in body


def test_remove_risk_moves_the_later_ones_up(world, login):
    three = [*TWO, {"types": ["neglect"], "location": "hospital_acute", "source": "unknown"}]
    response = login(world.practitioner).post("/cases/new/", _create_data(world, three, risk_action="remove-1"))
    body = response.content.decode()
    assert "Risk 2 removed. The concern now has 2 risks." in body
    assert 'name="risk-TOTAL_FORMS" value="2"' in body
    assert re.search(r'name="risk-1-types" value="neglect"[^>]*checked', body)
    assert 'id="risk-status" role="status" tabindex="-1"' in body and "autofocus" in body
    assert not re.search(r'name="risk-\d-types" value="physical"[^>]*checked', body)  # risk 2 is gone


def test_the_only_risk_cannot_be_removed(world, login):
    client = login(world.practitioner)
    body = client.get("/cases/new/").content.decode()
    assert "Risk 1</legend>" in body and "Remove risk 1" not in body and "Add another risk" in body
    tampered = client.post("/cases/new/", _create_data(world, TWO[:1], risk_action="remove-0")).content.decode()
    assert 'name="risk-TOTAL_FORMS" value="1"' in tampered


def test_an_incomplete_risk_is_explained_in_the_summary_linking_to_its_field(world, login):
    risks = [TWO[0], {"types": [], "location": "", "source": "known"}]
    response = login(world.practitioner).post("/cases/new/", _create_data(world, risks))
    body = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#id_risk-1-types_0">Risk 2, types of abuse or neglect: Choose at least one type' in body
    assert '<a href="#id_risk-1-location">Risk 2, where it happened: Choose where it happened.' in body
    assert not Case.objects.filter(referrer_name="Sam Referrer").exists()


def test_a_concern_with_no_risk_is_refused(world, login):
    data = _create_data(world, [])
    body = login(world.practitioner).post("/cases/new/", data).content.decode()
    assert "Record at least one risk." in body
    assert not Case.objects.filter(referrer_name="Sam Referrer").exists()
    with pytest.raises(ValidationError, match="at least one risk"):
        services.record_concern(
            actor=world.practitioner,
            team=world.team_a,
            person_data={"legal_name": "Ivy Synthetic"},
            concern_data={"received_at": world.case.received_at, "what_happened": "x"},
            risks=[],
        )


def _edit_post(case, risks, **extra):
    return {
        "received_at": case.received_at.strftime("%Y-%m-%dT%H:%M"),
        "referrer_name": "Sam Referrer",
        "what_happened": case.what_happened,
        "adult_aware": "not_known",
        "version": str(case.version),
        **risk_form_data(risks),
        **extra,
    }


def test_editing_the_concern_changes_adds_and_removes_risks_keeping_history(world, login):
    case = CaseFactory(team=world.team_a, referrer_name="Sam Referrer", risks=TWO)
    first, second = case.risks.all()
    client = login(world.practitioner)
    page = client.get(f"/cases/{case.pk}/concern/").content.decode()
    assert "Risk 2</legend>" in page and f'name="risk-1-id" value="{second.pk}"' in page
    changed = {**TWO[0], "id": str(first.pk), "location": "community"}
    added = {"types": ["self_neglect"], "location": "own_home", "source": "unknown"}
    response = client.post(f"/cases/{case.pk}/concern/", _edit_post(case, [changed, added]))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert [(r.pk == first.pk, r.location, r.type_codes()) for r in case.risks.all()] == [
        (True, "community", ["financial"]),
        (False, "own_home", ["self_neglect"]),
    ]
    assert not Risk.objects.filter(pk=second.pk).exists()
    assert list(RiskRevision.objects.filter(risk=first).values_list("version", "data__location")) == [
        (2, "community"),
        (1, "own_home"),
    ]
    assert "risks" in AuditEvent.objects.filter(case_id=case.pk, action=AuditAction.UPDATE).latest("id").fields


def test_once_the_enquiry_is_open_the_concern_form_leaves_the_risks_alone(world, login):
    client = login(world.practitioner)
    page = client.get(f"/cases/{world.case.pk}/concern/").content.decode()
    assert "add or correct risks one at a time" in page and "risk-TOTAL_FORMS" not in page
    with pytest.raises(ValidationError, match="Once the enquiry is open"):
        risk_services.replace_risks(case=world.case, risks=TWO, actor=world.practitioner)


def test_a_risk_is_added_during_the_enquiry_audited_and_in_the_chronology(world, login):
    client = login(world.practitioner)
    assert "Add a risk found during the enquiry" in client.get(f"/cases/{world.case.pk}/").content.decode()
    url = reverse("cases:risk_add", args=[world.case.pk])
    refused = client.post(url, {"types": [], "location": "own_home", "source": ""}).content.decode()
    assert "Choose at least one type" in refused and "Choose who may be causing the harm." in refused
    response = client.post(
        url, {"types": ["organisational"], "location": "care_home_nursing", "source": "service_provider"}
    )
    assert response.status_code == 302
    added = world.case.risks.last()
    assert (added.type_codes(), added.location) == (["organisational"], "care_home_nursing")
    assert CaseEvent.objects.filter(
        case=world.case, kind="risk_added", summary="Risk 2 added during the enquiry."
    ).exists()
    assert AuditEvent.objects.filter(
        object_type="cases.risk", object_id=str(added.pk), action=AuditAction.CREATE
    ).exists()


def test_a_risk_correction_keeps_the_earlier_version_visible(world, login):
    risk = world.case.risks.get()
    client = login(world.practitioner)
    url = reverse("cases:risk_correct", args=[risk.pk])
    data = {"types": ["financial", "psychological"], "location": "community", "source": "known", "version": "1"}
    missing_reason = client.post(url, data).content.decode()
    assert "Say why the risk is being corrected." in missing_reason
    response = client.post(url, {**data, "change_reason": "The location was recorded wrongly."})
    assert response.status_code == 302
    risk.refresh_from_db()
    assert (risk.version, risk.location, risk.type_codes()) == (2, "community", ["financial", "psychological"])
    page = client.get(f"/cases/{world.case.pk}/").content.decode()
    assert "History of risk 1" in page and "Corrected" in page
    assert "Why it was corrected: The location was recorded wrongly." in page
    assert "Version 1</strong>, recorded" in page and "Own home" in page  # the earlier version
    event = AuditEvent.objects.get(object_type="cases.risk", object_id=str(risk.pk), action=AuditAction.UPDATE)
    assert sorted(event.fields) == ["location", "types"] and "wrongly" not in event.detail
    assert CaseEvent.objects.filter(
        case=world.case, kind="risk_corrected", summary="Risk 1 corrected (version 2)."
    ).exists()
    stale = client.post(url, {**data, "location": "own_home", "change_reason": "Again.", "version": "1"})
    assert stale.status_code == 409
    assert "Someone else corrected this risk" in stale.content.decode()


def test_risks_are_not_corrected_outside_an_open_enquiry(world, login):
    closed = CaseFactory(team=world.team_a, state=CaseState.CLOSED)
    concern = CaseFactory(team=world.team_a)
    client = login(world.practitioner)
    response = client.post(reverse("cases:risk_add", args=[closed.pk]), {"types": ["physical"]})
    assert response.status_code == 409  # a closed case is read-only
    refused = client.post(reverse("cases:risk_add", args=[concern.pk]), {"types": ["physical"]}, follow=True)
    assert "change the risks with the concern details" in refused.content.decode()
    assert concern.risks.count() == 1
