import os
import subprocess
import sys
from pathlib import Path

from django.db import DatabaseError
from django.urls import reverse

from conftest import client_for

ROOT = Path(__file__).resolve().parents[2]
# The test process allows sync ORM calls from Playwright's event loop; a deployment must not.
CLEAN_ENV = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}


def test_healthz_answers_ok_when_the_database_answers(db):
    response = client_for(None).get(reverse("healthz"))
    assert response.status_code == 200 and response.content == b"ok"


def test_healthz_answers_503_when_the_database_does_not(db, monkeypatch):
    class Unreachable:
        def cursor(self):
            raise DatabaseError("connection refused")

    monkeypatch.setattr("sigap.views.connection", Unreachable())
    response = client_for(None).get(reverse("healthz"))
    assert response.status_code == 503
    assert b"Traceback" not in response.content


def test_the_interface_speaks_indonesian_by_default_and_english_on_request(world):
    client = client_for(world.tala_officer)
    page = client.get(reverse("partners:list")).content.decode()
    assert '<html lang="id">' in page and "Mitra IKM" in page
    client.post(reverse("set_language"), {"language": "en", "next": "/partners/"})
    page = client.get(reverse("partners:list")).content.decode()
    assert '<html lang="en">' in page and "IKM partners" in page


def test_numbers_use_the_indonesian_thousands_separator(world):
    from django.template import Context, Template
    from django.utils import translation

    with translation.override("id"):
        assert Template("{{ n }}").render(Context({"n": 1234.5})) == "1.234,5"
    with translation.override("en"):
        assert Template("{{ n }}").render(Context({"n": 1234.5})) == "1,234.5"


def test_check_deploy_passes_with_production_settings(tmp_path):
    env = {
        **CLEAN_ENV,
        "SIGAP_SECRET_KEY": "x" * 30 + "production-secret-key-with-enough-entropy-1234567890",
        "SIGAP_HTTPS": "1",
        "SIGAP_NUM_PROXIES": "1",  # nginx in front
        "SIGAP_DEBUG": "0",
        "SIGAP_ALLOWED_HOSTS": "sigap.kalselprov.go.id",
        "SIGAP_VAR_DIR": str(tmp_path),
        "SIGAP_EMAIL_HOST": "smtp.kalselprov.go.id",
        "SIGAP_EMAIL_FROM": "SIGAP <sigap@kalselprov.go.id>",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout

    # Behind the TLS proxy without counting it, every client would share the proxy's address in the throttles.
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env={**env, "SIGAP_NUM_PROXIES": "0"}, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0 and "sigap.W001" in result.stdout + result.stderr

    # Without an SMTP server, password reset links would be written to the server's log.
    without_mail = {name: value for name, value in env.items() if not name.startswith("SIGAP_EMAIL_")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=without_mail, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0 and "sigap.W002" in result.stdout + result.stderr


def test_check_deploy_warns_without_https(tmp_path):
    env = {**CLEAN_ENV, "SIGAP_HTTPS": "0", "SIGAP_VAR_DIR": str(tmp_path)}
    env.pop("SIGAP_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT" in result.stdout + result.stderr


def test_a_bad_environment_value_fails_loudly(tmp_path):
    env = {**CLEAN_ENV, "SIGAP_HTTPS": "perhaps", "SIGAP_VAR_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0 and "SIGAP_HTTPS" in result.stderr
