from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from sigap.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "organisation", "partner", "is_active"]
    list_filter = ["role", "is_active", "organisation"]
    list_select_related = ["organisation", "partner"]
    autocomplete_fields = ["organisation", "partner"]
    fieldsets = BaseUserAdmin.fieldsets + ((_("SIGAP"), {"fields": ["role", "organisation", "partner", "position"]}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("SIGAP"), {"fields": ["role", "organisation", "partner", "position"]}),
    )
