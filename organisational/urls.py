"""Organisational enquiries (safeguarding leads only). Ids only in the URLs."""

from django.urls import path

from . import views

app_name = "organisational"

urlpatterns = [
    path("", views.enquiry_list, name="list"),
    path("new/", views.enquiry_create, name="create"),
    path("<int:pk>/", views.enquiry_detail, name="detail"),
    path("<int:pk>/cases/", views.link_cases, name="link_cases"),
    path("linked-cases/<int:pk>/remove/", views.unlink_case, name="unlink_case"),
    path("<int:pk>/updates/new/", views.update_add, name="update_add"),
    path("<int:pk>/meetings/new/", views.meeting_add, name="meeting_add"),
    path("<int:pk>/actions/new/", views.action_add, name="action_add"),
    path("actions/<int:pk>/done/", views.action_done, name="action_done"),
    path("<int:pk>/conclude/", views.conclude, name="conclude"),
]
