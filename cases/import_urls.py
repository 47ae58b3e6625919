from django.urls import path

from . import import_views

app_name = "case_import"

urlpatterns = [
    path("", import_views.upload, name="upload"),
]
