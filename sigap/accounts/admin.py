from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sigap.accounts.models import User
from sigap.api.models import RevokedReason
from sigap.api.services import tokens_revoke_for_user
from sigap.twofactor.services import two_factor_reset


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "organisation", "partner", "is_active"]
    list_filter = ["role", "is_active", "organisation"]
    list_select_related = ["organisation", "partner"]
    autocomplete_fields = ["organisation", "partner"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("SIGAP"), {"fields": ["role", "organisation", "partner", "position", "phone", "invited_by"]}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("SIGAP"), {"fields": ["role", "organisation", "partner", "position", "phone"]}),
    )
    readonly_fields = ["invited_by"]
    actions = ["reset_two_factor"]

    @admin.action(description=_("Reset two-factor sign-in (lost phone)"))
    def reset_two_factor(self, request, queryset):
        """The users' authenticator apps and recovery codes are removed, each reset recorded with the administrator."""
        for user in queryset:
            two_factor_reset(user=user, by=request.user)
        count = len(queryset)
        self.message_user(request, ngettext("Two-factor sign-in reset for %(count)d user.",
                                            "Two-factor sign-in reset for %(count)d users.", count) % {"count": count},
                          messages.SUCCESS)

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        """A user deactivated here loses their API tokens for good, with the administrator recorded (an inactive
        user's tokens are refused anyway; revoking them keeps them dead if the user is activated again). A
        password set here (its own form) ends the tokens through their password binding."""
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            tokens_revoke_for_user(user=obj, by=request.user, reason=RevokedReason.DEACTIVATED)
