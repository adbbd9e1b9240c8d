import datetime
import io
import json

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
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


# --- What ends a token, and who may end someone else's ---

def _bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _answer(token):
    return Client().get("/api/v1/partners", **_bearer(token)).status_code


@pytest.mark.security
def test_changing_the_password_on_the_page_ends_the_users_tokens_and_no_one_elses(world):
    token = _token().json()["token"]
    others = _token(username="hsu_officer").json()["token"]
    browser = client_for(world.tala_officer)
    changed = browser.post(reverse("password_change"), {
        "old_password": "sandi-rahasia-1", "new_password1": "Pelaihari-2020-masker",
        "new_password2": "Pelaihari-2020-masker"})
    assert changed.status_code == 302
    assert _answer(token) == 401 and _answer(others) == 200
    record = ApiToken.objects.get(user=world.tala_officer)
    assert record.revoked_at is not None and record.revoked_by == world.tala_officer
    assert record.revoked_reason == "password_changed"
    assert ApiToken.objects.get(user=world.hsu_officer).revoked_at is None
    assert browser.get(reverse("home")).status_code == 200  # the browser that changed it stays signed in


@pytest.mark.security
def test_a_password_set_with_set_password_ends_the_tokens_as_the_admin_and_changepassword_do(world):
    token = _token().json()["token"]
    others = _token(username="hsu_officer").json()["token"]
    world.tala_officer.set_password("Pelaihari-2020-masker")
    world.tala_officer.save()
    assert _answer(token) == 401 and _answer(others) == 200


@pytest.mark.security
def test_a_password_set_in_the_django_admin_ends_the_tokens(world):
    token = _token().json()["token"]
    url = reverse("admin:auth_user_password_change", args=[world.tala_officer.pk])
    response = client_for(world.admin).post(url, {
        "password1": "Pelaihari-2020-masker", "password2": "Pelaihari-2020-masker", "usable_password": "true"})
    assert response.status_code == 302
    assert _answer(token) == 401


@pytest.mark.security
def test_a_password_set_by_the_changepassword_command_ends_the_tokens(world, monkeypatch):
    from django.core.management import call_command

    token = _token().json()["token"]
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "Pelaihari-2020-masker")
    call_command("changepassword", "tala_officer", stdout=io.StringIO())
    assert _answer(token) == 401


@pytest.mark.security
def test_a_user_deactivated_in_the_admin_loses_their_tokens_for_good(world):
    token = _token().json()["token"]
    others = _token(username="hsu_officer").json()["token"]
    officer = world.tala_officer
    form = {"username": officer.username, "first_name": officer.first_name, "last_name": "", "email": "",
            "is_staff": "", "is_superuser": "", "last_login_0": "", "last_login_1": "",
            "date_joined_0": officer.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": officer.date_joined.strftime("%H:%M:%S"),
            "role": officer.role, "organisation": officer.organisation_id, "partner": "", "position": ""}
    response = client_for(world.admin).post(reverse("admin:accounts_user_change", args=[officer.pk]), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    officer.refresh_from_db()
    assert not officer.is_active
    assert _answer(token) == 401 and _answer(others) == 200
    record = ApiToken.objects.get(user=officer)
    assert record.revoked_by == world.admin and record.revoked_reason == "deactivated"
    officer.is_active = True  # taken back: the old tokens stay revoked
    officer.save()
    assert _answer(token) == 401


def test_a_stronger_hasher_rewriting_the_same_password_keeps_the_tokens(world, settings):
    """Django re-hashes a right password when its hasher grows stronger (after an upgrade, at the next sign-in):
    the password is the same, so the tokens still work."""
    token = _token().json()["token"]
    settings.PASSWORD_HASHERS = ["sigap.api.tests.test_tokens.StrongerHasher",
                                 "django.contrib.auth.hashers.MD5PasswordHasher"]
    assert Client().post(reverse("login"), {"username": "tala_officer", "password": "sandi-rahasia-1"}
                         ).status_code == 302
    world.tala_officer.refresh_from_db()
    assert world.tala_officer.password.startswith("pbkdf2_sha256$2$")
    assert _answer(token) == 200


class StrongerHasher(PBKDF2PasswordHasher):
    iterations = 2


@pytest.mark.security
def test_an_administrator_lists_anyones_tokens_by_user_and_revokes_one(world):
    token = _token().json()["token"]
    _token(username="hsu_officer")
    admin = client_for(world.admin)
    listed = admin.get("/api/v1/auth/tokens", {"user": "tala_officer"})
    assert listed.status_code == 200
    assert [(t["username"], t["prefix"]) for t in listed.json()] == [("tala_officer", token[:8])]
    assert {t["username"] for t in admin.get("/api/v1/auth/tokens").json()} == {"tala_officer", "hsu_officer"}
    record = ApiToken.objects.get(user=world.tala_officer)
    assert admin.delete(f"/api/v1/auth/tokens/{record.pk}").status_code == 204
    assert _answer(token) == 401
    record.refresh_from_db()
    assert record.revoked_at is not None and record.revoked_by == world.admin
    assert record.revoked_reason == "administrator"
    shown = admin.get("/api/v1/auth/tokens", {"user": "tala_officer"}).json()[0]
    assert shown["revoked_by"] == "admin" and shown["state"] == "revoked"


def test_an_unknown_user_in_the_filter_is_a_clear_refusal(world):
    response = client_for(world.admin).get("/api/v1/auth/tokens", {"user": "nobody"})
    assert response.status_code == 422 and "user" in response.json()["errors"]


@pytest.mark.security
def test_a_district_officer_may_not_list_or_revoke_anothers_tokens_through_the_api(world):
    token = _token().json()["token"]
    hsu = client_for(world.hsu_officer)
    refused = hsu.get("/api/v1/auth/tokens", {"user": "tala_officer"})
    assert refused.status_code == 403 and set(refused.json()) == {"detail", "errors"}
    assert hsu.get("/api/v1/auth/tokens").json() == []  # their own: none
    record = ApiToken.objects.get(user=world.tala_officer)
    assert hsu.delete(f"/api/v1/auth/tokens/{record.pk}").status_code == 404
    record.refresh_from_db()
    assert record.revoked_at is None and _answer(token) == 200
    own = client_for(world.tala_officer).get("/api/v1/auth/tokens", {"user": "tala_officer"})
    assert [t["prefix"] for t in own.json()] == [token[:8]]


def test_revoking_twice_keeps_who_revoked_first(world):
    from sigap.api.services import token_revoke

    _token()
    record = ApiToken.objects.get()
    token_revoke(token=record, by=world.tala_officer)
    token_revoke(token=ApiToken.objects.get(), by=world.admin)
    record.refresh_from_db()
    assert record.revoked_by == world.tala_officer and record.revoked_reason == "owner"


def test_only_the_owner_or_an_administrator_revokes(world):
    from sigap.api.services import token_revoke
    from sigap.lib.errors import DomainError

    _token()
    with pytest.raises(DomainError):
        token_revoke(token=ApiToken.objects.get(), by=world.province_officer)
    assert ApiToken.objects.get().revoked_at is None
