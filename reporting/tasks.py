"""Celery tasks of the reporting app: thin wrappers, primary keys only."""

from celery import Task, shared_task
from celery.exceptions import TimeLimitExceeded

from . import conf, services


class RunTask(Task):
    """A task producing one run's files, which fails the run with a reason when it fails.

    `on_failure` runs in the worker's main process when the hard time limit killed the child,
    so the run is failed with a reason rather than left "being produced" for ever."""

    produces = "report"  # what the reason calls it

    @staticmethod
    def fail(run_id, reason):
        raise NotImplementedError

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        if not args:
            return
        if isinstance(exc, TimeLimitExceeded):
            limit = int(conf.get("REPORT_TASK_TIME_LIMIT"))
            reason = f"The {self.produces} took longer than {limit} seconds and was stopped."
        else:
            reason = f"An unexpected error stopped the {self.produces} ({type(exc).__name__})."
        self.fail(args[0], reason)


class ReportTask(RunTask):
    produces = "report"

    @staticmethod
    def fail(run_id, reason):
        services.fail_run(run_id=run_id, reason=reason)


class ReturnTask(RunTask):
    produces = "workbook"

    @staticmethod
    def fail(run_id, reason):
        services.fail_return(run_id=run_id, reason=reason)


def _run_options():
    """Redelivered if a worker dies mid-run (each run is safe to produce twice), and time-limited."""
    return {
        "acks_late": True,
        "reject_on_worker_lost": True,
        "soft_time_limit": conf.get("REPORT_TASK_SOFT_TIME_LIMIT"),
        "time_limit": conf.get("REPORT_TASK_TIME_LIMIT"),
    }


@shared_task(base=ReportTask, name="reporting.generate_report", **_run_options())
def generate_report(run_id):
    """Produce the files of one ReportRun (safe to deliver more than once)."""
    return services.run_report(run_id=run_id)


@shared_task(base=ReturnTask, name="reporting.generate_return", **_run_options())
def generate_return(run_id):
    """Produce the statutory return workbook of one ReturnRun (primary key only; safe to redeliver)."""
    return services.run_return(run_id=run_id)
