from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sigap.partners.models import Partner, PartnerProduct


class PartnerProductInline(admin.TabularInline):
    model = PartnerProduct
    extra = 0


@admin.register(Partner)
class PartnerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "nib", "owner_name", "region", "status", "joined_on"]
    list_filter = ["status", "sector"]
    search_fields = ["name", "nib", "owner_name"]
    autocomplete_fields = ["region", "assisting_office"]
    list_select_related = ["region"]
    inlines = [PartnerProductInline]
