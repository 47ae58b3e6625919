"""Reporting settings: read from Django settings when defined there, else from the environment.

| name | default | meaning |
|---|---|---|
| `REPORT_TASK_SOFT_TIME_LIMIT` | 240 | seconds before a report is stopped and marked failed |
| `REPORT_TASK_TIME_LIMIT` | 300 | seconds before the worker process running it is killed |
| `REPORT_TASK_MAX_ATTEMPTS` | 3 | deliveries (after killed workers) before a report is given up |
| `REPORT_TASK_TEST_DELAY_SECONDS` | 0 | tests only: pause after claiming a run, to kill a worker mid-task |
| `SAB_ZERO_DENOMINATOR_MINIMUM` | 20 | zeros are published only in a column whose total is certainly at least this |
"""

import os

from django.conf import settings

DEFAULTS = {
    "REPORT_TASK_SOFT_TIME_LIMIT": 240,
    "REPORT_TASK_TIME_LIMIT": 300,
    "REPORT_TASK_MAX_ATTEMPTS": 3,
    "REPORT_TASK_TEST_DELAY_SECONDS": 0,
    "SAB_ZERO_DENOMINATOR_MINIMUM": 20,
}


def get(name):
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, DEFAULTS[name])
    return float(value)
