from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sigap.api.models import ApiToken
from sigap.api.services import token_revoke
from sigap.lib.errors import DomainError


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Read only: a token is made by its owner (POST /api/v1/auth/token) and only ever revoked, never edited or
    deleted, so who revoked it stays known. SIGAP's own page for this is /accounts/tokens/."""

    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "expires_at", "revoked_at",
                    "revoked_by", "revoked_reason"]
    list_filter = ["revoked_reason", "created_at"]
    list_select_related = ["user", "revoked_by"]
    search_fields = ["user__username", "prefix", "name"]
    fields = list_display
    readonly_fields = list_display
    actions = ["revoke_tokens"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke_tokens(self, request, queryset):
        count = 0
        for token in queryset:
            try:
                token_revoke(token=token, by=request.user)
            except DomainError as error:  # a staff user who is not an administrator
                self.message_user(request, error.message, messages.ERROR)
                return
            count += 1
        self.message_user(request, ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count)
                          % {"count": count}, messages.SUCCESS)
