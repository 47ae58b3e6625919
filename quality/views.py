"""Practice quality pages for managers and leads: the MSP measures and six-principle results of
closed cases, trends by month, and the random-sample case audit. Thin: parse a form, call
a selector or a service, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts import access, audit
from accounts.submissions import once_per_key
from feedback.selectors import team_feedback
from msp.db import figures_transaction
from reporting import charts

from . import selectors, services
from .forms import AuditRatingForm, PracticeAuditFilter, PracticeAuditForm, QualityFilterForm

GET = require_http_methods(["GET"])
GET_POST = require_http_methods(["GET", "POST"])


def _page_number(request):
    try:
        return max(1, min(int(request.GET.get("page", 1)), 10_000))
    except ValueError:
        return 1


def _trend_charts(concerns, achievement):
    labels = [selectors.month_label(month) for month, _n in concerns]
    concerns_svg = charts.line_chart(
        "Concerns received by month",
        labels,
        [("Concerns received", [n for _m, n in concerns])],
        chart_id="chart-concerns",
    )
    achievement_svg = charts.line_chart(
        "Outcome achievement by month of closure",
        labels,
        [
            ("Fully achieved", [row["fully"] for row in achievement]),
            ("Partially achieved", [row["partially"] for row in achievement]),
            ("Not achieved", [row["not"] for row in achievement]),
        ],
        chart_id="chart-achievement",
    )
    return concerns_svg, achievement_svg


@access.role_required(access.MANAGERS)
@GET
def quality_index(request):
    form = QualityFilterForm(request.GET or None, user=request.user)
    context = {"form": form}
    if not form.is_bound or form.is_valid():
        scope = form.scope()
        with figures_transaction():
            counts, months = selectors.enquiry_figures(request.user, scope)
            concerns = selectors.concerns_by_month(request.user, scope)
            principle_checks = selectors.principle_check_results(request.user, scope, counts["closed"])
            sample_results = selectors.sample_audit_results(request.user, scope)
            feedback = team_feedback(request.user, start=scope.start, end=scope.end, team=scope.team)
        achievement = selectors.achievement_by_month(months)
        concerns_svg, achievement_svg = _trend_charts(concerns, achievement)
        context.update(
            scope=scope,
            counts=counts,
            measures=selectors.msp_measures(counts),
            principle_checks=principle_checks,
            sample_results=sample_results,
            feedback=feedback,
            rating_columns=selectors.RATING_COLUMNS,
            concerns=[(selectors.month_label(m), n) for m, n in concerns],
            achievement=[{**row, "label": selectors.month_label(row["month"])} for row in achievement],
            concerns_svg=concerns_svg,
            achievement_svg=achievement_svg,
        )
    audit.record(
        actor=request.user,
        action=audit.AuditAction.VIEW,
        object_type="outcomes.practicequality",
        fields=sorted(name for name in ("team", "date_from", "date_to", "kind") if request.GET.get(name)),
        detail="practice quality figures",
    )
    return render(request, "quality/index.html", context)


@access.role_required(access.MANAGERS)
@GET
def audit_list(request):
    audit_filter = PracticeAuditFilter(
        request.GET or None, queryset=selectors.audit_list(request.user), user=request.user
    )
    paginator = Paginator(audit_filter.qs, selectors.AUDIT_PAGE_SIZE)
    page = paginator.get_page(_page_number(request))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "quality/audit_list.html",
        {"filter": audit_filter, "page": page, "query_string": query.urlencode(), "filtered": bool(query)},
    )


@access.role_required(access.MANAGERS)
@GET_POST
@once_per_key
def audit_create(request):
    form = PracticeAuditForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            audit_row = services.create_practice_audit(
                actor=request.user,
                team=data.get("team"),
                start=data["period_start"],
                end=data["period_end"],
                size=data["sample_size"],
            )
        except ValidationError as exc:
            for problem in exc.messages:
                form.add_error(None, problem)
        else:
            drawn = selectors.drawn_count(audit_row)
            messages.success(request, f"{drawn} closed case{'s' if drawn != 1 else ''} drawn for the audit.")
            return redirect("quality:audit_detail", audit_row.pk)
    return render(request, "quality/audit_form.html", {"form": form})


@access.role_required(access.MANAGERS)
@GET
def audit_detail(request, pk):
    audit_row = selectors.get_audit_for_user(request.user, pk)
    drawn = list(selectors.audit_cases(request.user, audit_row))
    audit.record(actor=request.user, action=audit.AuditAction.VIEW, obj=audit_row, detail="practice audit")
    return render(
        request,
        "quality/audit_detail.html",
        {
            "audit": audit_row,
            "drawn": drawn,
            "rated": sum(1 for row in drawn if row.rated_at),
            "summary": selectors.audit_summary(audit_row),
            "rating_columns": selectors.RATING_COLUMNS,
        },
    )


@access.role_required(access.MANAGERS)
@GET_POST
def audit_rate(request, pk):
    audit_case = selectors.get_audit_case_for_user(request.user, pk)
    form = AuditRatingForm(request.POST or None, ratings=selectors.case_ratings(audit_case))
    if request.method == "POST" and form.is_valid():
        services.save_case_ratings(actor=request.user, audit_case=audit_case, ratings=form.ratings())
        messages.success(request, f"Ratings for case {audit_case.case.ref} saved.")
        return redirect(reverse("quality:audit_detail", kwargs={"pk": audit_case.audit_id}) + f"#case-{audit_case.pk}")
    if request.method == "GET":
        audit.record(
            actor=request.user,
            action=audit.AuditAction.VIEW,
            obj=audit_case,
            case_id=audit_case.case_id,
            detail="practice audit ratings",
        )
    return render(request, "quality/audit_rate.html", {"audit_case": audit_case, "case": audit_case.case, "form": form})
