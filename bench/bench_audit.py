"""Cost of `accounts.audit.record()` (hash chain + advisory lock), 1,000 calls each committed.

Each call commits on its own, as a page view does. The rows stay (the audit log is
append-only), so run it against a benchmark database. Standalone:
`DATABASE_URL=postgres://... python -m bench.bench_audit`.
"""

import time

CALLS = 1000


def run(emit):
    from accounts import audit
    from accounts.models import AuditAction, User

    actor = User.objects.order_by("id").first()
    audit.record(actor=actor, action=AuditAction.VIEW, object_type="bench.warmup")
    started = time.perf_counter()
    for i in range(CALLS):
        audit.record(actor=actor, action=AuditAction.VIEW, object_type="cases.case", case_id=i, fields=["ref"])
    seconds = time.perf_counter() - started
    emit(f"audit.record_{CALLS}_calls", seconds, "s")
    emit("audit.record_per_call", seconds / CALLS * 1000, "ms")


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "msp.settings")
    django.setup()
    run(lambda figure, value, unit: print(f"{figure} {value:.4f} {unit}"))
