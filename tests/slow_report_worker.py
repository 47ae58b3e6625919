"""`celery -A tests.slow_report_worker worker`: msp's Celery app, whose reports pause after the
run is claimed, so that a test can kill the worker mid-report (tests only; see test_worker.py).

The pause is the worker's SLOW_REPORT_SECONDS environment variable. The pause is patched in
here, around `reporting.services.build_report`, so production code carries no test hook.
"""

import os
import time

from celery.signals import task_prerun

from msp.celery import app

__all__ = ["app"]


@task_prerun.connect
def _slow_reports(**kwargs):
    # Patched when the first task starts, by which time Django is set up and services imported.
    from reporting import services

    if getattr(services.build_report, "slowed", False):
        return
    build_report = services.build_report
    seconds = float(os.environ.get("SLOW_REPORT_SECONDS", "0"))

    def slow_build_report(*args, **kwargs):
        time.sleep(seconds)
        return build_report(*args, **kwargs)

    slow_build_report.slowed = True
    services.build_report = slow_build_report
