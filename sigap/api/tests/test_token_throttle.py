"""The token endpoint is throttled by the login page's own rule: per (username, address), with a ceiling per address,
and a stranger's failures never keep the owner from her token."""

import json

import pytest
from django.test import Client

from sigap.api.models import ApiToken

TOKEN_URL = "/api/v1/auth/token"
STRANGER = "203.0.113.66"
OWNER = "198.51.100.7"


def _token(username="tala_officer", password="sandi-rahasia-1", *, address=STRANGER):
    return Client().post(TOKEN_URL, json.dumps({"username": username, "password": password}),
                         content_type="application/json", REMOTE_ADDR=address)


@pytest.mark.security
def test_a_strangers_failures_do_not_keep_the_owner_from_her_token(world, login_clock, settings):
    for _ in range(settings.SIGAP_LOGIN_MAX_FAILURES):
        assert _token(password="salah").status_code == 400
    refused = _token()  # the stranger, even with the right password, waits
    assert refused.status_code == 429 and set(refused.json()) == {"detail", "errors"}
    assert refused.json()["detail"] == "Terlalu banyak percobaan masuk yang gagal. Tunggu 1 menit lalu coba lagi."
    assert not ApiToken.objects.exists()
    owner = _token(address=OWNER)
    assert owner.status_code == 201
    assert ApiToken.objects.get().user == world.tala_officer
    login_clock.advance(60)
    assert _token().status_code == 201  # the wait is over


@pytest.mark.security
@pytest.mark.parametrize("variant", ["TALA_OFFICER", " tala_officer ", "ｔａｌａ_ｏｆｆｉｃｅｒ"])
def test_case_and_space_variants_share_the_count_on_the_token_endpoint(world, login_clock, variant):
    for _ in range(4):
        assert _token(variant, "salah").status_code == 400
    assert _token(password="salah").status_code == 400
    assert _token().status_code == 429
    assert _token(address=OWNER).status_code == 201


@pytest.mark.security
def test_the_page_and_the_token_endpoint_share_one_count(world, login_clock):
    from django.urls import reverse

    for _ in range(5):
        Client().post(reverse("login"), {"username": "tala_officer", "password": "salah"}, REMOTE_ADDR=STRANGER)
    assert _token().status_code == 429
    assert _token(address=OWNER).status_code == 201


def test_a_wrong_password_for_an_unknown_or_inactive_user_counts_the_same(world, login_clock):
    world.hsu_officer.is_active = False
    world.hsu_officer.save()
    for _ in range(5):
        assert _token("hsu_officer", "sandi-rahasia-1").status_code == 400
    assert _token("hsu_officer", "sandi-rahasia-1").status_code == 429
