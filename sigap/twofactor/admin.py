from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from sigap.twofactor.models import TwoFactorEvent

# Devices are changed only through SIGAP's services, so that every reset is recorded with who did it: the user's
# own "Keamanan akun" page, or an administrator's reset (the users' list in this admin, or the reset page).
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(TwoFactorEvent)
class TwoFactorEventAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "kind", "by"]
    list_filter = ["kind"]
    list_select_related = ["user", "by"]
    search_fields = ["user__username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
