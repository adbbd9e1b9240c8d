from django.urls import path

from sigap.quality import views

app_name = "quality"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("inspections/export/", views.inspection_export, name="export"),
    path("batches/<int:batch_pk>/inspect/", views.inspect, name="inspect"),
    path("inspections/<int:pk>/", views.inspection_detail, name="detail"),
    path("inspections/<int:pk>/photo", views.inspection_photo, name="photo"),
    path("checklists/<int:item_pk>/", views.criteria_edit, name="criteria"),
]
