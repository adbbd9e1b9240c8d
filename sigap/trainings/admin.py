from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sigap.trainings.models import Programme, Training


@admin.register(Training)
class TrainingAdmin(SimpleHistoryAdmin):
    list_display = ["title", "office", "mode", "starts_on", "ends_on"]
    list_filter = ["mode"]
    search_fields = ["title"]


admin.site.register(Programme, list_display=["name", "year", "office"])
