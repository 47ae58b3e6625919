"""`make loadtest`: gunicorn + PostgreSQL + Redis + a Celery worker on this machine, driven by locust.

Steps: make (once) the dataset `msp_load_<CASES>` with `generate_demo_data --seed 1` (the
benchmark harness), copy it to a scratch database `LOAD_DATABASE` for this run, create one
synthetic account per simulated user, start gunicorn and a Celery worker (production settings:
DEBUG off, a random SECRET_KEY, HTTPS-only cookies behind a proxy; only 2FA is off), run locust
headless on 127.0.0.1 for DURATION, then look up every acknowledged write and print the table.
Everything it starts is stopped on the way out, also on Ctrl-C or an error. See docs/performance.md "Load test".
"""

import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
USERS = int(os.environ.get("USERS", "100"))
DURATION = os.environ.get("DURATION", "5m")
CASES = int(os.environ.get("CASES", "100000"))
SPAWN_RATE = os.environ.get("SPAWN_RATE", "2")
THINK = os.environ.get("LOAD_THINK", "2-8")
PORT = int(os.environ.get("LOAD_PORT", "8765"))
WEB_WORKERS = os.environ.get("WEB_CONCURRENCY", "3")
WEB_THREADS = os.environ.get("WEB_THREADS", "4")
WEB_WORKER_CLASS = os.environ.get("WEB_WORKER_CLASS", "gthread")
KEEP_ALIVE = os.environ.get("KEEP_ALIVE", "75")
CELERY_CONCURRENCY = os.environ.get("CELERY_CONCURRENCY", "1")
DATASET = f"msp_load_{CASES}"
RUN_DATABASE = os.environ.get("LOAD_DATABASE", "msp_load_run")
REDIS_URL = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/15")
TARGET_MS = {"read": 500, "write": 800}


def board_users(users):
    """SAB members among the simulated users: one in twenty (at least one)."""
    return max(1, users // 20)


def _run_env(secret_key):
    from bench import harness

    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "msp.settings",
        "DEBUG": "false",
        "SECRET_KEY": secret_key,
        # Fixed, not per run: the reused dataset's audit rows must verify in every run.
        "AUDIT_HMAC_KEY": os.environ.get("AUDIT_HMAC_KEY", "load-test-only-audit-key-not-for-production-0123456789"),
        "ALLOWED_HOSTS": "127.0.0.1",
        "BEHIND_PROXY": "true",
        "REQUIRE_2FA": "false",  # the only production setting the load run changes
        "DATABASE_URL": harness.database_url(RUN_DATABASE),
        "REDIS_URL": REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60"),
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO"),
    }


def _start(args, env, log, name):
    with open(log, "w") as out:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    print(f"# started {name} (pid {process.pid}; log {log})", file=sys.stderr)
    return process


def _stop(process):
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    except ProcessLookupError:
        pass


def _wait_ready(url, worker_log, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200 and " ready." in Path(worker_log).read_text():
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"gunicorn or the worker did not become ready in {timeout} s")


def _purge_queue():
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.delete("celery", "unacked", "unacked_index")  # stale tasks from an earlier run
    client.close()


def percentile(values, p):
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))]


class LockSampler:
    """Samples pg_stat_activity twice a second: backends of the run's database waiting for an
    advisory lock (the audit log's hash chain is the only blocking one) and backends busy."""

    def __init__(self):
        import threading

        self.samples, self._stop = [], threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        import psycopg2

        from bench import harness

        conn = psycopg2.connect(host=harness.HOST, port=harness.PORT, user="postgres", dbname=RUN_DATABASE)
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                while not self._stop.wait(0.5):
                    cur.execute(
                        "SELECT count(*) FILTER (WHERE wait_event = 'advisory'),"
                        " count(*) FILTER (WHERE state = 'active') FROM pg_stat_activity"
                        " WHERE datname = %s AND pid <> pg_backend_pid()",
                        [RUN_DATABASE],
                    )
                    self.samples.append(cur.fetchone())
        finally:
            conn.close()

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        self._thread.join(timeout=5)


def _rows(samples, since=0.0):
    rows = {}
    for name, ms, failed, at in samples:
        if at < since and not name.startswith("sign"):
            continue
        row = rows.setdefault(name, {"times": [], "errors": 0})
        row["times"].append(ms)
        row["errors"] += int(failed)
    return rows


def report(results, verified, elapsed, locks):
    kinds = results["kinds"]
    ramp = results["all_spawned"] or 0.0
    whole, steady = _rows(results["samples"]), _rows(results["samples"], since=ramp)
    order = [name for name in kinds if name in whole] + sorted(set(whole) - set(kinds))
    total = sum(len(r["times"]) for name, r in whole.items() if name != "report turnaround")
    errors = sum(r["errors"] for r in whole.values())
    lost = sum(verified["lost"].values())
    print()
    print(f"After all users had signed in ({ramp:.0f} s into the run); sign-in rows cover the whole run.")
    print("| action | kind | requests | p50 ms | p95 ms | errors | p95 target | p95 whole run incl. sign-in ramp |")
    print("|---|---|---:|---:|---:|---:|---|---:|")
    figures, missed = [], []
    for name in order:
        row, kind = steady.get(name) or whole[name], kinds.get(name, "other")
        p50, p95 = statistics.median(row["times"]), percentile(row["times"], 95)
        target = TARGET_MS.get(kind)
        verdict = "" if target is None else (f"< {target}: met" if p95 < target else f"< {target}: MISSED")
        if target is not None and p95 >= target:
            missed.append(name)
        whole_p95 = percentile(whole[name]["times"], 95)
        print(
            f"| {name} | {kind} | {len(row['times'])} | {p50:.0f} | {p95:.0f} | {whole[name]['errors']} "
            f"| {verdict} | {whole_p95:.0f} |"
        )
        slug = name.replace(" ", "_")
        figures += [(f"load.{slug}.p50", f"{p50:.0f}", "ms"), (f"load.{slug}.p95", f"{p95:.0f}", "ms")]
        figures.append((f"load.{slug}.requests", len(row["times"]), "requests"))
    error_rate = 100 * errors / max(1, total)
    print()
    print(f"requests: {total} in {elapsed:.0f} s ({total / elapsed:.1f}/s); errors: {errors} ({error_rate:.2f} %)")
    ack = verified["acknowledged"]
    print(
        f"acknowledged writes: {ack['conversation']} conversations, {ack['outcome']} outcome edits, "
        f"{ack['report']} report requests; lost: {lost}; outcome edit conflicts: {results['conflicts']['outcome']}"
    )
    waiting = [w for w, _ in locks.samples] or [0]
    active = [a for _, a in locks.samples] or [0]
    print(
        f"backends waiting for the audit chain lock: mean {statistics.mean(waiting):.2f}, max {max(waiting)}; "
        f"active backends: mean {statistics.mean(active):.2f}, max {max(active)} ({len(locks.samples)} samples)"
    )
    print(f"report runs after the test: {verified['reports']}; audit chain: {verified.get('audit', '?')}")
    print(f"uptime: {os.popen('uptime').read().strip()}")
    print()
    figures += [
        ("load.requests", total, "requests"),
        ("load.throughput", f"{total / elapsed:.1f}", "requests/s"),
        ("load.errors", errors, "errors"),
        ("load.error_rate", f"{error_rate:.2f}", "%"),
        ("load.acknowledged_writes", sum(ack.values()), "writes"),
        ("load.lost_writes", lost, "writes"),
        ("load.audit_lock_waiters_mean", f"{statistics.mean(waiting):.2f}", "backends"),
        ("load.audit_lock_waiters_max", max(waiting), "backends"),
    ]
    for figure in figures:
        print(*figure)
    return errors, lost, missed


def main():
    from bench import harness

    secret_key = secrets.token_urlsafe(50)
    password = secrets.token_urlsafe(18)
    env = _run_env(secret_key)
    workdir = Path(tempfile.mkdtemp(prefix="msp-load-"))
    env["MEDIA_ROOT"] = str(workdir / "media")
    plan, results_path = workdir / "plan.json", workdir / "results.json"
    board = board_users(USERS)
    print(f"# {USERS} users ({board} SAB members), {DURATION}, {CASES:,} cases; logs in {workdir}", file=sys.stderr)

    # The dataset (generated once, reused while its marker matches), then a fresh copy for this run.
    subprocess.run(
        [sys.executable, "-c", "from bench import harness; harness.prepare()"],
        cwd=ROOT, env={**env, "CASES": str(CASES), "BENCH_DATABASE": DATASET}, check=True,
    )  # fmt: skip
    harness.create_database(RUN_DATABASE, template=DATASET)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [sys.executable, "-m", "bench.load.prepare", "setup", str(plan), str(USERS), str(board)],
        cwd=ROOT, env={**env, "LOAD_PASSWORD": password}, check=True,
    )  # fmt: skip
    _purge_queue()

    started = []
    try:
        started.append(
            _start(
                [sys.executable, "-m", "gunicorn", "msp.wsgi:application", "--bind", f"127.0.0.1:{PORT}",
                 "--workers", WEB_WORKERS, "--threads", WEB_THREADS, "--worker-class", WEB_WORKER_CLASS,
                 "--keep-alive", KEEP_ALIVE,
                 "--forwarded-allow-ips", "127.0.0.1", "--access-logfile", str(workdir / "access.log"),
                 "--logger-class", "accounts.jsonlog.JsonAccessLogger"],
                env, workdir / "gunicorn.log", "gunicorn",
            )
        )  # fmt: skip
        worker_log = workdir / "worker.log"
        started.append(
            _start(
                [sys.executable, "-m", "celery", "-A", "msp", "worker", "-l", "INFO", "--concurrency",
                 CELERY_CONCURRENCY, "-n", f"load-{os.getpid()}@%h", "--without-gossip", "--without-mingle"],
                env, worker_log, "celery worker",
            )
        )  # fmt: skip
        _wait_ready(f"http://127.0.0.1:{PORT}/health/ready/", worker_log)
        locust_env = {
            **os.environ,
            "LOAD_PLAN": str(plan),
            "LOAD_PASSWORD": password,
            "LOAD_RESULTS": str(results_path),
            "LOAD_THINK": THINK,
        }
        began = time.monotonic()
        locks = LockSampler().start()
        locust = _start(
            [sys.executable, "-m", "locust", "-f", str(ROOT / "bench/load/locustfile.py"), "--headless",
             "-u", str(USERS), "-r", SPAWN_RATE, "-t", DURATION, "--host", f"http://127.0.0.1:{PORT}",
             "--only-summary", "--stop-timeout", "10", "--exit-code-on-error", "0"],
            locust_env, workdir / "locust.log", "locust",
        )  # fmt: skip
        started.append(locust)
        locust.wait()
        elapsed = time.monotonic() - began
        locks.stop()
        print("# locust finished; checking the writes (waiting up to 120 s for queued reports)", file=sys.stderr)
        results = json.loads(results_path.read_text())
        verified = json.loads(
            subprocess.run(
                [sys.executable, "-m", "bench.load.prepare", "verify", str(results_path)],
                cwd=ROOT, env=env, check=True, capture_output=True, text=True,
            ).stdout
        )  # fmt: skip
        audit = subprocess.run(
            [*manage, "verify_audit_log"], cwd=ROOT, env=env, capture_output=True, text=True
        )  # fmt: skip
        verified["audit"] = audit.stdout.strip().splitlines()[-1] if audit.returncode == 0 else "BROKEN"
    finally:
        for process in reversed(started):
            _stop(process)
        print("# stopped everything this run started", file=sys.stderr)
    errors, lost, missed = report(results, verified, elapsed, locks)
    if missed:
        print(f"# p95 target missed for: {', '.join(missed)}", file=sys.stderr)
    if errors or lost or verified["audit"] == "BROKEN":
        raise SystemExit(1)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


if __name__ == "__main__":
    # Ctrl-C and SIGTERM both end the run through main()'s `finally`, which stops what it started
    # (SIGINT explicitly too: a shell starting this in the background would have it ignored).
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)
    try:
        main()
    except KeyboardInterrupt:
        raise SystemExit("# interrupted: everything this run started has been stopped") from None
