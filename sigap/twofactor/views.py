"""Two-factor pages: the code step of signing in, and the user's own "Keamanan akun" pages under the profile."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

import segno

from sigap.accounts.access import require_admin
from sigap.accounts.throttle import LoginThrottled
from sigap.lib.client import client_address
from sigap.lib.errors import DomainError, show_on_form
from sigap.twofactor import services
from sigap.twofactor.forms import CodeForm, PasswordForm, SetupForm

PENDING = "twofactor_pending"  # the user who gave the right password and still owes a code
PENDING_SECONDS = 5 * 60
NEW_CODES = "twofactor_new_codes"  # recovery codes to show once


def _now() -> float:
    return time.time()


def sign_in_pending(request, *, user, next_url: str) -> None:
    """The password was right, but this user also gives a code: they are not signed in yet, the session only
    remembers who they are for a few minutes, and where they were going. (Someone signed in never gets here: the
    login page sends them on.)"""
    request.session.cycle_key()
    request.session[PENDING] = {"user": user.pk, "backend": user.backend, "next": next_url,
                                "until": _now() + PENDING_SECONDS}


def _pending_user(request):
    pending = request.session.get(PENDING)
    if not pending or pending.get("until", 0) < _now():
        return None, None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    return user, pending


def _next_url(request, candidate: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                                     require_https=request.is_secure()):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@never_cache
@require_http_methods(["GET", "POST"])
def code(request):
    """The second step of signing in. Also asks an already signed-in user with a device for a code, when their
    session must be verified (SIGAP_REQUIRE_2FA)."""
    if request.user.is_authenticated:
        if request.user.is_verified() or not services.has_two_factor(request.user):
            return redirect(_next_url(request, request.GET.get("next", "")))
        user, pending = request.user, {"next": request.GET.get("next", "")}
    else:
        user, pending = _pending_user(request)
        if user is None:
            request.session.pop(PENDING, None)
            messages.error(request, _("Sign in again: the time to type the code ran out."))
            return redirect("login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.two_factor_check(user=user, code=form.cleaned_data["code"],
                                               address=client_address(request))
        except LoginThrottled as refusal:
            form.add_error(None, refusal.message)
        except DomainError as refusal:
            show_on_form(form, refusal)
        else:
            if not request.user.is_authenticated:
                auth_login(request, user, backend=pending["backend"])  # a new session key, as any sign-in
            else:
                request.session.cycle_key()
            request.session.pop(PENDING, None)
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                messages.warning(request, _("You used a recovery code: %(left)d left.") % {
                    "left": services.recovery_codes_left(user=user)})
            return redirect(_next_url(request, pending["next"]))
    return render(request, "twofactor/code.html", {"form": form})


@login_required
def overview(request):
    return render(request, "twofactor/overview.html", {
        "on": services.has_two_factor(request.user),
        "codes_left": services.recovery_codes_left(user=request.user),
        "required": services.two_factor_required(request.user),
    })


def _grouped(secret: str) -> str:
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def setup(request):
    if services.has_two_factor(request.user):
        return redirect("twofactor:overview")
    device = services.totp_device_for_setup(user=request.user)
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.two_factor_turn_on(device=device, code=form.cleaned_data["code"])
        except DomainError as refusal:
            show_on_form(form, refusal)
        else:
            request.session.cycle_key()
            otp_login(request, device)
            request.session[NEW_CODES] = codes
            messages.success(request, _("Two-factor sign-in is on."))
            return redirect("twofactor:codes")
    uri = device.config_url
    secret = uri.split("secret=", 1)[1].split("&", 1)[0]
    return render(request, "twofactor/setup.html", {
        "form": form, "qr": segno.make(uri, error="m").png_data_uri(scale=5, border=2),
        "secret": _grouped(secret), "required": services.two_factor_required(request.user),
    })


@login_required
@never_cache
def codes(request):
    """The new recovery codes, shown this once (to print or copy)."""
    new = request.session.pop(NEW_CODES, None)
    if not new:
        return redirect("twofactor:overview")
    return render(request, "twofactor/codes.html", {"codes": new})


@login_required
@require_POST
def codes_renew(request):
    try:
        request.session[NEW_CODES] = services.recovery_codes_renew(user=request.user)
    except DomainError as refusal:
        messages.error(request, refusal.message)
        return redirect("twofactor:overview")
    return redirect("twofactor:codes")


@login_required
@require_http_methods(["GET", "POST"])
def turn_off(request):
    if not services.has_two_factor(request.user):
        return redirect("twofactor:overview")
    form = PasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.two_factor_turn_off(user=request.user, password=form.cleaned_data["password"],
                                         address=client_address(request))
        except LoginThrottled as refusal:
            form.add_error(None, refusal.message)
        except DomainError as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(request, _("Two-factor sign-in is off."))
            return redirect("twofactor:overview")
    return render(request, "twofactor/off.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def reset(request, pk):
    """An administrator removes another user's two-factor sign-in (a lost phone). GET asks to confirm."""
    require_admin(request.user)
    person = get_object_or_404(get_user_model(), pk=pk)
    if request.method == "POST":
        services.two_factor_reset(user=person, by=request.user)
        messages.success(request, _("Two-factor sign-in of %(user)s was reset: they sign in with their password and "
                                    "set it up again.") % {"user": person})
        return redirect("twofactor:reset", pk=person.pk)
    return render(request, "twofactor/reset.html", {"person": person, "on": services.has_two_factor(person)})
