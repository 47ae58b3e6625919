"""Drive a role's journey through the real UI with axe-core on every page the browser lands on.

Every step that changes the page (`open`, `follow`, `press`, `visit_navigation`, `refused`)
waits for the new document and runs `assert_accessible` on it, and the journey counts the
documents the browser loaded: a step that lands on a page without checking it fails the next
check. So a journey cannot skip a page, and a page added to the navigation bar
(`accounts/navigation.py`) is visited and checked by every role's `visit_navigation()`
without editing the journeys. A page reached another way is one more `follow(...)` line.
"""

import re

from django.urls import reverse

from accounts.navigation import NAV_ITEMS


def nav_labels_for(user):
    """The navigation labels the policy gives this user, in order (the same list the bar shows)."""
    return [label for label, _name, roles in NAV_ITEMS if user is not None and user.role in roles]


class Journey:
    def __init__(self, page, base_url, check, *, user=None):
        self.page = page
        self.base_url = base_url
        self.user = user
        self._check = check
        self.checked = []  # URLs axe-core ran on, in order
        self._loaded = 0  # documents the browser loaded
        self._seen = 0  # of those, how many had been loaded at the last check
        page.on("load", self._on_load)

    def _on_load(self, _page):
        self._loaded += 1

    # --- steps that land on a page (each runs axe-core on it) --------------------------

    def check(self):
        """Run axe-core on the current page; fail if an earlier page was landed on and skipped."""
        self.page.wait_for_load_state("load")
        skipped = self._loaded - self._seen - 1
        assert skipped <= 0, f"{skipped} page(s) loaded before {self.page.url} were not checked with axe-core"
        self._seen = self._loaded
        self._check(self.page)
        self.checked.append(self.page.url)
        return self.page

    def finish(self):
        """At the end of the test: the last page the browser landed on was checked too."""
        self.page.remove_listener("load", self._on_load)
        unchecked = self._loaded - self._seen
        assert unchecked == 0, f"the journey ended on {self.page.url} without checking it with axe-core"

    def open(self, path):
        """Type an address (a bookmark or a link from elsewhere): only where the UI has no link."""
        response = self.page.goto(self.base_url + path)
        self.check()
        return response

    def follow(self, name, *, exact=False, within=None, nth=0):
        """Click the link with this accessible name and check the page it leads to."""
        scope = self.page.locator(within) if within else self.page
        link = scope.get_by_role("link", name=name, exact=exact).nth(nth)
        with self.page.expect_navigation():
            link.click()
        return self.check()

    def press(self, name, *, exact=True):
        """Press the button with this name (submitting its form) and check the page that answers."""
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=name, exact=exact).click()
        return self.check()

    def refused(self, path, status):
        """Typing an address the role may not use answers `status`; the refusal page is checked too."""
        response = self.open(path)
        assert response.status == status, f"{path} answered {response.status}, expected {status}"
        return response

    # --- the navigation bar ---------------------------------------------------------------

    def nav_labels(self):
        return self.page.get_by_role("navigation", name="Main").locator("a.nav-link").all_inner_texts()

    def visit_navigation(self):
        """Check the bar shows exactly this role's items, then visit and check each of them."""
        expected = nav_labels_for(self.user)
        assert self.nav_labels()[: len(expected)] == expected
        hidden = {label for label, _name, _roles in NAV_ITEMS} - set(expected)
        assert not hidden & set(self.nav_labels()), f"the bar shows items this role may not use: {hidden}"
        for label in expected:
            self.follow(re.compile(f"^{re.escape(label)}$"), within="nav[aria-label='Main']")
            active = self.page.locator("nav[aria-label='Main'] a[aria-current='page']")
            assert active.inner_text() == label
        return expected

    # --- downloads --------------------------------------------------------------------------

    def download(self, name, *, content_type):
        """Click a download link: the file arrives as an attachment, never cached, of the right type."""
        link = self.page.get_by_role("link", name=name, exact=True)
        response = self.page.context.request.get(self.base_url + link.get_attribute("href"))
        assert response.status == 200
        assert response.headers["content-type"].startswith(content_type)
        assert "no-store" in response.headers["cache-control"]
        with self.page.expect_download() as info:
            link.click()
        return info.value

    def sees_no_link_to(self, *url_names, **kwargs):
        for name in url_names:
            href = reverse(name, kwargs=kwargs or None)
            assert self.page.locator(f"a[href='{href}']").count() == 0, f"{self.page.url} links to {href}"
