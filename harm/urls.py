"""The register of people alleged to have caused harm (safeguarding leads only). Ids only in
the URLs; a name search is posted, never put in the address."""

from django.urls import path

from . import views

app_name = "harm"

urlpatterns = [
    path("", views.register, name="register"),
    path("<int:pk>/", views.person, name="person"),
    path("<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("<int:pk>/merge/", views.merge, name="merge"),
    path("<int:pk>/referrals/new/", views.referral_add, name="referral_add"),
    path("referrals/<int:pk>/outcome/", views.referral_outcome, name="referral_outcome"),
]
