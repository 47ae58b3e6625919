"""Benchmark: the MSP enquiry record page and the "What you told us" PDF.

Run: `python -m bench.outcomes_record` (uses a throwaway test database on DATABASE_URL).
Prints `<figure> <value> <unit>` lines.
"""

import os
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "msp.settings")


def main(conversations=50, outcomes=20, runs=5):
    import django

    django.setup()
    import logging

    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.REQUIRE_2FA = False
    settings.SECURE_SSL_REDIRECT = False
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from django.test import Client
        from django.urls import reverse

        from accounts.models import Role
        from accounts.tests.factories import TeamFactory, UserFactory
        from cases.tests.factories import EnquiryFactory
        from outcomes.selectors import summary_context
        from outcomes.tests.factories import (
            ConversationFactory,
            DesiredOutcomeFactory,
            NegotiatedOutcomeFactory,
            OutcomeReviewFactory,
            PlanActionFactory,
        )

        team = TeamFactory(name="Bench Team")
        user = UserFactory(username="bench", role=Role.PRACTITIONER, teams=[team])
        case = EnquiryFactory(case__team=team, lead_practitioner=user).case
        for _ in range(conversations):
            ConversationFactory(case=case)
        for n in range(outcomes):
            desired = DesiredOutcomeFactory(case=case)
            if n % 3 == 0:
                NegotiatedOutcomeFactory(desired_outcome=desired)
            OutcomeReviewFactory(desired_outcome=desired)
        for _ in range(5):
            PlanActionFactory(case=case)

        client = Client()
        client.force_login(user)
        url = reverse("outcomes:enquiry", args=[case.pk])
        client.get(url)
        timings = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        print(f"outcomes_enquiry_page_queries_{conversations}c_{outcomes}o {len(queries)} queries")
        print(f"outcomes_enquiry_page_median_{conversations}c_{outcomes}o {statistics.median(timings):.1f} ms")

        from django.template.loader import render_to_string

        from reporting.pdf import html_to_pdf

        html = render_to_string("outcomes/summary_pdf.html", summary_context(case=case))
        html_to_pdf(html)  # warm fonts
        pdf_timings, size = [], 0
        for _ in range(runs):
            started = time.perf_counter()
            pdf = html_to_pdf(render_to_string("outcomes/summary_pdf.html", summary_context(case=case)))
            pdf_timings.append((time.perf_counter() - started) * 1000)
            size = len(pdf)
        print(f"outcomes_summary_pdf_render_median_{outcomes}o {statistics.median(pdf_timings):.0f} ms")
        print(f"outcomes_summary_pdf_size_{outcomes}o {size / 1024:.0f} KiB")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
