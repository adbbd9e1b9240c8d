from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from sigap.accounts.models import User
from sigap.api.models import RevokedReason
from sigap.api.services import tokens_revoke_for_user


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

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        """A user deactivated here loses their API tokens for good, with the administrator recorded (an inactive
        user's tokens are refused anyway; revoking them keeps them dead if the user is activated again). A
        password set here (its own form) ends the tokens through their password binding."""
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            tokens_revoke_for_user(user=obj, by=request.user, reason=RevokedReason.DEACTIVATED)
