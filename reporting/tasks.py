"""Celery tasks of the reporting app: thin wrappers, primary keys only."""

from celery import Task, shared_task
from celery.exceptions import TimeLimitExceeded

from . import conf, services


class ReportTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # Runs in the worker's main process when the hard time limit killed the child, so
        # the run is failed with a reason rather than left "being produced" for ever.
        if not args:
            return
        if isinstance(exc, TimeLimitExceeded):
            reason = f"The report took longer than {int(conf.get('REPORT_TASK_TIME_LIMIT'))} seconds and was stopped."
        else:
            reason = f"An unexpected error stopped the report ({type(exc).__name__})."
        services.fail_run(run_id=args[0], reason=reason)


@shared_task(
    base=ReportTask,
    name="reporting.generate_report",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=conf.get("REPORT_TASK_SOFT_TIME_LIMIT"),
    time_limit=conf.get("REPORT_TASK_TIME_LIMIT"),
)
def generate_report(run_id):
    """Produce the files of one ReportRun (safe to deliver more than once)."""
    return services.run_report(run_id=run_id)


class ReturnTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        if not args:
            return
        if isinstance(exc, TimeLimitExceeded):
            reason = f"The workbook took longer than {int(conf.get('REPORT_TASK_TIME_LIMIT'))} seconds and was stopped."
        else:
            reason = f"An unexpected error stopped the workbook ({type(exc).__name__})."
        services.fail_return(run_id=args[0], reason=reason)


@shared_task(
    base=ReturnTask,
    name="reporting.generate_return",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=conf.get("REPORT_TASK_SOFT_TIME_LIMIT"),
    time_limit=conf.get("REPORT_TASK_TIME_LIMIT"),
)
def generate_return(run_id):
    """Produce the statutory return workbook of one ReturnRun (primary key only; safe to redeliver)."""
    return services.run_return(run_id=run_id)
