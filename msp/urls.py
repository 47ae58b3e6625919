from django.urls import include, path

from accounts.views import health, health_ready, health_workers

urlpatterns = [
    path("health/", health, name="health"),
    path("", include("accounts.urls")),
    path("cases/", include("cases.urls")),
    path("outcomes/", include("outcomes.urls")),
    path("reports/", include("reporting.urls")),
    path("quality/", include("quality.urls")),
    path("health/ready/", health_ready, name="health_ready"),
    path("health/workers/", health_workers, name="health_workers"),
    path("cases/import/", include("cases.import_urls")),
    path("workspace/", include("workspace.urls")),
    path("report-a-concern/", include("frontdoor.public_urls")),
    path("front-door/", include("frontdoor.urls")),
    path("notifications/", include("notifications.urls")),
    path("feedback/", include("feedback.public_urls")),
    path("feedback/", include("feedback.urls")),
    path("reviews/", include("sars.urls")),
    path("organisational-enquiries/", include("organisational.urls")),
    path("people-alleged/", include("harm.urls")),
    path("cases/", include("harm.case_urls")),
    path("", include("documents.urls")),
    path("cases/", include("partnership.urls")),
    path("partner-organisations/", include("partnership.organisation_urls")),
]

handler403 = "msp.errors.permission_denied"
handler404 = "msp.errors.page_not_found"
handler500 = "msp.errors.server_error"
