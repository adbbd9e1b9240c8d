"""A user who forgot the password, on a 360 px phone: from the login page to a new password."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import Page, expect

from sigap.conftest import PHONE_WIDTH, page_width

pytestmark = pytest.mark.browser


def test_a_user_on_a_phone_resets_a_forgotten_password_from_the_login_page(page: Page, live_server, live_world):
    live_world.tala_officer.email = "budi@tala.go.id"
    live_world.tala_officer.save(update_fields=["email"])
    base = live_server.url
    refused = []
    page.on("console", lambda message: message.type == "error" and refused.append(message.text))

    page.goto(f"{base}{reverse('login')}")
    page.get_by_role("link", name="Lupa kata sandi?").click()
    expect(page.locator("h1")).to_have_text("Atur ulang kata sandi")
    assert page_width(page) <= PHONE_WIDTH
    page.get_by_label("Email").fill("budi@tala.go.id")
    page.get_by_role("button", name="Kirim tautan").click()
    expect(page.locator("h1")).to_have_text("Periksa e-mail Anda")
    assert page_width(page) <= PHONE_WIDTH

    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    page.goto(f"{base}{link}")
    expect(page.locator("h1")).to_have_text("Pilih kata sandi baru")
    assert page_width(page) <= PHONE_WIDTH
    page.locator("input[name=new_password1]").fill("kelapa-sawit-2026")
    page.locator("input[name=new_password2]").fill("kelapa-sawit-2026")
    page.get_by_role("button", name="Simpan kata sandi baru").click()
    expect(page.locator("h1")).to_have_text("Kata sandi berhasil diubah")
    assert page_width(page) <= PHONE_WIDTH

    page.goto(f"{base}{link}")  # once only
    expect(page.locator("[role=alert]")).to_contain_text("tidak dapat dipakai")
    expect(page.get_by_role("link", name="Minta tautan baru")).to_be_visible()
    assert page_width(page) <= PHONE_WIDTH
    assert refused == []  # nothing refused by the Content-Security-Policy
