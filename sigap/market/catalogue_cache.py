"""The public catalogue's pages, kept rendered in the cache.

The catalogue is the page most visitors open, and it is the same for all of them: its listing cards and filters
are rendered once per version and language, then served from the cache (the page around them, with the visitor's
own header, is still rendered for each request). Searches are rendered fresh; only the plain pages are kept.

Whatever a card shows (a listing, its partner, its product) gives the catalogue a new version when saved or
deleted: at once, and again when the transaction commits, so a page rendered in between from the old rows is not
kept. Entries also expire after SECONDS.
"""

import secrets

from django.core.cache import cache
from django.db import transaction
from django.utils import translation

VERSION_KEY = "market:catalogue:version"
SECONDS = 300
MAX_PAGE = 1000


def _new_version() -> str:
    return secrets.token_hex(8)


def version() -> str:
    return cache.get_or_set(VERSION_KEY, _new_version, None)


def changed(**kwargs) -> None:
    """A receiver of post_save and post_delete for every model a catalogue card shows."""
    cache.set(VERSION_KEY, _new_version(), None)
    transaction.on_commit(lambda: cache.set(VERSION_KEY, _new_version(), None))


def key_for(request) -> str | None:
    """The cache key of a catalogue request, or None for one that is rendered fresh (a search or filter)."""
    if set(request.GET) - {"page"}:
        return None
    page = request.GET.get("page", "1")
    if not page.isdigit() or not 0 < int(page) <= MAX_PAGE:
        return None
    return f"market:catalogue:{version()}:{translation.get_language()}:{int(page)}"
