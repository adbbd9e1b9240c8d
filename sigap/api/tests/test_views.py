"""The administrators' page of API tokens: every token with its owner, filtered by user, revoked after a
confirmation."""

import pytest
from django.test import Client
from django.urls import reverse

from conftest import client_for
from sigap.api.services import token_issue


def _issue(username):
    return token_issue(username=username, password="sandi-rahasia-1", address="10.0.0.1", name="laptop")


def _answer(token):
    return Client().get("/api/v1/partners", HTTP_AUTHORIZATION=f"Bearer {token}").status_code


@pytest.mark.security
def test_an_administrator_sees_every_token_and_narrows_the_list_by_user(world, django_assert_max_num_queries):
    _tala, tala = _issue("tala_officer")
    _hsu, hsu = _issue("hsu_officer")
    admin = client_for(world.admin)
    everyone = admin.get(reverse("tokens:list"))
    assert everyone.status_code == 200
    page = everyone.content.decode()
    assert tala.prefix in page and hsu.prefix in page and "Budi" in page and "Yani" in page
    narrowed = admin.get(reverse("tokens:list"), {"user": "tala_officer"}).content.decode()
    assert tala.prefix in narrowed and hsu.prefix not in narrowed
    unknown = admin.get(reverse("tokens:list"), {"user": "nobody"})
    assert unknown.status_code == 200 and "nobody" in unknown.content.decode()
    assert tala.prefix not in unknown.content.decode()  # not everyone's tokens under a wrong name
    for _ in range(5):
        _issue("province_officer")
    with django_assert_max_num_queries(6):  # session, user, count, page: not one query per token
        assert admin.get(reverse("tokens:list")).status_code == 200


@pytest.mark.security
def test_an_administrator_revokes_a_token_after_confirming_and_it_stops_working(world):
    token, record = _issue("tala_officer")
    admin = client_for(world.admin)
    confirm = admin.get(reverse("tokens:revoke", args=[record.pk]))
    assert confirm.status_code == 200
    assert record.prefix in confirm.content.decode() and 'method="post"' in confirm.content.decode()
    record.refresh_from_db()
    assert record.revoked_at is None and _answer(token) == 200  # looking is not revoking
    done = admin.post(reverse("tokens:revoke", args=[record.pk]))
    assert done.status_code == 302 and done.url.startswith(reverse("tokens:list"))
    record.refresh_from_db()
    assert record.revoked_at is not None and record.revoked_by == world.admin
    assert record.revoked_reason == "administrator"
    assert _answer(token) == 401
    listed = admin.get(reverse("tokens:list"), {"user": "tala_officer"}).content.decode()
    assert "admin" in listed


@pytest.mark.security
def test_revoking_on_the_page_needs_the_csrf_token(world):
    token, record = _issue("tala_officer")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.admin)
    assert browser.post(reverse("tokens:revoke", args=[record.pk])).status_code == 403
    record.refresh_from_db()
    assert record.revoked_at is None and _answer(token) == 200


@pytest.mark.security
@pytest.mark.parametrize("username", ["hsu_officer", "tala_officer", "province_officer", "partner_user"])
def test_no_one_but_an_administrator_uses_the_tokens_page(world, username):
    token, record = _issue("tala_officer")
    client = client_for(getattr(world, username))
    assert client.get(reverse("tokens:list")).status_code == 403
    assert client.get(reverse("tokens:revoke", args=[record.pk])).status_code == 403
    assert client.post(reverse("tokens:revoke", args=[record.pk])).status_code == 403
    record.refresh_from_db()
    assert record.revoked_at is None and _answer(token) == 200


def test_an_unknown_token_is_not_found(world):
    assert client_for(world.admin).get(reverse("tokens:revoke", args=[999999])).status_code == 404


def test_the_menu_shows_the_tokens_page_to_administrators_only(world):
    url = reverse("tokens:list")
    assert f'href="{url}"' in client_for(world.admin).get(reverse("home")).content.decode()
    assert f'href="{url}"' not in client_for(world.tala_officer).get(reverse("home")).content.decode()


@pytest.mark.security
def test_the_django_admin_shows_tokens_read_only_and_revokes_them_with_who(world):
    token, record = _issue("tala_officer")
    admin = client_for(world.admin)
    changelist = reverse("admin:api_apitoken_changelist")
    assert record.prefix in admin.get(changelist).content.decode()
    assert admin.get(reverse("admin:api_apitoken_add")).status_code == 403
    response = admin.post(changelist, {"action": "revoke_tokens", "_selected_action": [record.pk]})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.revoked_by == world.admin and record.revoked_reason == "administrator"
    assert _answer(token) == 401
    assert client_for(world.tala_officer).get(changelist).status_code == 302  # to the admin's login
