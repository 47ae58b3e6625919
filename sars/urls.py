"""The Safeguarding Adults Reviews register (safeguarding leads only). Ids only in the URLs."""

from django.urls import path

from . import views

app_name = "sars"

urlpatterns = [
    path("", views.review_list, name="list"),
    path("new/", views.review_create, name="create"),
    path("<int:pk>/", views.review_detail, name="detail"),
    path("<int:pk>/edit/", views.review_edit, name="edit"),
    path("<int:pk>/people/", views.people, name="people"),
    path("people/<int:pk>/", views.person_edit, name="person_edit"),
    path("<int:pk>/recommendations/", views.recommendations, name="recommendations"),
    path("recommendations/<int:pk>/", views.recommendation_edit, name="recommendation_edit"),
]
