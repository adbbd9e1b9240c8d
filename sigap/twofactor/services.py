"""Two-factor sign-in: a code from an authenticator app (TOTP, django-otp) after the password, or one of ten printed
recovery codes, each good once.

A wrong code is counted by SIGAP's sign-in throttle (sigap.accounts.throttle) per (user, address), the same way as a
wrong password, whichever kind of code it was; django-otp's own back-off on each device counts on top, across
addresses."""

import math
import re

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from sigap.accounts.models import Role
from sigap.accounts.throttle import LoginThrottled, login_attempt, login_failed, login_succeeded
from sigap.lib.errors import DomainError
from sigap.twofactor.models import EventKind, TwoFactorEvent

RECOVERY_CODE_COUNT = 10
DEVICE_NAME = "authenticator"


class CodeRefused(DomainError):
    pass


def has_two_factor(user) -> bool:
    """Whether signing in as this user takes a code: they confirmed an authenticator app."""
    return user.is_authenticated and user_has_device(user, confirmed=True)


def two_factor_required(user) -> bool:
    """SIGAP_REQUIRE_2FA=1: administrators and provincial officers must sign in with a second factor."""
    return settings.SIGAP_REQUIRE_2FA and (user.is_admin or user.role == Role.PROVINCIAL_OFFICER)


def recovery_code_shown(token: str) -> str:
    """``abcde-fghij``: easier to copy by hand than ten letters in a row."""
    return f"{token[:5]}-{token[5:]}"


def _plain(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


def _subject(user) -> str:
    """The name a user's codes are counted under in the sign-in throttle: not a username anyone can type (a NUL
    character is refused in every form), so codes and passwords are counted apart."""
    return f"\x00code:{user.pk}"


def totp_device_for_setup(*, user) -> TOTPDevice:
    """The authenticator app being set up: a new secret, kept unconfirmed until the user types a code from it."""
    if has_two_factor(user):
        raise DomainError(_("Two-factor sign-in is already on."))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    tokens = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=t) for t in tokens])
    return [recovery_code_shown(t) for t in tokens]


@transaction.atomic
def two_factor_turn_on(*, device: TOTPDevice, code: str) -> list[str]:
    """The user proves the app shows the right codes: the device is confirmed, and ten recovery codes are made.
    Returns the codes, shown this once."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if device.confirmed:
        raise DomainError(_("Two-factor sign-in is already on."))
    code = _plain(code)
    if not (code.isdigit() and len(code) == device.digits and device.verify_token(code)):
        raise CodeRefused(_("The code is not right. Type the code your authenticator app shows now."), field="code")
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    codes = _new_recovery_codes(device.user)
    TwoFactorEvent.objects.create(user=device.user, by=device.user, kind=EventKind.TURNED_ON)
    return codes


@transaction.atomic
def recovery_codes_renew(*, user) -> list[str]:
    """New recovery codes; the old ones stop working."""
    if not has_two_factor(user):
        raise DomainError(_("Two-factor sign-in is off."))
    codes = _new_recovery_codes(user)
    TwoFactorEvent.objects.create(user=user, by=user, kind=EventKind.CODES_RENEWED)
    return codes


def recovery_codes_left(*, user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _remove_devices(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def two_factor_turn_off(*, user, password: str, address: str) -> None:
    """The user turns two-factor sign-in off, proving it is them with their password (throttled like the login).
    With SIGAP_REQUIRE_2FA, administrators and provincial officers keep it (an administrator's reset is for a lost
    phone)."""
    if not has_two_factor(user):
        raise DomainError(_("Two-factor sign-in is off."))
    if two_factor_required(user):
        raise DomainError(_("Your role must use two-factor sign-in."))
    login_attempt(username=user.get_username(), address=address)
    if not user.check_password(password):
        login_failed(username=user.get_username(), address=address)
        raise DomainError(_("The password is not right."), field="password")
    login_succeeded(username=user.get_username(), address=address)
    with transaction.atomic():
        _remove_devices(user)
        TwoFactorEvent.objects.create(user=user, by=user, kind=EventKind.TURNED_OFF)


@transaction.atomic
def two_factor_reset(*, user, by) -> None:
    """An administrator removes a user's authenticator app and recovery codes (a lost phone): the user signs in
    with the password alone and sets two-factor sign-in up again. Who did it is kept."""
    if not by.is_admin:
        raise DomainError(_("Only an administrator resets someone's two-factor sign-in."))
    _remove_devices(user)
    TwoFactorEvent.objects.create(user=user, by=by, kind=EventKind.RESET)


def _throttled_by_device(info) -> LoginThrottled:
    locked_until = (info or {}).get("locked_until")
    seconds = (locked_until - timezone.now()).total_seconds() if locked_until else 1
    return LoginThrottled(max(1, math.ceil(seconds)))


def two_factor_check(*, user, code: str, address: str, field: str = "code"):
    """A code typed after the password: six digits from the app, or a recovery code (deleted once used). Returns
    the device that accepted it; raises LoginThrottled while the (user, address) pair or the address waits, or
    while the device's own back-off runs, and CodeRefused for a wrong code."""
    login_attempt(username=_subject(user), address=address)
    plain = _plain(code)
    refusal = None
    with transaction.atomic():  # django-otp's counts of failures must be kept, so nothing is raised in here
        model = TOTPDevice if plain.isdigit() else StaticDevice
        device = model.objects.devices_for_user(user, confirmed=True).select_for_update().first()
        if device is None or not plain:
            accepted = False
        else:
            allowed, info = device.verify_is_allowed()
            if not allowed:
                refusal = _throttled_by_device(info)
            accepted = allowed and device.verify_token(plain)
    if refusal is not None:
        raise refusal
    if not accepted:
        login_failed(username=_subject(user), address=address)
        raise CodeRefused(_("The code is not right."), field=field)
    login_succeeded(username=_subject(user), address=address)
    return device
