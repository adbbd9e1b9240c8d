"""The dates SIGAP accepts: one rule for every service, so the pages, the API and the Excel imports refuse alike.

A document (a production report, an inspection, a stock document, a handover, a sale, an attendance day, a visit)
is dated from SIGAP's earliest date (``SIGAP_EARLIEST_DATE``, 1 January 2000 unless the operator sets another) to
today. What is planned (a training, a programme, the date a request is needed by, an order's due date) may lie
ahead, up to the end of the year after next. A list's date filter takes days from the earliest date to 2100.
"""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sigap.lib.errors import DomainError

PLANNING_YEARS = 2
LATEST_FILTER_DATE = datetime.date(2100, 12, 31)


def earliest_date() -> datetime.date:
    return settings.SIGAP_EARLIEST_DATE


def latest_planned_date(today: datetime.date | None = None) -> datetime.date:
    """The last day something may be planned for: the end of the year after next."""
    return datetime.date((today or timezone.localdate()).year + PLANNING_YEARS, 12, 31)


def long_date(day: datetime.date) -> str:
    """1 Januari 2000 (1 January 2000 in English)."""
    return date_format(day, "j F Y")


def check_document_date(day: datetime.date, *, field: str, today: datetime.date | None = None) -> None:
    """A document is dated from SIGAP's earliest date to today."""
    if day > (today or timezone.localdate()):
        raise DomainError(_("The date cannot be in the future."), field=field)
    if day < earliest_date():
        raise DomainError(_("The date must be between %(earliest)s and today.")
                          % {"earliest": long_date(earliest_date())}, field=field)


def check_planned_date(day: datetime.date, *, field: str, today: datetime.date | None = None) -> None:
    """What is planned is dated from SIGAP's earliest date to the end of the year after next."""
    latest = latest_planned_date(today)
    if not earliest_date() <= day <= latest:
        raise DomainError(_("The date must be between %(earliest)s and %(latest)s.")
                          % {"earliest": long_date(earliest_date()), "latest": long_date(latest)}, field=field)


def filter_date_refusal(day: datetime.date) -> str | None:
    """Why a list's date filter cannot take ``day``, or None when it can."""
    if earliest_date() <= day <= LATEST_FILTER_DATE:
        return None
    return _("Give a date between %(earliest)s and %(latest)s.") % {
        "earliest": long_date(earliest_date()), "latest": long_date(LATEST_FILTER_DATE)}
