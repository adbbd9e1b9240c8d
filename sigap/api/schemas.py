import datetime
import math
import re
from decimal import Decimal
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, PlainSerializer, WithJsonSchema
from pydantic_core import PydanticCustomError

from sigap.lib.dates import filter_date_refusal

# Quantities and money in answers as strings without trailing zeros ("20", "0.5"): the same on PostgreSQL and
# SQLite, and never rounded by a client's floats. In a request they are JSON numbers (Number, WholeNumber below).
# Patterns for codes and free text in queries and bodies (a NUL character is refused before, by a middleware).
REGION_CODE = r"^[0-9.]{1,13}$"
ITEM_CODE = r"^[-a-zA-Z0-9_]{1,40}$"
TEXT = r"^[^\x00]*$"

Quantity = Annotated[Decimal, PlainSerializer(lambda d: format(d.normalize(), "f"), return_type=str)]


def _json_number(value):
    """A quantity, a price or a count in a request body is a JSON number. Text is refused, not read: "1.000" is one
    thousand on SIGAP's pages (Indonesian writes a dot between thousands) and one to a program, so the same text
    would record different amounts. true and false are not numbers either."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise PydanticCustomError("json_number", _(
            "Send this as a JSON number (1000 for one thousand, 2.5 for two and a half), not as text or "
            "true/false."))
    if isinstance(value, float) and not math.isfinite(value):
        raise PydanticCustomError("finite_number", _("Enter a number."))
    return value


def _whole(value):
    value = _json_number(value)
    if not isinstance(value, int) and value != int(value):
        raise PydanticCustomError("whole_number", _("Enter a whole number."))
    return int(value)


def _digits(value):
    """A query string is text: a whole number in one is its digits alone, without a separator to misread."""
    if isinstance(value, str) and not (re.fullmatch(r"[0-9]{1,15}", value) and int(value) >= 1):
        raise PydanticCustomError("digits", _("Enter a whole number of at least 1, in digits only (1000, not "
                                              "1.000)."))
    return value


# Request bodies: quantities and money (decimals allowed), and whole units, capacities, targets and counts.
Number = Annotated[Decimal, BeforeValidator(_json_number), WithJsonSchema({"type": "number"})]
WholeNumber = Annotated[int, BeforeValidator(_whole)]
# Query strings: a whole number of at least one, as digits (the schema says so before the validator is applied).
Digits = Annotated[int, Field(ge=1), BeforeValidator(_digits)]


def _filter_date(day: datetime.date) -> datetime.date:
    if refusal := filter_date_refusal(day):
        raise PydanticCustomError("date_range", refusal)
    return day


# A list's date filter: from SIGAP's earliest date to 2100, so a day in year 1 is refused rather than searched for.
FilterDate = Annotated[datetime.date, AfterValidator(_filter_date)]


class Input(Schema):
    """A request body: a field the operation does not know is refused, never silently ignored."""

    model_config = ConfigDict(extra="forbid")


class Error(Schema):
    detail: str
    errors: dict[str, list[str]]


ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error, 429: Error}


class Shortfall(Schema):
    item: str
    location: str
    available: Quantity
    requested: Quantity
    missing: Quantity


class Overdraw(Error):
    """409: the ledger refused the whole document; nothing was written."""

    shortfall: list[Shortfall]
