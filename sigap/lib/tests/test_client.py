import pytest
from django.test import RequestFactory

from sigap.lib.client import client_address


def _request(remote="10.0.0.9", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_proxies_a_forwarded_header_is_ignored(settings):
    settings.NINJA_NUM_PROXIES = 0
    assert client_address(_request(forwarded="203.0.113.5")) == "10.0.0.9"


@pytest.mark.parametrize("forwarded, expected", [
    ("198.51.100.7", "198.51.100.7"),                 # nginx added the client it saw
    ("1.2.3.4, 198.51.100.7", "198.51.100.7"),        # the client's own claim (1.2.3.4) is not trusted
    ("", "10.0.0.9"),                                  # no header: the proxy itself
])
def test_behind_one_proxy_the_client_is_what_the_proxy_saw(settings, forwarded, expected):
    settings.NINJA_NUM_PROXIES = 1
    assert client_address(_request(forwarded=forwarded)) == expected


def test_behind_two_proxies_the_client_is_two_from_the_right(settings):
    settings.NINJA_NUM_PROXIES = 2
    assert client_address(_request(forwarded="1.2.3.4, 198.51.100.7, 10.0.0.2")) == "198.51.100.7"


def test_the_login_throttle_counts_each_client_behind_the_proxy_apart(world, settings, login_clock):
    from django.test import Client

    settings.NINJA_NUM_PROXIES = 1
    limit = settings.SIGAP_LOGIN_MAX_FAILURES * 4  # the per-address limit
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for n in range(limit):
        Client().post("/accounts/login/", {"username": f"orang{n}", "password": "salah"},
                      HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    blocked = Client().post("/accounts/login/", {"username": "tala_officer", "password": "sandi-rahasia-1"},
                            HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    other = Client().post("/accounts/login/", {"username": "tala_officer", "password": "sandi-rahasia-1"},
                          HTTP_X_FORWARDED_FOR="198.51.100.8", **proxy)
    assert blocked.status_code == 200  # the form again, locked
    assert other.status_code == 302  # another office behind the same proxy signs in
