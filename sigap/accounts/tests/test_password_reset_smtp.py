"""A password reset through a real SMTP server (aiosmtpd on 127.0.0.1), with Django's SMTP backend set up by
SIGAP's own reading of SIGAP_EMAIL_*: what the operator configures is what sends the mail."""

import email
import email.policy
import re
import socket

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from sigap.lib.mail import email_settings


class Inbox:
    """aiosmtpd's handler: keeps every message it is given. smtplib waits for the answer to DATA, so a message is
    here by the time Django's send() returns."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def message(self, index):
        return email.message_from_bytes(self.envelopes[index].content, policy=email.policy.default)


@pytest.fixture
def smtp_inbox(monkeypatch, settings):
    """A local SMTP server on a free port, and Django's settings as SIGAP reads them from the environment."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, ready_timeout=60)
    controller.start()
    try:
        for name, value in {"HOST": "127.0.0.1", "PORT": str(port), "TLS": "0", "TIMEOUT": "60",
                            "FROM": "SIGAP Kalsel <sigap@kalselprov.go.id>"}.items():
            monkeypatch.setenv(f"SIGAP_EMAIL_{name}", value)
        for name in ["SSL", "USER", "PASSWORD"]:
            monkeypatch.delenv(f"SIGAP_EMAIL_{name}", raising=False)
        for name, value in email_settings().items():
            setattr(settings, name, value)
        assert settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
        yield inbox
    finally:
        controller.stop()


@pytest.mark.security
def test_a_reset_link_travels_through_a_real_smtp_server_and_sets_a_new_password(world, smtp_inbox):
    world.tala_officer.email = "budi@tala.go.id"
    world.tala_officer.save(update_fields=["email"])
    asked = Client().post(reverse("password_reset"), {"email": "budi@tala.go.id"}, HTTP_ACCEPT_LANGUAGE="id")
    assert asked.status_code == 302 and asked.url == reverse("password_reset_done")

    assert len(smtp_inbox.envelopes) == 1
    envelope, message = smtp_inbox.envelopes[0], smtp_inbox.message(0)
    assert envelope.mail_from == "sigap@kalselprov.go.id" and envelope.rcpt_tos == ["budi@tala.go.id"]
    assert message["Subject"] == "Atur ulang kata sandi SIGAP"
    assert message["From"] == "SIGAP Kalsel <sigap@kalselprov.go.id>"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Halo Budi," in text and "nama pengguna tala_officer" in text
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/\S+/)", text).group(1)
    assert link in html and "<img" not in html

    client = Client()
    opened = client.get(link)
    assert opened.status_code == 302
    done = client.post(opened.url, {"new_password1": "kelapa-sawit-2026", "new_password2": "kelapa-sawit-2026"})
    assert done.status_code == 302 and done.url == reverse("password_reset_complete")
    world.tala_officer.refresh_from_db()
    assert world.tala_officer.check_password("kelapa-sawit-2026")
    assert len(smtp_inbox.envelopes) == 1


def test_sendtestemail_checks_the_operators_settings(db, smtp_inbox):
    call_command("sendtestemail", "operator@kalselprov.go.id")
    assert smtp_inbox.envelopes[0].rcpt_tos == ["operator@kalselprov.go.id"]
    assert smtp_inbox.message(0)["From"] == "SIGAP Kalsel <sigap@kalselprov.go.id>"
