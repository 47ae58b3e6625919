"""The Django side of the load test: make the accounts and the work plan, then check the writes.

`python -m bench.load.prepare setup PLAN.json` (DATABASE_URL = the run's copy of the dataset)
creates one synthetic account per simulated user (practitioners spread over the demo teams,
and SAB members), gives each practitioner its own open enquiries (each with a desired outcome
to edit) so simulated users do not edit each other's records, and writes the plan the
locustfile reads. `python -m bench.load.prepare verify PLAN.json RESULTS.json` looks up every
write the simulated users saw acknowledged and prints how many were found.

Synthetic accounts only; the password is random per run (LOAD_PASSWORD) and never printed.
"""

import json
import os
import sys
import time

PRACTITIONER_PREFIX = "loadp"
BOARD_PREFIX = "loadsab"
CASES_PER_USER = 4


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "msp.settings")
    import django

    django.setup()


def setup(plan_path, *, practitioners, board):
    _setup_django()
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from accounts.demo import DEMO_TEAMS, ensure_demo_users
    from accounts.models import Role, Team, TeamMembership, User
    from cases.models import Case, CaseState
    from outcomes.models import DesiredOutcome, DesiredOutcomeRevision, ExpressedBy

    ensure_demo_users()
    # One hash for every load account: hashing is deliberately slow, and these are throwaway.
    password = make_password(os.environ["LOAD_PASSWORD"])
    teams = [Team.objects.get(name=name) for name in DEMO_TEAMS]
    plan = {"practitioners": [], "board": []}
    today = timezone.localdate()
    with transaction.atomic():
        User.objects.filter(username__startswith=PRACTITIONER_PREFIX).update(is_active=False)
        User.objects.filter(username__startswith=BOARD_PREFIX).update(is_active=False)
        taken = set()
        pools = {
            team.pk: list(
                Case.objects.filter(team=team, state=CaseState.ENQUIRY_OPEN, imported=False, restricted=False)
                .order_by("pk")
                .values_list("pk", "ref", "person__legal_name")[: practitioners * CASES_PER_USER]
            )
            for team in teams
        }
        for i in range(practitioners):
            team = teams[i % len(teams)]
            username = f"{PRACTITIONER_PREFIX}{i:03d}"
            user = _account(User, username=username, role=Role.PRACTITIONER, password=password)
            TeamMembership.objects.get_or_create(user=user, team=team)
            mine = [c for c in pools[team.pk] if c[0] not in taken][:CASES_PER_USER]
            if len(mine) < CASES_PER_USER:
                raise SystemExit(f"Not enough open enquiries in {team.name} for {practitioners} simulated users")
            taken.update(c[0] for c in mine)
            cases = []
            for pk, ref, legal_name in mine:
                outcome = DesiredOutcome.objects.filter(case_id=pk).order_by("pk").first()
                if outcome is None:
                    outcome = DesiredOutcome.objects.create(
                        case_id=pk,
                        words="I want to feel safe at home.",
                        expressed_by=ExpressedBy.ADULT,
                        expressed_on=today,
                        recorded_by=user,
                    )
                    DesiredOutcomeRevision.objects.create(
                        outcome=outcome,
                        version=1,
                        words=outcome.words,
                        expressed_by=outcome.expressed_by,
                        expressed_on=outcome.expressed_on,
                        changed_by=user,
                    )
                cases.append({"pk": pk, "ref": ref, "name": legal_name, "outcome": outcome.pk})
            plan["practitioners"].append({"username": username, "cases": cases})
        for i in range(board):
            username = f"{BOARD_PREFIX}{i:02d}"
            _account(User, username=username, role=Role.SAB_MEMBER, password=password)
            plan["board"].append({"username": username})
    with open(plan_path, "w") as f:
        json.dump(plan, f)
    print(f"# {practitioners} practitioner and {board} SAB accounts ready", file=sys.stderr)


def _account(User, *, username, role, password):
    user, _ = User.objects.update_or_create(
        username=username,
        defaults={"first_name": "Load", "last_name": username, "role": role, "is_active": True, "password": password},
    )
    return user


def verify(results_path, *, wait_for_reports=120):
    """Find every acknowledged write; wait (bounded) for acknowledged report requests to finish."""
    _setup_django()
    from outcomes.models import Conversation, DesiredOutcomeRevision
    from reporting.models import ReportRun, ReportStatus

    with open(results_path) as f:
        results = json.load(f)
    acknowledged = results["acknowledged"]
    conversations = set(acknowledged["conversation"])
    edits = set(acknowledged["outcome"])
    runs = set(acknowledged["report"])
    found_conversations = {
        text.split()[0]
        for text in Conversation.objects.filter(what_matters__startswith="LOAD-").values_list("what_matters", flat=True)
    }
    found_edits = {
        text.split()[0]
        for text in DesiredOutcomeRevision.objects.filter(words__startswith="LOAD-").values_list("words", flat=True)
    }
    found_runs = set(ReportRun.objects.filter(pk__in=runs).values_list("pk", flat=True))
    deadline = time.monotonic() + wait_for_reports
    while True:
        statuses = _status_counts(ReportRun, runs)
        unfinished = statuses.get(ReportStatus.QUEUED, 0) + statuses.get(ReportStatus.RUNNING, 0)
        if not unfinished or time.monotonic() > deadline:
            break
        time.sleep(2)
    lost = {
        "conversation": len(conversations - found_conversations),
        "outcome": len(edits - found_edits),
        "report": len(runs - found_runs),
    }
    return {
        "acknowledged": {k: len(v) for k, v in (("conversation", conversations), ("outcome", edits), ("report", runs))},
        "lost": lost,
        "reports": statuses,
    }


def _status_counts(ReportRun, runs):
    from django.db.models import Count

    return {
        row["status"]: row["n"]
        for row in ReportRun.objects.filter(pk__in=runs).values("status").annotate(n=Count("pk")).order_by()
    }


def main(argv):
    command = argv[1] if len(argv) > 1 else ""
    if command == "setup":
        setup(argv[2], practitioners=int(argv[3]), board=int(argv[4]))
    elif command == "verify":
        print(json.dumps(verify(argv[2])))
    else:
        raise SystemExit("usage: python -m bench.load.prepare setup PLAN PRACTITIONERS BOARD | verify RESULTS")


if __name__ == "__main__":
    main(sys.argv)
