"""Reminders on the benchmark dataset: the header bell's query and time on a page, the sweep
over every open case, and the daily digest for 500 users.

Prints:

- `notifications.sweep_s`: one `notifications.services.sweep()` over the whole dataset, and
  `notifications.items` the rows it leaves (the dataset's due and overdue work);
- `notifications.header_count_ms` (median of 50) and `notifications.header_count.queries` (must be 1):
  the bell's COUNT for the practitioner, the busiest manager and the lead, and
  `notifications.unread.<who>` the exact number of unread items it counts up to 99+ of;
- `page.notifications.cases_list.<who>` and `page.notifications.list.<who>` with their queries;
- `notifications.digest_500_users_s`: `send_digests()` for 500 users with 6 items each
  (locmem mail backend; target: under a minute) and `notifications.digests_sent`.

Everything it writes (the sweep's rows, the 500 users, their digests) is rolled back.
"""

import statistics
import sys
import time

from bench import harness


class _Rollback(Exception):
    pass


def run(emit):
    from django.conf import settings
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from accounts.models import Role, User
    from notifications import digest, services
    from notifications.models import Kind, Notification
    from notifications.selectors import unread_count

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    users = {u.username: u for u in User.objects.filter(username__in=["lead", "manager", "practitioner"])}
    try:
        with transaction.atomic():
            started = time.perf_counter()
            services.sweep()
            emit("notifications.sweep_s", time.perf_counter() - started, "s")
            emit("notifications.items", Notification.objects.count(), "rows")
            for who, user in users.items():
                timings = []
                for _ in range(50):
                    with CaptureQueriesContext(connection) as queries:
                        started = time.perf_counter()
                        unread_count(user)
                        timings.append((time.perf_counter() - started) * 1000)
                emit(f"notifications.header_count_ms.{who}", statistics.median(timings), "ms")
                emit(f"notifications.header_count.queries.{who}", len(queries), "queries")
                emit(f"notifications.unread.{who}", unread_count(user, cap=None), "items")
                client = harness.signed_in_client(user)
                harness.time_page(emit, f"notifications.cases_list.{who}", client, reverse("cases:list"))
                harness.time_page(emit, f"notifications.list.{who}", client, reverse("notifications:list"))

            # 500 users with something due: bulk rows, then the digest run as beat would.
            Notification.objects.all().delete()
            User.objects.bulk_create(
                [
                    User(username=f"bench-digest-{n}", email=f"digest-{n}@example.invalid", role=Role.PRACTITIONER)
                    for n in range(500)
                ]
            )
            made = list(User.objects.filter(username__startswith="bench-digest-"))
            kinds = [Kind.PLAN_ACTION_DUE, Kind.FOLLOWUP_DUE, Kind.DECISION_DUE]
            today = _working_day()
            Notification.objects.bulk_create(
                [
                    Notification(
                        user=user, kind=kinds[n % 3], source_type="bench", source_id=user.pk * 10 + n,
                        why="Benchmark item.", due_on=today,
                    )
                    for user in made
                    for n in range(6)
                ],
                batch_size=2000,
            )  # fmt: skip
            started = time.perf_counter()
            sent = digest.send_digests(today=today)
            emit("notifications.digest_500_users_s", time.perf_counter() - started, "s")
            emit("notifications.digests_sent", sent or 0, "mails")
            raise _Rollback
    except _Rollback:
        print("# notifications: everything written was rolled back", file=sys.stderr)


def _working_day():
    import datetime

    from django.utils import timezone

    from cases.working_days import is_working_day

    day = timezone.localdate()
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day
