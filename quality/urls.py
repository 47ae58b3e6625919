from django.urls import path

from . import views

app_name = "quality"

urlpatterns = [
    path("", views.quality_index, name="index"),
    path("audits/", views.audit_list, name="audit_list"),
    path("audits/new/", views.audit_create, name="audit_create"),
    path("audits/<int:pk>/", views.audit_detail, name="audit_detail"),
    path("audited-cases/<int:pk>/rate/", views.audit_rate, name="audit_rate"),
]
