"""Who may use the managers' workspace: managers and leads; "My work" for every case worker.
SAB members and system administrators reach none of it (403)."""

from accounts.tests.url_policy import CASE_WORKER_ACTORS, MANAGER_ACTORS, Rule, role_page

ACCESS = {
    "workspace:dashboard": Rule(role_page(200, MANAGER_ACTORS)),
    "workspace:cases": Rule(role_page(200, MANAGER_ACTORS)),  # its POST (allocation): test_workspace_allocation
    "workspace:export": Rule(role_page(200, MANAGER_ACTORS)),
    "workspace:queue": Rule(role_page(200, MANAGER_ACTORS)),
    "workspace:caseload": Rule(role_page(200, MANAGER_ACTORS)),
    "workspace:actions": Rule(role_page(200, MANAGER_ACTORS)),
    "workspace:followups": Rule(role_page(200, MANAGER_ACTORS)),
    "workspace:my_work": Rule(role_page(200, CASE_WORKER_ACTORS)),
}
