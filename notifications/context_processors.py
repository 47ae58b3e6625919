"""The header's bell: the signed-in user's unread count, read at most once per page and only
when the page shows it (at most one query: `selectors.unread_count`)."""

from functools import cache

from django.conf import settings

from accounts.models import Role


def notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.role == Role.NONE:
        return {}
    if settings.REQUIRE_2FA and not user.is_verified():
        return {}  # a password alone reads nothing of the work, not even how much is due

    @cache
    def notification_count():
        from .selectors import bell_label, unread_count

        return bell_label(unread_count(user))

    return {"notification_count": notification_count, "shows_notifications": True}
