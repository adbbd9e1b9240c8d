"""Reading settings from the environment, failing loudly on values that make no sense."""

import datetime
import os
import re

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0/true/false/yes/no/on/off, not {raw!r}")


def envint(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
    if maximum is not None and value > maximum:
        raise ImproperlyConfigured(f"{name} must be at most {maximum}, not {value}")
    return value


def envdate(name: str, default: datetime.date, *, minimum: datetime.date | None = None,
            maximum: datetime.date | None = None) -> datetime.date:
    """A date written as YYYY-MM-DD (nothing looser: 01-02-2000 reads differently in different places)."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw.strip()):
        try:
            value = datetime.date.fromisoformat(raw.strip())
        except ValueError:  # 2000-13-01
            pass
    if value is None:
        raise ImproperlyConfigured(f"{name} must be a date written as YYYY-MM-DD, not {raw!r}")
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be on or after {minimum.isoformat()}, not {value.isoformat()}")
    if maximum is not None and value > maximum:
        raise ImproperlyConfigured(f"{name} must be on or before {maximum.isoformat()}, not {value.isoformat()}")
    return value


def envlist(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def envstr(name: str, default: str) -> str:
    return os.environ.get(name, default)
