from django.urls import path

from sigap.production import views

app_name = "production"
urlpatterns = [
    path("", views.batch_list, name="list"),
    path("new/", views.batch_create, name="create"),
    path("export/", views.batch_export, name="export"),
    path("import/", views.batch_import, name="import"),
    path("import/template.xlsx", views.batch_import_template, name="import-template"),
    path("<int:pk>/", views.batch_detail, name="detail"),
]
