from django.urls import path

from sigap.handovers import views

app_name = "handovers"
urlpatterns = [
    path("", views.handover_list, name="list"),
    path("new/", views.handover_create, name="create"),
    path("new/gather/", views.handover_gather, name="gather"),
    path("export/", views.handover_export, name="export"),
    path("<int:pk>/", views.handover_detail, name="detail"),
    path("<int:pk>/bast.pdf", views.certificate, name="certificate"),
    path("<int:pk>/receipt/", views.confirm_receipt, name="receipt"),
    path("<int:pk>/void/", views.void, name="void"),
    path("requests/", views.request_list, name="request-list"),
    path("requests/new/", views.request_create, name="request-create"),
    path("requests/export/", views.request_export, name="request-export"),
    path("requests/<int:pk>/", views.request_detail, name="request-detail"),
    path("requests/<int:pk>/allocate/<int:product_pk>/", views.allocate, name="allocate"),
    path("orders/", views.order_list, name="orders"),
]
