from django.urls import path

from sigap.production import views

app_name = "production"
urlpatterns = [
    path("", views.batch_list, name="list"),
    path("new/", views.batch_create, name="create"),
    path("<int:pk>/", views.batch_detail, name="detail"),
]
