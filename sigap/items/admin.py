from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sigap.items.models import Item


@admin.register(Item)
class ItemAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "kind", "unit", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]
