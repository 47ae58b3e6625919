"""Every signed-in user with a role has a notifications page and a mail preference of their
own; anonymous visitors are sent to sign in. Mark read is a POST of one's own ids."""

from accounts.tests.url_policy import ACTORS, Rule, role_page

EVERYONE = tuple(actor for actor in ACTORS if actor != "anonymous")

ACCESS = {
    "notifications:list": Rule(role_page(200, EVERYONE)),
    "notifications:preferences": Rule(role_page(200, EVERYONE)),
    "notifications:mark_read": Rule(role_page(302, EVERYONE), method="post", data=lambda world: {"all": "on"}),
}
