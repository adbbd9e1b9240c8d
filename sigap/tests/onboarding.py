"""Browser steps of an office bringing its people on board, shared by the onboarding test and the seed story: a
provincial officer registers an office through /organisations/new/ (the region picker), an officer invites a login
and reads the WhatsApp link the page offers, the invited person opens the link on their own phone and sets a
password. Every step taps and types as a person would, and checks that each page fits a 360 px phone."""

import collections
import re
from urllib.parse import parse_qs, urlsplit

from django.urls import reverse
from playwright.sync_api import Page, expect

from sigap.conftest import PHONE_WIDTH, page_width

# Taps (clicks on links and buttons, choices in a select) made through tap() and choose(), by the test's
# counting; a test clears it before it starts counting.
taps = collections.Counter()


def fits(page: Page) -> None:
    """The page does not scroll sideways on a 360 px phone; when it does, say which elements stick out."""
    width = page_width(page)
    if width > PHONE_WIDTH:
        wide = page.evaluate(f"""[...document.querySelectorAll('main *')]
            .filter(e => e.getBoundingClientRect().right > {PHONE_WIDTH})
            .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
                      + (e.name ? '[' + e.name + ']' : '') + ' ' + Math.round(e.getBoundingClientRect().right))""")
        raise AssertionError(f"{page.url} is {width} px wide on a {PHONE_WIDTH} px screen; too wide: {wide[:8]}")


def tap(locator) -> None:
    taps["tap"] += 1
    locator.click()


def choose(select, *, value: str | None = None, label: str | None = None) -> None:
    taps["tap"] += 1
    if label is not None:
        select.select_option(label=label)
    else:
        select.select_option(value)


def success(page: Page, text) -> None:
    expect(page.locator(".messages li.success")).to_have_text(text)
    fits(page)


def register_office(page: Page, base: str, *, name: str, short_name: str, code: str, kind: str, regency: str,
                    district: str = "", head_name: str = "", head_title: str = "") -> int:
    """A provincial officer, signed in, registers an office or agency from the menu, its region picked level by
    level (htmx brings each level's choices). Returns the new organisation's id, read from the page's address."""
    tap(page.locator("nav.menu").get_by_role("link", name="Instansi", exact=True))
    expect(page).to_have_url(f"{base}{reverse('organisations:list')}")
    fits(page)
    tap(page.locator(f'main a.button[href="{reverse("organisations:create")}"]'))
    expect(page).to_have_url(f"{base}{reverse('organisations:create')}")
    expect(page.locator("main h1")).to_be_visible()
    fits(page)
    form = page.locator("main form.form")
    form.locator("input[name=name]").fill(name)
    form.locator("input[name=short_name]").fill(short_name)
    form.locator("input[name=code]").fill(code)
    choose(form.locator("select[name=kind]"), value=kind)
    expect(form.locator("select[name=province]")).to_have_value(regency.split(".")[0])  # the officer's own
    choose(form.locator("select[name=regency]"), value=regency)
    kecamatan = form.locator("select[name=district]")
    expect(kecamatan.locator(f'option[value^="{regency}."]').first).to_be_attached()  # htmx brought them
    if district:
        choose(kecamatan, value=district)
    if head_name:
        form.locator("input[name=head_name]").fill(head_name)
    if head_title:
        form.locator("input[name=head_title]").fill(head_title)
    fits(page)
    tap(form.locator("button.primary"))
    expect(page).to_have_url(re.compile(re.escape(base) + r"/organisations/\d+/$"))
    expect(page.locator("main h1")).to_contain_text(name)
    success(page, f"{name} berhasil didaftarkan.")
    return int(page.url.rstrip("/").rsplit("/", 1)[1])


def open_logins(page: Page, base: str, *, office_name: str | None = None) -> None:
    """To the logins' page: from the office's page ("Kelola pengguna") or from the person's own account page."""
    if office_name is not None:
        tap(page.locator("main").get_by_role("link", name="Kelola pengguna", exact=True))
    else:
        tap(page.locator("header a.who"))
        expect(page).to_have_url(f"{base}{reverse('profile')}")
        fits(page)
        tap(page.locator("main").get_by_role("link", name="Akun pengguna", exact=True))
    expect(page).to_have_url(re.compile(re.escape(f"{base}{reverse('users:list')}")))
    expect(page.locator("main h1")).to_have_text("Akun pengguna")
    fits(page)


def invite(page: Page, base: str, *, username: str, first_name: str, role: str, phone: str,
           organisation: str | None = None, partner: str | None = None, position: str = "") -> str:
    """On the logins' page, invite someone; read the WhatsApp link the page offers and return the one-time
    invitation URL in its (Indonesian) message."""
    tap(page.locator("main").get_by_role("link", name="Undang seseorang", exact=True))
    expect(page).to_have_url(f"{base}{reverse('users:create')}")
    expect(page.locator("main h1")).to_have_text("Undang seseorang")
    fits(page)
    form = page.locator("main form.form")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=first_name]").fill(first_name)
    choose(form.locator("select[name=role]"), value=role)
    if organisation is not None:
        choose(form.locator("select[name=organisation]"), label=organisation)
    if partner is not None:
        choose(form.locator("select[name=partner]"), label=partner)
    if position:
        form.locator("input[name=position]").fill(position)
    form.locator("input[name=phone]").fill(phone)
    fits(page)
    tap(form.locator("button.primary"))
    expect(page.locator("main h1")).to_have_text(f"Undangan dibuat: {first_name}")
    fits(page)

    whatsapp = page.locator("main").get_by_role("link", name="Kirim lewat WhatsApp", exact=True)
    expect(whatsapp).to_have_attribute("href", re.compile(r"^https://wa\.me/\d+\?text="))
    link = urlsplit(whatsapp.get_attribute("href"))
    assert link.path == "/62" + re.sub(r"\D", "", phone)[1:], link.path  # the person's number, as WhatsApp wants it
    text = parse_qs(link.query)["text"][0]
    assert text.startswith(f"Halo {first_name}, "), text
    assert f"telah membuatkan akun SIGAP untuk Anda (nama pengguna: {username})" in text, text
    assert "hanya bisa dipakai sekali" in text, text
    url = re.search(r"https?://\S+$", text).group(0)
    assert url.startswith(f"{base}/accounts/invitation/"), url
    expect(page.locator("main textarea#link-message")).to_have_value(text)  # the same message, to copy
    return url


def accept_invitation(page: Page, base: str, url: str, *, username: str, password: str) -> None:
    """The invited person opens the link on their own phone, sets a password and lands on the home page, signed
    in."""
    page.goto(url)
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.locator("main h1")).to_have_text("Buat kata sandi Anda")
    expect(page.locator("main")).to_contain_text(f"Nama pengguna Anda {username}.")
    fits(page)
    form = page.locator("main form.form")
    form.locator("input[name=new_password1]").fill(password)
    form.locator("input[name=new_password2]").fill(password)
    tap(form.get_by_role("button", name="Simpan kata sandi saya"))
    expect(page).to_have_url(f"{base}{reverse('home')}")
    success(page, "Selamat datang di SIGAP: kata sandi Anda sudah dibuat.")
    expect(page.locator("header nav.menu")).to_be_visible()  # signed in
