"""Enquiries caused to a partner organisation (Care Act s42(2)): asked, tracked, reported, judged."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from cases.models import CaseAccessGrant, CaseEvent, CaseState
from cases.tests.factories import CaseFactory, EnquiryFactory
from partnership.models import CausedEnquiry, CausedStatus

from .factories import CausedEnquiryFactory, PartnerOrganisationFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _days(n):
    return (TODAY() + datetime.timedelta(days=n)).isoformat()


def _request_data(partner, **overrides):
    data = {
        "partner": partner.pk,
        "asked": "Check the medication records for March.",
        "contact": "Registered manager, 01632 960001",
        "requested_on": _days(0),
        "due_on": _days(14),
    }
    data.update(overrides)
    return data


def test_practitioner_causes_an_enquiry_from_the_open_enquiry(world, login):
    partner = PartnerOrganisationFactory(name="Synthetic Lodge")
    response = login(world.practitioner).post(
        reverse("partnership:caused_new", args=[world.case.pk]), _request_data(partner)
    )
    caused = CausedEnquiry.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "partnership:caused_detail", args=[caused.pk]
    )
    assert (caused.case, caused.partner, caused.requested_by) == (world.case, partner, world.practitioner)
    assert caused.status == CausedStatus.SENT
    line = CaseEvent.objects.get(case=world.case, kind="partnership:caused_enquiry")
    assert "Synthetic Lodge asked to make enquiries" in line.summary and "medication" not in line.summary
    event = AuditEvent.objects.get(object_type="partnership.causedenquiry", action="create")
    assert event.case_id == world.case.pk and "asked" in event.fields


def test_an_enquiry_cannot_be_caused_before_the_enquiry_is_open(world, login):
    concern = CaseFactory(team=world.team_a, state=CaseState.CONCERN)
    response = login(world.practitioner).get(reverse("partnership:caused_new", args=[concern.pk]))
    assert response.status_code == 409
    assert "while the enquiry is open" in response.content.decode()


def test_a_report_due_before_it_was_asked_is_refused_and_the_words_are_kept(world, login):
    partner = PartnerOrganisationFactory()
    data = _request_data(partner, due_on=_days(-1), asked="Glorbwick records")
    response = login(world.practitioner).post(reverse("partnership:caused_new", args=[world.case.pk]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "The report cannot be due before the date it was asked for." in html and "Glorbwick records" in html
    assert not CausedEnquiry.objects.exists()


def test_the_status_is_derived_sent_acknowledged_overdue_and_received(world, login):
    caused = CausedEnquiryFactory(case=world.case, due_on=TODAY() + datetime.timedelta(days=2))
    assert caused.status_on(TODAY()) == CausedStatus.SENT
    client = login(world.practitioner)
    assert client.post(reverse("partnership:caused_acknowledge", args=[caused.pk])).status_code == 302
    caused.refresh_from_db()
    assert caused.status_on(TODAY()) == CausedStatus.ACKNOWLEDGED
    assert caused.status_on(TODAY() + datetime.timedelta(days=3)) == CausedStatus.OVERDUE
    caused.report_received_on = TODAY()
    assert caused.status_on(TODAY() + datetime.timedelta(days=3)) == CausedStatus.REPORT_RECEIVED


def test_practitioner_records_the_report_with_an_assessment_that_has_no_default(world, login):
    caused = CausedEnquiryFactory(case=world.case, requested_by=world.practitioner)
    client = login(world.practitioner)
    page = client.get(reverse("partnership:caused_report", args=[caused.pk])).content.decode()
    assert 'name="adequacy"' in page and "checked" not in page
    partly = {"report_received_on": _days(0), "findings": "Staff rota gaps found.", "adequacy": "partly"}
    response = client.post(reverse("partnership:caused_report", args=[caused.pk]), partly)
    assert response.status_code == 200 and "Say what is missing from the report." in response.content.decode()
    partly["adequacy_comment"] = "No statement from the night carer."
    assert client.post(reverse("partnership:caused_report", args=[caused.pk]), partly).status_code == 302
    caused.refresh_from_db()
    assert caused.status == CausedStatus.REPORT_RECEIVED and caused.adequacy == "partly"
    assert caused.report_recorded_by == world.practitioner
    assert CaseEvent.objects.filter(case=world.case, summary__startswith="Report received from").exists()


def test_a_manager_marks_a_report_not_adequate_with_a_required_reason(world, login):
    caused = CausedEnquiryFactory(
        case=world.case, report_received_on=TODAY(), findings="Nothing found.", adequacy="adequate"
    )
    url = reverse("partnership:caused_not_adequate", args=[caused.pk])
    assert login(world.practitioner).post(url, {"reason": "Thin."}).status_code == 403
    client = login(world.manager)
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and "Give the reason the report is not adequate." in response.content.decode()
    assert client.post(url, {"reason": "The night staff were not spoken to."}).status_code == 302
    caused.refresh_from_db()
    assert caused.not_adequate_by == world.manager and caused.not_adequate_reason.startswith("The night staff")
    assert AuditEvent.objects.filter(object_type="partnership.causedenquiry", detail="report not adequate").exists()
    detail = client.get(reverse("partnership:caused_detail", args=[caused.pk])).content.decode()
    assert "a manager found it not adequate" in detail and "The night staff were not spoken to." in detail


def test_a_report_not_yet_received_cannot_be_judged(world, login):
    caused = CausedEnquiryFactory(case=world.case)
    response = login(world.manager).get(reverse("partnership:caused_not_adequate", args=[caused.pk]))
    assert response.status_code == 409


def test_requests_on_a_restricted_case_are_seen_only_by_those_named(world, login):
    restricted = EnquiryFactory(case__team=world.team_a, case__restricted=True).case
    caused = CausedEnquiryFactory(case=restricted)
    url = reverse("partnership:caused_detail", args=[caused.pk])
    assert login(world.practitioner).get(url).status_code == 404
    assert login(world.practitioner).get(reverse("partnership:caused_list", args=[restricted.pk])).status_code == 404
    CaseAccessGrant.objects.create(case=restricted, user=world.practitioner)
    assert login(world.practitioner).get(url).status_code == 200


def test_a_closed_case_shows_its_requests_but_takes_no_report(world, login):
    caused = CausedEnquiryFactory(case=world.case)
    world.case.state = CaseState.CLOSED
    world.case.save(update_fields=["state"])
    client = login(world.practitioner)
    assert client.get(reverse("partnership:caused_list", args=[world.case.pk])).status_code == 200
    assert client.get(reverse("partnership:caused_report", args=[caused.pk])).status_code == 409


def test_requests_show_on_the_case_page_the_dashboard_and_my_work(world, login):
    world.enquiry.lead_practitioner = world.practitioner
    world.enquiry.save()
    CausedEnquiryFactory(case=world.case, partner__name="Synthetic Trust", due_on=TODAY() - datetime.timedelta(days=1))
    CausedEnquiryFactory(case=world.case_b, partner__name="Other Team Provider")
    case_page = login(world.practitioner).get(reverse("cases:detail", args=[world.case.pk])).content.decode()
    assert "Synthetic Trust" in case_page and "Overdue" in case_page
    my_work = login(world.practitioner).get(reverse("workspace:my_work")).content.decode()
    assert "Synthetic Trust" in my_work and "Other Team Provider" not in my_work
    dashboard = login(world.manager).get(reverse("workspace:dashboard")).content.decode()
    assert "Reports awaited from partner organisations" in dashboard
    assert "Synthetic Trust" in dashboard and "Other Team Provider" not in dashboard
    assert "Synthetic Trust" not in login(world.colleague).get(reverse("workspace:my_work")).content.decode()
