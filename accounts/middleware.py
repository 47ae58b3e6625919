from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from . import access


class TwoFactorRequiredMiddleware:
    """With REQUIRE_2FA on, a signed-in user must verify a TOTP token before anything else.

    One with no authenticator is sent to a page saying to use their one-time link: a password
    alone never reaches enrolment (the link's own pages, exempt here, are the only way).
    """

    exempt_names = (
        "accounts:two_factor_setup",
        "accounts:two_factor_verify",
        "accounts:two_factor_missing",
        "accounts:account_link",
        "accounts:account_setup",
        "accounts:logout",
        "health",
        "health_ready",
        "health_workers",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if settings.REQUIRE_2FA and user.is_authenticated and not user.is_verified():
            match = request.resolver_match or _resolve(request.path_info)
            name = match.view_name if match else ""
            if name not in self.exempt_names:
                from django_otp import devices_for_user

                has_device = any(True for _ in devices_for_user(user, confirmed=True))
                if not has_device:
                    return redirect("accounts:two_factor_missing")
                # Come back to the page asked for once verified (only GETs: a POST is not replayed).
                query = "?" + urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
                return redirect(reverse("accounts:two_factor_verify") + query)
        return self.get_response(request)


def _resolve(path):
    from django.urls import Resolver404, resolve

    try:
        return resolve(path)
    except Resolver404:
        return None


class NoStoreMiddleware:
    """Nothing this application renders may be kept by a browser or proxy cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response


class RequestTeamsMiddleware:
    """Each user's team memberships read at most once per request (`access.member_team_ids`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with access.request_teams():
            return self.get_response(request)
