from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.home, name="home"),
    path("account/login/", views.LoginView.as_view(), name="login"),
    path("account/logout/", views.LogoutView.as_view(), name="logout"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("account/two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("account/two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("account/two-factor/missing/", views.two_factor_missing, name="two_factor_missing"),
    path("account/link/", views.account_link, name="account_link"),
    path("account/set-up/", views.account_setup, name="account_setup"),
    path("admin/users/", views.user_list, name="user_list"),
    path("admin/users/new/", views.user_edit, name="user_create"),
    path("admin/users/<int:pk>/", views.user_edit, name="user_edit"),
    path("admin/users/<int:pk>/reset-two-factor/", views.user_reset_two_factor, name="user_reset_two_factor"),
    path("admin/users/<int:pk>/send-link/", views.user_send_link, name="user_send_link"),
    path("admin/users/<int:pk>/unlock/", views.user_unlock, name="user_unlock"),
    path("admin/grants/", views.grant_list, name="grant_list"),
    path("admin/grants/<int:pk>/decide/", views.grant_decide, name="grant_decide"),
    path("admin/access-review/", views.access_review, name="access_review"),
    path("admin/access-review.csv", views.access_review_csv, name="access_review_csv"),
    path("admin/teams/new/", views.team_edit, name="team_create"),
    path("admin/teams/<int:pk>/", views.team_edit, name="team_edit"),
]
