"""Feedback pages for staff (through the access policy)."""

from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("case/<int:pk>/at-closure/", views.at_closure, name="at_closure"),
    path("case/<int:pk>/email-code/", views.email_code, name="email_code"),
    path("case/<int:pk>/text-code/", views.text_code, name="text_code"),
    path("due/", views.due, name="due"),
    path("due/<int:pk>/", views.follow_up, name="follow_up"),
    path("reviewers/", views.reviewers, name="reviewers"),
    path("quotes/", views.quotes, name="quotes"),
    path("reviewers/<int:pk>/remove/", views.reviewer_remove, name="reviewer_remove"),
]
