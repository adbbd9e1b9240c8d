"""Invitations and officer-made reset links: one-time links that work where e-mail does not."""

import datetime
import re

import pytest
from django.core import mail

from conftest import client_for
from sigap.accounts.links import LinkState, invitation_tokens, reset_link_tokens
from sigap.accounts.models import Role, User
from sigap.accounts.services import invitation_link, reset_link, user_deactivate, user_invite
from sigap.api.models import ApiToken, RevokedReason
from sigap.api.services import token_issue, token_user
from sigap.lib.errors import DomainError

pytestmark = pytest.mark.security
NEW_PASSWORD = "Kain-Sasirangan-2020"


def _path(link):
    return re.sub(r"^https?://[^/]+", "", link.url)


def _invited(world, **extra):
    fields = {"username": "mitra_baru", "role": Role.PARTNER, "partner": world.tala_partner, "first_name": "Siti",
              "phone": "+6281251230077"}
    fields.update(extra)
    user = user_invite(by=world.tala_officer, **fields)
    return user, invitation_link(user=user, by=world.tala_officer, base_url="https://sigap.example.id/")


def _set_password(client, path, password=NEW_PASSWORD):
    opened = client.get(path)
    assert opened.status_code == 302  # the token leaves the address bar for the session
    return client.post(opened["Location"], {"new_password1": password, "new_password2": password})


def test_the_invitation_page_creates_the_login_emails_the_link_and_offers_whatsapp(world):
    response = client_for(world.tala_officer).post("/accounts/users/new/", {
        "username": "mitra_baru", "first_name": "Siti", "role": Role.PARTNER, "partner": world.tala_partner.pk,
        "phone": "0812-5123-0077", "email": "siti@example.id"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "https://wa.me/6281251230077?text=" in page
    assert response["Cache-Control"] == "no-store"
    user = User.objects.get(username="mitra_baru")
    assert user.is_invited and user.phone == "+6281251230077" and user.invited_by == world.tala_officer
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["siti@example.id"]
    assert "Disnakerind Tala" in message.body and "/accounts/invitation/" in message.body
    assert message.alternatives[0][1] == "text/html" and "Atur kata sandi saya" in message.alternatives[0][0]
    assert "Halo Siti" in message.body


def test_the_invitation_page_refuses_a_partner_of_another_regency_and_a_partner_user(world):
    body = {"username": "mitra_baru", "first_name": "Siti", "role": Role.PARTNER, "partner": world.hsu_partner.pk}
    refused = client_for(world.tala_officer).post("/accounts/users/new/", body)
    assert refused.status_code == 200 and "errorlist" in refused.content.decode() or "error" in refused.content.decode()
    assert client_for(world.partner_user).post("/accounts/users/new/", body).status_code == 403
    assert not User.objects.filter(username="mitra_baru").exists() and not mail.outbox


def test_the_invited_person_sets_a_password_and_is_signed_in_and_the_link_works_once(world):
    user, link = _invited(world)
    client = client_for(None)
    response = _set_password(client, _path(link))
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/accounts/profile/").status_code == 200
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD) and not user.is_invited
    again = client_for(None).get(_path(link))
    assert again.status_code == 404
    assert "Tautan ini tidak dapat dipakai" in again.content.decode()


def test_it_refuses_a_password_the_validators_refuse(world):
    user, link = _invited(world)
    response = _set_password(client_for(None), _path(link), password="123")
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.is_invited


def test_an_expired_invitation_says_so_and_whom_to_ask(world, monkeypatch):
    world.tala_officer.phone = "+6281200000001"
    world.tala_officer.save()
    user, link = _invited(world)
    later = datetime.datetime.now() + datetime.timedelta(days=7, minutes=1)
    monkeypatch.setattr(invitation_tokens, "_now", lambda: later)
    response = client_for(None).get(_path(link))
    assert response.status_code == 404
    page = response.content.decode()
    assert "Tautan ini sudah kedaluwarsa" in page
    assert "Budi" in page and "Disnakerind Kabupaten Tanah Laut" in page and "+6281200000001" in page
    user.refresh_from_db()
    assert user.is_invited


def test_an_invitation_is_valid_for_seven_days(world, monkeypatch):
    user, link = _invited(world)
    user.refresh_from_db()
    token = link.url.rstrip("/").rsplit("/", 1)[1]
    almost = datetime.datetime.now() + datetime.timedelta(days=6, hours=23)
    monkeypatch.setattr(invitation_tokens, "_now", lambda: almost)
    assert invitation_tokens.state(user, token) is LinkState.VALID
    assert reset_link_tokens.state(user, token) is LinkState.INVALID  # one kind of link never opens the other


def test_a_new_invitation_ends_the_earlier_link(world):
    user, first = _invited(world)
    second = invitation_link(user=user, by=world.tala_officer, base_url="https://sigap.example.id/")
    assert client_for(None).get(_path(first)).status_code == 404
    assert client_for(None).get(_path(second)).status_code == 302


def test_a_forged_link_is_refused_and_guessing_is_throttled(world, login_clock):
    user, link = _invited(world)
    forged = _path(link).rstrip("/").rsplit("/", 1)[0] + "/abc-0123456789abcdef/"
    client = client_for(None)
    for _ in range(5):
        assert client.get(forged).status_code == 404
    waiting = client.get(_path(link))  # even the right link waits, unchecked
    assert waiting.status_code == 429
    assert "Terlalu banyak tautan yang salah" in waiting.content.decode()
    login_clock.advance(61)
    assert client.get(_path(link)).status_code == 302
    assert client.get("/accounts/invitation/Zm9v/abc-def/").status_code == 404


def test_a_deactivated_login_s_invitation_no_longer_works(world):
    user, link = _invited(world)
    user_deactivate(user=user, by=world.tala_officer)
    assert client_for(None).get(_path(link)).status_code == 404


def test_the_officer_resends_an_invitation_from_the_login_s_page(world):
    user, _first = _invited(world, email="siti@example.id")
    mail.outbox.clear()
    response = client_for(world.tala_officer).post(f"/accounts/users/{user.pk}/invitation/")
    assert response.status_code == 200 and "https://wa.me/6281251230077?text=" in response.content.decode()
    assert len(mail.outbox) == 1
    assert client_for(world.hsu_officer).post(f"/accounts/users/{user.pk}/invitation/").status_code == 404
    assert client_for(world.partner_user).post(f"/accounts/users/{user.pk}/invitation/").status_code == 403


def test_a_reset_link_sets_a_new_password_and_ends_sessions_and_api_tokens(world):
    token, _record = token_issue(username="partner_user", password="sandi-rahasia-1", address="10.0.0.9")
    old_session = client_for(world.partner_user)
    link = reset_link(user=world.partner_user, by=world.tala_officer, base_url="http://testserver/")
    assert world.partner_user.check_password("sandi-rahasia-1")  # the present password works until the link is used
    response = _set_password(client_for(None), _path(link))
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    world.partner_user.refresh_from_db()
    assert world.partner_user.check_password(NEW_PASSWORD)
    assert token_user(token) is None
    assert ApiToken.objects.get(user=world.partner_user).revoked_reason == RevokedReason.PASSWORD_CHANGED
    assert old_session.get("/accounts/profile/").status_code == 302
    assert client_for(None).get(_path(link)).status_code == 404  # once


def test_a_reset_link_expires_after_two_days(world, monkeypatch):
    link = reset_link(user=world.partner_user, by=world.tala_officer, base_url="http://testserver/")
    later = datetime.datetime.now() + datetime.timedelta(days=2, minutes=1)
    monkeypatch.setattr(reset_link_tokens, "_now", lambda: later)
    assert "Tautan ini sudah kedaluwarsa" in client_for(None).get(_path(link)).content.decode()


def test_reset_links_are_made_only_for_logins_one_manages(world):
    with pytest.raises(DomainError, match="You do not manage this login."):
        reset_link(user=world.partner_user, by=world.hsu_officer, base_url="http://testserver/")
    with pytest.raises(DomainError, match="Only the staff of an industry office manage logins."):
        reset_link(user=world.tala_officer, by=world.partner_user, base_url="http://testserver/")
    with pytest.raises(DomainError, match="You do not manage this login."):
        reset_link(user=world.admin, by=world.province_officer, base_url="http://testserver/")
    page = client_for(world.tala_officer).post(f"/accounts/users/{world.partner_user.pk}/reset-link/")
    assert page.status_code == 200 and "/accounts/password/link/" in page.content.decode()
    assert client_for(world.hsu_officer).post(f"/accounts/users/{world.partner_user.pk}/reset-link/").status_code == 404
