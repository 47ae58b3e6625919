"""Simulated users for `make loadtest` (run by bench/load/run.py; not a Django module).

Practitioners sign in through the real login form, then repeat a weighted mix: search the
case list (the form POSTs and redirects with a token), open one of their cases (case page and
MSP record), record a conversation, change a desired outcome (with its version, as the form
does). SAB members request a report and poll its status like the report page does.

Every request is sent as if through the TLS-terminating proxy the production settings expect
(`X-Forwarded-Proto: https`, `BEHIND_PROXY=true`), so HTTPS redirects, Secure cookies and the
CSRF origin check stay switched on. Every write carries a unique marker; the ones the app
acknowledged (302 to the record, then 200) are written to LOAD_RESULTS for the lost-write check.
"""

import datetime
import http.cookiejar
import itertools
import json
import os
import random
import re
import time
import uuid

from locust import HttpUser, between, events, task

with open(os.environ["LOAD_PLAN"]) as _plan:
    PLAN = json.load(_plan)
PASSWORD = os.environ["LOAD_PASSWORD"]
RESULTS = os.environ["LOAD_RESULTS"]
THINK = tuple(float(x) for x in os.environ.get("LOAD_THINK", "2-8").split("-"))
BOARD_THINK = tuple(float(x) for x in os.environ.get("LOAD_BOARD_THINK", f"{THINK[0] * 3}-{THINK[1] * 3}").split("-"))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')

# name -> "read" | "write" | "other"; the table in run.py groups by this.
KIND = {
    "sign-in page": "other",
    "sign in": "other",
    "case list": "read",
    "search": "read",
    "open case": "read",
    "enquiry record": "read",
    "conversation form": "read",
    "add conversation": "write",
    "outcome form": "read",
    "edit outcome": "write",
    "report form": "read",
    "request report": "write",
    "report status": "read",
    "report turnaround": "other",
}

samples = []  # (name, ms, failed, seconds since the start)
phase = {"started": time.monotonic(), "all_spawned": None}
acknowledged = {"conversation": [], "outcome": [], "report": []}
conflicts = {"outcome": 0}
_practitioners = itertools.count()
_board = itertools.count()


class _LoopbackTLSPolicy(http.cookiejar.DefaultCookiePolicy):
    """Keep Secure cookies for the loopback server, which stands in for the TLS proxy's upstream.

    The client speaks plain HTTP to 127.0.0.1 while the app sees `X-Forwarded-Proto: https`;
    a browser would reach the proxy over HTTPS and send these cookies back, so this client
    stores them without the flag (requests copies the jar per request, dropping any policy).
    """

    def set_ok(self, cookie, request):
        cookie.secure = False
        return super().set_ok(cookie, request)


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, **kwargs):
    samples.append((name, response_time, exception is not None, time.monotonic() - phase["started"]))


@events.spawning_complete.add_listener
def _all_spawned(user_count, **kwargs):
    phase["all_spawned"] = time.monotonic() - phase["started"]


@events.quitting.add_listener
def _write_results(environment, **kwargs):
    with open(RESULTS, "w") as f:
        json.dump(
            {
                "samples": samples,
                "all_spawned": phase["all_spawned"],
                "acknowledged": acknowledged,
                "conflicts": conflicts,
                "kinds": KIND,
            },
            f,
        )


class _SignedIn(HttpUser):
    abstract = True
    wait_time = between(*THINK)

    def on_start(self):
        self.client.cookies.set_policy(_LoopbackTLSPolicy())
        base = self.host.rstrip("/")
        self.client.headers.update({"X-Forwarded-Proto": "https", "Origin": base.replace("http://", "https://")})
        page = self.client.get("/account/login/", name="sign-in page")
        with self.client.post(
            "/account/login/",
            data={"username": self.account["username"], "password": PASSWORD, "csrfmiddlewaretoken": _token(page)},
            headers=self._referer("/account/login/"),
            name="sign in",
            catch_response=True,
        ) as response:
            if "/account/login/" in response.url or not response.history:
                response.failure(f"sign-in refused ({response.status_code})")
                raise RuntimeError("sign-in refused")

    def _referer(self, path):
        return {"Referer": self.host.rstrip("/").replace("http://", "https://") + path}

    def _form(self, path, name):
        with self.client.get(path, name=name, catch_response=True) as response:
            token = _token(response)
            if response.status_code != 200 or not token:
                response.failure(f"form not shown ({response.status_code})")
                return None, response
        return token, response

    def _post(self, path, data, name, *, expect):
        """POST a form; success is a redirect whose target matches `expect` and answers 200."""
        with self.client.post(path, data=data, headers=self._referer(path), name=name, catch_response=True) as r:
            ok = r.status_code == 200 and r.history and r.history[0].status_code == 302 and re.search(expect, r.url)
            if not ok:
                r.failure(f"not saved ({r.status_code}, {r.url})")
            return r, bool(ok)


class Practitioner(_SignedIn):
    weight = 19

    def on_start(self):
        self.account = PLAN["practitioners"][next(_practitioners) % len(PLAN["practitioners"])]
        super().on_start()

    def _case(self):
        return random.choice(self.account["cases"])

    @task(6)
    def search(self):
        case = self._case()
        token, _ = self._form("/cases/", "case list")
        if token is None:
            return
        text = random.choice([case["name"], case["name"].split()[-1], case["ref"]])
        data = {"q": text, "csrfmiddlewaretoken": token}
        if random.random() < 0.3:
            data["stage"] = "enquiry_open"
        with self.client.post(
            "/cases/", data=data, headers=self._referer("/cases/"), name="search", catch_response=True
        ) as r:
            if r.status_code != 200 or "s=" not in r.url:
                r.failure(f"search failed ({r.status_code})")

    @task(6)
    def open_case(self):
        case = self._case()
        self.client.get(f"/cases/{case['pk']}/", name="open case")
        self.client.get(f"/outcomes/case/{case['pk']}/", name="enquiry record")

    @task(3)
    def add_conversation(self):
        case = self._case()
        path = f"/outcomes/case/{case['pk']}/conversations/new/"
        token, _ = self._form(path, "conversation form")
        if token is None:
            return
        marker = f"LOAD-{uuid.uuid4().hex}"
        today = datetime.date.today()
        data = {
            "csrfmiddlewaretoken": token,
            "held_on": today.isoformat(),
            "mode": random.choice(["face_to_face", "phone", "video"]),
            "with_adult": "on",
            "spoken_to_alone": "True",
            "what_matters": f"{marker} I want to stay in my own home and choose who visits.",
            "outcomes_discussion": "expressed",
            "next_steps": "Visit again next week with the advocate.",
            "next_contact_on": (today + datetime.timedelta(days=7)).isoformat(),
        }
        _, ok = self._post(path, data, "add conversation", expect=rf"/outcomes/case/{case['pk']}/$")
        if ok:
            acknowledged["conversation"].append(marker)

    @task(3)
    def edit_outcome(self):
        case = self._case()
        path = f"/outcomes/desired-outcomes/{case['outcome']}/edit/"
        token, page = self._form(path, "outcome form")
        if token is None:
            return
        version = VERSION.search(page.text)
        marker = f"LOAD-{uuid.uuid4().hex}"
        data = {
            "csrfmiddlewaretoken": token,
            "words": f"{marker} I want to feel safe when my nephew visits.",
            "expressed_by": "adult",
            "expressed_on": datetime.date.today().isoformat(),
            "change_reason": "The person said it differently at today's visit.",
            "version": version.group(1) if version else "",
        }
        with self.client.post(
            path, data=data, headers=self._referer(path), name="edit outcome", catch_response=True
        ) as r:
            if r.status_code == 200 and r.history and re.search(rf"/outcomes/case/{case['pk']}/$", r.url):
                acknowledged["outcome"].append(marker)
            elif r.status_code == 200 and "Someone else changed this outcome" in r.text:
                conflicts["outcome"] += 1  # the app's answer to a concurrent edit: not saved, user told
                r.success()
            else:
                r.failure(f"not saved ({r.status_code}, {r.url})")


class BoardMember(_SignedIn):
    weight = 1
    wait_time = between(*BOARD_THINK)

    def on_start(self):
        self.account = PLAN["board"][next(_board) % len(PLAN["board"])]
        super().on_start()

    @task
    def request_report(self):
        token, _ = self._form("/reports/new/", "report form")
        if token is None:
            return
        year = datetime.date.today().year - random.randint(2, 4)
        data = {"csrfmiddlewaretoken": token, "period": f"{year}-04-01/{year + 1}-03-31"}  # a standard year
        response, ok = self._post("/reports/new/", data, "request report", expect=r"/reports/\d+/$")
        if not ok:
            return
        run = int(re.search(r"/reports/(\d+)/$", response.url).group(1))
        acknowledged["report"].append(run)
        started = time.perf_counter()
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            time.sleep(2)  # the report page polls every 2 s
            status = self.client.get(f"/reports/{run}/status/", name="report status")
            if status.status_code == 200 and status.json().get("finished"):
                events.request.fire(
                    request_type="REPORT",
                    name="report turnaround",
                    response_time=(time.perf_counter() - started) * 1000,
                    response_length=0,
                    exception=None if status.json()["status"] == "done" else RuntimeError("report failed"),
                )
                return


def _token(response):
    match = CSRF.search(response.text or "")
    return match.group(1) if match else None
