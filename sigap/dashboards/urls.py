from django.urls import path

from sigap.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.dashboard_view, name="show"),
    path("briefing/", views.briefing_view, name="briefing"),
    path("briefing.pdf", views.briefing_pdf, name="briefing-pdf"),
]
