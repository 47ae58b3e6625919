"""The vocabulary of the URL access tables.

Each app lists every URL it serves in `<app>/tests/access_table.py` as `ACCESS = {name: Rule}`;
`test_url_access.py` walks every URL pattern as every actor and checks the status. A URL that
is not in a table fails the walk, so nothing ships without a decision about who may use it.
"""

from dataclasses import dataclass, field

ACTORS = (
    "anonymous",
    "practitioner",
    "colleague",
    "outsider",
    "manager",
    "manager_b",
    "lead",
    "sab_member",
    "sysadmin",
)


@dataclass(frozen=True)
class Rule:
    expect: dict
    kwargs: object = None  # callable(world) -> URL kwargs
    method: str = "get"
    data: object = field(default=None)  # callable(world) -> POST data


def statuses(default, **overrides):
    unknown = set(overrides) - set(ACTORS)
    assert not unknown, f"unknown actors {unknown}"
    result = dict.fromkeys(ACTORS, default)
    result["anonymous"] = 302
    result.update(overrides)
    return result


def case_workers(status=200, *, outsider=404, manager_b=404, **overrides):
    """A page about one case of team A: its team and leads see it, other teams get 404."""
    return statuses(status, outsider=outsider, manager_b=manager_b, sab_member=403, sysadmin=403, **overrides)


def case_managers(status=200, **overrides):
    """A manager's page about one case of team A."""
    return case_workers(status, practitioner=403, colleague=403, outsider=403, **overrides)


def role_page(status, allowed, **overrides):
    """A page not about one case: 403 for every signed-in role not in `allowed`."""
    base = {actor: (status if actor in allowed else 403) for actor in ACTORS}
    base["anonymous"] = 302
    base.update(overrides)
    return base


CASE_WORKER_ACTORS = ("practitioner", "colleague", "outsider", "manager", "manager_b", "lead")
MANAGER_ACTORS = ("manager", "manager_b", "lead")
REPORT_ACTORS = ("sab_member", "lead")
USER_ADMIN_ACTORS = ("sysadmin", "lead")
