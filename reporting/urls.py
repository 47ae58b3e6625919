from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.request_report, name="request"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/status/", views.status, name="status"),
    path("<int:pk>/download/pdf/", views.download_pdf, name="download_pdf"),
    path("<int:pk>/download/csv/", views.download_csv, name="download_csv"),
    path("<int:pk>/download/unrounded-csv/", views.download_unrounded_csv, name="download_unrounded_csv"),
    path("statutory-return/", views.sac_return, name="sac_return"),
    path("statutory-return/<int:pk>/download/", views.sac_return_download, name="sac_return_download"),
]
