from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sigap.organisations.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "kind", "region"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "code"]
    autocomplete_fields = ["region"]
    list_select_related = ["region"]
