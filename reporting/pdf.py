"""HTML to PDF: the only module that imports WeasyPrint.

Rendering is locked down: the URL fetcher serves the application's own static files and
nothing else. `file://` URLs, network URLs (http, https, ftp, data of unknown type) and PDF
attachments are refused, so a value typed into a case can never make the renderer read a
server file or call out to the network.
"""

import logging
import mimetypes
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

from accounts.text import neutralise_bidi

# WeasyPrint logs every layout step at INFO (some while it is imported): too chatty for a
# worker's log, so quieten it before the import.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import HTML  # noqa: E402
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

#: The base URL documents are rendered against: `{% static %}` paths resolve under it.
INTERNAL_BASE_URL = "msp-internal://app/"


class RefusedURL(ValueError):
    """Raised (and logged by WeasyPrint as a missing resource) for every refused URL."""


class StaticOnlyURLFetcher(URLFetcher):
    """Serve `msp-internal://app/static/...` from the static files; refuse everything else."""

    def __init__(self):
        super().__init__(allowed_protocols=("msp-internal",), allow_redirects=False, fail_on_errors=False)

    def fetch(self, url, headers=None):
        return static_response(url)


def static_response(url):
    """The fetcher's decision for one URL: a response for an app static file, or RefusedURL."""
    prefix = INTERNAL_BASE_URL + settings.STATIC_URL.lstrip("/")
    if not url.startswith(prefix):
        raise RefusedURL(f"refused URL (only the application's static files are allowed): {url[:80]}")
    relative = url[len(prefix) :].split("?")[0].split("#")[0]
    if not relative or ".." in Path(relative).parts or relative.startswith("/"):
        raise RefusedURL("refused static path")
    found = finders.find(relative)
    if not found:
        static_root = Path(settings.STATIC_ROOT) / relative
        found = str(static_root) if static_root.is_file() else None
    if not found:
        raise RefusedURL("no such static file")
    mime_type, _ = mimetypes.guess_type(found)
    body = Path(found).read_bytes()
    return URLFetcherResponse(url, body, {"Content-Type": mime_type or "application/octet-stream"})


def html_to_pdf(html, *, accessible=False):
    """Render an HTML string (from a Django template) to PDF bytes with the locked-down fetcher.

    `accessible=True` writes a tagged PDF/UA-1 document (structure tags, language and title
    from the HTML) that screen readers can follow; documents for the adult use it.
    """
    # Templates already neutralise direction controls; HTML built another way must too.
    document = HTML(string=neutralise_bidi(html), base_url=INTERNAL_BASE_URL, url_fetcher=StaticOnlyURLFetcher())
    options = {"pdf_variant": "pdf/ua-1"} if accessible else {}
    return document.write_pdf(attachments=[], pdf_forms=False, **options)


def pdf_text(pdf_bytes):
    """The text of a PDF (for tests and checks)."""
    from io import BytesIO

    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(BytesIO(pdf_bytes)).pages)
