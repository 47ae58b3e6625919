from django.urls import path

from . import case_summary_views, views

app_name = "outcomes"

urlpatterns = [
    path("case/<int:pk>/", views.enquiry_record, name="enquiry"),
    path("case/<int:pk>/conversations/new/", views.conversation_add, name="conversation_add"),
    path("case/<int:pk>/desired-outcomes/new/", views.desired_outcome_add, name="desired_outcome_add"),
    path("desired-outcomes/<int:pk>/edit/", views.desired_outcome_edit, name="desired_outcome_edit"),
    path("desired-outcomes/<int:pk>/negotiate/", views.negotiated_outcome_edit, name="negotiated_outcome_edit"),
    path("case/<int:pk>/capacity/new/", views.capacity_add, name="capacity_add"),
    path("case/<int:pk>/advocacy/new/", views.advocacy_add, name="advocacy_add"),
    path("case/<int:pk>/declined-support/new/", views.declined_add, name="declined_add"),
    path("declined-support/<int:pk>/follow-up-done/", views.followup_done, name="followup_done"),
    path("case/<int:pk>/plan/new/", views.plan_action_add, name="plan_action_add"),
    path("plan/<int:pk>/status/", views.plan_action_status, name="plan_action_status"),
    path(
        "conversations/<int:pk>/correct/", views.record_correct, {"kind": "conversation"}, name="conversation_correct"
    ),
    path("capacity/<int:pk>/correct/", views.record_correct, {"kind": "capacity"}, name="capacity_correct"),
    path("advocacy/<int:pk>/correct/", views.record_correct, {"kind": "advocacy"}, name="advocacy_correct"),
    path("declined-support/<int:pk>/correct/", views.record_correct, {"kind": "declined"}, name="declined_correct"),
    path("plan/<int:pk>/correct/", views.record_correct, {"kind": "plan_action"}, name="plan_action_correct"),
    path("case/<int:pk>/principles/", views.principles, name="principles"),
    path("case/<int:pk>/closure-review/", views.closure_review, name="closure_review"),
    path("case/<int:pk>/send-for-closure/", views.send_for_closure, name="send_for_closure"),
    path("case/<int:pk>/closure-sign-off/", views.closure_sign_off, name="closure_sign_off"),
    path("case/<int:pk>/summary/", views.summary_request, name="summary_request"),
    path("summaries/<int:pk>/download/", views.summary_download, name="summary_download"),
    path("case/<int:pk>/case-summary/", case_summary_views.case_summary_request, name="case_summary_request"),
    path("case-summaries/<int:pk>/download/", case_summary_views.case_summary_download, name="case_summary_download"),
    path("my-follow-ups/", views.my_followups, name="my_followups"),
]
