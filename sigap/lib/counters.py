"""Counters in Django's cache, shared by every worker, for throttles and rate limits."""

from django.core.cache import cache


def count_up(key: str, *, seconds: int) -> int:
    """Add one to the counter at ``key`` and return its new value. The counter is forgotten ``seconds`` after its
    last count.

    ``incr()`` is atomic on memcached and Redis. Django's file-based cache (SIGAP's default) runs it as a read and a
    write that gives the counter the cache's default timeout (five minutes), so the lifetime is set again here."""
    cache.add(key, 0, seconds)
    try:
        value = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, seconds)
        return 1
    cache.touch(key, seconds)
    return value
