"""Reporting settings, read from Django settings (msp/settings.py reads them from the environment).

| name | default | meaning |
|---|---|---|
| `REPORT_TASK_SOFT_TIME_LIMIT` | 240 | seconds before a report is stopped and marked failed |
| `REPORT_TASK_TIME_LIMIT` | 300 | seconds before the worker process running it is killed |
| `REPORT_TASK_MAX_ATTEMPTS` | 3 | deliveries (after killed workers) before a report is given up |
| `SAB_ZERO_DENOMINATOR_MINIMUM` | 20 | zeros are published only in a column whose total is certainly at least this |
"""

from django.conf import settings


def get(name):
    return float(getattr(settings, name))
