"""The front door in chromium, with axe-core on every page: a member of the public and a
professional (after one validation error) each raise a concern online, and a practitioner of
the front door team screens both, one into a concern and one signposted, then tells the
professional what happened."""

import re

import pytest
from django.urls import reverse

from cases.models import Case
from frontdoor.models import ReferrerFeedback, Submission
from frontdoor.tests.factories import front_door_team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _choose(page, label):
    page.get_by_label(label, exact=True).check()


def _start(j):
    j.open(reverse("report:start"))
    assert "call 999 now" in j.page.inner_text("main")
    j.follow("Start now")
    _choose(j.page, "No")
    j.press("Continue")


def _the_rest(j, consent, adult, what, harm):
    consent(j.page)
    j.press("Continue")
    adult(j.page)
    j.press("Continue")
    what(j.page)
    j.press("Continue")
    harm(j.page)
    j.press("Continue")
    assert j.page.get_by_role("heading", name="Check your answers before sending").is_visible()
    j.press("Send report")
    assert j.page.get_by_role("heading", name="Report sent").is_visible()
    return re.search(r"RC-[0-9A-Z]{4}-[0-9A-Z]{4}", j.page.inner_text("main")).group(0)


def _public_report(j):
    _start(j)
    _choose(j.page, "As a member of the public (including family, a friend or a neighbour)")
    j.press("Continue")
    j.page.fill("#id_referrer_name", "Neighbour Synthetic")
    j.page.fill("#id_referrer_email", "neighbour.synthetic@example.com")
    j.press("Continue")

    def consent(page):
        _choose(page, "No")
        page.fill("#id_adult_not_agreed_reason", "I have never seen her alone.")

    def adult(page):
        page.fill("#id_adult_name", "Edna Synthetica")
        page.fill("#id_adult_approximate_age", "85")

    def what(page):
        page.fill("#id_what_happened", "A man shouts at her every night.")
        _choose(page, "Own home")

    def harm(page):
        _choose(page, "Someone the adult knows, such as family, a partner, a friend or a neighbour")
        _choose(page, "No one else that I know of")

    return _the_rest(j, consent, adult, what, harm)


def _professional_report(j):
    _start(j)
    _choose(j.page, "As part of my work (for example police, health, a care provider or housing)")
    j.press("Continue")
    _choose(j.page, "Health")
    j.page.fill("#id_referrer_organisation", "Synthetic Surgery")
    j.page.fill("#id_referrer_role", "GP")
    j.page.fill("#id_referrer_name", "Dr Syn Thetic")
    j.page.fill("#id_referrer_email", "gp.synthetic-at-example.org")
    j.press("Continue")
    summary = j.page.locator("#error-summary")
    assert "Enter an email address in the correct format" in summary.inner_text()
    assert j.page.input_value("#id_referrer_organisation") == "Synthetic Surgery"  # everything typed is kept
    j.page.fill("#id_referrer_email", "gp.synthetic@example.org")
    j.press("Continue")

    def consent(page):
        _choose(page, "Yes")
        _choose(page, "Yes, they agree")

    def adult(page):
        page.fill("#id_adult_name", "Walter Synthetico")
        page.fill("#id_adult_date_of_birth", "1938-04-11")

    def what(page):
        page.fill("#id_what_happened", "Unexplained bruising on both arms.")
        _choose(page, "Care home – residential")

    def harm(page):
        _choose(page, "A paid carer, care home, hospital or other service")
        _choose(page, "Other adults")

    return _the_rest(j, consent, adult, what, harm)


def test_the_public_and_a_professional_report_and_a_practitioner_screens_both(world, journey, mailoutbox):
    front_door_team(world.team_a)
    public_ref = _public_report(journey(None))
    professional_ref = _professional_report(journey(None))
    assert Submission.objects.count() == 2
    assert {m.to[0] for m in mailoutbox} == {"neighbour.synthetic@example.com", "gp.synthetic@example.org"}

    j = journey(world.practitioner)
    j.open(reverse("workspace:my_work"))
    j.follow(re.compile("awaiting screening"))
    j.follow(public_ref)
    j.follow("Not a safeguarding concern")
    j.page.fill("#id_reason", "Noise between neighbours; no sign of abuse.")
    j.page.fill("#id_signposting", "The council's antisocial behaviour team.")
    j.press("Record this")
    assert "is recorded as not a safeguarding concern" in j.page.inner_text("main")

    j.follow(professional_ref)
    j.follow("Turn into a concern")
    assert j.page.input_value("#id_person-legal_name") == "Walter Synthetico"
    _choose(j.page, "Physical")
    j.press("Record the concern")
    case = Case.objects.get(front_door_screening__submission__reference=professional_ref)
    assert case.referrer_type == "health"
    assert case.front_door_screening.submission.screening.outcome == "concern"
    assert Submission.objects.get(reference=public_ref).screening.outcome == "not_safeguarding"

    j.follow("Feedback to the referrer")
    j.page.fill("#id_what_was_shared", "We have started looking into your concern.")
    j.page.get_by_label("Email this update to the referrer's work address").check()
    j.press("Record the feedback")
    assert ReferrerFeedback.objects.get(case=case).emailed_at is not None
    assert "emailed to the referrer" in j.page.inner_text("main")
