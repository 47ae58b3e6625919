import datetime

import factory
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from accounts.tests.factories import UserFactory
from reporting.models import ReportRun, ReportStatus


class ReportRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportRun

    requested_by = factory.SubFactory(UserFactory, role="sab_member")
    period_start = datetime.date(2024, 4, 1)
    period_end = datetime.date(2025, 3, 31)
    team = None
    period_kind = "year"  # a standard period that had ended when requested


def done_run(**kwargs):
    """A finished run with small stand-in files in storage (for access and download tests)."""
    run = ReportRunFactory(status=ReportStatus.DONE, attempts=1, **kwargs)
    for kind, body in (("pdf", b"%PDF-1.7 stand-in"), ("csv", b"table,row,column,value\n")):
        name = default_storage.save(f"reports/{run.pk}/test/report.{kind}", ContentFile(body))
        setattr(run, kind, name)
    run.csv_unrounded = default_storage.save(
        f"reports/{run.pk}/test/report_UNROUNDED.csv", ContentFile(b"table,row,column,value\n")
    )
    run.save()
    return run
