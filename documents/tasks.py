"""Celery tasks of the documents app: thin wrappers, primary keys only."""

from celery import shared_task

from reporting.tasks import RunTask, _run_options

from . import building as services


class SubjectAccessTask(RunTask):
    produces = "export"

    @staticmethod
    def fail(run_id, reason):
        services.fail_subject_access(export_id=run_id, reason=reason)


@shared_task(base=SubjectAccessTask, name="documents.build_subject_access", **_run_options())
def build_subject_access(export_id):
    """Build the PDF of one SubjectAccessExport (safe to deliver more than once)."""
    return services.run_subject_access(export_id=export_id)
