"""A forgotten password: a link by e-mail sets a new one. The page answers the same for every address, asking is
throttled per e-mail address and per client address, a link works once and ends the user's API tokens and other
sessions. Mail goes to Django's locmem outbox here; test_password_reset_smtp.py sends one through a real server."""

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from conftest import client_for
from sigap.api.models import RevokedReason, TokenState
from sigap.api.services import token_issue, token_user

ADDRESS = "198.51.100.7"
NEW_PASSWORD = "kelapa-sawit-2026"
LINK = re.compile(r"http://testserver(/accounts/password/reset/[^/\s]+/[^/\s]+/)")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
REFUSED_LINK = "Tautan atur ulang kata sandi ini tidak dapat dipakai"


@pytest.fixture
def budi(world):
    world.tala_officer.email = "budi@tala.go.id"
    world.tala_officer.save(update_fields=["email"])
    return world.tala_officer


def _ask(email, *, address=ADDRESS, client=None):
    return (client or Client()).post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address,
                                     HTTP_ACCEPT_LANGUAGE="id")


def _link(message) -> str:
    return LINK.search(message.body).group(1)


def _set_password(link, password=NEW_PASSWORD, *, address=ADDRESS):
    client = Client()
    opened = client.get(link, REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="id")
    assert opened.status_code == 302 and opened.url.endswith("/set-password/")
    assert client.get(opened.url, REMOTE_ADDR=address).status_code == 200
    return client.post(opened.url, {"new_password1": password, "new_password2": password}, REMOTE_ADDR=address,
                       HTTP_ACCEPT_LANGUAGE="id")


def test_the_login_page_offers_a_way_back_to_a_forgotten_password(db):
    page = Client().get(reverse("login"), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert f'href="{reverse("password_reset")}"' in page and "Lupa kata sandi?" in page


def test_the_reset_pages_speak_indonesian_and_fit_sigaps_narrow_layout(db):
    page = Client().get(reverse("password_reset"), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Atur ulang kata sandi" in page and 'class="narrow"' in page and 'type="email"' in page
    assert "<script>" not in page and "style=" not in page  # SIGAP's Content-Security-Policy


@pytest.mark.security
def test_a_user_who_forgot_the_password_sets_a_new_one_through_the_mailed_link(budi):
    asked = _ask(" Budi@Tala.go.id ")
    assert asked.status_code == 302 and asked.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["budi@tala.go.id"] and message.subject == "Atur ulang kata sandi SIGAP"
    assert "tala_officer" in message.body and "Buka tautan berikut" in message.body
    html = message.alternatives[0][0]
    assert _link(message) in html and "SIGAP" in html and "<img" not in html

    done = _set_password(_link(message))
    assert done.status_code == 302 and done.url == reverse("password_reset_complete")
    budi.refresh_from_db()
    assert budi.check_password(NEW_PASSWORD)
    complete = Client().get(done.url, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Kata sandi Anda sudah diganti" in complete and f'href="{reverse("login")}"' in complete
    signed_in = Client().post(reverse("login"), {"username": "tala_officer", "password": NEW_PASSWORD})
    assert signed_in.status_code == 302 and signed_in.url == reverse("home")


@pytest.mark.security
def test_an_unknown_address_gets_the_same_answer_and_page_and_no_mail(budi):
    known, unknown = _ask("budi@tala.go.id"), _ask("siapa@contoh.id", address="198.51.100.8")
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url) == (302, reverse("password_reset_done"))
    assert [m.to for m in mail.outbox] == [["budi@tala.go.id"]]
    pages = [CSRF.sub("", Client().get(r.url, HTTP_ACCEPT_LANGUAGE="id").content.decode()) for r in (known, unknown)]
    assert pages[0] == pages[1] and "Jika alamat e-mail ini terdaftar" in pages[0]


@pytest.mark.security
def test_inactive_users_and_users_invited_but_without_a_password_get_no_mail(world):
    world.tala_officer.email, world.tala_officer.is_active = "budi@tala.go.id", False
    world.tala_officer.save()
    world.hsu_officer.email = "yani@hsu.go.id"
    world.hsu_officer.set_unusable_password()  # invited, not yet accepted: the invitation is the way in
    world.hsu_officer.save()
    for email in ["budi@tala.go.id", "yani@hsu.go.id"]:
        assert _ask(email).url == reverse("password_reset_done")
    assert mail.outbox == []


@pytest.mark.security
def test_a_link_of_a_user_deactivated_since_it_was_sent_is_refused(budi):
    _ask("budi@tala.go.id")
    budi.is_active = False
    budi.save(update_fields=["is_active"])
    refused = Client().get(_link(mail.outbox[0]), HTTP_ACCEPT_LANGUAGE="id")
    assert refused.status_code == 200 and REFUSED_LINK in refused.content.decode()


@pytest.mark.security
def test_requests_for_one_email_address_are_throttled_from_any_address_with_the_same_answer(budi, login_clock):
    for n in range(3):
        assert _ask("budi@tala.go.id", address=f"203.0.113.{n}").status_code == 302
    refused = _ask("BUDI@tala.go.id", address="203.0.113.9")
    assert refused.status_code == 200
    assert ("Terlalu banyak permintaan atur ulang kata sandi. Tunggu 60 menit lalu coba lagi."
            in refused.content.decode())
    assert len(mail.outbox) == 3
    for n in range(3):  # an address SIGAP does not know is refused the same way, so the wait tells nothing
        _ask("siapa@contoh.id", address=f"203.0.113.{n}")
    unknown = _ask("siapa@contoh.id", address="203.0.113.9")
    assert unknown.status_code == 200 and unknown.context["form"].errors == refused.context["form"].errors
    login_clock.advance(59 * 60)
    assert "Tunggu 1 menit" in _ask("budi@tala.go.id", address="203.0.113.9").content.decode()
    login_clock.advance(60)
    assert _ask("budi@tala.go.id", address="203.0.113.9").status_code == 302
    assert len(mail.outbox) == 4


@pytest.mark.security
def test_requests_from_one_address_are_throttled_whatever_the_email_address(budi, login_clock):
    for n in range(10):
        assert _ask(f"orang{n}@contoh.id").status_code == 302
    refused = _ask("budi@tala.go.id")
    assert refused.status_code == 200 and "Tunggu 60 menit" in refused.content.decode()
    assert mail.outbox == []
    assert _ask("budi@tala.go.id", address="198.51.100.99").status_code == 302  # another address is not held up
    assert len(mail.outbox) == 1


@pytest.mark.security
@pytest.mark.parametrize("kind", ["forged", "expired", "other user's", "unknown user"])
def test_a_link_that_is_not_right_is_refused_in_indonesian_with_a_way_to_ask_again(budi, world, kind):
    uid = urlsafe_base64_encode(force_bytes(budi.pk))
    token = {
        "forged": "cz4ri3-0123456789abcdef0123456789abcdef",
        "expired": default_token_generator._make_token_with_timestamp(
            budi, default_token_generator._num_seconds(default_token_generator._now()) - 4 * 24 * 3600,
            default_token_generator.secret),
        "other user's": default_token_generator.make_token(world.hsu_officer),
        "unknown user": default_token_generator.make_token(budi),
    }[kind]
    if kind == "unknown user":
        uid = urlsafe_base64_encode(b"999999")
    client = Client()
    refused = client.get(reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token}),
                         HTTP_ACCEPT_LANGUAGE="id")
    assert refused.status_code == 200 and REFUSED_LINK in refused.content.decode()
    assert f'href="{reverse("password_reset")}"' in refused.content.decode()
    set_password = client.post(reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": "set-password"}),
                               {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert set_password.status_code == 200 and REFUSED_LINK in set_password.content.decode()
    budi.refresh_from_db()
    assert budi.check_password("sandi-rahasia-1")


@pytest.mark.security
def test_a_link_works_only_once(budi):
    _ask("budi@tala.go.id")
    link = _link(mail.outbox[0])
    assert _set_password(link).status_code == 302
    again = Client().get(link, HTTP_ACCEPT_LANGUAGE="id")
    assert again.status_code == 200 and REFUSED_LINK in again.content.decode()


@pytest.mark.security
def test_an_address_opening_many_wrong_links_waits_like_a_failing_sign_in(budi, login_clock):
    wrong = reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "cz4ri3-0123456789abcdef"})
    for _ in range(20):
        assert REFUSED_LINK in Client().get(wrong, REMOTE_ADDR=ADDRESS, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    _ask("budi@tala.go.id", address="198.51.100.50")
    link = _link(mail.outbox[0])
    held = Client().get(link, REMOTE_ADDR=ADDRESS, HTTP_ACCEPT_LANGUAGE="id")
    assert held.status_code == 200 and "Tunggu 1 menit lalu coba lagi" in held.content.decode()
    assert _set_password(link, address="198.51.100.50").status_code == 302  # the owner's own address is not held
    login_clock.advance(60)
    assert Client().get(wrong, REMOTE_ADDR=ADDRESS).status_code == 200


@pytest.mark.security
def test_a_reset_ends_the_users_api_tokens_and_other_sessions(budi, world):
    token, record = token_issue(username="tala_officer", password="sandi-rahasia-1", address="10.0.0.1")
    elsewhere = client_for(budi)
    assert elsewhere.get(reverse("home")).status_code == 200
    others_token = token_issue(username="hsu_officer", password="sandi-rahasia-1", address="10.0.0.1")[0]
    _ask("budi@tala.go.id")
    assert _set_password(_link(mail.outbox[0])).status_code == 302
    record.refresh_from_db()
    assert record.state == TokenState.REVOKED and record.revoked_reason == RevokedReason.PASSWORD_CHANGED
    assert record.revoked_by == budi
    assert token_user(token) is None and token_user(others_token) == world.hsu_officer
    signed_out = elsewhere.get(reverse("profile"))  # a page for signed-in users (the home page greets visitors)
    assert signed_out.status_code == 302 and signed_out.url.startswith(reverse("login"))
