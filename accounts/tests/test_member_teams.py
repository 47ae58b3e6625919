"""The teams a user works in, read once per request (`access.member_team_ids`): the cache must
never let a request act on memberships that have changed, nor one user's teams serve another."""

from django.urls import reverse

from accounts import access
from accounts.models import Role, TeamMembership
from accounts.tests.factories import TeamFactory, UserFactory
from cases.models import Case


def test_outside_a_request_every_call_reads_the_memberships(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert access.member_team_ids(world.manager) == (world.team_a.pk,)
    with django_assert_num_queries(1):
        access.member_team_ids(world.manager)


def test_inside_a_request_they_are_read_once_per_user(world, django_assert_num_queries):
    with access.request_teams(), django_assert_num_queries(2):
        for _ in range(3):
            assert access.member_team_ids(world.manager) == (world.team_a.pk,)
            assert access.member_team_ids(world.manager_b) == (world.team_b.pk,)


def test_a_membership_removed_during_the_request_stops_the_scope_at_once(world):
    with access.request_teams():
        assert Case.objects.filter(access.team_scope(world.manager)).filter(pk=world.case.pk).exists()
        TeamMembership.objects.filter(user=world.manager, team=world.team_a).delete()
        assert access.member_team_ids(world.manager) == ()
        assert not Case.objects.filter(access.team_scope(world.manager)).exists()


def test_a_membership_added_during_the_request_is_seen(world):
    other = TeamFactory(name="East Team")
    with access.request_teams():
        assert access.member_team_ids(world.manager) == (world.team_a.pk,)
        TeamMembership.objects.create(user=world.manager, team=other)
        assert sorted(access.member_team_ids(world.manager)) == sorted([world.team_a.pk, other.pk])


def test_the_cache_ends_with_the_request(world, django_assert_num_queries):
    with access.request_teams():
        access.member_team_ids(world.manager)
    with django_assert_num_queries(1):
        access.member_team_ids(world.manager)


def test_no_memberships_scope_to_nothing(db):
    loner = UserFactory(role=Role.MANAGER)
    with access.request_teams():
        assert access.member_team_ids(loner) == ()
        assert not Case.objects.filter(access.team_scope(loner)).exists()


def test_pages_read_each_users_own_teams(world, login):
    """Two users' requests one after the other: each sees its own team's cases only."""
    assert world.case.ref in login(world.manager).get(reverse("workspace:cases")).content.decode()
    assert world.case.ref not in login(world.manager_b).get(reverse("workspace:cases")).content.decode()
