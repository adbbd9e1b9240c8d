from django.contrib.auth import views as auth_views
from django.urls import include, path

from sigap.accounts import user_views, views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("password/reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("profile/", views.profile, name="profile"),
    path("users/", include("sigap.accounts.user_urls")),
    path("invitation/<uidb64>/<token>/", user_views.InvitationView.as_view(), name="invitation"),
    path("password/link/<uidb64>/<token>/", user_views.ResetLinkView.as_view(), name="reset-link"),
]
