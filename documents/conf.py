"""Settings of the documents app, with their defaults."""

from django.conf import settings

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def max_bytes():
    """The largest document a user may attach (`DOCUMENT_MAX_BYTES`, default 20 MB)."""
    return int(getattr(settings, "DOCUMENT_MAX_BYTES", DEFAULT_MAX_BYTES))
