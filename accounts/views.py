from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from . import access, services, tokens
from .forms import AccountSetupForm, LoginForm, TeamForm, TokenForm, UserForm
from .models import AccessGrantRequest, GrantOutcome, Role, Team, User


@login_not_required
def health(request):
    """Liveness for load balancers: no session, no database write."""
    return HttpResponse("ok", content_type="text/plain")


@login_not_required
def health_ready(request):
    """Readiness: the database answers and, when configured, Redis does. 200 or 503, no detail."""
    from . import health

    ok = health.database_ok() and health.redis_ok()
    return JsonResponse({"status": "ok" if ok else "unavailable"}, status=200 if ok else 503)


@login_not_required
def health_workers(request):
    """For monitoring, not load balancers: a Celery worker answers within 2 s. 200 or 503, no detail.

    Kept apart from readiness on purpose: with no worker the site still works (reports wait
    in the queue), so the web process must stay in service while someone is alerted.
    """
    from . import health

    ok = health.workers_ok()
    return JsonResponse({"status": "ok" if ok else "unavailable"}, status=200 if ok else 503)


def _safe_next(request, default="accounts:home"):
    target = request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@method_decorator(require_POST, name="dispatch")
class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:home")

    def form_valid(self, form):
        response = super().form_valid(form)
        from . import audit

        audit.record(
            actor=self.request.user, action=audit.AuditAction.UPDATE, obj=self.request.user, fields=["password"]
        )
        messages.success(self.request, "Your password has been changed. Other sessions have been signed out.")
        return response


def home(request):
    """Send each role to where their work starts."""
    user = request.user
    if access.manages(user):
        return redirect("workspace:dashboard")
    if access.works_cases(user):
        return redirect("workspace:my_work")
    if access.reads_reports(user):
        return redirect("reporting:index")
    if access.administers_users(user):
        return redirect("accounts:user_list")
    return render(request, "accounts/no_role.html", status=403)


def _next_query(request):
    from urllib.parse import urlencode

    return "?" + urlencode({"next": request.GET["next"]}) if request.GET.get("next") else ""


PENDING_TOTP_KEY = "two_factor_pending_key"


@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """Enrol a TOTP authenticator: show the key as a QR code and confirm one code from it.

    Only while two-factor is optional (the demo). With REQUIRE_2FA on, an authenticator is
    enrolled only through a one-time link (account_setup), never from a password-only session.
    """
    if any(True for _ in devices_for_user(request.user, confirmed=True)):
        return redirect(reverse("accounts:two_factor_verify") + _next_query(request))
    if settings.REQUIRE_2FA:
        return redirect("accounts:two_factor_missing")
    # The new key waits in the session until a code from it is confirmed: showing the page (a GET)
    # stores nothing, and the device row is written only when a code is posted.
    key = request.session.setdefault(PENDING_TOTP_KEY, random_hex(20))
    device = TOTPDevice(user=request.user, key=key, name="Authenticator", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device, _ = TOTPDevice.objects.get_or_create(
            user=request.user, confirmed=False, key=key, defaults={"name": "Authenticator"}
        )
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save()
            request.session.pop(PENDING_TOTP_KEY, None)
            otp_login(request, device)
            from . import audit

            audit.record(
                actor=request.user, action=audit.AuditAction.UPDATE, obj=request.user, fields=["two_factor_device"],
                changes={"two_factor_enrolled": [False, True]},
            )  # fmt: skip
            messages.success(request, "Two-factor authentication is set up.")
            return redirect(_safe_next(request))
        form.add_error("token", "That code did not match. Check the time on your device and try the newest code.")
    svg, secret = _totp_qr(device)
    return render(request, "accounts/two_factor_setup.html", {"form": form, "qr_svg": svg, "secret": secret})


def two_factor_missing(request):
    """A password sign-in with no authenticator, with 2FA required: the way on is a link."""
    return render(request, "accounts/two_factor_missing.html")


def _totp_qr(device):
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode"), b32encode(device.bin_key).decode().rstrip("=")


LINK_SESSION_KEY = "account_link"
LINK_TOTP_KEY = "account_link_totp_key"


def _link_user(purpose, uidb64, token):
    """The active user a valid link is for, or None (forged, expired, used or wrong purpose)."""
    if purpose not in tokens.Purpose.values or not token:
        return None
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not tokens.generator(purpose).check_token(user, token):
        return None
    return user


def _link_invalid(request):
    hours = {"invite_hours": settings.ACCOUNT_INVITE_HOURS, "reset_hours": settings.ACCOUNT_RESET_HOURS}
    return render(request, "accounts/account_link_invalid.html", hours)


@login_not_required
@require_http_methods(["GET"])
def account_link(request):
    """The link from the email: check it, keep its token in the session, drop it from the URL.

    As Django's PasswordResetConfirmView does, the token goes into the session and the browser
    is redirected to a URL without it, so it is not left in the address bar, the history of
    the set-up page or a Referer header. The token is in the query string, which neither
    gunicorn's access log (path only) nor Django's request logging records.
    """
    purpose, uidb64, token = (request.GET.get(k, "") for k in ("p", "u", "t"))
    if _link_user(purpose, uidb64, token) is None:
        return _link_invalid(request)
    request.session[LINK_SESSION_KEY] = {"p": purpose, "u": uidb64, "t": token}
    request.session.pop(LINK_TOTP_KEY, None)
    return redirect("accounts:account_setup")


@login_not_required
@require_http_methods(["GET", "POST"])
def account_setup(request):
    """Through a valid link: choose a password and enrol (or confirm) the authenticator, then in."""
    link = request.session.get(LINK_SESSION_KEY) or {}
    user = _link_user(link.get("p", ""), link.get("u", ""), link.get("t", ""))
    if user is None:
        request.session.pop(LINK_SESSION_KEY, None)
        return _link_invalid(request)
    purpose = tokens.Purpose(link["p"])
    # A password reset keeps a working authenticator: its code, not the mailbox alone, is
    # the second factor. Otherwise (new account, 2FA reset, none yet) a new one is enrolled.
    keeps_device = purpose == tokens.Purpose.PASSWORD and any(True for _ in devices_for_user(user, confirmed=True))
    new_key = None if keeps_device else request.session.setdefault(LINK_TOTP_KEY, random_hex(20))
    form = AccountSetupForm(user, request.POST or None, enrolling=not keeps_device)
    if request.method == "POST" and form.is_valid():
        try:
            user, device = services.complete_account_link(
                user=user,
                purpose=purpose,
                token=link["t"],
                password=form.cleaned_data["new_password1"],
                code=form.cleaned_data["token"],
                new_key=new_key,
            )
        except ValidationError as error:
            if error.code == "link_invalid":
                request.session.pop(LINK_SESSION_KEY, None)
                return _link_invalid(request)
            form.add_error("token", error)
        else:
            request.session.pop(LINK_SESSION_KEY, None)
            request.session.pop(LINK_TOTP_KEY, None)
            auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            otp_login(request, device)
            messages.success(request, "Your password and authenticator are set up. You are signed in.")
            return redirect("accounts:home")
    context = {"form": form, "purpose": purpose, "keeps_device": keeps_device, "account": user}
    if new_key is not None:
        context["qr_svg"], context["secret"] = _totp_qr(TOTPDevice(user=user, key=new_key, name="Authenticator"))
    return render(request, "accounts/account_setup.html", context)


@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    """Ask for the current TOTP code once per session."""
    devices = list(devices_for_user(request.user, confirmed=True))
    if not devices:
        return redirect(reverse("accounts:two_factor_setup") + _next_query(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in devices:
            if device.verify_token(form.cleaned_data["token"]):
                otp_login(request, device)
                return redirect(_safe_next(request))
        form.add_error("token", "That code did not match. Try the newest code from your authenticator app.")
    return render(request, "accounts/two_factor_verify.html", {"form": form})


@access.role_required(access.USER_ADMINS)
def user_list(request):
    pending = Count("grant_requests", filter=Q(grant_requests__outcome=GrantOutcome.PENDING))
    users = User.objects.annotate(pending_grants=pending).prefetch_related("teams").order_by("username")
    teams = Team.objects.annotate(member_count=Count("memberships")).order_by("name")
    return render(request, "accounts/user_list.html", {"users": users, "teams": teams})


@access.role_required(access.USER_ADMINS)
@require_http_methods(["GET", "POST"])
def user_edit(request, pk=None):
    instance = get_object_or_404(User, pk=pk) if pk else User(role=Role.PRACTITIONER)
    form = UserForm(request.POST or None, instance=instance, actor=request.user)
    if request.method == "POST" and form.is_valid():
        creating = instance.pk is None
        user = services.user_save(form=form, actor=request.user)
        messages.success(request, f"Saved {user.username}.")
        if creating:
            sent = services.send_password_link(user=user, actor=request.user, base_url=_base_url(request))
            _link_message(request, user, sent)
        for grant in user.grant_requests.pending().filter(requested_by=request.user):
            messages.info(request, f"Waiting for a safeguarding lead's approval: {grant.describe()}.")
        return redirect("accounts:user_list")
    pending = list(instance.grant_requests.pending().prefetch_related("teams")) if instance.pk else []
    locked = bool(instance.pk) and instance.pk != request.user.pk and services.locked_out(user=instance)
    return render(
        request,
        "accounts/user_form.html",
        {"form": form, "editing": instance, "pending": pending, "locked": locked},
    )


@access.role_required(access.USER_ADMINS)
@require_POST
def user_unlock(request, pk):
    """Lift a django-axes lockout (too many failed sign-ins) on someone else's account."""
    user = get_object_or_404(User, pk=pk)
    services.unlock_sign_in(user=user, actor=request.user)
    messages.success(request, f"{user.username} can sign in again.")
    return redirect(reverse("accounts:user_edit", args=[user.pk]))


@access.role_required(access.LEADS)
@require_GET
def grant_list(request):
    """Grants that open case data, waiting for a lead: who for, what, who asked and when."""
    from . import selectors

    return render(
        request,
        "accounts/grant_list.html",
        {"pending": selectors.pending_grants(), "decided": selectors.recent_decisions()},
    )


@access.role_required(access.LEADS)
@require_POST
def grant_decide(request, pk):
    grant = get_object_or_404(AccessGrantRequest, pk=pk)
    decision = request.POST.get("decision")
    if decision not in ("approve", "decline"):
        messages.error(request, "Choose approve or decline.")
        return redirect("accounts:grant_list")
    try:
        services.grant_decide(grant=grant, actor=request.user, approve=decision == "approve")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("accounts:grant_list")
    verb = "Approved" if decision == "approve" else "Declined"
    messages.success(request, f"{verb} for {grant.user.username}: {grant.describe()}.")
    return redirect("accounts:grant_list")


@access.role_required(access.LEADS)
@require_GET
def access_review(request):
    """Every account, for a lead's periodic review of who can open what."""
    from . import selectors

    rows = selectors.access_review()
    return render(
        request,
        "accounts/access_review.html",
        {
            "rows": rows,
            "pending_count": sum(len(row.pending) for row in rows),
            "dormant_days": settings.DORMANT_ACCOUNT_DAYS,
        },
    )


ACCESS_REVIEW_HEADER = ["Username", "Name", "Role", "Active", "Teams", "Named on restricted cases",
                        "Last sign-in", "Two-factor enrolled", "Pending grants"]  # fmt: skip


@access.role_required(access.LEADS)
@require_GET
def access_review_csv(request):
    """The access review as CSV for the council's access audit (audited as an export)."""
    import csv
    import io

    from . import audit, selectors
    from .text import spreadsheet_cell

    rows = selectors.access_review()
    audit.record(
        actor=request.user,
        action=audit.AuditAction.EXPORT,
        object_type="accounts.user",
        detail=f"access review CSV, {len(rows)} accounts",
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(ACCESS_REVIEW_HEADER)
    for row in rows:
        user = row.user
        writer.writerow(
            [
                spreadsheet_cell(user.username),
                spreadsheet_cell(user.get_full_name()),
                user.get_role_display(),
                "yes" if user.is_active else "no",
                spreadsheet_cell("; ".join(row.teams)),
                spreadsheet_cell("; ".join(row.named_cases)),
                timezone.localtime(user.last_login).isoformat(timespec="minutes") if user.last_login else "never",
                "yes" if row.two_factor else "no",
                spreadsheet_cell(
                    "; ".join(f"{g.describe()} (asked by {g.requested_by.username})" for g in row.pending)
                ),
            ]
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="access-review-{timezone.localdate().isoformat()}.csv"'
    response["Cache-Control"] = "no-store"
    return response


def _base_url(request):
    return settings.SITE_URL or request.build_absolute_uri("/")


def _link_message(request, user, sent):
    if sent:
        messages.success(request, f"A one-time link has been emailed to {user.username}.")
    elif not user.is_active:
        messages.warning(request, f"{user.username} is deactivated, so no link was sent: reactivate them first.")
    elif not user.email:
        messages.warning(request, f"{user.username} has no email address: add one, then send a new link.")
    else:
        messages.warning(request, f"The email to {user.username} could not be sent. Try again from their page.")


def _other_user(request, pk):
    """An account an administrator acts on: never their own (they use their own link or password)."""
    user = get_object_or_404(User, pk=pk)
    if user.pk == request.user.pk:
        raise PermissionDenied
    return user


@access.role_required(access.USER_ADMINS)
@require_POST
def user_reset_two_factor(request, pk):
    user = _other_user(request, pk)
    sent = services.two_factor_reset(user=user, actor=request.user, base_url=_base_url(request))
    messages.success(request, f"{user.username}'s authenticator is removed and they are signed out everywhere.")
    _link_message(request, user, sent)
    return redirect(reverse("accounts:user_edit", args=[user.pk]))


@access.role_required(access.USER_ADMINS)
@require_POST
def user_send_link(request, pk):
    user = _other_user(request, pk)
    sent = services.send_password_link(user=user, actor=request.user, base_url=_base_url(request))
    _link_message(request, user, sent)
    return redirect(reverse("accounts:user_edit", args=[user.pk]))


@access.role_required(access.USER_ADMINS)
@require_http_methods(["GET", "POST"])
def team_edit(request, pk=None):
    instance = get_object_or_404(Team, pk=pk) if pk else Team()
    form = TeamForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        team = services.team_save(form=form, actor=request.user)
        messages.success(request, f"Saved team {team.name}.")
        return redirect("accounts:user_list")
    return render(request, "accounts/team_form.html", {"form": form, "editing": instance})
