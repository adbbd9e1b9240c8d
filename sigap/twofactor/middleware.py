"""SIGAP_REQUIRE_2FA=1: an administrator or provincial officer signed in without a second factor reaches only the
pages that get them one (setting up the app, or the code step when they have one), signing out, the language
switch and the health check; every other page sends them there, and the API answers 403."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from sigap.twofactor.services import has_two_factor, two_factor_required

OPEN_VIEWS = {"twofactor:setup", "twofactor:codes", "twofactor:code", "logout", "login", "set_language", "healthz"}


class RequireTwoFactorMiddleware:
    """Installed after django-otp's OTPMiddleware (which tells whether the session is verified)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.SIGAP_REQUIRE_2FA:
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified() or not two_factor_required(user):
            return None
        if request.resolver_match and request.resolver_match.view_name in OPEN_VIEWS:
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": _("Set up two-factor sign-in on SIGAP's pages first."), "errors": {}},
                                status=403)
        target = reverse("twofactor:code" if has_two_factor(user) else "twofactor:setup")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
