import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from sigap.api.models import ApiToken, token_hash

TOKEN_URL = "/api/v1/auth/token"


def _post(client, url, body, **extra):
    return client.post(url, json.dumps(body), content_type="application/json", **extra)


def _token(client=None, username="tala_officer", password="sandi-rahasia-1", **extra):
    return _post(client or Client(), TOKEN_URL, {"username": username, "password": password, "name": "laptop"},
                 **extra)


def test_a_token_is_given_for_a_right_password_and_kept_only_as_its_hash(world):
    response = _token()
    assert response.status_code == 201
    token = response.json()["token"]
    record = ApiToken.objects.get()
    assert record.user == world.tala_officer and record.name == "laptop"
    assert record.key_hash == token_hash(token) and token not in record.key_hash
    assert record.prefix == token[:8]
    assert record.expires_at > timezone.now() + datetime.timedelta(days=89)


def test_a_token_opens_the_api_in_its_owners_name(world):
    token = _token().json()["token"]
    response = Client().get("/api/v1/partners", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert [p["name"] for p in response.json()["items"]] == [world.tala_partner.name]  # Tala's, not HSU's


@pytest.mark.parametrize("password", ["salah", ""])
def test_a_wrong_password_gets_no_token(world, password):
    response = _token(password=password)
    assert response.status_code == 400
    assert response.json()["detail"] and ApiToken.objects.count() == 0


def test_token_requests_are_throttled_like_the_login_page(world, settings):
    for _attempt in range(settings.SIGAP_LOGIN_MAX_FAILURES):
        assert _token(password="salah", REMOTE_ADDR="10.5.5.5").status_code == 400
    locked = _token(REMOTE_ADDR="10.5.5.5")  # even the right password now waits
    assert locked.status_code == 429
    assert set(locked.json()) == {"detail", "errors"} and ApiToken.objects.count() == 0


def test_many_token_requests_from_one_address_are_slowed_down(world):
    answers = [_token(username=f"orang{n}", password="x", REMOTE_ADDR="10.6.6.6").status_code for n in range(12)]
    assert answers[:10] == [400] * 10 and answers[10:] == [429, 429]


def test_the_owner_lists_and_revokes_tokens_and_a_revoked_token_stops_working(world):
    token = _token().json()["token"]
    other = _token(username="hsu_officer").json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    listed = Client().get("/api/v1/auth/tokens", **auth).json()
    assert [t["prefix"] for t in listed] == [token[:8]] and "token" not in listed[0]
    hsu_token = ApiToken.objects.get(user=world.hsu_officer)
    assert Client().delete(f"/api/v1/auth/tokens/{hsu_token.pk}", **auth).status_code == 404  # not the owner
    own = ApiToken.objects.get(user=world.tala_officer)
    assert Client().delete(f"/api/v1/auth/tokens/{own.pk}", **auth).status_code == 204
    own.refresh_from_db()
    assert own.revoked_at is not None
    refused = Client().get("/api/v1/partners", **auth)
    assert refused.status_code == 401 and set(refused.json()) == {"detail", "errors"}
    assert Client().get("/api/v1/partners", HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 200


def test_an_expired_token_or_an_inactive_users_token_is_refused(world):
    token = _token().json()["token"]
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert Client().get("/api/v1/partners", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    fresh = _token(username="hsu_officer").json()["token"]
    world.hsu_officer.is_active = False
    world.hsu_officer.save()
    assert Client().get("/api/v1/partners", HTTP_AUTHORIZATION=f"Bearer {fresh}").status_code == 401


@pytest.mark.parametrize("header", ["Bearer", "Bearer sgp_nope", "Token abc", "Basic dGFsYTp4"])
def test_no_or_a_bad_token_is_a_401_in_the_common_shape(db, header):
    response = Client().get("/api/v1/partners", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401 and set(response.json()) == {"detail", "errors"}


def test_a_signed_in_browser_uses_its_session_and_needs_the_csrf_token_to_write(world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.tala_officer)
    assert browser.get("/api/v1/partners").status_code == 200
    refused = _post(browser, "/api/v1/partners", {"name": "x"})
    assert refused.status_code == 403 and "detail" in refused.json()
