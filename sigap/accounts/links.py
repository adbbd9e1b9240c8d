"""One-time links that let a person set their own password: an invitation to a new login, and a reset link an
officer makes for someone without e-mail. Both are Django's password-reset tokens (an HMAC of the user's id, the
stored password hash, the last sign-in, the e-mail address and whether the login is active, with a timestamp), each
with its own key salt, so a link of one kind never opens the other, and its own lifetime. Setting a password
changes the hash, so a link works once; a new link for the same person ends the earlier invitation (a new
unusable password is stored)."""

import datetime
import enum
import math

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.cache import cache
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int
from django.utils.translation import ngettext

from sigap.accounts import throttle
from sigap.lib.counters import count_up
from sigap.lib.errors import DomainError

INVITATION_DAYS = 7
RESET_LINK_DAYS = 2


class LinkState(enum.Enum):
    VALID = "valid"
    EXPIRED = "expired"
    INVALID = "invalid"  # forged, used already, or replaced by a newer link


class LinkTokenGenerator(PasswordResetTokenGenerator):
    days: int

    @property
    def lifetime(self) -> datetime.timedelta:
        return datetime.timedelta(days=self.days)

    def _make_hash_value(self, user, timestamp):
        # A deactivated login's link stops working too.
        return f"{super()._make_hash_value(user, timestamp)}{int(user.is_active)}"

    def check_token(self, user, token):
        return self.state(user, token) is LinkState.VALID

    def state(self, user, token) -> LinkState:
        """Django's check with this generator's own lifetime, telling an expired link (right, but too old) from
        one that is not right at all."""
        if not (user and token) or not isinstance(token, str):
            return LinkState.INVALID
        try:
            timestamp = base36_to_int(token.split("-")[0])
        except ValueError:
            return LinkState.INVALID
        if timestamp > self._num_seconds(self._now()) + 60:
            return LinkState.INVALID  # not made by this server
        for secret in [self.secret, *self.secret_fallbacks]:
            if constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token):
                break
        else:
            return LinkState.INVALID
        if self._num_seconds(self._now()) - timestamp > self.lifetime.total_seconds():
            return LinkState.EXPIRED
        return LinkState.VALID


class InvitationTokenGenerator(LinkTokenGenerator):
    key_salt = "sigap.accounts.links.InvitationTokenGenerator"
    days = INVITATION_DAYS


class ResetLinkTokenGenerator(LinkTokenGenerator):
    key_salt = "sigap.accounts.links.ResetLinkTokenGenerator"
    days = RESET_LINK_DAYS


invitation_tokens = InvitationTokenGenerator()
reset_link_tokens = ResetLinkTokenGenerator()


class LinkThrottled(DomainError):
    """Too many wrong invitation or reset links from one address: links are not checked for ``seconds`` more."""

    def __init__(self, seconds: int):
        minutes = max(1, math.ceil(seconds / 60))
        super().__init__(ngettext(
            "Too many wrong links from this address. Wait %(minutes)s minute and try again.",
            "Too many wrong links from this address. Wait %(minutes)s minutes and try again.",
            minutes) % {"minutes": minutes})
        self.seconds = seconds


def link_attempt(*, address: str) -> None:
    """Before an invitation or reset link is checked: raise LinkThrottled while the address waits. The check is
    safe by itself (an HMAC); counting wrong links per address keeps guessing slow, as at the login."""
    until = cache.get(f"{throttle._key('link', address)}:until", 0)
    if until > throttle._now():
        raise LinkThrottled(math.ceil(until - throttle._now()))


def link_failed(*, address: str) -> None:
    """A wrong, expired or used link from this address: after SIGAP_LOGIN_MAX_FAILURES, it waits 1, 2, 4… min."""
    key = throttle._key("link", address)
    memory = throttle._memory(throttle.ADDRESS_MEMORY_SECONDS)
    wait = throttle._wait_after(count_up(key, seconds=memory), settings.SIGAP_LOGIN_MAX_FAILURES)
    if wait:
        cache.set(f"{key}:until", throttle._now() + wait, memory)
