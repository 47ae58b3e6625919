"""Who may use each practice-quality URL (walked by accounts/tests/test_url_access.py).

Managers and leads only; an audit of team A is 404 to the manager of team B."""

from accounts.tests.url_policy import MANAGER_ACTORS, Rule, role_page


def _audit(w):
    from outcomes.models import PracticeAudit, PracticeAuditCase

    audit = PracticeAudit.objects.create(
        team=w.team_a,
        period_start=w.enquiry.started_on,
        period_end=w.enquiry.started_on,
        sample_size=1,
        seed=1,
        created_by=w.manager,
    )
    return audit, PracticeAuditCase.objects.create(audit=audit, case=w.case, order=1)


ACCESS = {
    "quality:index": Rule(role_page(200, MANAGER_ACTORS)),
    "quality:audit_list": Rule(role_page(200, MANAGER_ACTORS)),
    "quality:audit_create": Rule(role_page(200, MANAGER_ACTORS)),
    "quality:audit_detail": Rule(
        role_page(200, MANAGER_ACTORS, manager_b=404), kwargs=lambda w: {"pk": _audit(w)[0].pk}
    ),
    "quality:audit_rate": Rule(role_page(200, MANAGER_ACTORS, manager_b=404), kwargs=lambda w: {"pk": _audit(w)[1].pk}),
}
