from accounts.tests.url_policy import CASE_WORKER_ACTORS, Rule, case_managers, case_workers, role_page

ACCESS = {
    "cases:list": Rule(role_page(200, CASE_WORKER_ACTORS)),
    "cases:detail": Rule(case_workers(), kwargs=lambda w: {"pk": w.case.pk}),
    "cases:access_log": Rule(case_managers(), kwargs=lambda w: {"pk": w.case.pk}),
}
