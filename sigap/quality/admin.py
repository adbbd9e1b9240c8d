from django.contrib import admin

from sigap.quality.models import Criterion


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["text", "product", "position", "is_active"]
    list_filter = ["product", "is_active"]
