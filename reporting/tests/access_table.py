from accounts.tests.url_policy import REPORT_ACTORS, Rule, role_page


def _board_run(world):
    from reporting.tests.factories import done_run

    return {"pk": done_run(requested_by=world.sab_member).pk}


ACCESS = {
    "reporting:index": Rule(role_page(200, REPORT_ACTORS)),
    "reporting:request": Rule(role_page(200, REPORT_ACTORS)),
    "reporting:detail": Rule(role_page(200, REPORT_ACTORS), kwargs=_board_run),
    "reporting:status": Rule(role_page(200, REPORT_ACTORS), kwargs=_board_run),
    "reporting:download_pdf": Rule(role_page(200, REPORT_ACTORS), kwargs=_board_run),
    "reporting:download_csv": Rule(role_page(200, REPORT_ACTORS), kwargs=_board_run),
    # Unrounded figures: safeguarding leads only, never SAB members.
    "reporting:download_unrounded_csv": Rule(role_page(200, ("lead",)), kwargs=_board_run),
}
