"""Every health check answers a signed-in user who has not yet verified 2FA as it answers anyone."""

import pytest
from django.urls import get_resolver, reverse

from accounts.models import Role
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HEALTH_CHECKS = sorted(
    name for name in get_resolver().reverse_dict if isinstance(name, str) and name.startswith("health")
)


def test_the_health_checks_are_all_found():
    assert HEALTH_CHECKS == ["health", "health_ready", "health_workers"]


@pytest.mark.parametrize("name", HEALTH_CHECKS)
def test_a_health_check_is_not_redirected_to_two_factor_for_an_unverified_user(client, settings, name):
    settings.REDIS_URL = ""
    anonymous = client.get(reverse(name))
    settings.REQUIRE_2FA = True
    client.force_login(UserFactory(username="una", role=Role.PRACTITIONER))  # signed in, not verified
    signed_in = client.get(reverse(name))
    assert signed_in.status_code == anonymous.status_code == 200
    assert signed_in.content == anonymous.content
