"""Benchmarks of SAB reporting: aggregation (ORM and one hand-written SQL query), PDF rendering,
and a report end to end (request → task done → file downloadable).

`bench/run.py` connects Django to a generated PostgreSQL database and calls `run(emit)`.
Standalone, against a scratch database:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/msp_reporting_bench \
        python bench/bench_reporting.py generate 200000   # once: migrate and bulk-create cases
    DATABASE_URL=... python bench/bench_reporting.py run

With REDIS_URL set, `report.end_to_end` starts a real `celery -A msp worker` on the same
database; otherwise the task runs eagerly in this process.
"""

import datetime
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_BAND = """CASE WHEN p.date_of_birth IS NULL THEN 'unknown' WHEN p.date_of_birth <= %(age95)s THEN '95+'
             WHEN p.date_of_birth <= %(age85)s THEN '85-94' WHEN p.date_of_birth <= %(age75)s THEN '75-84'
             WHEN p.date_of_birth <= %(age65)s THEN '65-74' ELSE '18-64' END"""


def _sg1(source, column):
    """The SG1 lines for one population (concerns received, s42 or other enquiries started)."""
    return f"""
UNION ALL SELECT 'sg1a_age', band, '{column}', count(DISTINCT person_id) FROM {source} GROUP BY band
UNION ALL SELECT 'sg1b_gender', gender, '{column}', count(DISTINCT person_id) FROM {source} GROUP BY gender
UNION ALL SELECT 'sg1c_ethnicity', ethnicity, '{column}', count(DISTINCT person_id) FROM {source} GROUP BY ethnicity
UNION ALL SELECT 'sg1d_support_reason', primary_support_reason, '{column}', count(*) FROM {source} GROUP BY 2
UNION ALL SELECT 'sg1e_health_condition', health_condition, '{column}', count(*) FROM {source}
    WHERE health_condition <> '' GROUP BY 2
UNION ALL SELECT 'sg1f_totals', '{column}', 'cases', count(*) FROM {source}
UNION ALL SELECT 'sg1f_totals', '{column}', 'individuals', count(DISTINCT person_id) FROM {source}"""


def _people_ctes(received, started, person, kind):
    """The CTEs of the concerns received (`received`: the FROM list, `c` the case), the
    enquiries started (`started`: `e` the enquiry) and the s42 enquiries concluded."""
    return f"""
WITH received AS (
    SELECT person_id, {person}
    FROM {received}
    WHERE c.received_at >= %(start_at)s AND c.received_at < %(end_at)s
), started AS (
    SELECT {kind} AS kind, person_id, {person}
    FROM {started}
    WHERE e.started_on BETWEEN %(start)s AND %(end)s
), s42 AS (
    SELECT * FROM started WHERE kind = 's42'
), other AS (
    SELECT * FROM started WHERE kind = 'other_enquiry'
), people AS (
    SELECT DISTINCT person_id, gender, ethnicity, band FROM s42
), concluded AS (
    SELECT e.case_id, e.outcomes_achieved,
        COALESCE(NULLIF(e.asked_desired_outcomes, ''), 'not_recorded') AS asked,
        e.asked_desired_outcomes = 'asked_expressed' AS expressed,
        COALESCE(NULLIF(e.lacked_capacity, ''), 'not_recorded') AS capacity,
        e.lacked_capacity = 'yes' AS lacked,
        COALESCE(NULLIF(e.advocacy, ''), 'not_recorded') AS advocacy
    FROM cases_enquiry e
    WHERE e.kind = 's42' AND e.concluded_on BETWEEN %(start)s AND %(end)s
)"""


def _person(prefix):
    """The adult's SAC columns: from the adult's row (`p.`) or from a case's facts (`adult_`)."""
    band = _BAND.replace("p.date_of_birth", f"{prefix}date_of_birth")
    columns = ("gender", "ethnicity", "primary_support_reason", "health_condition")
    return ", ".join(f"{prefix}{column} AS {column}" for column in columns) + f", {band} AS band"


_PEOPLE_SELECTS = f"""
SELECT 'concerns', 'total', 'concerns', count(*) FROM received
UNION ALL SELECT 'concerns', 'total', 'individuals', count(DISTINCT person_id) FROM received
UNION ALL SELECT 'enquiries_started', kind, 'enquiries', count(*) FROM started GROUP BY kind
UNION ALL SELECT 'enquiries_started', kind, 'individuals', count(DISTINCT person_id) FROM started GROUP BY kind
UNION ALL SELECT 'enquiries_started', 'total', 'enquiries', count(*) FROM started
UNION ALL SELECT 'enquiries_started', 'total', 'individuals', count(DISTINCT person_id) FROM started
UNION ALL SELECT 's42_started_by_age', band, 'individuals', count(*) FROM people GROUP BY band
UNION ALL SELECT 's42_started_by_gender', gender, 'individuals', count(*) FROM people GROUP BY gender
UNION ALL SELECT 's42_started_by_ethnicity', ethnicity, 'individuals', count(*) FROM people GROUP BY ethnicity
UNION ALL SELECT 's42_started_by_support_reason', primary_support_reason, 'enquiries', count(*)
    FROM s42 GROUP BY primary_support_reason
{_sg1("received", "concerns")}
{_sg1("s42", "s42")}
{_sg1("other", "other_enquiry")}
UNION ALL SELECT 'msp_asked', asked, 'enquiries', count(*) FROM concluded GROUP BY 2
UNION ALL SELECT 'msp_achieved', outcomes_achieved, 'enquiries', count(*)
    FROM concluded WHERE expressed AND outcomes_achieved <> '' GROUP BY 2
UNION ALL SELECT 'capacity', capacity, 'enquiries', count(*) FROM concluded GROUP BY 2
UNION ALL SELECT 'advocacy', advocacy, 'enquiries', count(*) FROM concluded WHERE lacked GROUP BY 2
UNION ALL SELECT 'concluded', 'total', 'enquiries', count(*) FROM concluded"""

#: The board-area tables from the records: each concern and enquiry joined to its adult, each
#: concluded enquiry to its risks and their types, `count(DISTINCT case_id)` per SG2 cell.
HANDWRITTEN_SQL = (
    _people_ctes(
        "cases_case c JOIN cases_person p ON p.id = c.person_id",
        "cases_enquiry e JOIN cases_case c ON c.id = e.case_id JOIN cases_person p ON p.id = c.person_id",
        _person("p."),
        "e.kind",
    )
    + """, risks AS (
    SELECT r.id, r.case_id, r.location, r.source, r.assessment, r.result
    FROM cases_risk r WHERE r.case_id IN (SELECT case_id FROM concluded)
), typed AS (
    SELECT r.case_id, r.location, r.source, t.abuse_type FROM risks r JOIN cases_risktype t ON t.risk_id = r.id
)"""
    + _PEOPLE_SELECTS
    + """
UNION ALL SELECT 'concluded_by_type', abuse_type, 'enquiries', count(DISTINCT case_id) FROM typed GROUP BY 2
UNION ALL SELECT 'concluded_by_location', location, 'enquiries', count(DISTINCT case_id) FROM typed GROUP BY 2
UNION ALL SELECT 'concluded_by_source', source, 'enquiries', count(DISTINCT case_id) FROM typed GROUP BY 2
UNION ALL SELECT 'sg2a_type_by_source', abuse_type, source, count(DISTINCT case_id) FROM typed GROUP BY 2, 3
UNION ALL SELECT 'sg2b_location_by_source', location, source, count(DISTINCT case_id) FROM typed GROUP BY 2, 3
UNION ALL SELECT 'sg2ab_type_by_location', abuse_type, location, count(DISTINCT case_id) FROM typed GROUP BY 2, 3
UNION ALL SELECT 'sg2c_risk_assessment', assessment, 'enquiries', count(DISTINCT case_id) FROM risks
    WHERE assessment <> '' GROUP BY 2
UNION ALL SELECT 'sg2e_result', result, 'enquiries', count(DISTINCT case_id) FROM risks
    WHERE assessment IN ('identified_action', 'identified_no_action') AND result <> '' GROUP BY 2
"""
)

#: The same tables over the tables the aggregation reads: each case's facts row (reporting/facts.py:
#: the adult's columns copied, the SG2 cells of its risks) and the concluded enquiries' answers.
HANDWRITTEN_FACTS_SQL = (
    _people_ctes("reporting_casefacts c", "reporting_casefacts e", _person("adult_"), "e.enquiry_kind")
    + """, cells AS (
    SELECT cell, count(*) AS n FROM reporting_casefacts f, unnest(f.risk_cells) AS cell
    WHERE f.enquiry_kind = 's42' AND f.concluded_on BETWEEN %(start)s AND %(end)s GROUP BY cell
)"""
    + _PEOPLE_SELECTS
    + """
UNION ALL SELECT 'cell', cell::text, '', n FROM cells
"""
)  # fmt: skip


#: A cell of the facts (reporting.facts) -> the table and the column it counts in.
_CELL_TABLES = {
    "type_source": ("sg2a_type_by_source", None), "location_source": ("sg2b_location_by_source", None),
    "type_location": ("sg2ab_type_by_location", None), "type": ("concluded_by_type", "enquiries"),
    "location": ("concluded_by_location", "enquiries"), "source": ("concluded_by_source", "enquiries"),
    "sg2c_risk_assessment": ("sg2c_risk_assessment", "enquiries"), "sg2e_result": ("sg2e_result", "enquiries"),
}  # fmt: skip


def handwritten_aggregate(period, statement=HANDWRITTEN_SQL):
    """The board-area tables as one hand-written PostgreSQL statement: {(table, row, column): n}."""
    from django.db import connection

    from reporting.aggregation import _years_before
    from reporting.facts import decode

    start_at, end_at = period.datetime_bounds()
    params = {"start_at": start_at, "end_at": end_at, "start": period.start, "end": period.end}
    params.update({f"age{age}": _years_before(period.end, age) for age in (95, 85, 75, 65)})
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        rows = cursor.fetchall()
    figures = {}
    for table, row, column, value in rows:
        if table == "cell":
            name, key = decode(int(row))
            if name not in _CELL_TABLES:
                continue  # the totals the tables' margins come from: not among the statement's figures
            table, column = _CELL_TABLES[name]
            row, column = key if column is None else (key[0], column)
        figures[(table, row, column)] = value
    return figures


def handwritten_facts_aggregate(period):
    """The same figures, hand-written over the tables `aggregate()` reads (the cases' facts)."""
    return handwritten_aggregate(period, HANDWRITTEN_FACTS_SQL)


def _median_ms(function, repeat):
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(timings), 1)


def _interleaved_median_ms(*functions, repeat):
    timings = tuple([] for _ in functions)
    for _ in range(repeat):
        for function, times in zip(functions, timings, strict=True):
            started = time.perf_counter()
            function()
            times.append((time.perf_counter() - started) * 1000)
    return tuple(round(statistics.median(times), 1) for times in timings)


def _bench_period():
    """The last financial year completed by the newest concern in the database."""
    from django.db.models import Max
    from django.utils import timezone

    from cases.models import Case
    from reporting.aggregation import last_complete_financial_year

    newest = Case.objects.aggregate(newest=Max("received_at"))["newest"]
    today = timezone.localdate(newest) + datetime.timedelta(days=1) if newest else timezone.localdate()
    return last_complete_financial_year(today)


def run(emit):
    from django.utils import timezone

    from reporting.aggregation import aggregate
    from reporting.pdf import html_to_pdf
    from reporting.rendering import publish, published_trend, render_report_html, report_context
    from reporting.workbook import build_return

    period = _bench_period()
    aggregate(period)  # warm the cache and the connection
    handwritten_aggregate(period)
    handwritten_facts_aggregate(period)
    # The tables of one year (`aggregate(period)`, four statements over the cases' facts), the
    # same tables as one hand-written statement over the same tables, and one over the records
    # (each concern joined to its adult, each enquiry to its risks), interleaved so that all
    # three see the same load on a shared machine.
    orm_ms, facts_ms, records_ms = _interleaved_median_ms(
        lambda: aggregate(period), lambda: handwritten_facts_aggregate(period), lambda: handwritten_aggregate(period),
        repeat=5,
    )  # fmt: skip
    emit("report.aggregate_one_year", orm_ms, "ms")
    emit("report.aggregate_handwritten_sql", facts_ms, "ms")
    emit("report.aggregate_vs_handwritten_sql", round(orm_ms / facts_ms, 2), "x")
    emit("report.aggregate_handwritten_sql_over_records", records_ms, "ms")
    emit("report.sac_workbook", _median_ms(lambda: build_return(period), 3), "ms")
    emit("report.sac_workbook_end_to_end", workbook_end_to_end_ms(period), "ms")

    def report_aggregation():
        # Everything a report aggregates and controls (`rendering.build_report`): this year with
        # its quarters and months, the previous year with its own, and the monthly trend.
        cache = {}
        current = publish(period, _cache=cache)
        return current, publish(period.previous(), _cache=cache), published_trend(period, None, cache)

    emit("report.aggregate_report", _median_ms(report_aggregation, 3), "ms")
    current, previous, trend = report_aggregation()

    def render():
        context = report_context(period, None, current, previous, trend, produced_at=timezone.localtime())
        html_to_pdf(render_report_html(context))

    emit("report.pdf_render", _median_ms(render, 3), "ms")
    emit("report.end_to_end", end_to_end_ms(period), "ms")


def end_to_end_ms(period):
    """Request a report as a lead, wait for the task, and check the PDF can be downloaded."""
    from django.conf import settings
    from django.core.files.storage import default_storage
    from django.test import override_settings

    from accounts.models import Role, User
    from msp.celery import app
    from reporting import requests
    from reporting.models import ReportStatus

    lead, _ = User.objects.get_or_create(username="bench-reporting-lead", defaults={"role": Role.LEAD})
    media = tempfile.mkdtemp(prefix="msp-bench-media-")
    worker = _start_worker(media) if settings.REDIS_URL else None
    previous_eager = app.conf.task_always_eager
    app.conf.task_always_eager = worker is None
    try:
        with override_settings(MEDIA_ROOT=media):
            started = time.perf_counter()
            run = requests.request_report(user=lead, period_start=period.start, period_end=period.end)
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                run.refresh_from_db()
                if run.status in (ReportStatus.DONE, ReportStatus.FAILED):
                    break
                time.sleep(0.05)
            if run.status != ReportStatus.DONE or not default_storage.exists(run.pdf.name):
                raise RuntimeError(f"report run {run.pk} did not finish: {run.status} {run.failure_reason}")
            elapsed = (time.perf_counter() - started) * 1000
        return round(elapsed, 1)
    finally:
        app.conf.task_always_eager = previous_eager
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)


def workbook_end_to_end_ms(period):
    """Request the statutory return's workbook as a lead, wait for the task, download the file."""
    from django.conf import settings
    from django.test import override_settings

    from accounts.models import Role, User
    from msp.celery import app
    from reporting import requests
    from reporting.models import ReportStatus

    lead, _ = User.objects.get_or_create(username="bench-reporting-lead", defaults={"role": Role.LEAD})
    media = tempfile.mkdtemp(prefix="msp-bench-media-")
    worker = _start_worker(media) if settings.REDIS_URL else None
    previous_eager = app.conf.task_always_eager
    app.conf.task_always_eager = worker is None
    try:
        with override_settings(MEDIA_ROOT=media):
            started = time.perf_counter()
            run = requests.request_return(user=lead, year=period)
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                run.refresh_from_db()
                if run.status in (ReportStatus.DONE, ReportStatus.FAILED):
                    break
                time.sleep(0.05)
            if run.status != ReportStatus.DONE:
                raise RuntimeError(f"return run {run.pk} did not finish: {run.status} {run.failure_reason}")
            from django.core.files.storage import default_storage

            with default_storage.open(run.xlsx.name, "rb") as handle:  # what the download streams
                handle.read()
            elapsed = (time.perf_counter() - started) * 1000
        return round(elapsed, 1)
    finally:
        app.conf.task_always_eager = previous_eager
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)


def _start_worker(media):
    from urllib.parse import quote

    from django.db import connection

    db = connection.settings_dict
    credentials = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "MEDIA_ROOT": media,
    }
    log = Path(media) / "worker.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "msp", "worker", "--pool=solo", "-l", "WARNING",
         "-n", f"bench-reporting-{os.getpid()}@%h", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    from msp.celery import app

    prefix = f"bench-reporting-{os.getpid()}@"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        replies = app.control.ping(timeout=0.5)
        if any(name.startswith(prefix) for reply in replies for name in reply):
            return process
    process.terminate()
    raise RuntimeError(f"the benchmark's Celery worker did not start: {log.read_text()[-1000:]}")


def generate(cases, seed=1):
    """Bulk-create `cases` synthetic concerns over five years (about 40% become enquiries)."""
    import random

    from django.db import transaction
    from django.utils import timezone

    from accounts.models import Team
    from cases import codes
    from cases.models import Case, Enquiry, Person, Risk, RiskType

    rng = random.Random(seed)
    teams = [Team.objects.get_or_create(name=f"Bench team {n}")[0] for n in range(8)]
    now = timezone.now()
    first = now - datetime.timedelta(days=5 * 365)
    batch = 20_000
    people_count = max(1, int(cases * 0.6))
    for offset in range(0, people_count, batch):
        Person.objects.bulk_create(
            [
                Person(
                    legal_name=f"Bench Person {offset + n}",
                    date_of_birth=None
                    if rng.random() < 0.05
                    else datetime.date(rng.randint(1920, 2005), rng.randint(1, 12), rng.randint(1, 28)),
                    gender=rng.choice(codes.Gender.values),
                    ethnicity=rng.choice(codes.Ethnicity.values),
                    primary_support_reason=rng.choice(codes.SupportReason.values),
                    health_condition=rng.choice(["", "", "", "", "", "", "", "", "autism", "asperger"]),
                )
                for n in range(min(batch, people_count - offset))
            ]
        )
    person_ids = list(Person.objects.values_list("id", flat=True))
    made = Case.objects.count()
    for offset in range(0, cases, batch):
        size = min(batch, cases - offset)
        with transaction.atomic():
            rows = Case.objects.bulk_create(
                [
                    Case(
                        ref=f"BENCH-{made + offset + n:08d}",
                        person_id=rng.choice(person_ids),
                        team=rng.choice(teams),
                        received_at=first + datetime.timedelta(seconds=rng.randint(0, 5 * 365 * 86400)),
                        imported=rng.random() < 0.3,
                    )
                    for n in range(size)
                ]
            )
            enquiries = []
            for case in rows:
                if rng.random() >= 0.4:
                    continue
                started = timezone.localdate(case.received_at) + datetime.timedelta(days=rng.randint(0, 20))
                concluded = started + datetime.timedelta(days=rng.randint(5, 180))
                done = rng.random() < 0.85 and concluded <= timezone.localdate(now)
                asked = rng.choice(codes.AskedDesiredOutcomes.values) if done else ""
                lacked = rng.choice(codes.YesNoUnknown.values) if done else ""
                enquiries.append(
                    Enquiry(
                        case=case,
                        kind=codes.EnquiryKind.S42 if rng.random() < 0.75 else codes.EnquiryKind.OTHER_ENQUIRY,
                        started_on=started,
                        concluded_on=concluded if done else None,
                        asked_desired_outcomes=asked,
                        outcomes_achieved=rng.choice(codes.OutcomesAchieved.values)
                        if asked == "asked_expressed"
                        else "",
                        lacked_capacity=lacked,
                        advocacy=rng.choice(codes.YesNoUnknown.values) if lacked == "yes" else "",
                    )
                )
            Enquiry.objects.bulk_create(enquiries)
            # About 1.4 risks a concern (1: 70%, 2: 20%, 3: 10%), each with 1–3 types; a
            # concluded enquiry's risks have their assessment (all ceased, or none) and results.
            concluded = {e.case_id for e in enquiries if e.concluded_on}
            risks = []
            for case in rows:
                ceased = case.pk in concluded and rng.random() < 0.05
                for _ in range(rng.choice([1] * 7 + [2] * 2 + [3])):
                    assessment = ""
                    if case.pk in concluded:
                        assessment = "ceased" if ceased else rng.choice(codes.RiskAssessment.values[:6])
                    risks.append(
                        Risk(
                            case_id=case.pk,
                            location=rng.choice(codes.LocationOfRisk.values),
                            source=rng.choice(codes.SourceOfRisk.values),
                            assessment=assessment,
                            result=rng.choice(codes.RiskResult.values) if assessment in codes.RISK_IDENTIFIED else "",
                        )
                    )
            Risk.objects.bulk_create(risks)
            RiskType.objects.bulk_create(
                [
                    RiskType(risk_id=risk.pk, abuse_type=code)
                    for risk in risks
                    for code in rng.sample(codes.AbuseType.values, rng.choice([1, 1, 1, 2, 3]))
                ]
            )
        print(f"{offset + size} cases", file=sys.stderr)


def _main(argv):
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "msp.settings")
    import django

    django.setup()
    if argv[:1] == ["generate"]:
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        generate(int(argv[1]) if len(argv) > 1 else 200_000)
        with connection.cursor() as cursor:
            # As autovacuum would after a bulk load: statistics, and visibility maps so that the
            # reports' covering indexes give index-only scans.
            cursor.execute("VACUUM (ANALYZE)")
    else:
        run(lambda figure, value, unit: print(f"{figure} {value} {unit}", flush=True))


if __name__ == "__main__":
    _main(sys.argv[1:])
