from django.conf import settings
from django.test import Client


def test_pages_are_indonesian_even_for_an_english_browser(db):
    page = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get("/accounts/login/")
    assert page["Content-Language"] == "id" and "Masuk" in page.content.decode()


def test_the_language_switch_is_remembered_in_a_cookie(db):
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get("/accounts/login/")
    assert page["Content-Language"] == "en" and "Sign in" in page.content.decode()


def test_an_unknown_language_cookie_falls_back_to_indonesian(db):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert client.get("/accounts/login/")["Content-Language"] == "id"
