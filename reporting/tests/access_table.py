import datetime

from accounts.tests.url_policy import REPORT_ACTORS, Rule, role_page


def _board_run(world):
    from reporting.tests.factories import done_run

    return {"pk": done_run(requested_by=world.sab_member).pk}


def _done_return(world):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from reporting.models import ReportStatus, ReturnRun

    run = ReturnRun.objects.create(requested_by=world.lead, year_start=datetime.date(2024, 4, 1), status="done")
    run.xlsx = default_storage.save(f"returns/{run.pk}/test/return.xlsx", ContentFile(b"PK stand-in"))
    run.status = ReportStatus.DONE
    run.save()
    return {"pk": run.pk}


ACCESS = {
    "reporting:index": Rule(role_page(200, REPORT_ACTORS)),
    "reporting:request": Rule(role_page(200, REPORT_ACTORS)),
    "reporting:detail": Rule(role_page(200, REPORT_ACTORS), kwargs=_board_run),
    "reporting:status": Rule(role_page(200, REPORT_ACTORS), kwargs=_board_run),
    "reporting:download_pdf": Rule(role_page(200, REPORT_ACTORS), kwargs=_board_run),
    "reporting:download_csv": Rule(role_page(200, REPORT_ACTORS), kwargs=_board_run),
    # Unrounded figures: safeguarding leads only, never SAB members.
    "reporting:download_unrounded_csv": Rule(role_page(200, ("lead",)), kwargs=_board_run),
    # The statutory return (unrounded, for submission): safeguarding leads only; SAB members and
    # system administrators are refused.
    "reporting:sac_return": Rule(role_page(200, ("lead",))),
    "reporting:sac_return_download": Rule(role_page(200, ("lead",)), kwargs=_done_return),
}
