import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from sigap.lib.mail import email_settings

ROOT = Path(__file__).resolve().parents[3]
EMAIL_VARIABLES = ["SIGAP_EMAIL_HOST", "SIGAP_EMAIL_PORT", "SIGAP_EMAIL_TLS", "SIGAP_EMAIL_SSL", "SIGAP_EMAIL_USER",
                   "SIGAP_EMAIL_PASSWORD", "SIGAP_EMAIL_FROM", "SIGAP_EMAIL_TIMEOUT"]


@pytest.fixture
def env(monkeypatch):
    for name in EMAIL_VARIABLES:
        monkeypatch.delenv(name, raising=False)

    def set_env(**values):
        for name, value in values.items():
            monkeypatch.setenv(f"SIGAP_EMAIL_{name}", value)
        return email_settings()

    return set_env


def test_without_a_host_mail_is_written_to_the_console(env):
    mail = env()
    assert mail["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert mail["DEFAULT_FROM_EMAIL"] == mail["SERVER_EMAIL"]


def test_a_host_sends_through_smtp_with_starttls_on_port_587_by_default(env):
    mail = env(HOST="smtp.kalselprov.go.id", USER="sigap", PASSWORD="rahasia", FROM="SIGAP <sigap@kalselprov.go.id>")
    assert mail == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.kalselprov.go.id", "EMAIL_PORT": 587, "EMAIL_USE_TLS": True, "EMAIL_USE_SSL": False,
        "EMAIL_HOST_USER": "sigap", "EMAIL_HOST_PASSWORD": "rahasia", "EMAIL_TIMEOUT": 10,
        "DEFAULT_FROM_EMAIL": "SIGAP <sigap@kalselprov.go.id>", "SERVER_EMAIL": "SIGAP <sigap@kalselprov.go.id>",
    }


def test_implicit_tls_turns_starttls_off_and_defaults_to_port_465(env):
    mail = env(HOST="smtp.example.id", SSL="1", PORT="", TIMEOUT="30")
    assert (mail["EMAIL_USE_SSL"], mail["EMAIL_USE_TLS"], mail["EMAIL_PORT"], mail["EMAIL_TIMEOUT"]) == (
        True, False, 465, 30)
    mail = env(HOST="relay.local", SSL="0", TLS="0", PORT="25")
    assert (mail["EMAIL_USE_SSL"], mail["EMAIL_USE_TLS"], mail["EMAIL_PORT"]) == (False, False, 25)


@pytest.mark.security
def test_it_refuses_starttls_and_implicit_tls_together(env):
    with pytest.raises(ImproperlyConfigured, match="SIGAP_EMAIL_TLS.*SIGAP_EMAIL_SSL"):
        env(HOST="smtp.example.id", TLS="1", SSL="1")


@pytest.mark.parametrize("name, value, message", [
    ("PORT", "smtp", "SIGAP_EMAIL_PORT must be a whole number"),
    ("PORT", "0", "SIGAP_EMAIL_PORT must be at least 1"),
    ("PORT", "70000", "SIGAP_EMAIL_PORT must be at most 65535"),
    ("TLS", "maybe", "SIGAP_EMAIL_TLS must be one of"),
    ("SSL", "2", "SIGAP_EMAIL_SSL must be one of"),
    ("TIMEOUT", "0", "SIGAP_EMAIL_TIMEOUT must be at least 1"),
    ("FROM", "SIGAP <sigap@>", "SIGAP_EMAIL_FROM must be an e-mail address"),
    ("FROM", "sigap", "SIGAP_EMAIL_FROM must be an e-mail address"),
    ("HOST", "smtp.example.id\r\nX: y", "SIGAP_EMAIL_HOST"),
])
def test_it_refuses_values_that_make_no_sense(env, name, value, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        env(**({"HOST": "smtp.example.id"} if name != "HOST" else {}), **{name: value})


def test_a_user_without_a_password_is_refused(env):
    with pytest.raises(ImproperlyConfigured, match="SIGAP_EMAIL_PASSWORD"):
        env(HOST="smtp.example.id", USER="sigap")


def test_sigap_does_not_start_with_both_tls_and_ssl(tmp_path):
    base = {k: v for k, v in os.environ.items() if not k.startswith("SIGAP_") and k != "DATABASE_URL"}
    env = {**base, "SIGAP_VAR_DIR": str(tmp_path), "SIGAP_EMAIL_HOST": "smtp.example.id",
           "SIGAP_EMAIL_TLS": "1", "SIGAP_EMAIL_SSL": "1"}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0 and "SIGAP_EMAIL_SSL" in result.stderr
