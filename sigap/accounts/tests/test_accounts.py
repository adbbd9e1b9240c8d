import datetime

from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import client_for


def _login(client, username, password="sandi-rahasia-1"):
    return client.post(reverse("login"), {"username": username, "password": password},
                       HTTP_ACCEPT_LANGUAGE="id")


def test_a_user_signs_in_and_lands_on_the_start_page(world):
    response = _login(Client(), "tala_officer")
    assert response.status_code == 302 and response.url == reverse("home")


def test_a_wrong_password_is_refused_in_indonesian(world):
    response = _login(Client(), "tala_officer", "salah")
    assert response.status_code == 200
    assert "dan sandi yang benar" in response.content.decode()
    assert "_auth_user_id" not in response.client.session


def test_repeated_failures_make_that_address_wait_even_for_the_right_password(world, settings, login_clock):
    settings.SIGAP_LOGIN_MAX_FAILURES = 3
    client = Client()
    for _ in range(3):
        _login(client, "tala_officer", "salah")
    response = _login(client, "tala_officer")
    assert response.status_code == 200
    assert "Terlalu banyak percobaan masuk yang gagal. Tunggu 1 menit" in response.content.decode()
    assert "_auth_user_id" not in response.client.session
    # another account, and the same account from another address, are not affected
    assert _login(Client(REMOTE_ADDR="10.9.9.9"), "hsu_officer").status_code == 302
    assert _login(Client(REMOTE_ADDR="10.9.9.9"), "tala_officer").status_code == 302


def test_the_wait_lifts_when_its_time_is_over(world, settings, login_clock):
    settings.SIGAP_LOGIN_MAX_FAILURES = 2
    client = Client()
    for _ in range(2):
        _login(client, "tala_officer", "salah")
    assert _login(client, "tala_officer").status_code == 200
    login_clock.advance(59)
    assert _login(client, "tala_officer").status_code == 200
    login_clock.advance(1)
    assert _login(client, "tala_officer").status_code == 302


def test_a_session_expires_after_inactivity(world, settings):
    client = client_for(world.tala_officer)
    assert client.get(reverse("home")).status_code == 200
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 30 * 60
    session = Session.objects.get(session_key=client.session.session_key)
    session.expire_date = timezone.now() - datetime.timedelta(seconds=1)
    session.save()
    response = client.get(reverse("profile"))  # a page for signed-in users (the home page also greets visitors)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_request_extends_the_session_once_a_minute_not_on_every_page(world, settings):
    assert not getattr(settings, "SESSION_SAVE_EVERY_REQUEST", False)
    client = client_for(world.tala_officer)
    client.get(reverse("home"))
    key = client.session.session_key
    first = Session.objects.get(session_key=key).expire_date
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    assert not [q for q in queries.captured_queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]]
    assert Session.objects.get(session_key=key).expire_date == first

    settings.SIGAP_SESSION_REFRESH_SECONDS = 0
    client.get(reverse("home"))
    assert Session.objects.get(session_key=key).expire_date > first


def test_an_anonymous_visitor_gets_no_session_row(db):
    Session.objects.all().delete()
    assert Client().get(reverse("market:catalogue")).status_code == 200
    assert not Session.objects.exists()


def test_a_user_changes_their_password_with_the_rules_enforced(world):
    client = client_for(world.tala_officer)
    weak = client.post(reverse("password_change"), {
        "old_password": "sandi-rahasia-1", "new_password1": "12345678", "new_password2": "12345678"})
    assert weak.status_code == 200
    world.tala_officer.refresh_from_db()
    assert world.tala_officer.check_password("sandi-rahasia-1")
    good = client.post(reverse("password_change"), {
        "old_password": "sandi-rahasia-1", "new_password1": "Pelaihari-2020-masker", "new_password2": "Pelaihari-2020-masker"})
    assert good.status_code == 302
    world.tala_officer.refresh_from_db()
    assert world.tala_officer.check_password("Pelaihari-2020-masker")


def test_signing_out_is_a_post(world):
    client = client_for(world.tala_officer)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("profile")).status_code == 302


def test_scope_of_each_role(world):
    assert world.tala_officer.region_code == "63.01" and world.tala_officer.can_see_nik
    assert world.province_officer.region_code == "63"
    assert world.admin.region_code is None
    assert not world.partner_user.has_region_scope and not world.partner_user.can_see_phone
    assert not world.agency_user.has_region_scope
    assert world.instructor.has_region_scope and not world.instructor.can_see_nik and world.instructor.can_see_phone


def test_a_signed_in_request_loads_the_user_and_the_office_in_one_query(world):
    client = client_for(world.tala_officer)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("home"))
    user_queries = [q["sql"] for q in queries.captured_queries if 'FROM "accounts_user"' in q["sql"]]
    assert len(user_queries) == 1 and '"organisations_organisation"' in user_queries[0]
    assert not [q for q in queries.captured_queries if q["sql"].lstrip().startswith('SELECT "organisations_organisation"')]


def test_a_deactivated_user_is_signed_out_on_the_next_request(world):
    client = client_for(world.tala_officer)
    world.tala_officer.is_active = False
    world.tala_officer.save()
    response = client.get(reverse("profile"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
