from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sigap.quality.models import Criterion


@admin.register(Criterion)
class CriterionAdmin(SimpleHistoryAdmin):
    list_display = ["text", "product", "position", "is_active"]
    list_filter = ["product", "is_active"]
