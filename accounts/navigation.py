"""The navigation bar for each role: one list, filtered by the access policy's role sets."""

from django.urls import reverse

from . import access

# (label, url name, roles that see it)
NAV_ITEMS = [
    ("Team dashboard", "workspace:dashboard", access.MANAGERS),
    ("Sign-off queue", "workspace:queue", access.MANAGERS),
    ("Practice quality", "quality:index", access.MANAGERS),
    ("My work", "workspace:my_work", access.CASE_WORKERS),
    ("Cases", "cases:list", access.CASE_WORKERS),
    ("SAB reports", "reporting:index", access.REPORT_READERS),
    ("Users and teams", "accounts:user_list", access.USER_ADMINS),
    ("Access review", "accounts:access_review", access.LEADS),
    ("Record a concern", "cases:create", access.CASE_WORKERS),
    ("Import cases", "case_import:upload", access.LEADS),
]


def items_for(user, current_path=""):
    items = []
    for label, name, roles in NAV_ITEMS:
        if access.has_role(user, roles):
            url = reverse(name)
            items.append({"label": label, "url": url, "active": False})
    # One item is the current page (aria-current): the one whose address matches the most of the
    # path, so "Record a concern" (/cases/new/) is current there, not "Cases" (/cases/) as well,
    # and /workspace/ is not current on /workspace/my-work/.
    matching = [item for item in items if current_path.startswith(item["url"])]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["active"] = True
    return items
