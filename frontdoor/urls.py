"""Screening at the front door, and feedback to the referrer (staff, through the access policy)."""

from django.urls import path

from . import views

app_name = "frontdoor"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("team/", views.choose_team, name="team"),
    path("<int:pk>/", views.submission_detail, name="submission"),
    path("<int:pk>/concern/", views.screen_concern, name="concern"),
    path("<int:pk>/not-safeguarding/", views.screen_not_safeguarding, name="not_safeguarding"),
    path("cases/<int:pk>/feedback/", views.referrer_feedback, name="feedback"),
]
