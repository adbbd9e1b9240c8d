from django.urls import path

from sigap.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_create_view, name="create"),
    path("export/", views.person_export, name="export"),
    path("import/", views.person_import, name="import"),
    path("import/template.xlsx", views.person_import_template, name="import-template"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/edit/", views.person_edit, name="edit"),
    path("<int:pk>/history/", views.person_history, name="history"),
]
