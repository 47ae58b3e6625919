import pytest

from accounts.demo import DEMO_PASSWORD
from accounts.models import Role
from accounts.tests.factories import TeamFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_practitioner_signs_in_with_the_form_and_reaches_my_work(page, live_server, assert_accessible):
    UserFactory(
        username="browserpat", role=Role.PRACTITIONER, teams=[TeamFactory(name="North")], password=DEMO_PASSWORD
    )
    page.goto(live_server.url + "/")
    assert page.get_by_role("heading", name="Sign in").is_visible()
    assert_accessible(page)
    page.get_by_label("Username").fill("browserpat")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="My work", level=1).wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="Sign in").wait_for()
