import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured

from sigap.lib.env import envbool, envint, envlist


def test_envbool_reads_the_usual_spellings(monkeypatch):
    monkeypatch.setenv("X_FLAG", "Yes")
    assert envbool("X_FLAG", False) is True
    monkeypatch.setenv("X_FLAG", "0")
    assert envbool("X_FLAG", True) is False


def test_envbool_falls_back_to_default_when_unset(monkeypatch):
    monkeypatch.delenv("X_FLAG", raising=False)
    assert envbool("X_FLAG", True) is True


def test_envbool_refuses_nonsense(monkeypatch):
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        envbool("X_FLAG", False)


def test_envint_refuses_words_and_values_below_minimum(monkeypatch):
    monkeypatch.setenv("X_NUM", "ten")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        envint("X_NUM", 1)
    monkeypatch.setenv("X_NUM", "-3")
    with pytest.raises(ImproperlyConfigured, match="at least 0"):
        envint("X_NUM", 1, minimum=0)
    monkeypatch.setenv("X_NUM", "42")
    assert envint("X_NUM", 1, minimum=0) == 42


def test_envlist_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("X_LIST", " a.example, ,b.example ")
    assert envlist("X_LIST", []) == ["a.example", "b.example"]


def test_envdate_reads_an_iso_date_and_falls_back_to_default(monkeypatch):
    from sigap.lib.env import envdate

    monkeypatch.delenv("X_DAY", raising=False)
    assert envdate("X_DAY", datetime.date(2000, 1, 1)) == datetime.date(2000, 1, 1)
    monkeypatch.setenv("X_DAY", " 2015-07-01 ")
    assert envdate("X_DAY", datetime.date(2000, 1, 1)) == datetime.date(2015, 7, 1)


@pytest.mark.security
@pytest.mark.parametrize("raw, message", [
    ("2000-13-01", "YYYY-MM-DD"), ("1/1/2000", "YYYY-MM-DD"), ("20000101", "YYYY-MM-DD"), ("kemarin", "YYYY-MM-DD"),
    ("0001-01-01", "on or after 1900-01-01"), ("2999-01-01", "on or before 2026-03-14"),
])
def test_envdate_refuses_what_is_not_an_iso_date_or_out_of_bounds(monkeypatch, raw, message):
    from sigap.lib.env import envdate

    monkeypatch.setenv("X_DAY", raw)
    with pytest.raises(ImproperlyConfigured, match="X_DAY") as refused:
        envdate("X_DAY", datetime.date(2000, 1, 1), minimum=datetime.date(1900, 1, 1),
                maximum=datetime.date(2026, 3, 14))
    assert message in str(refused.value)
