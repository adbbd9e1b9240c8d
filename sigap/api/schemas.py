from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import ConfigDict, PlainSerializer

# Quantities and money as strings without trailing zeros ("20", "0.5"): the same on PostgreSQL and SQLite, and
# never rounded by a client's floats.
# Patterns for codes and free text in queries and bodies (a NUL character is refused before, by a middleware).
REGION_CODE = r"^[0-9.]{1,13}$"
ITEM_CODE = r"^[-a-zA-Z0-9_]{1,40}$"
TEXT = r"^[^\x00]*$"

Quantity = Annotated[Decimal, PlainSerializer(lambda d: format(d.normalize(), "f"), return_type=str)]


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
