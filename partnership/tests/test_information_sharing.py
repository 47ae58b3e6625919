"""The record of information shared and received, its lawful basis and consent, and the
manager's review of sharing without consent."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from cases.models import CaseEvent
from partnership.models import InformationShare

from .factories import InformationShareFactory, PartnerOrganisationFactory

pytestmark = pytest.mark.django_db


def _share_data(organisation, **overrides):
    data = {
        "direction": "shared",
        "categories": ["concern", "risk"],
        "details": "The concern and the safety plan.",
        "partner": organisation.pk,
        "shared_on": timezone.localdate().isoformat(),
        "lawful_basis": "public_task",
        "consented": "False",
        "no_consent_reason": "risk_to_others",
        "adult_told": "True",
    }
    data.update(overrides)
    return data


def test_a_share_without_consent_is_recorded_flagged_and_reviewed_by_a_manager(world, login):
    partner = PartnerOrganisationFactory(name="Northshire Police", sector="police", cqc_registered=False)
    url = reverse("partnership:share_new", args=[world.case.pk])
    assert login(world.practitioner).post(url, _share_data(partner)).status_code == 302
    share = InformationShare.objects.get()
    assert share.awaiting_review and share.shared_by == world.practitioner
    assert share.categories == ["concern", "risk"]
    line = CaseEvent.objects.get(case=world.case, kind="partnership:information_share")
    assert line.summary.endswith("without the adult's consent.") and "Northshire Police" in line.summary
    dashboard = login(world.manager).get(reverse("workspace:dashboard")).content.decode()
    assert "Information shared without consent, to review" in dashboard and "Northshire Police" in dashboard
    review = reverse("partnership:share_review", args=[share.pk])
    assert login(world.practitioner).post(review, {}).status_code == 403
    assert login(world.manager).post(review, {"comment": "Proportionate."}).status_code == 302
    share.refresh_from_db()
    assert share.reviewed_by == world.manager and not share.awaiting_review
    assert AuditEvent.objects.filter(object_type="partnership.informationshare", detail__contains="reviewed").exists()
    assert login(world.manager).get(review).status_code == 409  # already reviewed
    dashboard = login(world.manager).get(reverse("workspace:dashboard")).content.decode()
    assert "Nothing to review." in dashboard


def test_without_consent_the_reason_and_whether_the_adult_was_told_are_required(world, login):
    partner = PartnerOrganisationFactory()
    data = _share_data(partner, no_consent_reason="", adult_told="", details="Quibblethorpe")
    response = login(world.practitioner).post(reverse("partnership:share_new", args=[world.case.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200 and "Quibblethorpe" in html
    assert "Say why it was shared without the adult&#x27;s consent." in html
    assert "Say whether the adult was told it was shared." in html
    assert not InformationShare.objects.exists()


def test_with_consent_no_reason_is_kept_and_no_review_is_needed(world, login):
    partner = PartnerOrganisationFactory()
    data = _share_data(partner, consented="True")
    assert (
        login(world.practitioner).post(reverse("partnership:share_new", args=[world.case.pk]), data).status_code == 302
    )
    share = InformationShare.objects.get()
    assert (share.consented, share.no_consent_reason, share.adult_told, share.awaiting_review) == (
        True,
        "",
        None,
        False,
    )


def test_the_lawful_basis_and_consent_have_no_default_answer(world, login):
    page = login(world.practitioner).get(reverse("partnership:share_new", args=[world.case.pk])).content.decode()
    assert 'name="lawful_basis"' in page and 'name="consented"' in page and "checked" not in page
    data = _share_data(PartnerOrganisationFactory(), lawful_basis="", consented="")
    html = login(world.practitioner).post(reverse("partnership:share_new", args=[world.case.pk]), data).content.decode()
    assert "Choose an answer for “Lawful basis”." in html and "Answer: did the adult consent?" in html


def test_with_whom_is_a_partner_or_a_named_other_organisation_but_not_both(world, login):
    partner = PartnerOrganisationFactory()
    url = reverse("partnership:share_new", args=[world.case.pk])
    client = login(world.practitioner)
    neither = client.post(url, _share_data(partner, partner="")).content.decode()
    assert "Choose the partner organisation, or name the organisation or person." in neither
    both = client.post(url, _share_data(partner, other_organisation="A GP surgery")).content.decode()
    assert "not both" in both
    assert (
        client.post(url, _share_data(partner, partner="", other_organisation="Synthetic GP Surgery")).status_code == 302
    )
    assert InformationShare.objects.get().organisation_name == "Synthetic GP Surgery"


def test_the_partnership_principle_check_shows_the_cases_sharing_record(world, login):
    InformationShareFactory(case=world.case, partner__name="Synthetic Housing Association")
    InformationShareFactory(case=world.case_b, partner__name="Another Team's Partner")
    page = login(world.practitioner).get(reverse("outcomes:principles", args=[world.case.pk])).content.decode()
    assert "Partnership: the case's information sharing record" in page
    assert "Synthetic Housing Association" in page and "Another Team" not in page


def test_a_practitioner_does_not_get_the_review_queue(world, login):
    InformationShareFactory(case=world.case, consented=False, no_consent_reason="public_interest", adult_told=False)
    my_work = login(world.practitioner).get(reverse("workspace:my_work")).content.decode()
    assert "Information shared without consent, to review" not in my_work


def test_the_managers_closure_sign_off_shows_the_sharing_record_under_the_partnership_evidence(world, login):
    from cases.models import CaseState
    from outcomes.tests.factories import ClosureReviewFactory

    world.case.state = CaseState.CLOSURE_PENDING
    world.case.save(update_fields=["state"])
    ClosureReviewFactory(case=world.case, status="sent", sent_by=world.practitioner)
    InformationShareFactory(case=world.case, partner__name="Synthetic Housing Association")
    page = login(world.manager).get(reverse("outcomes:closure_sign_off", args=[world.case.pk])).content.decode()
    partnership = page[page.index(">Partnership</legend>") :]
    assert "The case's information sharing record" in partnership[: partnership.index("</fieldset>")]
    assert "Synthetic Housing Association" in partnership
