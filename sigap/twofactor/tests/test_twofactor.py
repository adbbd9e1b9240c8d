"""Two-factor sign-in: enrolment, the code step of the login, recovery codes, the throttle, SIGAP_REQUIRE_2FA, the
API's token endpoint and an administrator's reset. Every clock (the throttle's, django-otp's, the TOTP codes') is
stopped at login_clock, so no test depends on the time or on how long its requests take."""

import datetime
import json
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import client_for
from sigap.api.models import ApiToken
from sigap.twofactor import services
from sigap.twofactor.models import EventKind, TwoFactorEvent

pytestmark = pytest.mark.security

PASSWORD = "sandi-rahasia-1"


@pytest.fixture(autouse=True)
def otp_clock(monkeypatch, login_clock):
    """django-otp's clocks (the TOTP step, its back-off) and the pending sign-in's expiry follow login_clock."""
    import django_otp.models
    import django_otp.plugins.otp_totp.models as totp_models

    from sigap.twofactor import views

    monkeypatch.setattr(totp_models, "time", SimpleNamespace(time=lambda: login_clock.now))
    monkeypatch.setattr(django_otp.models, "timezone", SimpleNamespace(
        now=lambda: datetime.datetime.fromtimestamp(login_clock.now, datetime.UTC)))
    monkeypatch.setattr(views, "_now", lambda: login_clock.now)
    return login_clock


def code_of(device, clock, *, offset_steps=0) -> str:
    """What the user's app shows at the stopped time."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = clock.now + offset_steps * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device, clock) -> str:
    """Six digits the app does not show now, nor a step before or after (a fixed "000000" would be right about
    once in 330,000 runs)."""
    valid = {code_of(device, clock, offset_steps=step) for step in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in valid)


def wrong_recovery_code(code: str) -> str:
    """A recovery code with its last letter changed: never the code itself."""
    return code[:-1] + ("y" if code.endswith("x") else "x")


def enrol(user, clock) -> tuple[TOTPDevice, list[str]]:
    device = services.totp_device_for_setup(user=user)
    codes = services.two_factor_turn_on(device=device, code=code_of(device, clock))
    clock.advance(30)  # a code is accepted once: the next sign-in uses the next one
    return device, codes


def _login(client, username, password=PASSWORD, next_url=None, **extra):
    url = reverse("login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": username, "password": password}, HTTP_ACCEPT_LANGUAGE="id", **extra)


def _code(client, code, **extra):
    return client.post(reverse("twofactor:code"), {"code": code}, HTTP_ACCEPT_LANGUAGE="id", **extra)


# Enrolment


def test_a_user_turns_two_factor_on_with_a_code_from_the_app_and_sees_ten_recovery_codes_once(world, otp_clock):
    client = client_for(world.tala_officer)
    page = client.get(reverse("twofactor:setup"), HTTP_ACCEPT_LANGUAGE="id")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'src="data:image/png;base64,' in body and 'inputmode="numeric"' in body
    assert 'autocomplete="one-time-code"' in body and "Aktifkan verifikasi dua langkah" in body
    device = TOTPDevice.objects.get(user=world.tala_officer)
    assert not device.confirmed and not services.has_two_factor(world.tala_officer)
    assert page.context["secret"].replace(" ", "") in device.config_url

    wrong = client.post(reverse("twofactor:setup"), {"code": wrong_code(device, otp_clock)}, HTTP_ACCEPT_LANGUAGE="id")
    assert wrong.status_code == 200 and "Kode tidak benar" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed

    done = client.post(reverse("twofactor:setup"), {"code": code_of(device, otp_clock)})
    assert done.status_code == 302 and done.url == reverse("twofactor:codes")
    device.refresh_from_db()
    assert device.confirmed and services.has_two_factor(world.tala_officer)
    shown = client.get(reverse("twofactor:codes"), HTTP_ACCEPT_LANGUAGE="id")
    assert len(shown.context["codes"]) == 10 and StaticToken.objects.filter(device__user=world.tala_officer).count() == 10
    assert "twofactor/print.js" in shown.content.decode()
    assert client.get(reverse("twofactor:codes")).status_code == 302  # shown once
    assert TwoFactorEvent.objects.get().kind == EventKind.TURNED_ON


def test_the_setup_page_runs_under_sigaps_content_security_policy(world):
    response = client_for(world.tala_officer).get(reverse("twofactor:setup"))
    assert "img-src 'self' data:" in response["Content-Security-Policy"]
    assert "<script>" not in response.content.decode() and " style=" not in response.content.decode()


# Signing in


def test_a_user_with_two_factor_signs_in_with_the_password_and_then_a_code(world, otp_clock):
    device, _codes = enrol(world.tala_officer, otp_clock)
    client = Client()
    step = _login(client, "tala_officer", next_url="/partners/")
    assert step.status_code == 302 and step.url == reverse("twofactor:code")
    assert "_auth_user_id" not in client.session
    page = client.get(reverse("twofactor:code"), HTTP_ACCEPT_LANGUAGE="id")
    assert 'inputmode="numeric"' in page.content.decode() and "Kode masuk" in page.content.decode()
    done = _code(client, code_of(device, otp_clock))
    assert done.status_code == 302 and done.url == "/partners/"
    assert client.session["_auth_user_id"] == str(world.tala_officer.pk)
    assert client.get(reverse("home")).context["user"].is_verified()


def test_the_pending_user_cannot_open_any_page_before_the_code(world, otp_clock):
    enrol(world.tala_officer, otp_clock)
    client = Client()
    _login(client, "tala_officer")
    for url in (reverse("home"), reverse("profile"), reverse("partners:list"), reverse("twofactor:overview")):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url
    assert client.get("/api/v1/partners").status_code == 401


def test_the_code_step_runs_out_after_five_minutes(world, otp_clock):
    device, _codes = enrol(world.tala_officer, otp_clock)
    client = Client()
    _login(client, "tala_officer")
    otp_clock.advance(301)
    response = _code(client, code_of(device, otp_clock))
    assert response.status_code == 302 and response.url == reverse("login")
    assert "_auth_user_id" not in client.session


def test_a_recovery_code_signs_in_once(world, otp_clock):
    _device, codes = enrol(world.tala_officer, otp_clock)
    client = Client()
    _login(client, "tala_officer")
    assert _code(client, codes[0].upper().replace("-", " ")).status_code == 302  # typed as it comes
    assert client.session["_auth_user_id"] == str(world.tala_officer.pk)
    assert StaticToken.objects.filter(device__user=world.tala_officer).count() == 9

    again = Client()
    _login(again, "tala_officer")
    refused = _code(again, codes[0])
    assert refused.status_code == 200 and "_auth_user_id" not in again.session


def test_a_wrong_code_is_refused_and_repeated_wrong_codes_make_the_user_wait(world, settings, otp_clock):
    settings.SIGAP_LOGIN_MAX_FAILURES = 3
    device, codes = enrol(world.tala_officer, otp_clock)
    client = Client()
    _login(client, "tala_officer")
    wrong = _code(client, wrong_code(device, otp_clock))
    assert wrong.status_code == 200 and "Kode tidak benar" in wrong.content.decode()
    for guess in (wrong_code(device, otp_clock), wrong_recovery_code(codes[1])):  # both count alike
        otp_clock.advance(60)  # past django-otp's own back-off: only SIGAP's throttle is tested here
        _code(client, guess)
    otp_clock.advance(5)
    waiting = _code(client, code_of(device, otp_clock))  # even the right code now waits
    assert waiting.status_code == 200 and "Tunggu 1 menit" in waiting.content.decode()
    assert _code(client, codes[2]).status_code == 200  # the recovery codes too
    assert "_auth_user_id" not in client.session
    assert StaticToken.objects.filter(device__user=world.tala_officer).count() == 10
    otp_clock.advance(60)
    assert _code(client, code_of(device, otp_clock)).status_code == 302


def test_django_otps_own_back_off_holds_the_right_code_right_after_a_wrong_one(world, otp_clock):
    device, _codes = enrol(world.tala_officer, otp_clock)
    client = Client()
    _login(client, "tala_officer")
    _code(client, wrong_code(device, otp_clock))
    held = _code(client, code_of(device, otp_clock))
    assert held.status_code == 200 and "_auth_user_id" not in client.session
    otp_clock.advance(1)
    assert _code(client, code_of(device, otp_clock)).status_code == 302


def test_a_user_without_two_factor_signs_in_with_the_password_alone(world):
    client = Client()
    assert _login(client, "tala_officer").url == reverse("home")
    assert client.session["_auth_user_id"] == str(world.tala_officer.pk)


# Turning off, new codes, the administrator's reset


def test_turning_two_factor_off_takes_the_password(world, otp_clock):
    enrol(world.tala_officer, otp_clock)
    client = client_for(world.tala_officer)
    wrong = client.post(reverse("twofactor:off"), {"password": "salah"}, HTTP_ACCEPT_LANGUAGE="id")
    assert wrong.status_code == 200 and services.has_two_factor(world.tala_officer)
    assert client.post(reverse("twofactor:off"), {"password": PASSWORD}).status_code == 302
    assert not services.has_two_factor(world.tala_officer) and not StaticToken.objects.exists()
    assert TwoFactorEvent.objects.filter(kind=EventKind.TURNED_OFF, by=world.tala_officer).exists()


def test_under_the_requirement_a_required_role_cannot_turn_two_factor_off(world, settings, otp_clock):
    settings.SIGAP_REQUIRE_2FA = True
    device, _codes = enrol(world.province_officer, otp_clock)
    client = Client()
    _login(client, "province_officer")
    _code(client, code_of(device, otp_clock))
    refused = client.post(reverse("twofactor:off"), {"password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="id")
    assert refused.status_code == 200 and "wajib memakai verifikasi dua langkah" in refused.content.decode()
    assert services.has_two_factor(world.province_officer)


def test_new_recovery_codes_replace_the_old_ones(world, otp_clock):
    _device, old = enrol(world.tala_officer, otp_clock)
    client = client_for(world.tala_officer)
    assert client.post(reverse("twofactor:codes-renew")).url == reverse("twofactor:codes")
    new = client.get(reverse("twofactor:codes")).context["codes"]
    assert set(new).isdisjoint(old) and StaticToken.objects.filter(device__user=world.tala_officer).count() == 10
    login = Client()
    _login(login, "tala_officer")
    assert _code(login, old[0]).status_code == 200


def test_an_administrator_resets_a_lost_phone_and_is_recorded(world, otp_clock):
    enrol(world.tala_officer, otp_clock)
    url = reverse("twofactor:reset", kwargs={"pk": world.tala_officer.pk})
    assert client_for(world.province_officer).post(url).status_code == 403
    assert client_for(world.tala_officer).post(url).status_code == 403
    assert services.has_two_factor(world.tala_officer)
    assert client_for(world.admin).post(url).status_code == 302
    assert not services.has_two_factor(world.tala_officer)
    event = TwoFactorEvent.objects.get(kind=EventKind.RESET)
    assert event.user == world.tala_officer and event.by == world.admin
    assert _login(Client(), "tala_officer").url == reverse("home")  # the password alone again


def test_the_django_admin_action_resets_two_factor_with_the_administrator_recorded(world, otp_clock):
    enrol(world.hsu_officer, otp_clock)
    response = client_for(world.admin).post("/admin/accounts/user/", {
        "action": "reset_two_factor", "_selected_action": [world.hsu_officer.pk]})
    assert response.status_code == 302
    assert not services.has_two_factor(world.hsu_officer)
    assert TwoFactorEvent.objects.get(kind=EventKind.RESET).by == world.admin


# SIGAP_REQUIRE_2FA


@pytest.mark.parametrize("username", ["admin", "province_officer"])
def test_required_roles_are_sent_to_enrolment_until_they_have_a_second_factor(world, settings, otp_clock, username):
    settings.SIGAP_REQUIRE_2FA = True
    user = getattr(world, username)
    client = Client()
    assert _login(client, username).status_code == 302
    for url in (reverse("home"), reverse("partners:list"), reverse("profile")):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("twofactor:setup")), url
    assert client.get("/api/v1/partners").status_code == 403
    assert client.get(reverse("twofactor:setup")).status_code == 200
    assert client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
    device = TOTPDevice.objects.get(user=user)
    client.post(reverse("twofactor:setup"), {"code": code_of(device, otp_clock)})
    assert client.get(reverse("home")).status_code == 200
    assert client.get("/api/v1/partners").status_code == 200


def test_a_required_role_with_an_unverified_session_is_asked_for_a_code(world, settings, otp_clock):
    settings.SIGAP_REQUIRE_2FA = True
    device, _codes = enrol(world.province_officer, otp_clock)
    client = client_for(world.province_officer)  # a session from before, never verified
    response = client.get(reverse("partners:list"))
    assert response.status_code == 302 and response.url.startswith(reverse("twofactor:code"))
    done = client.post(response.url, {"code": code_of(device, otp_clock)})
    assert done.status_code == 302 and done.url == reverse("partners:list")
    assert client.get(reverse("partners:list")).status_code == 200


def test_a_district_officer_is_not_held_by_the_requirement(world, settings):
    settings.SIGAP_REQUIRE_2FA = True
    client = Client()
    _login(client, "tala_officer")
    assert client.get(reverse("home")).status_code == 200


def test_the_requirement_is_off_by_default(world, settings):
    assert settings.SIGAP_REQUIRE_2FA is False
    client = Client()
    _login(client, "admin")
    assert client.get(reverse("home")).status_code == 200


def test_the_django_admin_needs_a_verified_session_under_the_requirement(world, settings, otp_clock):
    settings.SIGAP_REQUIRE_2FA = True
    device, _codes = enrol(world.admin, otp_clock)
    unverified = client_for(world.admin)
    assert unverified.get("/admin/").status_code == 302
    client = Client()
    _login(client, "admin", next_url="/admin/")
    assert client.get("/admin/").status_code == 302  # pending: not signed in
    assert _code(client, code_of(device, otp_clock)).url == "/admin/"
    assert client.get("/admin/").status_code == 200


# The API's token endpoint


def _token(body, **extra):
    return Client().post("/api/v1/auth/token", json.dumps({"username": "tala_officer", "password": PASSWORD, **body}),
                         content_type="application/json", **extra)


def test_a_token_for_a_user_with_two_factor_needs_a_current_code(world, otp_clock):
    device, codes = enrol(world.tala_officer, otp_clock)
    missing = _token({})
    assert missing.status_code == 400 and "otp" in missing.json()["errors"]
    wrong = _token({"otp": wrong_code(device, otp_clock)})
    assert wrong.status_code == 400 and set(wrong.json()) == {"detail", "errors"} and "otp" in wrong.json()["errors"]
    assert ApiToken.objects.count() == 0
    otp_clock.advance(1)  # django-otp's back-off after the wrong code
    assert _token({"otp": code_of(device, otp_clock)}).status_code == 201
    assert _token({"otp": codes[0]}).status_code == 201
    assert ApiToken.objects.count() == 2


def test_wrong_codes_at_the_token_endpoint_are_throttled(world, settings, otp_clock):
    settings.SIGAP_LOGIN_MAX_FAILURES = 2
    device, _codes = enrol(world.tala_officer, otp_clock)
    for _ in range(2):
        otp_clock.advance(60)
        assert _token({"otp": "999999"}, REMOTE_ADDR="10.7.7.7").status_code == 400
    otp_clock.advance(5)
    assert _token({"otp": code_of(device, otp_clock)}, REMOTE_ADDR="10.7.7.7").status_code == 429
    assert ApiToken.objects.count() == 0


def test_under_the_requirement_a_required_role_without_two_factor_gets_no_token(world, settings):
    settings.SIGAP_REQUIRE_2FA = True
    response = _token({"username": "province_officer"})
    assert response.status_code == 400 and response.json()["detail"]
    assert _token({}).status_code == 201  # a district officer is not held
    assert ApiToken.objects.get().user == world.tala_officer


def test_a_token_made_before_two_factor_was_turned_on_keeps_working(world, otp_clock):
    token = _token({}).json()["token"]
    enrol(world.tala_officer, otp_clock)
    assert Client().get("/api/v1/partners", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200


def test_a_users_page_shows_their_two_factor_state_and_the_reset_link_to_administrators_only(world, otp_clock, rf):
    from django.template import Context, Template

    enrol(world.tala_officer, otp_clock)
    page = Template("{% load twofactor %}{% two_factor_status person %}")
    reset = reverse("twofactor:reset", kwargs={"pk": world.tala_officer.pk})
    for viewer, shows_link in ((world.admin, True), (world.tala_officer, False)):
        request = rf.get("/")
        request.user = viewer
        html = page.render(Context({"request": request, "person": world.tala_officer}))
        assert "Two-factor sign-in is on." in html and (reset in html) is shows_link
    request.user = world.admin
    assert "is off" in page.render(Context({"request": request, "person": world.hsu_officer}))


def test_the_users_page_offers_administrators_the_reset(world, otp_clock):
    enrol(world.tala_officer, otp_clock)
    reset = reverse("twofactor:reset", kwargs={"pk": world.tala_officer.pk})
    page = client_for(world.admin).get(reverse("users:detail", kwargs={"pk": world.tala_officer.pk}),
                                       HTTP_ACCEPT_LANGUAGE="id")
    assert page.status_code == 200 and reset in page.content.decode()
    assert "Verifikasi dua langkah aktif." in page.content.decode()
    own_office = client_for(world.tala_officer).get(reverse("users:detail", kwargs={"pk": world.tala_officer.pk}))
    assert reset not in own_office.content.decode()
