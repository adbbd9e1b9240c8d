"""Counting failed logins per username and per address, so guessing passwords gets slow."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _keys(username: str, address: str) -> list[str]:
    name = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return [f"login-fail:user:{name}", f"login-fail:addr:{address}"]


def login_is_locked(*, username: str, address: str) -> bool:
    limit = settings.SIGAP_LOGIN_MAX_FAILURES
    # The address allows more attempts than one account: an office shares one public address.
    user_key, addr_key = _keys(username, address)
    return cache.get(user_key, 0) >= limit or cache.get(addr_key, 0) >= limit * 4


def login_failed(*, username: str, address: str) -> None:
    for key in _keys(username, address):
        cache.add(key, 0, settings.SIGAP_LOGIN_LOCKOUT_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, settings.SIGAP_LOGIN_LOCKOUT_SECONDS)


def login_succeeded(*, username: str, address: str) -> None:
    cache.delete(_keys(username, address)[0])
