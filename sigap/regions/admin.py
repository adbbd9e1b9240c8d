from django.contrib import admin

from sigap.regions.models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "kind", "postal_code"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False  # regions come from the Kepmendagri data, through load_regions

    def has_delete_permission(self, request, obj=None):
        return False
