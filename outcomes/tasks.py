"""Celery tasks for MSP records: thin wrappers around services, primary keys only."""

from celery import shared_task

from . import rendering


@shared_task(acks_late=True)
def render_summary(summary_id):
    """Render a "What you told us" PDF (safe to run twice)."""
    rendering.summary_render(summary_id=summary_id)


@shared_task(acks_late=True)
def render_case_summary(document_id):
    """Render a staff case summary PDF (safe to run twice)."""
    rendering.render_case_summary(document_id=document_id)
