import pickle
import types

from sigap.lib.counters import count_up


def test_a_counter_counts_up_from_one():
    assert [count_up("counter:a", seconds=60) for _ in range(3)] == [1, 2, 3]
    assert count_up("counter:b", seconds=60) == 1


def test_a_counter_on_the_file_cache_lives_its_own_time_not_the_caches_default(settings, tmp_path, monkeypatch):
    """Django's file-based cache writes an incr() with its default timeout (300 s): the counter would be forgotten
    five minutes after its last count instead of an hour."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                                   "LOCATION": str(tmp_path / "cache")}}
    from django.core.cache import cache

    stopped = types.SimpleNamespace(time=lambda: 1_900_000_000.0)
    monkeypatch.setattr("django.core.cache.backends.base.time", stopped)
    monkeypatch.setattr("django.core.cache.backends.filebased.time", stopped)
    assert [count_up("counter:file", seconds=3600) for _ in range(2)] == [1, 2]
    with open(cache._key_to_file("counter:file"), "rb") as handle:
        expires = pickle.load(handle)
    assert expires == 1_900_000_000.0 + 3600
