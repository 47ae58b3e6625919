from accounts.tests.url_policy import ACTORS, USER_ADMIN_ACTORS, Rule, role_page, statuses

LEADS = ("lead",)


def _pending_grant(w):
    from accounts.models import AccessGrantRequest, Role

    return {"pk": AccessGrantRequest.objects.create(user=w.sab_member, role=Role.LEAD, requested_by=w.sysadmin).pk}


SIGNED_IN = {actor: 302 for actor in ACTORS if actor != "anonymous"}

ACCESS = {
    "health": Rule(statuses(200, anonymous=200)),
    "accounts:home": Rule(statuses(302, sab_member=302)),
    "accounts:login": Rule(statuses(302, anonymous=200)),
    "accounts:logout": Rule(statuses(405, anonymous=302)),
    "accounts:password_change": Rule(statuses(200)),
    # With 2FA off in the walk these pages still work: enrolment for anyone signed in.
    "accounts:two_factor_setup": Rule(statuses(200)),
    "accounts:two_factor_verify": Rule(statuses(302)),
    # What a password sign-in with no authenticator sees when 2FA is on: it enrols nothing.
    "accounts:two_factor_missing": Rule(statuses(200)),
    # The one-time link (no token here: the page says the link does not work) and its set-up
    # page (no link in the session: the same page). Open to anyone: the token is the credential.
    "accounts:account_link": Rule(statuses(200, anonymous=200)),
    "accounts:account_setup": Rule(statuses(200, anonymous=200)),
    "accounts:user_list": Rule(role_page(200, USER_ADMIN_ACTORS)),
    "accounts:user_create": Rule(role_page(200, USER_ADMIN_ACTORS)),
    "accounts:user_edit": Rule(role_page(200, USER_ADMIN_ACTORS), kwargs=lambda w: {"pk": w.practitioner.pk}),
    "accounts:user_reset_two_factor": Rule(
        role_page(302, USER_ADMIN_ACTORS), kwargs=lambda w: {"pk": w.practitioner.pk}, method="post"
    ),
    "accounts:user_send_link": Rule(
        role_page(302, USER_ADMIN_ACTORS), kwargs=lambda w: {"pk": w.practitioner.pk}, method="post"
    ),
    "accounts:user_unlock": Rule(
        role_page(302, USER_ADMIN_ACTORS), kwargs=lambda w: {"pk": w.practitioner.pk}, method="post"
    ),
    "accounts:grant_list": Rule(role_page(200, LEADS)),
    "accounts:grant_decide": Rule(
        role_page(302, LEADS), kwargs=_pending_grant, method="post", data=lambda w: {"decision": "decline"}
    ),
    "accounts:access_review": Rule(role_page(200, LEADS)),
    "accounts:access_review_csv": Rule(role_page(200, LEADS)),
    "accounts:team_create": Rule(role_page(200, USER_ADMIN_ACTORS)),
    "accounts:team_edit": Rule(role_page(200, USER_ADMIN_ACTORS), kwargs=lambda w: {"pk": w.team_a.pk}),
    "health_ready": Rule(statuses(200, anonymous=200)),
    "health_workers": Rule(statuses(200, anonymous=200)),  # tasks run in-process in the walk
}
