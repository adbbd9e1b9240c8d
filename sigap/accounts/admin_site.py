"""Django's admin without a sign-in form of its own: its login page hands over to SIGAP's, which is throttled
(sigap.accounts.throttle). An operator leaves the whole admin out with SIGAP_ADMIN=0 (sigap.urls)."""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse


class AdminSite(admin.AdminSite):
    def has_permission(self, request):
        """Django's rule (an active staff user) and, with SIGAP_REQUIRE_2FA, a session verified with a second factor
        (sigap.twofactor): SIGAP's login asks for the code."""
        if not super().has_permission(request):
            return False
        return not settings.SIGAP_REQUIRE_2FA or getattr(request.user, "is_verified", lambda: False)()

    def login(self, request, extra_context=None):
        """No password is checked here. A visitor is sent to SIGAP's login page and back (SIGAP's login checks that
        ``next`` stays on SIGAP); someone signed in without admin rights is refused rather than sent round in
        circles; an administrator goes on to the admin."""
        from django.contrib.auth.views import redirect_to_login  # not at import: the app registry loads this module

        index = reverse("admin:index", current_app=self.name)
        if not request.user.is_authenticated:
            return redirect_to_login(request.GET.get(REDIRECT_FIELD_NAME) or index)
        if not self.has_permission(request):
            raise PermissionDenied
        return redirect(index)


class AdminConfig(DjangoAdminConfig):
    default_site = "sigap.accounts.admin_site.AdminSite"
