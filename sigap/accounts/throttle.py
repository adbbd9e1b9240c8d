"""Slowing password guessing down without letting a stranger lock anybody out.

Attempts are counted per (username, address): the username as typed, normalised (NFKC, stripped, case-folded, so
``TALA`` and `` tala`` are one), and the client's address (``sigap.lib.client``). After SIGAP_LOGIN_MAX_FAILURES
failures of a pair, each further attempt from that pair waits: one minute, then two, four, … and at most
SIGAP_LOGIN_LOCKOUT_SECONDS. The owner signing in from her own address does not wait for a stranger's failures at
another. One address failing for many usernames waits the same way after four times as many failures (an office, or
a mobile carrier's shared address, is many people). During a wait even the right password is refused, with the same
message and without being checked, so the answer tells nothing about the password.

The counts live in Django's cache, shared by every worker. A pair's count is kept a day after its last attempt and
forgotten at a success; an address's, an hour after its last failure.
"""

import hashlib
import math
import time
import unicodedata

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import ngettext

from sigap.lib.counters import count_up
from sigap.lib.errors import DomainError

FIRST_WAIT_SECONDS = 60
ADDRESS_FACTOR = 4  # an address may fail this many times as often as one (username, address) pair
PAIR_MEMORY_SECONDS = 24 * 60 * 60
ADDRESS_MEMORY_SECONDS = 60 * 60


class LoginThrottled(DomainError):
    """Too many failures: the attempt is refused, unchecked, for ``seconds`` more."""

    def __init__(self, seconds: int):
        minutes = max(1, math.ceil(seconds / 60))
        super().__init__(ngettext(
            "Too many failed sign-in attempts. Wait %(minutes)s minute and try again.",
            "Too many failed sign-in attempts. Wait %(minutes)s minutes and try again.",
            minutes) % {"minutes": minutes})
        self.seconds = seconds


def _now() -> float:
    return time.time()


def normalised_username(username: str) -> str:
    return unicodedata.normalize("NFKC", username).strip().casefold()


def _key(kind: str, *parts: str) -> str:
    digest = hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]
    return f"login:{kind}:{digest}"


def _pair_key(username: str, address: str) -> str:
    return _key("pair", normalised_username(username), address)


def _memory(seconds: int) -> int:
    # A count outlives the longest wait, so that waiting it out does not start the count again.
    return max(seconds, 2 * settings.SIGAP_LOGIN_LOCKOUT_SECONDS)


def _wait_after(failures: int, free: int) -> int:
    """Seconds to wait after this many failures when the first ``free`` cost nothing: doubling, up to the longest."""
    if failures < free:
        return 0
    return min(settings.SIGAP_LOGIN_LOCKOUT_SECONDS, FIRST_WAIT_SECONDS * 2 ** min(failures - free, 32))


def login_attempt(*, username: str, address: str) -> None:
    """Before a password is checked: raise LoginThrottled while the (username, address) pair or the address waits;
    otherwise count this attempt against its pair. It is counted now, not once the password proves wrong, so that
    guesses sent together cannot all slip in before the first of them is counted."""
    now = _now()
    pair, address_key = _pair_key(username, address), _key("address", address)
    until = max(cache.get_many([f"{pair}:until", f"{address_key}:until"]).values(), default=0)
    if until > now:
        raise LoginThrottled(math.ceil(until - now))
    memory = _memory(PAIR_MEMORY_SECONDS)
    wait = _wait_after(count_up(pair, seconds=memory), settings.SIGAP_LOGIN_MAX_FAILURES)
    if wait:
        cache.set(f"{pair}:until", now + wait, memory)


def login_failed(*, username: str, address: str) -> None:
    """The password was wrong (already counted against its pair): count the failure against the address."""
    now = _now()
    address_key = _key("address", address)
    memory = _memory(ADDRESS_MEMORY_SECONDS)
    wait = _wait_after(count_up(address_key, seconds=memory), settings.SIGAP_LOGIN_MAX_FAILURES * ADDRESS_FACTOR)
    if wait:
        cache.set(f"{address_key}:until", now + wait, memory)


def login_succeeded(*, username: str, address: str) -> None:
    """The password was right: the pair's count is forgotten. The address's is not: signing in to one account must
    not clear the way for guessing at others."""
    pair = _pair_key(username, address)
    cache.delete_many([pair, f"{pair}:until"])


# Password reset (sigap.accounts.views): asking for a link mails whoever owns an e-mail address, so asking is
# limited per e-mail address (one inbox is not flooded from many addresses) and per client address (one client
# does not mail a whole office). Unknown e-mail addresses are counted alike: the wait tells nothing about who has
# an account. A link's token is an HMAC that guessing cannot find, but the links that fail are counted per address
# as sign-in failures are, so that nobody tries them by the thousand.
RESET_PER_EMAIL = 3
RESET_PER_ADDRESS = 10
RESET_MEMORY_SECONDS = 60 * 60


class PasswordResetThrottled(DomainError):
    """Too many links asked for one e-mail address or from one address: refused for ``seconds`` more."""

    def __init__(self, seconds: int):
        minutes = max(1, math.ceil(seconds / 60))
        super().__init__(ngettext(
            "Too many password reset requests. Wait %(minutes)s minute and try again.",
            "Too many password reset requests. Wait %(minutes)s minutes and try again.",
            minutes) % {"minutes": minutes})
        self.seconds = seconds


class ResetLinkThrottled(DomainError):
    """Too many password reset links that could not be used were opened from one address."""

    def __init__(self, seconds: int):
        minutes = max(1, math.ceil(seconds / 60))
        super().__init__(ngettext(
            "Too many password reset links that cannot be used were opened from your address. Wait %(minutes)s "
            "minute and try again.",
            "Too many password reset links that cannot be used were opened from your address. Wait %(minutes)s "
            "minutes and try again.",
            minutes) % {"minutes": minutes})
        self.seconds = seconds


def password_reset_request(*, email: str, address: str) -> None:
    """Before a reset link is mailed (or, for an e-mail address of nobody, not): raise PasswordResetThrottled once
    an e-mail address was asked for RESET_PER_EMAIL times, or a client address asked RESET_PER_ADDRESS times, each
    within an hour of the one before; then the next asks wait an hour, and the count starts again."""
    now = _now()
    limits = {_key("reset-email", normalised_username(email)): RESET_PER_EMAIL,
              _key("reset-address", address): RESET_PER_ADDRESS}
    until = max(cache.get_many([f"{key}:until" for key in limits]).values(), default=0)
    if until > now:
        raise PasswordResetThrottled(math.ceil(until - now))
    for key, limit in limits.items():
        if count_up(key, seconds=RESET_MEMORY_SECONDS) > limit:
            cache.set(f"{key}:until", now + RESET_MEMORY_SECONDS, RESET_MEMORY_SECONDS)
            cache.delete(key)
            raise PasswordResetThrottled(RESET_MEMORY_SECONDS)


def reset_link_attempt(*, address: str) -> None:
    """Before a reset link is checked: raise ResetLinkThrottled while the address waits (even a right link waits,
    unchecked, as a right password does)."""
    now = _now()
    until = cache.get(f"{_key('reset-link', address)}:until", 0)
    if until > now:
        raise ResetLinkThrottled(math.ceil(until - now))


def reset_link_failed(*, address: str) -> None:
    """A link (or the set-password step it led to) could not be used: counted against the address like a sign-in
    failure of an address, waiting 1, 2, 4… minutes after as many."""
    now = _now()
    key = _key("reset-link", address)
    memory = _memory(ADDRESS_MEMORY_SECONDS)
    wait = _wait_after(count_up(key, seconds=memory), settings.SIGAP_LOGIN_MAX_FAILURES * ADDRESS_FACTOR)
    if wait:
        cache.set(f"{key}:until", now + wait, memory)
