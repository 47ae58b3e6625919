from pathlib import PurePosixPath

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts import access

from . import requests, selectors, services
from .forms import ReportRequestForm, ReturnYearForm
from .models import ReportStatus


@access.role_required(access.REPORT_READERS)
@require_GET
def index(request):
    runs = selectors.report_runs_for(request.user)[:50]
    return render(request, "reporting/index.html", {"runs": runs})


@access.role_required(access.REPORT_READERS)
@require_http_methods(["GET", "POST"])
def request_report(request):
    form = ReportRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        run = requests.request_report(
            user=request.user,
            period_start=form.cleaned_data["period_start"],
            period_end=form.cleaned_data["period_end"],
            team=form.cleaned_data.get("team"),
        )
        if run.status == ReportStatus.FAILED:
            messages.error(request, run.failure_reason)
        else:
            messages.success(request, "Your report has been requested. This page updates when it is ready.")
        return redirect("reporting:detail", pk=run.pk)
    return render(request, "reporting/request.html", {"form": form})


@access.role_required(access.REPORT_READERS)
@require_GET
def detail(request, pk):
    run = selectors.get_run_for_user(request.user, pk)
    return render(
        request,
        "reporting/detail.html",
        {"run": run, "downloads": selectors.downloads_for(request.user, run)},
    )


@access.role_required(access.REPORT_READERS)
@require_GET
def status(request, pk):
    run = selectors.get_run_for_user(request.user, pk)
    return JsonResponse(selectors.run_status(request.user, run))


def _download(request, pk, kind):
    run = selectors.get_run_for_user(request.user, pk)
    name = getattr(run, kind).name
    if run.status != ReportStatus.DONE or not name or not default_storage.exists(name):
        raise Http404("This report has no such file.")
    services.record_download(user=request.user, run=run, kind=kind)
    content_type = "application/pdf" if kind == "pdf" else "text/csv; charset=utf-8"
    response = FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=PurePosixPath(name).name,
        content_type=content_type,
    )
    return response


@access.role_required(access.REPORT_READERS)
@require_GET
def download_pdf(request, pk):
    return _download(request, pk, "pdf")


@access.role_required(access.REPORT_READERS)
@require_GET
def download_csv(request, pk):
    return _download(request, pk, "csv")


@access.role_required(access.LEADS)
@require_GET
def download_unrounded_csv(request, pk):
    return _download(request, pk, "csv_unrounded")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@access.role_required(access.LEADS)
@require_http_methods(["GET", "POST"])
def sac_return(request):
    """The statutory return: the checks before submission for a year, and its workbook queued on the worker."""
    form = ReturnYearForm(request.POST or request.GET or None)
    if request.method == "POST" and form.is_valid():
        try:
            requests.request_return(user=request.user, year=form.cleaned_data["year"])
        except ValidationError as error:
            form.add_error("year", error)
        else:
            messages.success(request, "The workbook has been requested. Refresh this page to see when it is ready.")
            return redirect(
                f"{request.path}?year={form.cleaned_data['year'].start.year}-"
                f"{form.cleaned_data['year'].end.year % 100:02d}"
            )
    year = form.cleaned_data["year"] if form.is_bound and form.is_valid() else None
    if year is None and not form.is_bound:
        from .periods import parse_fy

        year = parse_fy(form.fields["year"].initial)
    checks = selectors.return_checks(year) if year is not None else []
    return render(
        request,
        "reporting/sac_return.html",
        {
            "form": form,
            "year": year,
            "checks": checks,
            "failed": [check for check in checks if not check.passed],
            "runs": selectors.return_runs_for(request.user)[:20],
        },
    )


@access.role_required(access.LEADS)
@require_GET
def sac_return_download(request, pk):
    run = selectors.get_return_for_user(request.user, pk)
    name = run.xlsx.name
    if run.status != ReportStatus.DONE or not name or not default_storage.exists(name):
        raise Http404("This workbook has no file.")
    services.record_return_download(user=request.user, run=run)
    return FileResponse(
        default_storage.open(name, "rb"), as_attachment=True, filename=PurePosixPath(name).name, content_type=XLSX
    )
