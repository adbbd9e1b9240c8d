"""A session that ended while a form was open loses nothing: the form comes back, filled in, after signing in."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from conftest import client_for
from sigap.people.models import Person

NOTICE = "Sesi Anda berakhir; periksa isian lalu simpan lagi"
SIGNED_OUT = "Sesi Anda berakhir karena tidak ada aktivitas"


def _expire(client):
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1))


def _form_fields(**extra):
    return {"name": "Siti Rahmah", "nik": "6301014101900001", "sex": "P", "kind": "participant",
            "address": "Jl. Pelaihari", "phone": "", **extra}


def _post_after_expiry(world, data):
    client = client_for(world.tala_officer)
    client.get("/people/new/")
    _expire(client)
    return client, client.post("/people/new/", data)


def _next_of(response):
    return parse_qs(urlsplit(response["Location"]).query)["next"][0]


def _sign_in(client, next_url):
    return client.post("/accounts/login/", {"username": "tala_officer", "password": "sandi-rahasia-1",
                                            "next": next_url})


def test_a_form_posted_after_the_session_ended_comes_back_filled_in_after_signing_in(world):
    client, response = _post_after_expiry(world, _form_fields())
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    next_url = _next_of(response)
    assert next_url.startswith("/people/new/?draft=")
    assert not Person.objects.exists()

    login_page = client.get(response["Location"])
    assert SIGNED_OUT in login_page.content.decode()

    signed_in = _sign_in(client, next_url)
    assert signed_in["Location"] == next_url
    page = client.get(next_url)
    html = page.content.decode()
    assert page.status_code == 200
    assert NOTICE in html
    assert 'value="Siti Rahmah"' in html and 'value="6301014101900001"' in html
    assert not Person.objects.exists()  # shown again, not saved

    again = client.get(next_url)  # a one-time id
    assert 'value="Siti Rahmah"' not in again.content.decode()


def test_it_keeps_no_password_and_no_csrf_token_of_the_form(world):
    from django.core.cache import cache

    client, response = _post_after_expiry(world, _form_fields(password="rahasia-sekali", new_password1="x1",
                                                              csrfmiddlewaretoken="token"))
    draft_id = parse_qs(urlsplit(_next_of(response)).query)["draft"][0]
    from sigap.accounts.drafts import draft_key

    stored = cache.get(draft_key(draft_id))
    assert stored["data"]["name"] == ["Siti Rahmah"]
    assert not {"password", "new_password1", "csrfmiddlewaretoken"} & set(stored["data"])


def test_a_draft_is_not_given_to_another_browser(world):
    client, response = _post_after_expiry(world, _form_fields())
    next_url = _next_of(response)
    other = client_for(world.tala_officer)  # signed in elsewhere, with the address but not the cookie
    html = other.get(next_url).content.decode()
    assert 'value="Siti Rahmah"' not in html and NOTICE not in html


@pytest.mark.security
def test_a_draft_is_given_back_only_to_the_user_whose_session_ended(world):
    """A shared office computer: someone else signing in on the same browser never sees what the officer typed."""
    client, response = _post_after_expiry(world, _form_fields())
    next_url = _next_of(response)
    client.post("/accounts/login/", {"username": "hsu_officer", "password": "sandi-rahasia-1", "next": next_url})
    html = client.get(next_url).content.decode()
    assert "Siti Rahmah" not in html and "6301014101900001" not in html and NOTICE not in html


@pytest.mark.security
def test_nothing_is_kept_when_the_ended_session_is_gone(world):
    client = client_for(world.tala_officer)
    client.get("/people/new/")
    Session.objects.filter(session_key=client.session.session_key).delete()  # cleared by clearsessions
    response = client.post("/people/new/", _form_fields())
    assert response.status_code == 302 and "draft" not in _next_of(response)


def test_a_draft_is_not_shown_on_another_page(world):
    client, response = _post_after_expiry(world, _form_fields())
    draft = parse_qs(urlsplit(_next_of(response)).query)["draft"][0]
    _sign_in(client, "/")
    html = client.get(f"/people/?draft={draft}").content.decode()
    assert "Siti Rahmah" not in html and NOTICE not in html


def test_signing_out_is_not_called_an_ended_session(world):
    client = client_for(world.tala_officer)
    client.post("/accounts/logout/")
    response = client.get("/people/new/", follow=True)
    assert SIGNED_OUT not in response.content.decode()


def test_a_visitor_who_never_signed_in_keeps_nothing(db):
    response = Client().post("/people/new/", _form_fields())
    assert response.status_code == 302
    assert "draft" not in response["Location"]
    assert SIGNED_OUT not in Client().get(response["Location"]).content.decode()


@pytest.mark.parametrize("expired", [True, False])
def test_the_csrf_failure_page_is_sigaps_own_and_says_when_the_session_ended(world, expired):
    client = client_for(world.tala_officer)
    client.get("/people/new/")
    if expired:
        _expire(client)
    client.handler.enforce_csrf_checks = True
    response = client.post("/people/new/", _form_fields(csrfmiddlewaretoken="stale"),
                           HTTP_REFERER="http://testserver/people/new/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "sigap.css" in html and "style=" not in html and "<style" not in html
    assert '<html lang="id">' in html
    assert 'href="/people/new/"' in html  # back to the page the form was on
    assert "Forbidden" not in html and "CSRF verification failed" not in html
    assert (SIGNED_OUT in html) is expired
