from django.contrib import admin

from sigap.handovers.models import Handover, NumberScheme, ProductionOrder, SupplyRequest


@admin.register(NumberScheme)
class NumberSchemeAdmin(admin.ModelAdmin):
    """Where an administrator sets an office's certificate numbering (checked by NumberScheme.clean)."""

    list_display = ["office", "pattern"]
    autocomplete_fields = ["office"]


@admin.register(Handover)
class HandoverAdmin(admin.ModelAdmin):
    list_display = ["number", "office", "receiver", "handed_over_on", "status"]
    list_filter = ["status", "purpose"]
    search_fields = ["number"]

    def has_add_permission(self, request):
        return False  # handovers move stock: they are recorded through SIGAP's pages

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(SupplyRequest, list_display=["agency", "office", "needed_by", "status"])
admin.site.register(ProductionOrder, list_display=["partner", "product", "quantity", "due_on"])
