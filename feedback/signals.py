"""The feedback app's receivers of outcomes' signals (connected in `FeedbackConfig.ready`)."""

from django.conf import settings
from django.urls import reverse

from . import services


def summary_invitation(sender, *, case, summary, **kwargs):
    """A one-time code for the anonymous questionnaire, printed on the adult's summary."""
    code, expires_on = services.issue_code(team=case.team)
    return {
        "feedback_invitation": {
            "code": code,
            "expires_on": expires_on,
            "url": f"{settings.SITE_URL}{reverse('tell_us:start')}",
        }
    }
