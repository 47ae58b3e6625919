from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from . import access, services
from .forms import TeamForm, TokenForm, UserForm
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
    """Enrol a TOTP authenticator: show the key as a QR code and confirm one code from it."""
    if any(True for _ in devices_for_user(request.user, confirmed=True)):
        return redirect(reverse("accounts:two_factor_verify") + _next_query(request))
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
                actor=request.user, action=audit.AuditAction.UPDATE, obj=request.user, fields=["two_factor_device"]
            )
            messages.success(request, "Two-factor authentication is set up.")
            return redirect(_safe_next(request))
        form.add_error("token", "That code did not match. Check the time on your device and try the newest code.")
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    svg = image.to_string(encoding="unicode")
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return render(request, "accounts/two_factor_setup.html", {"form": form, "qr_svg": svg, "secret": secret})


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
        user = services.user_save(form=form, actor=request.user)
        messages.success(request, f"Saved {user.username}.")
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


@access.role_required({Role.LEAD})
@require_GET
def grant_list(request):
    """Grants that open case data, waiting for a lead: who for, what, who asked and when."""
    from . import selectors

    return render(
        request,
        "accounts/grant_list.html",
        {"pending": selectors.pending_grants(), "decided": selectors.recent_decisions()},
    )


@access.role_required({Role.LEAD})
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


@access.role_required({Role.LEAD})
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


@access.role_required({Role.LEAD})
@require_GET
def access_review_csv(request):
    """The access review as CSV for the council's access audit (audited as an export)."""
    import csv
    import io

    from cases.workspace_views import _cell

    from . import audit, selectors

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
                _cell(user.username),
                _cell(user.get_full_name()),
                user.get_role_display(),
                "yes" if user.is_active else "no",
                _cell("; ".join(row.teams)),
                _cell("; ".join(row.named_cases)),
                timezone.localtime(user.last_login).isoformat(timespec="minutes") if user.last_login else "never",
                "yes" if row.two_factor else "no",
                _cell("; ".join(f"{g.describe()} (asked by {g.requested_by.username})" for g in row.pending)),
            ]
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="access-review-{timezone.localdate().isoformat()}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@access.role_required(access.USER_ADMINS)
@require_POST
def user_reset_two_factor(request, pk):
    user = get_object_or_404(User, pk=pk)
    services.two_factor_reset(user=user, actor=request.user)
    messages.success(request, f"{user.username} will set up a new authenticator at their next sign-in.")
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
