from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create, name="create"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/concern/", views.concern_edit, name="concern_edit"),
    path("<int:pk>/risks/new/", views.risk_add, name="risk_add"),
    path("risks/<int:pk>/correct/", views.risk_correct, name="risk_correct"),
    path("<int:pk>/person/", views.person_edit, name="person_edit"),
    path("<int:pk>/decision/", views.decision_propose, name="decision_propose"),
    path("<int:pk>/decision/review/", views.decision_review, name="decision_review"),
    path("<int:pk>/allocate/", views.enquiry_allocate, name="allocate"),
    path("<int:pk>/reopen/", views.case_reopen, name="reopen"),
    path("<int:pk>/restriction/", views.case_restriction, name="restriction"),
    path("<int:pk>/chronology/", views.case_chronology, name="chronology"),
    path("<int:pk>/access-log/", views.case_access_log, name="access_log"),
]
