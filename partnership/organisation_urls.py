from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("new/", views.organisation_edit, name="create"),
    path("providers/", views.provider_patterns, name="providers"),
    path("<int:pk>/", views.organisation_edit, name="edit"),
]
