"""Cost of `accounts.audit.record()` (keyed hash chain + advisory lock), each call committed.

Sequential: 7 batches of 300 calls, each committed on its own as a page view does (median and
fastest batch). Concurrent: 4 threads writing 200 records each as fast as they can, 3 times
(wall time per record; writers that lose the race for the chain head retry). The rows stay
(the audit log is append-only), so run it against a benchmark database. Standalone:
`DATABASE_URL=postgres://... AUDIT_HMAC_KEY=... python -m bench.bench_audit` (docs/security.md
"Audit log integrity" quotes its figures before and after the chain was keyed).
"""

import statistics
import threading
import time

BATCHES = 7
CALLS = 300
THREADS = 4
EACH = 200


def _one(actor, i):
    from accounts import audit
    from accounts.models import AuditAction

    audit.record(actor=actor, action=AuditAction.VIEW, object_type="cases.case", case_id=i, fields=["ref"])


def _writers(actor):
    from django.db import connections

    barrier = threading.Barrier(THREADS)

    def write():
        try:
            barrier.wait()
            for i in range(EACH):
                _one(actor, i)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write) for _ in range(THREADS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return (time.perf_counter() - started) / (THREADS * EACH) * 1000


def run(emit):
    from accounts.models import User

    actor = User.objects.order_by("id").first()
    for i in range(50):  # warm-up: connection, plans
        _one(actor, i)
    batches = []
    for _batch in range(BATCHES):
        started = time.perf_counter()
        for i in range(CALLS):
            _one(actor, i)
        batches.append((time.perf_counter() - started) / CALLS * 1000)
    emit("audit.record_per_call_median", statistics.median(batches), "ms")
    emit("audit.record_per_call_fastest_batch", min(batches), "ms")
    concurrent = [_writers(actor) for _ in range(3)]
    emit(f"audit.record_{THREADS}_writers_wall_per_record_median", statistics.median(concurrent), "ms")


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "msp.settings")
    django.setup()
    run(lambda figure, value, unit: print(f"{figure} {value:.3f} {unit}"))
