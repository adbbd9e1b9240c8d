"""The sign-in throttle: guessing gets slow for a (username, address) pair and for a busy address, but a stranger's
failures never stop the owner signing in from her own address."""

import pytest
from django.test import Client
from django.urls import reverse

STRANGER = "203.0.113.66"
OWNER = "198.51.100.7"
WAIT_ONE_MINUTE = "Terlalu banyak percobaan masuk yang gagal. Tunggu 1 menit lalu coba lagi."


def _login(username, password="sandi-rahasia-1", *, address=STRANGER, client=None):
    client = client or Client()
    return client.post(reverse("login"), {"username": username, "password": password},
                       REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="id")


def _signed_in_as(response):
    return response.status_code == 302 and response.client.session.get("_auth_user_id")


def _fail(times, username="tala_officer", *, address=STRANGER):
    for _ in range(times):
        response = _login(username, "salah", address=address)
        assert response.status_code == 200 and not _signed_in_as(response)


@pytest.mark.security
def test_a_strangers_failures_from_another_address_do_not_stop_the_owner(world, login_clock):
    _fail(40)
    refused = _login("tala_officer")  # the stranger, even with the right password, waits
    assert refused.status_code == 200 and not _signed_in_as(refused)
    assert WAIT_ONE_MINUTE in refused.content.decode()
    owner = _login("tala_officer", address=OWNER)
    assert _signed_in_as(owner) == str(world.tala_officer.pk)
    assert owner.url == reverse("home")


@pytest.mark.security
def test_a_right_password_during_the_wait_is_refused_like_a_wrong_one_and_not_checked(world, login_clock,
                                                                                    monkeypatch):
    _fail(5)
    checked = []
    monkeypatch.setattr("django.contrib.auth.forms.authenticate",
                        lambda *args, **kwargs: checked.append(kwargs) or None)
    right, wrong = _login("tala_officer"), _login("tala_officer", "salah")
    assert right.status_code == wrong.status_code == 200
    assert right.context["form"].errors == wrong.context["form"].errors
    assert WAIT_ONE_MINUTE in right.content.decode()
    assert checked == []  # the password was not even looked at: its answer cannot tell right from wrong


@pytest.mark.security
def test_the_wait_doubles_with_each_failure_up_to_the_longest_and_ends_by_itself(world, login_clock, settings):
    assert (settings.SIGAP_LOGIN_MAX_FAILURES, settings.SIGAP_LOGIN_LOCKOUT_SECONDS) == (5, 900)
    _fail(5)
    for minutes in [1, 2, 4, 8, 15, 15]:
        login_clock.advance(minutes * 60 - 1)
        refused = _login("tala_officer").content.decode()
        assert "Tunggu 1 menit" in refused  # the last second of the wait
        login_clock.advance(1)
        # the wait is over: one more attempt goes through, and a wrong one makes the next wait longer
        after = _login("tala_officer", "salah").content.decode()
        assert "dan sandi yang benar" in after
        waits = {1: 2, 2: 4, 4: 8, 8: 15, 15: 15}[minutes]
        assert f"Tunggu {waits} menit" in _login("tala_officer").content.decode()
    login_clock.advance(15 * 60)
    assert _signed_in_as(_login("tala_officer"))
    # a success forgets the failures: the next mistake does not wait
    _fail(1)
    assert _signed_in_as(_login("tala_officer"))


@pytest.mark.security
@pytest.mark.parametrize("variant", ["TALA_OFFICER", " tala_officer", "Tala_Officer  ", "ｔａｌａ_ｏｆｆｉｃｅｒ"])
def test_case_and_space_variants_of_a_username_share_one_count(world, login_clock, variant):
    _fail(4, variant)
    _fail(1, "tala_officer")
    refused = _login("tala_officer")
    assert not _signed_in_as(refused) and WAIT_ONE_MINUTE in refused.content.decode()
    assert _signed_in_as(_login("tala_officer", address=OWNER))


@pytest.mark.security
def test_one_address_failing_for_many_usernames_waits_for_every_username(world, login_clock, settings):
    ceiling = settings.SIGAP_LOGIN_MAX_FAILURES * 4
    for n in range(ceiling):
        _fail(1, f"orang{n}")
    refused = _login("hsu_officer")  # a username this address never tried
    assert not _signed_in_as(refused) and WAIT_ONE_MINUTE in refused.content.decode()
    assert _signed_in_as(_login("hsu_officer", address=OWNER))  # the ceiling is this address's alone
    login_clock.advance(60)
    assert _signed_in_as(_login("hsu_officer"))


def test_fewer_failures_than_the_ceiling_from_one_address_slow_nobody(world, login_clock, settings):
    for n in range(settings.SIGAP_LOGIN_MAX_FAILURES * 4 - 1):
        _fail(1, f"orang{n}")
    assert _signed_in_as(_login("hsu_officer"))


@pytest.mark.security
def test_a_form_without_a_password_does_not_wipe_the_count(world, login_clock):
    _fail(4)
    missing = Client().post(reverse("login"), {"username": "tala_officer"}, REMOTE_ADDR=STRANGER)
    assert missing.status_code == 200 and not _signed_in_as(missing)
    _fail(1)
    refused = _login("tala_officer")
    assert not _signed_in_as(refused) and WAIT_ONE_MINUTE in refused.content.decode()


def test_the_wait_is_told_in_english_on_an_english_page(world, login_clock):
    _fail(5)
    client = Client()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = _login("tala_officer", client=client)
    assert "Too many failed sign-in attempts. Wait 1 minute and try again." in response.content.decode()


def test_the_settings_set_the_free_failures_and_the_longest_wait(world, login_clock, settings):
    settings.SIGAP_LOGIN_MAX_FAILURES = 2
    settings.SIGAP_LOGIN_LOCKOUT_SECONDS = 90
    _fail(2)
    assert WAIT_ONE_MINUTE in _login("tala_officer").content.decode()
    login_clock.advance(60)
    _fail(1)
    assert "Tunggu 2 menit" in _login("tala_officer").content.decode()  # 90 s, never the 120 s of doubling
    login_clock.advance(90)
    assert _signed_in_as(_login("tala_officer"))
