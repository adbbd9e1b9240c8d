from django.urls import path

from sigap.accounts import user_views as views

app_name = "users"

urlpatterns = [
    path("", views.user_list, name="list"),
    path("new/", views.user_create, name="create"),
    path("<int:pk>/", views.user_detail, name="detail"),
    path("<int:pk>/edit/", views.user_edit, name="edit"),
    path("<int:pk>/history/", views.user_history, name="history"),
    path("<int:pk>/deactivate/", views.user_deactivate_view, name="deactivate"),
    path("<int:pk>/reactivate/", views.user_reactivate_view, name="reactivate"),
    path("<int:pk>/invitation/", views.user_invitation, name="invitation"),
    path("<int:pk>/reset-link/", views.user_reset_link, name="reset-link"),
]
