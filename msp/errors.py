"""Error pages that keep the site's layout and say what to do next, without leaking detail."""

from django.shortcuts import render
from django.template.loader import get_template


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: the database or session may be what failed.
    from django.http import HttpResponseServerError

    return HttpResponseServerError(get_template("500.html").render({}))
