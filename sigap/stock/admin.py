from django.contrib import admin

from sigap.stock.models import Balance, Location, Movement, Posting


class ReadOnlyAdmin(admin.ModelAdmin):
    """The ledger is written only by sigap.stock.ledger; the admin may look, never touch."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Location)
class LocationAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "region"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Posting)
class PostingAdmin(ReadOnlyAdmin):
    list_display = ["pk", "kind", "created_at", "created_by", "note"]
    list_filter = ["kind"]


@admin.register(Movement)
class MovementAdmin(ReadOnlyAdmin):
    list_display = ["pk", "posting", "item", "location", "quantity", "balance_after"]
    list_select_related = ["posting", "item", "location"]


@admin.register(Balance)
class BalanceAdmin(ReadOnlyAdmin):
    list_display = ["item", "location", "quantity"]
    list_select_related = ["item", "location"]
