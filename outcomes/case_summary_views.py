"""Views of the staff case summary PDF: request it (POST) and download it, through the access policy."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts import access
from cases.access import get_case_for_user

from . import case_summary
from .models import SummaryStatus


@access.role_required(access.CASE_WORKERS)
@require_POST
def case_summary_request(request, pk):
    case = get_case_for_user(request.user, pk)
    document = case_summary.request_case_summary(case=case, actor=request.user)
    if document.status == SummaryStatus.FAILED:
        messages.error(
            request,
            "The case summary could not be prepared because the document service is unavailable. "
            "Nothing was produced: please try again in a few minutes.",
        )
    else:
        messages.success(request, "The case summary is being prepared. Refresh this page to download it.")
    return redirect(reverse("cases:detail", args=[case.pk]) + "#case-summary-heading")


@access.role_required(access.CASE_WORKERS)
@require_http_methods(["GET"])
def case_summary_download(request, pk):
    document = case_summary.case_summary_for_user(request.user, pk)
    if document.status != SummaryStatus.DONE or not document.file:
        raise Http404("This case summary is not ready.")
    case_summary.case_summary_downloaded(document=document, actor=request.user)
    response = FileResponse(
        document.file.open("rb"), as_attachment=True, filename=f"case-summary-{document.case.ref}.pdf"
    )
    response["Content-Type"] = "application/pdf"
    return response
