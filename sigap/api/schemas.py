from ninja import Schema
from pydantic import ConfigDict


class Input(Schema):
    """A request body: a field the operation does not know is refused, never silently ignored."""

    model_config = ConfigDict(extra="forbid")


class Error(Schema):
    detail: str
    errors: dict[str, list[str]]


ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error, 429: Error}
