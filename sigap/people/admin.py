from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sigap.people.models import Person


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "sex", "region"]
    list_filter = ["kind", "sex"]
    search_fields = ["name", "=nik"]
    autocomplete_fields = ["region", "partner"]
    list_select_related = ["region"]
