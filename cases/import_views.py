"""The legacy case import page for safeguarding leads."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize

from accounts import access
from accounts.submissions import once_per_key

from .import_forms import ImportForm
from .importer import COLUMNS, OPTIONAL_COLUMNS, RISK_FILE_COLUMNS, ImportFileError, import_upload


@access.role_required(access.LEADS)
@once_per_key
def upload(request):
    errors = []
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            risks = form.cleaned_data["risks"]
            try:
                count = import_upload(
                    form.cleaned_data["file"].file, risks=risks.file if risks else None, actor=request.user
                )
            except ImportFileError as exc:
                errors = exc.errors
            else:
                messages.success(request, f"Imported {count:,} case{pluralize(count)}.")
                return redirect("case_import:upload")
    else:
        form = ImportForm()
    status = 400 if errors or form.errors else 200
    context = {
        "form": form,
        "errors": errors,
        "columns": COLUMNS,
        "optional_columns": OPTIONAL_COLUMNS,
        "risk_columns": RISK_FILE_COLUMNS,
    }
    return render(request, "cases/import_upload.html", context, status=status)
