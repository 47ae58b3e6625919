"""Feedback pages for staff (through the access policy)."""

from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("case/<int:pk>/at-closure/", views.at_closure, name="at_closure"),
]
