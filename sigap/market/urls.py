from django.urls import path

from sigap.market import views

app_name = "market"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("<int:pk>/", views.listing_public, name="listing"),
    path("listings/", views.my_listings, name="my-listings"),
    path("listings/new/", views.listing_edit, name="listing-create"),
    path("listings/<int:pk>/edit/", views.listing_edit, name="listing-edit"),
    path("listings/<int:pk>/take-down/", views.listing_take_down, name="listing-take-down"),
    path("inquiries/", views.inquiry_list, name="inquiries"),
    path("inquiries/<int:pk>/answered/", views.inquiry_answered, name="inquiry-answered"),
    path("sales/", views.sale_list, name="sales"),
    path("sales/new/", views.sale_create, name="sale-create"),
    path("sales/export/", views.sale_export, name="sale-export"),
]
