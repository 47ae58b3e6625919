from django.urls import path

from . import views

app_name = "workspace"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cases/", views.case_list, name="cases"),
    path("cases/export/", views.case_export, name="export"),
    path("sign-off/", views.sign_off_queue, name="queue"),
    path("caseload/", views.caseload, name="caseload"),
    path("overdue-actions/", views.overdue_actions, name="actions"),
    path("follow-ups/", views.followups_due, name="followups"),
    path("my-work/", views.my_work, name="my_work"),
]
