from django.urls import path

from sigap.partners import views

app_name = "partners"
urlpatterns = [
    path("", views.partner_list, name="list"),
    path("new/", views.partner_create_view, name="create"),
    path("growth/", views.partner_growth, name="growth"),
    path("export/", views.partner_export, name="export"),
    path("import/", views.partner_import, name="import"),
    path("import/template.xlsx", views.partner_import_template, name="import-template"),
    path("<int:pk>/", views.partner_detail, name="detail"),
    path("<int:pk>/edit/", views.partner_edit, name="edit"),
    path("<int:pk>/history/", views.partner_history, name="history"),
]
