"""Django's admin signs in only through SIGAP's throttled login, and an operator can leave it out (SIGAP_ADMIN=0)."""

import os
import subprocess
import sys
import types
from pathlib import Path

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from conftest import client_for

ROOT = Path(__file__).resolve().parents[3]
ADMIN_LOGIN = "/admin/login/?next=/admin/"


def _sigap_login_for(next_url):
    return f"{reverse('login')}?next={next_url}"


@pytest.mark.security
def test_the_admin_login_page_checks_no_password_and_sends_everyone_to_sigaps_login(world, login_clock):
    client = Client()
    for _ in range(40):
        wrong = client.post(ADMIN_LOGIN, {"username": "admin", "password": "salah"})
        assert wrong.status_code == 302 and wrong.url == _sigap_login_for("/admin/")
    right = client.post(ADMIN_LOGIN, {"username": "admin", "password": "sandi-rahasia-1"})
    assert right.status_code == 302 and right.url == _sigap_login_for("/admin/")
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


@pytest.mark.security
def test_the_administrator_signs_in_through_sigaps_throttled_login_and_lands_in_the_admin(world, login_clock):
    visitor = Client(REMOTE_ADDR="203.0.113.66")
    landed = visitor.get("/admin/", follow=True)
    assert landed.redirect_chain == [(ADMIN_LOGIN, 302), (_sigap_login_for("/admin/"), 302)]
    for _ in range(5):
        visitor.post(_sigap_login_for("/admin/"), {"username": "admin", "password": "salah"})
    refused = visitor.post(_sigap_login_for("/admin/"), {"username": "admin", "password": "sandi-rahasia-1"},
                           HTTP_ACCEPT_LANGUAGE="id")
    assert refused.status_code == 200 and "Tunggu 1 menit" in refused.content.decode()
    assert "_auth_user_id" not in visitor.session

    administrator = Client(REMOTE_ADDR="198.51.100.7")
    signed_in = administrator.post(_sigap_login_for("/admin/"), {"username": "admin", "password": "sandi-rahasia-1"})
    assert signed_in.status_code == 302 and signed_in.url == "/admin/"
    assert administrator.get("/admin/").status_code == 200
    assert administrator.get("/admin/login/").url == "/admin/"  # already in: straight to the admin


def test_a_signed_in_user_without_admin_rights_is_refused_not_sent_round_in_circles(world):
    officer = client_for(world.tala_officer)
    response = officer.get("/admin/", follow=True)
    assert response.redirect_chain == [(ADMIN_LOGIN, 302)]
    assert response.status_code == 403
    assert officer.get(reverse("home")).status_code == 200  # still signed in to SIGAP


def test_the_admin_login_does_not_pass_on_a_next_address_outside_sigap(world):
    response = Client().get("/admin/login/?next=https://evil.example/")
    followed = Client().post(response.url, {"username": "admin", "password": "sandi-rahasia-1"})
    assert followed.status_code == 302 and not followed.url.startswith("https://evil.example")


def _urlconf(*, with_admin):
    from sigap.urls import url_patterns

    module = types.ModuleType("sigap_urls_for_test")
    module.urlpatterns = url_patterns(with_admin=with_admin)
    return module


@pytest.mark.security
def test_with_the_admin_turned_off_it_answers_404_and_its_urls_are_not_mounted(world, settings):
    settings.ROOT_URLCONF = _urlconf(with_admin=False)
    administrator = client_for(world.admin)
    assert administrator.get("/admin/").status_code == 404
    assert administrator.get("/admin/accounts/user/").status_code == 404
    assert Client().post("/admin/login/", {"username": "admin", "password": "sandi-rahasia-1"}).status_code == 404
    with pytest.raises(NoReverseMatch):
        reverse("admin:index")
    home = administrator.get(reverse("home"))
    assert home.status_code == 200 and "/admin/" not in home.content.decode()
    assert client_for(world.tala_officer).get(reverse("partners:list")).status_code == 200  # SIGAP itself works


def test_with_the_admin_on_the_administrator_finds_it_on_the_start_page(world, settings):
    settings.ROOT_URLCONF = _urlconf(with_admin=True)
    page = client_for(world.admin).get(reverse("home")).content.decode()
    assert 'href="/admin/"' in page
    assert 'href="/admin/"' not in client_for(world.tala_officer).get(reverse("home")).content.decode()


def _manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env},
                          capture_output=True, text=True, timeout=120)


@pytest.mark.security
def test_sigap_admin_0_leaves_the_admin_out_and_a_bad_value_stops_sigap(tmp_path):
    probe = "from django.urls import reverse; print(reverse('admin:index'))"
    off = _manage("shell", "-c", probe, env={"SIGAP_ADMIN": "0", "SIGAP_VAR_DIR": str(tmp_path)})
    assert off.returncode != 0 and "NoReverseMatch" in off.stderr
    on = _manage("shell", "-c", probe, env={"SIGAP_VAR_DIR": str(tmp_path)})
    assert on.returncode == 0 and on.stdout.strip().endswith("\n/admin/")
    bad = _manage("check", env={"SIGAP_ADMIN": "perhaps", "SIGAP_VAR_DIR": str(tmp_path)})
    assert bad.returncode != 0 and "SIGAP_ADMIN" in bad.stderr
