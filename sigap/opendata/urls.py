from django.urls import path

from sigap.opendata import views

app_name = "opendata"
urlpatterns = [
    path("", views.index, name="index"),
    path("monthly.csv", views.monthly_csv, name="monthly-csv"),
    path("monthly.json", views.monthly_json, name="monthly-json"),
    path("handovers.csv", views.handovers_csv, name="handovers-csv"),
]
