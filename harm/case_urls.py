"""Naming a person alleged to have caused harm on a case's risk (case workers, through the case
access policy). Mounted under /cases/."""

from django.urls import path

from . import views

app_name = "harm_case"

urlpatterns = [
    path("<int:pk>/people-alleged/new/", views.name_on_risk, name="name_on_risk"),
    path("people-alleged/<int:pk>/remove/", views.remove_from_risk, name="remove_from_risk"),
]
