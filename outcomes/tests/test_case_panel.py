"""The MSP panel on the case page: links and the enquiry's SAC answers, no extra queries."""

from django.urls import reverse


def test_case_page_links_to_the_msp_record(world, login):
    body = login(world.practitioner).get(reverse("cases:detail", args=[world.case.pk])).content.decode()
    assert "Making Safeguarding Personal" in body
    assert reverse("outcomes:enquiry", args=[world.case.pk]) in body


def test_case_without_an_enquiry_says_records_start_later(world, login):
    body = login(world.outsider).get(reverse("cases:detail", args=[world.case_b.pk])).content.decode()
    assert "MSP records start when an enquiry is opened." in body


def test_panel_adds_no_queries_to_the_case_page(world, client, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.practitioner)
    url = reverse("cases:detail", args=[world.case.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as open_case:
        client.get(url)
    world.enquiry.concluded_on = world.enquiry.started_on
    world.enquiry.asked_desired_outcomes = "asked_expressed"
    world.enquiry.outcomes_achieved = "partially"
    world.enquiry.save()
    with django_assert_num_queries(len(open_case)):
        body = client.get(url).content.decode()
    assert "asked_expressed" in body and "partially" in body
    # The only outcomes read on the case page is its own list of staff case summaries.
    outcomes_reads = [q["sql"] for q in open_case.captured_queries if 'FROM "outcomes_' in q["sql"]]
    assert [sql for sql in outcomes_reads if 'FROM "outcomes_casesummarydocument"' not in sql] == []


def test_enquiry_record_page_for_a_case_without_an_enquiry(world, login):
    body = login(world.outsider).get(reverse("outcomes:enquiry", args=[world.case_b.pk])).content.decode()
    assert "There is no enquiry on this case yet" in body
