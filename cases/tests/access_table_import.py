from accounts.tests.url_policy import Rule, role_page

ACCESS = {
    "case_import:upload": Rule(role_page(200, ("lead",))),
}
