"""The managers' workspace pages. Thin: check access, read the filters from the URL, call a
selector or service, render. The only POST (allocation) changes state."""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts import access, audit
from accounts.text import spreadsheet_cell
from cases.models import CaseState
from cases.selectors import LIST_PAGE_SIZE, ListPage
from cases.views import page_number
from msp.db import figures_transaction
from outcomes import selectors as outcome_selectors

from . import selectors, services
from .forms import (
    BulkAllocationForm,
    DashboardForm,
    QueueForm,
    TeamForm,
    WorkItemFilter,
    WorkspaceCaseFilter,
)


def _query_string(request, *drop):
    query = request.GET.copy()
    for name in ("page", *drop):
        query.pop(name, None)
    return query.urlencode()


def _list_audit(request, object_type, fields, detail):
    audit.record(
        actor=request.user, action=audit.AuditAction.SEARCH, object_type=object_type, fields=fields, detail=detail
    )


@access.role_required(access.MANAGERS)
@require_GET
def dashboard(request):
    form = DashboardForm(request.GET or None, user=request.user)
    team = form.chosen_team()
    scope = {"team": team.pk} if team else {}
    # The counts (and the panels' counts, read while the page renders) with PostgreSQL's JIT
    # compiler off: it compiled the open-cases count for 140 ms to run it in 50.
    with figures_transaction():
        figures = selectors.dashboard_figures(user=request.user, team=team, no_contact_days=form.no_contact_days())
        return render(
            request,
            "workspace/dashboard.html",
            {"form": form, "figures": figures, "team": team, "scope": scope, "today": timezone.localdate()},
        )


@access.role_required(access.MANAGERS)
@require_http_methods(["GET", "POST"])
def case_list(request):
    case_filter = WorkspaceCaseFilter(
        request.GET or None, queryset=selectors.workspace_cases(user=request.user), user=request.user
    )
    page = selectors.Page(case_filter.qs, page_number(request), LIST_PAGE_SIZE, rows=selectors.case_rows())
    allocation = BulkAllocationForm(request.POST if request.method == "POST" else None, user=request.user)
    status = 200
    if request.method == "POST" and allocation.is_valid():
        try:
            moved = services.reallocate(
                actor=request.user,
                case_ids=allocation.cleaned_data["cases"],
                to_user=allocation.cleaned_data["to"],
                reason=allocation.cleaned_data["reason"],
                expected_versions=allocation.versions(request.POST),
            )
        except services.ReallocationConflict as conflict:
            allocation.add_error(
                None,
                f"Someone else changed {', '.join(conflict.refs)} after you loaded this page. "
                "Nothing was moved: check the list and try again.",
            )
            status = 409
        except ValidationError as error:
            allocation.add_error(None, error)
            status = 400
        else:
            who = allocation.cleaned_data["to"].display_name
            messages.success(request, f"{len(moved)} case{'s' if len(moved) != 1 else ''} allocated to {who}.")
            return redirect(request.get_full_path())
    elif request.method == "POST":
        status = 400
    _list_audit(request, "cases.case", case_filter.used_filters(), f"workspace list page {page.number}")
    ticked = {str(v) for v in request.POST.getlist("cases")} if request.method == "POST" else set()
    return render(
        request,
        "workspace/case_list.html",
        {
            "page": page,
            "filter": case_filter,
            "allocation": allocation,
            "ticked": ticked,
            "query_string": _query_string(request),
            "export_query": _query_string(request),
            "no_contact_days": case_filter.no_contact_days(),
        },
        status=status,
    )


class Echo:
    def write(self, value):
        return value


EXPORT_HEADER = ["Case reference", "Team", "Stage", "Received", "Decision due", "Enquiry started", "Lead practitioner"]


@access.role_required(access.MANAGERS)
@require_GET
def case_export(request):
    """The workspace list as filtered, one row per case, streamed as CSV."""
    case_filter = WorkspaceCaseFilter(
        request.GET or None,
        queryset=selectors.workspace_cases(user=request.user),
        user=request.user,
    )
    rows = case_filter.qs
    audit.record(
        actor=request.user,
        action=audit.AuditAction.EXPORT,
        object_type="cases.case",
        fields=case_filter.used_filters(),
        detail="workspace CSV export",
    )
    labels = dict(CaseState.choices)
    writer = csv.writer(Echo())

    def lines():
        yield writer.writerow(EXPORT_HEADER)
        for ref, team, state, received, due, started, first, last, username in selectors.export_rows(rows):
            lead = " ".join(part for part in (first, last) if part) or (username or "")
            yield writer.writerow(
                [
                    spreadsheet_cell(ref),
                    spreadsheet_cell(team),
                    labels.get(state, state),
                    timezone.localtime(received).date().isoformat(),
                    due.isoformat() if due else "",
                    started.isoformat() if started else "",
                    spreadsheet_cell(lead),
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cases-{timezone.localdate().isoformat()}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@access.role_required(access.MANAGERS)
@require_GET
def sign_off_queue(request):
    form = QueueForm(request.GET or None, user=request.user)
    team, kind = form.chosen_team(), form.kind_shown()
    number = page_number(request)
    decisions = closures = None
    if kind in ("", "decisions"):
        decisions = selectors.Page(
            selectors.decisions_awaiting_sign_off(user=request.user, team=team), number, LIST_PAGE_SIZE
        )
    if kind in ("", "closures"):
        closures = selectors.Page(
            selectors.closures_awaiting_sign_off(user=request.user, team=team),
            number,
            LIST_PAGE_SIZE,
            rows=selectors.closure_rows(),
        )
    _list_audit(request, "cases.decision", sorted(k for k in ("team", "kind") if request.GET.get(k)), "sign-off queue")
    return render(
        request,
        "workspace/queue.html",
        {
            "form": form,
            "decisions": decisions,
            "closures": closures,
            "page_number": number,
            "has_next": any(p is not None and p.has_next for p in (decisions, closures)),
            "query_string": _query_string(request),
        },
    )


@access.role_required(access.MANAGERS)
@require_GET
def caseload(request):
    form = TeamForm(request.GET or None, user=request.user)
    team = form.chosen_team()
    rows = selectors.caseloads(user=request.user, team=team)
    _list_audit(request, "cases.enquiry", ["team"] if team else [], "caseload by practitioner")
    return render(request, "workspace/caseload.html", {"form": form, "rows": rows, "team": team})


def _work_items(request, *, queryset, template, object_type, title):
    item_filter = WorkItemFilter(request.GET or None, queryset=queryset, user=request.user)
    page = ListPage(item_filter.qs, page_number(request), LIST_PAGE_SIZE)
    _list_audit(request, object_type, ["team"] if request.GET.get("team") else [], f"{title} page {page.number}")
    return render(
        request,
        template,
        {"filter": item_filter, "page": page, "query_string": _query_string(request), "title": title},
    )


@access.role_required(access.MANAGERS)
@require_GET
def overdue_actions(request):
    return _work_items(
        request,
        queryset=outcome_selectors.overdue_plan_actions(request.user),
        template="workspace/actions.html",
        object_type="outcomes.planaction",
        title="Overdue protection plan actions",
    )


@access.role_required(access.MANAGERS)
@require_GET
def followups_due(request):
    return _work_items(
        request,
        queryset=outcome_selectors.open_door_followups_due(request.user),
        template="workspace/followups.html",
        object_type="outcomes.declinedsupport",
        title="Open-door follow-ups due",
    )


@access.role_required(access.CASE_WORKERS)
@require_GET
def my_work(request):
    user = request.user
    page = selectors.Page(
        selectors.my_cases(user=user), page_number(request), LIST_PAGE_SIZE, rows=selectors.my_case_rows()
    )
    queues = outcome_selectors.my_followups(user)
    context = {
        "page": page,
        "query_string": "",
        "contacts": list(selectors.next_contacts_due(user=user)[:LIST_PAGE_SIZE]),
        "returned": list(selectors.returned_decisions(user=user)[:LIST_PAGE_SIZE]),
        "followups": list(queues["followups"][:LIST_PAGE_SIZE]),
        "actions": list(queues["actions"][:LIST_PAGE_SIZE]),
        "today": timezone.localdate(),
        "page_size": LIST_PAGE_SIZE,
    }
    _list_audit(request, "cases.case", [], f"my work page {page.number}")
    return render(request, "workspace/my_work.html", context)
