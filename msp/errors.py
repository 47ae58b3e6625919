"""Error pages that keep the site's layout and say what to do next, without leaking detail.

A refusal says its real reason. `StateRefused` is for a rule of the case's stage ("MSP records
can be added while the enquiry is open"): it is not a permission, so it answers 409 with the
reason and a link back. A `PermissionDenied` with a message shows that message; a bare one (the
access policy's role check) says the role does not allow the page. Every refusal is logged as one
line with the user's role and the URL name, never a traceback or the path's values.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.template.loader import get_template

logger = logging.getLogger("msp.refused")


class StateRefused(PermissionDenied):
    """Refused by the case's stage, not by the user's role: `back_url` is where to go instead."""

    status_code = 409

    def __init__(self, message, *, back_url, back_label="Back to the case"):
        super().__init__(message)
        self.message = message
        self.back_url = back_url
        self.back_label = back_label


def _reason(exception):
    return str(exception.args[0]) if exception is not None and exception.args else ""


def permission_denied(request, exception=None):
    state = isinstance(exception, StateRefused)
    status = StateRefused.status_code if state else 403
    reason = _reason(exception)
    context = {"reason": reason, "state_rule": state}
    if state:
        context.update(back_url=exception.back_url, back_label=exception.back_label)
    response = render(request, "403.html", context, status=status)
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    logger.warning(
        "Refused %s: role=%s url_name=%s kind=%s",
        status,
        getattr(user, "role", "") or ("anonymous" if not getattr(user, "is_authenticated", False) else "none"),
        match.view_name if match else "-",
        "state" if state else "permission",
    )
    response._has_been_logged = True  # Django's own "Forbidden" line carries a whole traceback
    return response


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: the database or session may be what failed.
    from django.http import HttpResponseServerError

    return HttpResponseServerError(get_template("500.html").render({}))
