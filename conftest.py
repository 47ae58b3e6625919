"""Fixtures every app's tests share: a small world of teams, users in every role, and cases.

`world` is rebuilt for each test (no shared mutable fixtures). Case-scoped URL tests use its
three users per case: `practitioner` (member of the case's team, its lead practitioner),
`colleague` (same team, not the lead) and `outsider` (another team).
"""

from dataclasses import dataclass

import pytest

from accounts.models import Role


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # Production security stays on; these two would otherwise stop the test client at the
    # door (it speaks plain HTTP and has no authenticator). 2FA has its own tests.
    settings.SECURE_SSL_REDIRECT = False
    settings.REQUIRE_2FA = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Texts go to feedback.sms.outbox, as Django's test runner sends mail to mail.outbox.
    from feedback import sms

    settings.SMS_BACKEND = "feedback.sms.LocmemBackend"
    sms.outbox.clear()


@dataclass
class World:
    team_a: object
    team_b: object
    practitioner: object
    colleague: object
    outsider: object
    manager: object
    manager_b: object
    lead: object
    sab_member: object
    sysadmin: object
    case: object
    enquiry: object
    case_b: object

    def user(self, actor):
        return getattr(self, actor)


ACTORS = ("practitioner", "colleague", "outsider", "manager", "manager_b", "lead", "sab_member", "sysadmin")


@pytest.fixture
def world(db):
    from accounts.tests.factories import TeamFactory, UserFactory
    from cases.tests.factories import CaseFactory, EnquiryFactory

    team_a = TeamFactory(name="North Team")
    team_b = TeamFactory(name="South Team")
    practitioner = UserFactory(username="pat", first_name="Pat", role=Role.PRACTITIONER, teams=[team_a])
    enquiry = EnquiryFactory(case__team=team_a, lead_practitioner=practitioner)
    return World(
        team_a=team_a,
        team_b=team_b,
        practitioner=practitioner,
        colleague=UserFactory(username="cole", role=Role.PRACTITIONER, teams=[team_a]),
        outsider=UserFactory(username="otto", role=Role.PRACTITIONER, teams=[team_b]),
        manager=UserFactory(username="mona", role=Role.MANAGER, teams=[team_a]),
        manager_b=UserFactory(username="mabel", role=Role.MANAGER, teams=[team_b]),
        lead=UserFactory(username="lee", role=Role.LEAD),
        sab_member=UserFactory(username="sabrina", role=Role.SAB_MEMBER),
        sysadmin=UserFactory(username="sid", role=Role.SYSADMIN),
        case=enquiry.case,
        enquiry=enquiry,
        case_b=CaseFactory(team=team_b),
    )


@pytest.fixture
def login(client):
    """Sign a user in on the test client: `login(user)`."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture(autouse=True)
def _celery_eager_by_default(request):
    """Unit and view tests run tasks in-process; tests marked `worker` use a real worker."""
    from msp.celery import app

    eager = request.node.get_closest_marker("worker") is None
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = eager
    yield
    app.conf.task_always_eager = previous


# --- Browser tests: pytest-playwright driving Debian's chromium -------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    import os

    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (make test installs it when run as root)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture
def signed_in_page(page, live_server, client):
    """`signed_in_page(user)` returns the Playwright page with that user signed in."""

    def _sign_in(user):
        client.force_login(user)
        cookie = client.cookies["sessionid"]
        page.context.clear_cookies()
        page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
        page.goto(live_server.url + "/")
        return page

    return _sign_in


AXE_SOURCE = None


def axe_violations(page, impacts=("serious", "critical"), only=None):
    """Run axe-core (vendored in tests/vendor) on the current page; return serious/critical violations.

    Every rule runs (colour contrast included, switched on explicitly so no configuration can
    drop it); `only=["color-contrast"]` runs just those rules."""
    global AXE_SOURCE
    if AXE_SOURCE is None:
        from pathlib import Path

        AXE_SOURCE = (Path(__file__).parent / "tests" / "vendor" / "axe.min.js").read_text()
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    options = {"resultTypes": ["violations"], "rules": {"color-contrast": {"enabled": True}}}
    if only:
        options = {"resultTypes": ["violations"], "runOnly": {"type": "rule", "values": list(only)}}
    # Colours mid-transition are not what anyone reads: a control the mouse has just left (the
    # page moved under it) fades back over Bootstrap's .15s, and axe would measure it half-way.
    result = page.evaluate(
        """async (options) => {
          await Promise.all(document.getAnimations().map((a) => a.finished.catch(() => null)));
          return await axe.run(document, options);
        }""",
        options,
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in impacts
    ]


#: Each focusable control on the page focused in turn, axe's colour-contrast rule run on it
#: focused (the focus ring and any :focus colours are what a keyboard user reads).
FOCUSED_CONTRAST = """async () => {
  const selector = 'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])';
  const failures = [];
  const before = document.activeElement;
  for (const el of document.querySelectorAll(selector)) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || el.disabled) continue;
    const look = () => {
      const s = getComputedStyle(el);
      return [s.color, s.backgroundColor, s.textDecorationColor].join();
    };
    const resting = look();
    el.focus({preventScroll: true});
    if (document.activeElement !== el) continue;
    await Promise.all(document.getAnimations().map((a) => a.finished.catch(() => null)));  // transitions done
    if (look() === resting) continue;  // nothing changed colour: the resting-state run covered it
    const only = {type: 'rule', values: ['color-contrast']};
    const result = await axe.run(el, {resultTypes: ['violations'], runOnly: only});
    for (const v of result.violations) failures.push({state: 'focus', nodes: v.nodes.map((n) => n.target)});
  }
  if (before && before.focus) before.focus({preventScroll: true}); else document.activeElement.blur();
  return failures;
}"""


def focused_contrast_violations(page):
    axe_violations(page, only=["color-contrast"])  # loads axe-core if the page has not got it
    return page.evaluate(FOCUSED_CONTRAST)


#: Each control hovered in turn, axe's colour-contrast rule run on it hovered. Script cannot set
#: `:hover`, so every `:hover` rule of the page's style sheets is copied once with `:hover` read
#: as a probe class; adding the class to one control at a time gives it its hover look (moving
#: the real mouse over each control, hundreds on a page, would take minutes). `:hover` rules on
#: an ancestor of the control (a hovered table row) are not copied onto the control.
HOVERED_CONTRAST = """async () => {
  const probe = 'msp-hover-probe';
  const copies = [];
  const copy = (rules, wrap) => {
    for (const rule of rules) {
      if (rule.cssRules && (rule.media || rule.conditionText)) {
        const head = rule.cssText.slice(0, rule.cssText.indexOf('{'));
        copy(rule.cssRules, (text) => wrap(`${head}{${text}}`));
      } else if (rule.selectorText && rule.selectorText.includes(':hover')) {
        copies.push(wrap(rule.cssText.replaceAll(':hover', `.${probe}`)));
      }
    }
  };
  for (const sheet of document.styleSheets) {
    try { copy(sheet.cssRules, (text) => text); } catch (e) { /* another origin's sheet: none here */ }
  }
  // A constructed sheet, not a <style> element: the pages' CSP (style-src 'self') refuses inline styles.
  const sheet = new CSSStyleSheet();
  for (const text of copies) {
    try { sheet.insertRule(text, sheet.cssRules.length); } catch (e) { /* a rule this browser cannot parse */ }
  }
  const adopted = document.adoptedStyleSheets;
  document.adoptedStyleSheets = [...adopted, sheet];
  const selector = 'a[href], button, summary, label, [role=button], input[type=submit], input[type=button]';
  const failures = [];
  try {
    for (const el of document.querySelectorAll(selector)) {
      const box = el.getBoundingClientRect();
      if (box.width < 2 || box.height < 2 || el.disabled) continue;
      const look = () => {
        const s = getComputedStyle(el);
        return [s.color, s.backgroundColor, s.textDecorationColor, s.borderColor].join();
      };
      const resting = look();
      el.classList.add(probe);
      await Promise.all(document.getAnimations().map((a) => a.finished.catch(() => null)));  // transitions done
      if (look() !== resting) {
        const only = {type: 'rule', values: ['color-contrast']};
        const result = await axe.run(el, {resultTypes: ['violations'], runOnly: only});
        for (const v of result.violations) failures.push({state: 'hover', nodes: v.nodes.map((n) => n.target)});
      }
      el.classList.remove(probe);
      await Promise.all(document.getAnimations().map((a) => a.finished.catch(() => null)));
    }
  } finally {
    document.adoptedStyleSheets = adopted;
  }
  return failures;
}"""


def hovered_contrast_violations(page):
    axe_violations(page, only=["color-contrast"])  # loads axe-core if the page has not got it
    return page.evaluate(HOVERED_CONTRAST)


#: What axe-core checked in this run (printed at the end: "axe-core checked N pages ...").
AXE_RUN = {"pages": 0, "violations": 0, "url_names": set()}


def _url_name(url):
    from urllib.parse import urlsplit

    from django.urls import Resolver404, resolve

    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    return match.view_name


@pytest.fixture
def assert_accessible():
    """`assert_accessible(page)`: zero serious or critical axe-core violations on the page, and
    colour contrast met with each control focused and each control hovered, not only in its
    resting state."""

    def _check(page):
        violations = axe_violations(page)
        violations += focused_contrast_violations(page)
        violations += hovered_contrast_violations(page)
        AXE_RUN["pages"] += 1
        AXE_RUN["violations"] += len(violations)
        if name := _url_name(page.url):
            AXE_RUN["url_names"].add(name)
        assert violations == [], f"axe-core violations on {page.url}: {violations}"

    return _check


@pytest.fixture
def journey(page, live_server, client, assert_accessible):
    """`journey(user)` (or `journey(None)` for a visitor): a `tests.journey.Journey` that runs
    axe-core on every page the browser lands on."""
    from tests.journey import Journey

    started = []

    def _start(user):
        if started:  # a second journey in the same test (another user): the first one is over
            started[-1].finish()
        page.context.clear_cookies()
        if user is not None:
            client.force_login(user)
            page.context.add_cookies(
                [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
            )
        started.append(Journey(page, live_server.url, assert_accessible, user=user))
        return started[-1]

    yield _start
    if started:
        started[-1].finish()


def pytest_terminal_summary(terminalreporter):
    if not AXE_RUN["pages"]:
        return
    from tests.walker import get_pages

    terminalreporter.section("accessibility (axe-core)")
    terminalreporter.write_line(
        f"axe-core checked {AXE_RUN['pages']} pages ({len(AXE_RUN['url_names'])} distinct URL patterns): "
        f"{AXE_RUN['violations']} serious or critical violations"
    )
    unvisited = sorted(set(get_pages()) - AXE_RUN["url_names"])
    if unvisited and len(AXE_RUN["url_names"]) > len(unvisited):  # a whole run, not one test
        terminalreporter.write_line(
            "URL patterns no browser test in this run checked (files, JSON and health checks are not pages): "
            + ", ".join(unvisited)
        )


@pytest.fixture(autouse=True)
def _media_root_in_tmp(settings, tmp_path):
    """Files a test stores (generated reports) go to its own temporary folder, never ./media."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def workers(tmp_path):
    """`workers(app="msp", **env)` starts a real Celery worker on this test's database (tests marked `worker`)."""
    from tests.workers import worker_starter

    start, stop_all = worker_starter(tmp_path)
    yield start
    stop_all()


@pytest.fixture(autouse=True, scope="session")
def _flush_past_the_audit_truncate_trigger():
    """Transactional tests end with Django's flush, one TRUNCATE of every table, which the audit
    log's statement trigger refuses (as it must in production). Tests only: the trigger is off
    for the flush and on again right after."""
    from django.core.management.commands import flush
    from django.db import connections

    original = flush.Command.handle

    def handle(self, **options):
        connection = connections[options.get("database") or "default"]
        if connection.vendor != "postgresql":
            return original(self, **options)
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE accounts_auditevent DISABLE TRIGGER accounts_auditevent_no_truncate")
        try:
            return original(self, **options)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ALTER TABLE accounts_auditevent ENABLE TRIGGER accounts_auditevent_no_truncate")

    flush.Command.handle = handle
    yield
    flush.Command.handle = original


@pytest.fixture(autouse=True, scope="session")
def _no_connection_outlives_the_session(django_db_setup, django_db_blocker):
    """Before the test database is dropped, end any PostgreSQL session still connected to it
    (a worker or thread a test left behind would otherwise make the drop fail), and name each
    one on stderr so the leak can be found: it is reported, never silently ignored."""
    import sys

    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, application_name, client_addr, state, left(query, 120) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        others = cursor.fetchall()
        for row in others:
            print(f"conftest: a session outlived the tests and was ended: {row}", file=sys.stderr)
            cursor.execute("SELECT pg_terminate_backend(%s)", [row[0]])
