from django.contrib import admin

from sigap.market.models import Listing


@admin.register(Listing)
class ListingAdmin(admin.ModelAdmin):
    list_display = ["title", "partner", "price", "is_published", "taken_down"]
    list_filter = ["is_published", "taken_down"]
    search_fields = ["title"]
    exclude = ["thumbnail"]
