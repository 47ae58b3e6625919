from django.urls import path

from . import views

app_name = "partnership"

urlpatterns = [
    path("<int:pk>/caused-enquiries/", views.caused_list, name="caused_list"),
    path("<int:pk>/caused-enquiries/new/", views.caused_new, name="caused_new"),
    path("caused-enquiries/<int:pk>/", views.caused_detail, name="caused_detail"),
    path("caused-enquiries/<int:pk>/acknowledged/", views.caused_acknowledge, name="caused_acknowledge"),
    path("caused-enquiries/<int:pk>/report/", views.caused_report, name="caused_report"),
    path("caused-enquiries/<int:pk>/not-adequate/", views.caused_not_adequate, name="caused_not_adequate"),
    path("<int:pk>/meetings/", views.meeting_list, name="meeting_list"),
    path("<int:pk>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/information-sharing/", views.share_list, name="share_list"),
    path("<int:pk>/information-sharing/new/", views.share_new, name="share_new"),
    path("information-sharing/<int:pk>/review/", views.share_review, name="share_review"),
]
