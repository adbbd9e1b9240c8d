from django.urls import path

from sigap.regions import views

app_name = "regions"
urlpatterns = [
    path("villages/", views.village_options, name="villages"),
    path("options/", views.region_options, name="options"),
]
