from typing import Any

from ninja import Field, Schema
from ninja.pagination import PaginationBase

MAX_LIMIT = 100


class Page(PaginationBase):
    """``?limit=&offset=``; a limit above 100 is served as 100 (the response says which limit applied)."""

    class Input(Schema):
        limit: int = Field(25, ge=1, description=f"Items per page; at most {MAX_LIMIT} are returned.")
        offset: int = Field(0, ge=0, le=1_000_000_000)

    class Output(Schema):
        count: int
        limit: int
        offset: int
        items: list[Any]

    items_attribute = "items"

    def paginate_queryset(self, queryset, pagination: Input, **params):
        limit = min(pagination.limit, MAX_LIMIT)
        offset = pagination.offset
        count = len(queryset) if isinstance(queryset, list) else queryset.count()
        return {"count": count, "limit": limit, "offset": offset, "items": list(queryset[offset:offset + limit])}
