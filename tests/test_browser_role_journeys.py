"""Each role's main journey end to end in chromium, with axe-core on every page it lands on.

The journeys click links and press buttons as a person would (`tests/journey.py`); an address
is typed only to start, or to show that a page the role may not use is refused. Each journey
also visits every item of the role's navigation bar, so a page added there is checked here.
The run ends with "axe-core checked N pages ..." (see `pytest_terminal_summary` in conftest).
"""

import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts import services
from accounts.demo import DEMO_PASSWORD
from accounts.models import Role, User
from accounts.tokens import Purpose
from cases.models import CaseState
from outcomes.models import Conversation, DesiredOutcome, SummaryDocument
from reporting.models import ReportRun, ReportStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def report_data(world):
    from reporting.tests import scenario

    scenario.build([world.team_a, world.team_b])


def _totp_now(base32_key):
    """What an authenticator app shows for this key now."""
    from base64 import b32decode

    from django_otp.oath import totp

    padded = base32_key + "=" * (-len(base32_key) % 8)
    return f"{totp(b32decode(padded)):06d}"


def _request_last_years_report(j):
    j.follow("Request a report")
    j.page.fill("#id_period_start", "2024-04-01")
    j.page.fill("#id_period_end", "2025-03-31")
    j.press("Request report")
    run = ReportRun.objects.latest("pk")
    # The report is produced once the request commits; the page lists the files when it is ready.
    expect(j.page.get_by_role("link", name="PDF report")).to_be_visible(timeout=30_000)
    assert ReportRun.objects.get(pk=run.pk).status == ReportStatus.DONE
    return run


def test_visitor_without_an_authenticator_is_sent_to_their_link_sets_up_through_it_and_signs_out(
    world, journey, settings, live_server, mailoutbox
):
    settings.REQUIRE_2FA = True
    user = world.practitioner
    user.set_password(DEMO_PASSWORD)
    user.email = "pat@example.invalid"
    user.save()
    j = journey(None)
    j.open(f"/cases/{world.case.pk}/")
    expect(j.page.get_by_role("heading", name="Sign in")).to_be_visible()
    j.page.get_by_label("Username").fill(user.username)
    j.page.get_by_label("Password").fill("not-the-password")
    j.press("Sign in")
    expect(j.page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(j.page.get_by_label("Username")).to_have_value(user.username)
    j.page.get_by_label("Password").fill(DEMO_PASSWORD)
    j.press("Sign in")
    # No authenticator yet: a password alone does not enrol one; the page says to use the link.
    expect(j.page.get_by_role("heading", name="Your account has no authenticator yet")).to_be_visible()
    j.press("Sign out")

    user.refresh_from_db()  # as an administrator's request would load it (signing in changed it)
    services.send_account_link(user=user, purpose=Purpose.INVITE, actor=world.lead, base_url=live_server.url)
    (link,) = re.findall(r"http://\S+", mailoutbox[0].body)
    j.open(link.removeprefix(live_server.url))  # the redirect drops the token from the address
    assert j.page.url == live_server.url + "/account/set-up/"
    expect(j.page.get_by_role("heading", name="Set up your account")).to_be_visible()
    j.page.fill("#id_new_password1", "Quiet-Lantern-Meadow-58")
    j.page.fill("#id_new_password2", "Quiet-Lantern-Meadow-58")
    key = j.page.locator("#totp-key code").inner_text()
    j.page.get_by_label("Six-digit code from your authenticator app").fill(_totp_now(key))
    j.press("Save and sign in")
    expect(j.page.get_by_text("Your password and authenticator are set up.")).to_be_visible()
    j.open(f"/cases/{world.case.pk}/")
    expect(j.page.get_by_role("heading", name=world.case.person.display_name, level=1)).to_be_visible()
    user.refresh_from_db()
    assert user.check_password("Quiet-Lantern-Meadow-58")

    j.follow("Change password")
    j.page.fill("#id_old_password", "Quiet-Lantern-Meadow-58")
    j.page.fill("#id_new_password1", "Fresh-Granite-Otter-42")
    j.page.fill("#id_new_password2", "Fresh-Granite-Otter-42")
    j.press("Change password")
    user.refresh_from_db()
    assert user.check_password("Fresh-Granite-Otter-42")
    j.press("Sign out")
    expect(j.page.get_by_role("heading", name="Sign in")).to_be_visible()
    j.refused(f"/cases/{world.case.pk}/", 200)  # the sign-in page again, not the case
    expect(j.page.get_by_role("heading", name="Sign in")).to_be_visible()
    j.open(link.removeprefix(live_server.url))  # a link works once
    expect(j.page.get_by_role("heading", name="This link does not work")).to_be_visible()


def test_practitioner_works_a_case_records_a_conversation_and_gets_the_summary(world, journey):
    j = journey(world.practitioner)
    j.open("/")
    expect(j.page.get_by_role("heading", name="My work", level=1)).to_be_visible()
    j.visit_navigation()

    j.follow(re.compile("^Cases$"), within="nav[aria-label='Main']")
    j.follow(world.case.ref, exact=True)
    j.sees_no_link_to("cases:access_log", pk=world.case.pk)  # managers only
    j.follow("Change the adult's details")
    j.page.get_by_label("Communication needs").fill("Prefers phone calls after 10am.")
    j.press("Save")
    world.case.person.refresh_from_db()
    assert world.case.person.communication_needs == "Prefers phone calls after 10am."
    j.follow("Change the concern details")
    j.follow("Cancel", exact=True)
    j.follow("Open the MSP record")
    j.follow("Record a conversation")
    j.page.get_by_label("Date of the conversation").fill(timezone.localdate().isoformat())
    j.page.locator("#id_mode").select_option("phone")
    j.page.check("#id_spoken_to_alone_0")
    j.page.fill("#id_what_matters", "I want to stay in my own flat.")
    j.page.check("#id_outcomes_discussion_1")
    j.press("Save the conversation")
    assert Conversation.objects.filter(case=world.case, what_matters="I want to stay in my own flat.").exists()
    j.follow("Record a desired outcome")
    j.page.fill("#id_words", "I want to choose who comes in.")
    j.page.check("#id_expressed_by_0")
    j.page.fill("#id_expressed_on", timezone.localdate().isoformat())
    j.press("Save")
    j.follow("Change what they wanted (outcome 1)")
    j.page.fill("#id_words", "I want to choose who comes in, and when.")
    j.page.fill("#id_change_reason", "She added the times when we read it back to her.")
    j.press("Save")
    assert DesiredOutcome.objects.get(case=world.case).words == "I want to choose who comes in, and when."
    for form in ("Record advocacy", "Record declined support"):
        j.follow(form)
        j.follow("Cancel", exact=True)

    j.press("Prepare a new summary")
    assert SummaryDocument.objects.get(case=world.case).status == "done"
    pdf = j.download(re.compile("^Download PDF"), content_type="application/pdf")
    assert pdf.suggested_filename.endswith(".pdf")
    j.follow("Back to the case", exact=True)
    j.follow("Chronology (printable)")
    expect(j.page.locator("ol.chronology")).to_contain_text("Conversation")

    j.refused(f"/cases/{world.case.pk}/access-log/", 403)
    j.refused(f"/cases/{world.case_b.pk}/", 404)  # another team's case: not even its existence
    j.refused("/reports/", 403)
    j.refused("/admin/users/", 403)


def test_manager_signs_off_a_decision_allocates_the_enquiry_and_sees_who_read_the_record(world, journey):
    from cases.tests.factories import CaseFactory, DecisionFactory

    awaiting = DecisionFactory(case__team=world.team_a, proposed_by=world.colleague).case
    j = journey(world.manager)
    j.open("/")
    expect(j.page.get_by_role("heading", name="Team dashboard", level=1)).to_be_visible()
    j.visit_navigation()
    # The dashboard's figures open the lists behind them.
    for figure in ("overdue plan actions", "follow-ups due", "Caseload by practitioner"):
        j.follow(re.compile("^Team dashboard$"), within="nav[aria-label='Main']")
        j.follow(re.compile(f"{figure}$"))
    j.follow(re.compile("^Cases$"), within="nav[aria-label='Main']")
    j.follow(awaiting.ref, exact=True)
    j.follow("Sign off or return the decision")
    j.page.get_by_label("Sign off this decision").check()
    j.press("Confirm")
    expect(j.page.get_by_text("Decision signed off.")).to_be_visible()
    j.follow("Allocate the enquiry")
    j.page.get_by_label("Lead practitioner").select_option(value=str(world.practitioner.pk))
    j.press("Allocate")
    awaiting.refresh_from_db()
    assert awaiting.enquiry.lead_practitioner == world.practitioner
    j.follow("Who has accessed this record")
    expect(j.page.locator("main")).to_contain_text(world.manager.display_name)

    closed = CaseFactory(team=world.team_a, state=CaseState.CLOSED)
    j.follow(re.compile("^Cases$"), within="nav[aria-label='Main']")
    j.follow(closed.ref, exact=True)
    j.follow("Reopen the case")
    j.press("Reopen the case")  # no reason given: refused, with the error shown accessibly
    expect(j.page.locator("#error-summary")).to_contain_text("Give the reason for reopening the case.")
    j.page.get_by_label("Why is the case being reopened?").fill("New information from the GP.")
    j.press("Reopen the case")
    closed.refresh_from_db()
    assert closed.state != CaseState.CLOSED

    j.refused(f"/cases/{world.case_b.pk}/", 404)  # team B's case
    j.refused("/reports/", 403)
    j.refused("/admin/users/", 403)


def test_lead_reads_any_team_requests_a_board_report_and_gets_the_unrounded_figures(world, journey, report_data):
    j = journey(world.lead)
    j.open("/")
    j.visit_navigation()
    j.follow(re.compile("^Cases$"), within="nav[aria-label='Main']")
    j.page.get_by_label("Case reference, name or NHS number").fill(world.case_b.ref)
    j.press("Search")
    j.follow(world.case_b.ref, exact=True)  # team B's case: a lead sees every team
    j.follow("Who has accessed this record")

    j.follow(re.compile("^SAB reports$"), within="nav[aria-label='Main']")
    _request_last_years_report(j)
    j.download("PDF report", content_type="application/pdf")
    j.download("CSV data, UNROUNDED (leads only)", content_type="text/csv")
    j.follow("Back to reports")


def _request_standard_report(j, label):
    """A SAB member chooses a standard period from the list (no dates to type) and waits for it."""
    j.follow("Request a report")
    assert j.page.locator("#id_period_start").count() == 0  # no free dates for SAB members
    j.page.locator("#id_period").select_option(label=label)
    j.press("Request report")
    expect(j.page.get_by_role("link", name="PDF report")).to_be_visible(timeout=30_000)
    run = ReportRun.objects.latest("pk")
    assert run.status == ReportStatus.DONE and run.period_kind in ("quarter", "year")
    expect(j.page.get_by_role("heading", level=1)).to_contain_text(f"{run.period_start:%-d %b %Y}")
    return run


def test_sab_member_requests_a_quarter_and_a_financial_year_and_sees_only_controlled_figures(
    world, journey, report_data
):
    j = journey(world.sab_member)
    j.open("/")
    expect(j.page.get_by_role("heading", level=1)).to_contain_text("report")
    j.visit_navigation()
    quarter = _request_standard_report(j, "April to June 2024")
    assert quarter.period_kind == "quarter"
    j.download("PDF report", content_type="application/pdf")
    j.download("CSV data (disclosure-controlled)", content_type="text/csv")
    assert j.page.get_by_role("link", name=re.compile("UNROUNDED")).count() == 0
    j.follow("Back to reports")
    year = _request_standard_report(j, "Financial year 2024-25")
    assert year.period_kind == "year"
    csv_file = j.download("CSV data (disclosure-controlled)", content_type="text/csv")
    lines = Path(csv_file.path()).read_text(encoding="utf-8").splitlines()[1:]
    values = [line.rsplit(",", 1)[1] for line in lines]
    assert values and all(value == "*" or int(value) % 5 == 0 for value in values)
    assert j.page.get_by_role("link", name=re.compile("UNROUNDED")).count() == 0
    j.follow("Back to reports")

    j.refused("/cases/", 403)
    j.refused(f"/cases/{world.case.pk}/", 403)
    j.refused(f"/outcomes/case/{world.case.pk}/", 403)
    j.refused("/admin/users/", 403)


def test_system_administrator_adds_a_team_and_a_user_then_deactivates_them(world, journey):
    j = journey(world.sysadmin)
    j.open("/")
    expect(j.page.get_by_role("heading", name="Users and teams")).to_be_visible()
    j.visit_navigation()

    j.follow("Add a team")
    j.page.get_by_label("Name").fill("East Team")
    j.press("Save")
    expect(j.page.get_by_text("Saved team East Team.")).to_be_visible()

    j.follow("East Team", exact=True)
    j.page.get_by_label("Name").fill("East Locality Team")
    j.press("Save")
    expect(j.page.get_by_text("Saved team East Locality Team.")).to_be_visible()

    j.follow("Add a user")
    j.press("Save")  # nothing typed: the errors are shown, accessibly
    expect(j.page.locator("#error-summary")).to_be_visible()
    j.page.get_by_label("Username").fill("newpractitioner")
    j.page.get_by_label("First name").fill("Nia")
    j.page.get_by_label("Role").select_option(Role.PRACTITIONER)
    j.page.get_by_label("East Locality Team").check()
    j.page.get_by_label("Email address").fill("nia@example.invalid")
    j.press("Save")
    expect(j.page.get_by_text("A one-time link has been emailed to newpractitioner.")).to_be_visible()
    created = User.objects.get(username="newpractitioner")
    assert created.role == Role.NONE and not created.teams.exists()  # the case role and team wait for a lead

    j.follow("newpractitioner", exact=True)
    j.press("Send a new invitation")
    expect(j.page.get_by_text("A one-time link has been emailed to newpractitioner.")).to_be_visible()
    j.page.get_by_label("Active").uncheck()
    j.press("Save")
    created.refresh_from_db()
    assert created.is_active is False
    j.follow("newpractitioner", exact=True)
    j.press("Reset two-factor")
    expect(
        j.page.get_by_text("newpractitioner's authenticator is removed and they are signed out everywhere.")
    ).to_be_visible()
    expect(j.page.get_by_text("is deactivated, so no link was sent")).to_be_visible()

    j.refused("/cases/", 403)
    j.refused(f"/cases/{world.case.pk}/", 403)  # no case content for administrators
    j.refused("/reports/", 403)


def test_system_administrator_asks_for_access_and_a_lead_approves_it_and_a_restricted_case_is_named(world, journey):
    from accounts.models import AccessGrantRequest, GrantOutcome
    from cases.models import CaseAccessGrant

    target = world.sab_member
    j = journey(world.sysadmin)
    j.open("/")
    j.follow(target.username, exact=True)
    j.page.get_by_label("Role").select_option(Role.LEAD)
    j.press("Save")
    expect(j.page.get_by_text("Waiting for a safeguarding lead's approval: role Safeguarding lead.")).to_be_visible()
    target.refresh_from_db()
    assert target.role == Role.SAB_MEMBER  # nothing opened yet
    j.follow(target.username, exact=True)
    expect(j.page.get_by_role("heading", name="Waiting for a safeguarding lead's approval")).to_be_visible()
    j.follow("Cancel")
    # Their own account offers no role, teams or active status to change.
    j.follow(world.sysadmin.username, exact=True)
    expect(j.page.get_by_text("This is your own account.")).to_be_visible()
    assert j.page.get_by_label("Role").count() == 0
    j.refused("/admin/grants/", 403)  # and they approve nothing

    j = journey(world.lead)
    j.open("/")
    j.follow(re.compile("^Access review$"), within="nav[aria-label='Main']")
    j.follow("1 grant waiting for approval")
    expect(j.page.get_by_role("cell", name=world.sysadmin.display_name)).to_be_visible()
    j.press(f"Approve for {target.username}")
    expect(j.page.get_by_text(f"Approved for {target.username}: role Safeguarding lead.")).to_be_visible()
    target.refresh_from_db()
    assert target.role == Role.LEAD
    j.follow("Access review of every account")
    j.download("Download the access review (CSV)", content_type="text/csv")

    # A manager restricts a case and names a practitioner: that name waits for a lead too.
    j = journey(world.manager)
    j.open(f"/cases/{world.case.pk}/")
    j.follow("Restrict this case")
    j.page.get_by_label("Only the users named below").check()
    j.page.get_by_label("Why is it restricted?").select_option("staff")
    j.page.get_by_label(f"{world.practitioner.display_name} (Practitioner)").check()
    j.press("Save who may see this case")
    expect(j.page.get_by_text("1 name(s) wait for a safeguarding lead's approval.")).to_be_visible()
    j.follow("Who may see this case")
    expect(j.page.get_by_role("heading", name="Waiting for a safeguarding lead's approval")).to_be_visible()
    j.follow("Cancel")

    j = journey(world.lead)
    j.open("/admin/grants/")
    j.press(f"Approve for {world.practitioner.username}")
    assert CaseAccessGrant.objects.filter(case=world.case, user=world.practitioner).exists()
    assert not AccessGrantRequest.objects.filter(outcome=GrantOutcome.PENDING).exists()
    j.refused(f"/cases/{world.case.pk}/", 404)  # the lead approved a name; they are not named themselves
