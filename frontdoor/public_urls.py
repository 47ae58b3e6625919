"""The public concern form: reachable without signing in (every view is `login_not_required`)."""

from django.urls import path

from . import views

app_name = "report"

urlpatterns = [
    path("", views.start, name="start"),
    path("check/", views.check, name="check"),
    path("done/", views.done, name="done"),
    path("<slug:slug>/", views.step, name="step"),
]
