"""The notifications page, mark read and the mail preference. Every signed-in user with a role
has a page of their own; nobody sees another's items."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import access, audit
from accounts.models import Role

from . import selectors, services
from .forms import MarkReadForm, PreferenceForm
from .models import NotificationPreference

#: Everyone with a role (a new account with none yet has nothing here).
SIGNED_IN = frozenset(role for role in Role if role != Role.NONE)


@access.role_required(SIGNED_IN)
@require_GET
def notification_list(request):
    rows = selectors.items(request.user)
    audit.record(
        actor=request.user, action=audit.AuditAction.VIEW, object_type="notifications.notification",
        detail="notifications page",
    )  # fmt: skip
    unread = [row for row in rows if row.read_at is None]
    return render(
        request,
        "notifications/list.html",
        {"rows": rows, "unread": len(unread), "page_size": selectors.PAGE_SIZE, "today": timezone.localdate()},
    )


@access.role_required(SIGNED_IN)
@require_POST
def mark_read(request):
    form = MarkReadForm(request.POST)
    if form.is_valid():
        if form.cleaned_data["all"]:
            ids = list(selectors.visible(request.user).unread().values_list("pk", flat=True))
        else:
            ids = form.cleaned_data["ids"]
        done = services.mark_read(user=request.user, ids=ids)
        messages.success(request, f"{done} notification{'' if done == 1 else 's'} marked read.")
    else:
        messages.error(request, "Choose notifications from the list.")
    return redirect("notifications:list")


@access.role_required(SIGNED_IN)
@require_http_methods(["GET", "POST"])
def preferences(request):
    instance = NotificationPreference.objects.filter(user=request.user).first() or NotificationPreference(
        user=request.user
    )
    form = PreferenceForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        services.save_preference(user=request.user, form=form)
        messages.success(request, "Your email preference is saved.")
        return redirect("notifications:list")
    return render(request, "notifications/preferences.html", {"form": form})
