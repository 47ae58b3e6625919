"""The anonymous questionnaire: reachable without signing in (every view is `login_not_required`)."""

from django.urls import path

from . import public_views

app_name = "tell_us"

urlpatterns = [
    path("", public_views.start, name="start"),
    path("check/", public_views.check, name="check"),
    path("thank-you/", public_views.done, name="done"),
    path("q/<slug:slug>/", public_views.step, name="step"),
]
