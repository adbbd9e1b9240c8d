from django.urls import path

from sigap.twofactor import views

app_name = "twofactor"
# Mounted under /accounts/ beside the sign-in pages.
urlpatterns = [
    path("login/code/", views.code, name="code"),
    path("2fa/", views.overview, name="overview"),
    path("2fa/setup/", views.setup, name="setup"),
    path("2fa/codes/", views.codes, name="codes"),
    path("2fa/codes/new/", views.codes_renew, name="codes-renew"),
    path("2fa/off/", views.turn_off, name="off"),
    path("2fa/reset/<int:pk>/", views.reset, name="reset"),
]
