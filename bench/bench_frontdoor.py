"""Load check of the public concern form: 50 reports a minute for 2 minutes, one abusive address.

Run: `source /work/helpers/env.sh <name>; .venv/bin/python -m bench.bench_frontdoor` (a script,
not a test). It migrates a scratch database (`BENCH_DATABASE`, default `msp_frontdoor_bench`,
emptied first), starts gunicorn with production settings (DEBUG off, only HTTPS redirects and
secure cookies switched off, as the loopback clients speak plain HTTP) and Redis for the rate
limit counts, then:

- legitimate referrers: `RATE` reports a minute (default 50) for `MINUTES` (default 2), each a
  full walk through every page of the form (a GET for the CSRF cookie, a POST per page, the
  check page, the confirmation), from `ADDRESSES` different loopback addresses (127.0.0.x:
  Linux routes all of 127/8 to the loopback device, so each client really has its own
  address), each address well under the per-address limit;
- one abusive address (127.0.0.250) sending complete reports back to back for the whole run.

It prints the figures and exits 1 unless every legitimate report was accepted with no error,
the abusive address was refused with 429 once it passed the limit, and the database holds
exactly the reports that were acknowledged.
"""

import http.client
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
RATE = int(os.environ.get("RATE", "50"))
MINUTES = float(os.environ.get("MINUTES", "2"))
ADDRESSES = int(os.environ.get("ADDRESSES", "25"))
PORT = int(os.environ.get("BENCH_PORT", "8799"))
DATABASE = os.environ.get("BENCH_DATABASE", "msp_frontdoor_bench")
ABUSER = "127.0.0.250"
#: Browsers the abusive address runs at once (a script sending reports in parallel).
ABUSIVE_BROWSERS = int(os.environ.get("ABUSIVE_BROWSERS", "4"))
#: The per-address limit of finished reports for the run: each legitimate address sends
#: RATE * MINUTES / ADDRESSES (4 by default), so 5 an hour never stops one, while the abusive
#: address passes it within the run even on a slow, shared machine. (Production: 10/h.)
SUBMIT_RATE = os.environ.get("BENCH_SUBMIT_RATE", "5/h")

sys.path.insert(0, str(ROOT))
from frontdoor.tests.walk import PUBLIC  # noqa: E402  (the synthetic answers the tests use)

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REFERENCE = re.compile(r"RC-[0-9A-Z]{4}-[0-9A-Z]{4}")


class Browser:
    """One referrer's browser: its own loopback address, its own cookies."""

    def __init__(self, address):
        self.address = address
        self.cookies = {}

    def request(self, method, path, data=None):
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60, source_address=(self.address, 0))
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        connection.close()
        return response.status, response.getheader("Location", ""), text

    def report(self):
        """Walk the whole form; ("sent", reference) / ("limited", None) / ("error", what)."""
        status, _, page = self.request("GET", "/report-a-concern/danger/")
        if status != 200:
            return "error", f"GET danger {status}"
        token = CSRF.search(page).group(1)
        for slug, answers in PUBLIC.items():
            status, location, _ = self.request(
                "POST", f"/report-a-concern/{slug}/", {**answers, "csrfmiddlewaretoken": token}
            )
            if status == 429:
                return "limited", None
            if status != 302:
                return "error", f"POST {slug} {status}"
        status, location, _ = self.request("POST", "/report-a-concern/check/", {"csrfmiddlewaretoken": token})
        if status == 429:
            return "limited", None
        if status != 302 or not location.endswith("/report-a-concern/done/"):
            return "error", f"POST check {status}"
        status, _, page = self.request("GET", "/report-a-concern/done/")
        found = REFERENCE.search(page)
        if status != 200 or not found:
            return "error", f"GET done {status}"
        return "sent", found.group(0)


def _environment():
    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "msp.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "DATABASE_URL": f"{base}/{DATABASE}",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "WARNING",
        "STATIC_MANIFEST": "false",
        "FRONT_DOOR_SUBMIT_RATE": SUBMIT_RATE,
    }


def _prepare(env):
    admin = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
    for sql in (f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)", f"CREATE DATABASE {DATABASE}"):
        subprocess.run(["psql", admin, "-qc", sql], check=True)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    import redis

    client = redis.Redis.from_url(env["REDIS_URL"])
    stale = list(client.scan_iter("ratelimit:*"))
    if stale:
        client.delete(*stale)


def _count_submissions(env):
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c",
         "from frontdoor.models import Submission; print(Submission.objects.count())"],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return int(out.stdout.strip().splitlines()[-1])


def main():
    env = _environment()
    _prepare(env)
    # The server's log goes to a file: a pipe nobody reads fills up (64 KiB of refusal lines)
    # and then blocks every worker writing to it, which looks like a server that stopped answering.
    log = tempfile.NamedTemporaryFile("w+", prefix="frontdoor-bench-", suffix=".log", delete=False)  # noqa: SIM115 (open for the server's life)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "msp.wsgi:application", "--bind", f"127.0.0.1:{PORT}",
         "--workers", os.environ.get("WEB_CONCURRENCY", "2"), "--threads", "4", "--worker-class", "gthread"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                Browser("127.0.0.1").request("GET", "/health/")
                break
            except OSError:
                time.sleep(0.2)
        results, abuse, lock = [], [], threading.Lock()
        stop = threading.Event()

        def legitimate(number):
            started = time.perf_counter()
            try:
                outcome = Browser(f"127.0.0.{10 + number % ADDRESSES}").report()
            except Exception as exc:  # a refused connection or a timeout is an error of the run
                outcome = ("error", type(exc).__name__)
            with lock:
                results.append((outcome, time.perf_counter() - started))

        def abusive():
            browser = Browser(ABUSER)
            while not stop.is_set():
                try:
                    outcome = browser.report()
                except Exception as exc:
                    outcome = ("error", type(exc).__name__)
                with lock:
                    abuse.append(outcome)
                browser.cookies.clear()

        total = int(RATE * MINUTES)
        interval = 60 / RATE
        abusers = [threading.Thread(target=abusive) for _ in range(ABUSIVE_BROWSERS)]
        began = time.perf_counter()
        for thread in abusers:
            thread.start()
        # Enough threads that a slow server never delays the arrivals: they keep to the rate.
        with ThreadPoolExecutor(max_workers=max(RATE, 16)) as pool:
            for number in range(total):
                pool.submit(legitimate, number)
                time.sleep(max(0, began + (number + 1) * interval - time.perf_counter()))
            arrivals = time.perf_counter() - began
        stop.set()
        for thread in abusers:
            thread.join()
        elapsed = time.perf_counter() - began
        stored = _count_submissions(env)
    finally:
        server.terminate()
        try:
            server.wait(timeout=45)  # gunicorn's graceful stop waits up to 30 s for its workers
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)

    sent = [t for (kind, _), t in results if kind == "sent"]
    errors = [what for (kind, what), _ in results if kind != "sent"]
    abuse_sent = sum(1 for kind, _ in abuse if kind == "sent")
    abuse_limited = sum(1 for kind, _ in abuse if kind == "limited")
    abuse_errors = [what for kind, what in abuse if kind == "error"]
    first_limited = next((i + 1 for i, (kind, _) in enumerate(abuse) if kind == "limited"), None)
    print(f"Front door load check: {total} reports started over {arrivals:.0f} s "
          f"({total / arrivals * 60:.1f} a minute) "
          f"from {ADDRESSES} loopback addresses, all answered after {elapsed:.0f} s; each report is "
          f"{len(PUBLIC) + 3} requests; per-address limit {SUBMIT_RATE}; load average at the end "
          f"{os.getloadavg()[0]:.1f}")  # fmt: skip
    print(f"  legitimate: {len(sent)} accepted, {len(errors)} errors {sorted(set(errors)) if errors else ''}")
    if sent:
        p95 = statistics.quantiles(sent, n=20, method="inclusive")[-1] if len(sent) > 1 else sent[0]
        print(f"  time per whole report: median {statistics.median(sent) * 1000:.0f} ms, "
              f"95th percentile {p95 * 1000:.0f} ms, slowest {max(sent) * 1000:.0f} ms")  # fmt: skip
    print(f"  abusive address {ABUSER}: {len(abuse)} attempts, {abuse_sent} accepted, {abuse_limited} refused "
          f"with 429 (first refusal at attempt {first_limited}), {len(abuse_errors)} errors")  # fmt: skip
    print(f"  reports in the database: {stored} (acknowledged: {len(sent) + abuse_sent})")
    log.close()
    print(f"  server log: {log.name} ({Path(log.name).read_text().count(chr(10))} lines)")
    ok = not errors and len(sent) == total and abuse_limited > 0 and not abuse_errors
    ok = ok and stored == len(sent) + abuse_sent
    print("  result:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
