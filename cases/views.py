from django.core.paginator import Paginator
from django.shortcuts import render

from accounts import access, audit

from . import selectors


@access.role_required(access.CASE_WORKERS)
def case_list(request):
    page = Paginator(selectors.case_list(user=request.user), 25).get_page(request.GET.get("page"))
    audit.record(
        actor=request.user, action=audit.AuditAction.SEARCH, object_type="cases.case", detail=f"list page {page.number}"
    )
    return render(request, "cases/case_list.html", {"page": page})


@access.role_required(access.CASE_WORKERS)
def case_detail(request, pk):
    case = access.get_case_for_user(request.user, pk, queryset=selectors.case_detail_queryset())
    audit.record(actor=request.user, action=audit.AuditAction.VIEW, obj=case, case_id=case.pk)
    events = case.events.select_related("actor")
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "abuse_types": case.abuse_types.all(),
            "decisions": case.decisions.select_related("proposed_by", "reviewed_by"),
            "events": events,
            "can_edit": access.can_edit_case(request.user, case),
            "can_see_access_log": access.manages(request.user),
        },
    )


@access.role_required(access.MANAGERS)
def case_access_log(request, pk):
    case = access.get_case_for_user(request.user, pk, queryset=selectors.case_detail_queryset())
    audit.record(actor=request.user, action=audit.AuditAction.VIEW, obj=case, case_id=case.pk, detail="access log")
    page = Paginator(selectors.case_access_log(case=case), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/case_access_log.html",
        {"case": case, "page": page, "readers": selectors.case_readers(case=case)},
    )
