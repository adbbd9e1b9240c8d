from django.urls import path

from sigap.trainings import views

app_name = "trainings"
urlpatterns = [
    path("", views.training_list, name="list"),
    path("new/", views.training_edit, name="create"),
    path("export/", views.training_export, name="export"),
    path("participants/export/", views.participant_export, name="participant-export"),
    path("programmes/", views.programme_list, name="programme-list"),
    path("programmes/new/", views.programme_create, name="programme-create"),
    path("<int:pk>/", views.training_detail, name="detail"),
    path("<int:pk>/edit/", views.training_edit, name="edit"),
    path("<int:pk>/enrol/", views.enrol, name="enrol"),
    path("<int:pk>/targets/", views.targets, name="targets"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/day/", views.training_day, name="day"),
    path("<int:pk>/visits/new/", views.home_visit, name="visit"),
    path("<int:pk>/output/new/", views.output, name="output"),
    path("<int:pk>/materials/new/", views.material, name="material"),
    path("<int:pk>/materials/<int:material_pk>/file", views.material_file, name="material-file"),
    path("<int:pk>/participants/<int:enrolment_pk>/kit/", views.kit, name="kit"),
    path("<int:pk>/collect/", views.collect, name="collect"),
    path("<int:pk>/participants/<int:enrolment_pk>/certificate.pdf", views.certificate, name="certificate"),
    path("<int:pk>/report.pdf", views.report, name="report"),
]
