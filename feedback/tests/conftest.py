import uuid

import pytest


@pytest.fixture(autouse=True)
def _own_rate_limit_counts(settings):
    """Each test counts the anonymous questionnaire's rate limit afresh, in memory (never in a shared Redis)."""
    settings.CACHES = {
        **settings.CACHES,
        "feedback-tests": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex},
    }
    settings.RATELIMIT_USE_CACHE = "feedback-tests"
