from django.urls import path

from sigap.stock import views

app_name = "stock"
urlpatterns = [
    path("", views.balance_list, name="balances"),
    path("export/", views.balance_export, name="balance-export"),
    path("movements/", views.movement_list, name="movements"),
    path("movements/export/", views.movement_export, name="movement-export"),
    path("documents/", views.document_list, name="document-list"),
    path("documents/<int:pk>/", views.document_detail, name="document-detail"),
    path("documents/<int:pk>/void/", views.document_void, name="document-void"),
    path("receipts/new/", views.receipt_create, name="receipt-create"),
    path("issues/new/", views.issue_create, name="issue-create"),
    path("transfers/new/", views.transfer_create, name="transfer-create"),
    path("counts/new/", views.adjustment_create, name="adjustment-create"),
    path("yield/", views.yield_report, name="yield"),
]
