"""A district officer registers an IKM partner on a 360 px phone, in Indonesian, through the real browser."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from sigap.conftest import PHONE_WIDTH, page_width, sign_in
from sigap.partners.models import Partner

pytestmark = pytest.mark.browser

NEW_PARTNER = {
    "name": "Konveksi Baru Pelaihari", "nib": "9120001239999", "owner_name": "Ibu Ani", "address": "Jl. Baru 1",
    "district": "63.01.03", "village": "63.01.03.1004", "phone": "0812 5123 9999", "sector": "garment",
    "joined_on": "2020-06-01", "weekly_capacity": "25",
}


def open_partner_list(page: Page, base: str) -> None:
    page.locator(f'nav.menu a[href="{reverse("partners:list")}"]').click()
    expect(page).to_have_url(f"{base}{reverse('partners:list')}")


def fill_partner_form(page: Page, world) -> None:
    form = page.locator("main form.form")
    form.locator("input[name=name]").fill(NEW_PARTNER["name"])
    form.locator("input[name=nib]").fill(NEW_PARTNER["nib"])
    form.locator("input[name=owner_name]").fill(NEW_PARTNER["owner_name"])
    form.locator("input[name=address]").fill(NEW_PARTNER["address"])
    # Choosing the kecamatan makes htmx fetch that kecamatan's villages into the village select.
    form.locator("select[name=district]").select_option(NEW_PARTNER["district"])
    village = form.locator("select[name=village]")
    expect(village.locator(f'option[value="{NEW_PARTNER["village"]}"]')).to_be_attached()
    village.select_option(NEW_PARTNER["village"])
    form.locator("input[name=phone]").fill(NEW_PARTNER["phone"])
    form.locator("select[name=sector]").select_option(NEW_PARTNER["sector"])
    form.locator("select[name=assisting_office]").select_option(str(world.tala_office.pk))
    form.locator("input[name=joined_on]").fill(NEW_PARTNER["joined_on"])
    form.locator("select[name='products-0-item']").select_option(str(world.suit.pk))
    form.locator("input[name='products-0-weekly_capacity']").fill(NEW_PARTNER["weekly_capacity"])


def submit_partner_form(page: Page, base: str) -> None:
    page.locator("main form.form button.primary").click()
    expect(page).to_have_url(re.compile(re.escape(base) + r"/partners/\d+/$"))
    expect(page.locator("main h1")).to_have_text(NEW_PARTNER["name"])


def search_partners(page: Page, text: str) -> None:
    """Types into the search box and leaves it; htmx swaps in the matching rows without reloading the page."""
    page.evaluate("window.sigapSamePage = true")
    box = page.locator("form.filters input[name=q]")
    with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true" and "q=" in r.url):
        box.press_sequentially(text)
        box.blur()  # "change" fires on leaving the box; see test_the_search_box_filters_while_typing
    expect(page).to_have_url(re.compile(r"\?q="))
    assert page.evaluate("window.sigapSamePage") is True, "the search reloaded the page instead of swapping"


def test_a_district_officer_registers_a_partner_on_a_phone_in_indonesian(page: Page, live_server, live_world):
    base = live_server.url
    page.goto(f"{base}{reverse('login')}")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_label("Nama pengguna")).to_be_visible()  # Django's own Indonesian labels
    expect(page.get_by_label("Sandi")).to_be_visible()  # Django says "Sandi"; "Kata sandi" would match too
    expect(page.locator("main h1")).to_have_text("Masuk")
    sign_in(page, base, live_world.tala_officer.username)

    open_partner_list(page, base)
    expect(page.locator("main h1")).to_have_text("Mitra IKM")
    assert page_width(page) <= PHONE_WIDTH
    register = page.locator(f'main a.button[href="{reverse("partners:create")}"]')
    expect(register).to_have_text("Daftarkan mitra")
    register.click()

    expect(page).to_have_url(f"{base}{reverse('partners:create')}")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.locator("main h1")).to_have_text("Daftarkan mitra")
    fill_partner_form(page, live_world)
    assert page_width(page) <= PHONE_WIDTH
    submit_partner_form(page, base)
    expect(page.locator(".messages")).to_contain_text(f"Mitra {NEW_PARTNER['name']} berhasil didaftarkan.")

    open_partner_list(page, base)
    results = page.locator("#results")
    expect(results).to_contain_text("Konveksi Tuntung Pandang")  # before searching, both Tala partners
    search_partners(page, "baru pel")
    expect(results.get_by_role("link", name=NEW_PARTNER["name"])).to_be_visible()
    expect(results).not_to_contain_text("Konveksi Tuntung Pandang")
    assert page_width(page) <= PHONE_WIDTH

    partner = Partner.objects.get(nib=NEW_PARTNER["nib"])
    assert partner.name == NEW_PARTNER["name"]
    assert partner.region_id == NEW_PARTNER["village"]
    assert partner.phone == "+6281251239999"
    assert partner.assisting_office == live_world.tala_office
    assert list(partner.capabilities.values_list("item__code", "weekly_capacity")) == [("baju-hazmat", 25)]
    created = partner.history.get()
    assert created.history_type == "+" and created.history_user == live_world.tala_officer


def test_the_registration_flow_requests_nothing_but_the_local_server(page: Page, live_server, live_world):
    base = live_server.url
    requested, failed = [], []
    page.on("request", lambda request: requested.append(request.url))
    page.on("response", lambda response: response.status >= 400 and failed.append((response.status, response.url)))

    sign_in(page, base, live_world.tala_officer.username)
    open_partner_list(page, base)
    page.goto(f"{base}{reverse('partners:create')}")
    fill_partner_form(page, live_world)
    submit_partner_form(page, base)
    open_partner_list(page, base)
    search_partners(page, "baru pel")
    expect(page.locator("#results").get_by_role("link", name=NEW_PARTNER["name"])).to_be_visible()

    assert any(reverse("regions:villages") in url for url in requested)  # the listener saw htmx's requests
    assert any(url.endswith(".css") for url in requested) and any(url.endswith(".js") for url in requested)
    outside = [url for url in requested if not url.startswith(f"{base}/")]
    assert outside == [], f"requests left {base}: {outside}"
    assert failed == []


def test_the_search_box_filters_while_typing(page: Page, live_server, live_world):
    base = live_server.url
    sign_in(page, base, live_world.tala_officer.username)
    open_partner_list(page, base)
    results = page.locator("#results")
    expect(results).to_contain_text("Konveksi Tuntung Pandang")
    page.locator("form.filters input[name=q]").press_sequentially("tidak ada")
    expect(results).not_to_contain_text("Konveksi Tuntung Pandang")
