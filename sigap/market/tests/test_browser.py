"""A buyer on a 360 px phone, in Indonesian and without an account, finds a product in the public catalogue, opens
its page and its WhatsApp link, and sends an inquiry, through the real browser.

wa.me is never reached (the network is closed): the browser context answers it with a stub page.
"""

import io
import re
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image
from playwright.sync_api import Page, expect

from sigap.conftest import PHONE_WIDTH, page_width
from sigap.market.models import Inquiry
from sigap.market.services import listing_save

pytestmark = pytest.mark.browser

TITLE = "Baju hazmat spunbond, jahitan dilakban"
WA_STUB = "<!doctype html><title>WhatsApp (stub)</title><p>wa.me stub</p>"


def photo(name: str, color) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1200), color).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def shop(live_world):
    w = live_world
    w.suit_listing = listing_save(
        by=w.partner_user, partner=w.tala_partner, product=w.suit, title=TITLE, price=185000, min_order=5,
        lead_time_days=7, whatsapp="0812 5123 0001", is_published=True, photo=photo("hazmat.png", (20, 90, 160)),
        description="Coverall dengan tudung, ritsleting berpenutup.")
    w.mask_listing = listing_save(
        by=w.hsu_officer, partner=w.hsu_partner, product=w.mask, title="Masker kain 3 lapis sasirangan",
        price=15000, min_order=10, lead_time_days=3, whatsapp="081351230005", is_published=True,
        photo=photo("masker.png", (160, 40, 40)))
    return w


def test_a_buyer_finds_a_product_on_a_phone_and_opens_its_whatsapp_link(page: Page, live_server, shop):
    base = live_server.url
    requested, failed = [], []
    page.context.on("request", lambda request: requested.append(request.url))
    page.context.on("response", lambda r: r.status >= 400 and failed.append((r.status, r.url)))
    opened = []

    def whatsapp_stub(route):
        opened.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body=WA_STUB)

    page.context.route("https://wa.me/**", whatsapp_stub)

    # The public catalogue, no login.
    page.goto(f"{base}{reverse('market:catalogue')}")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.locator("form.filters button")).to_have_text("Cari")
    cards = page.locator("ul.catalogue li.product")
    expect(cards).to_have_count(2)
    assert page_width(page) <= PHONE_WIDTH

    # Searching for the product.
    page.locator("form.filters input[name=q]").fill("hazmat")
    page.locator("form.filters button").click()
    expect(page).to_have_url(re.compile(r"\?(.*&)?q=hazmat"))
    expect(cards).to_have_count(1)
    link = cards.get_by_role("link", name=TITLE)
    expect(link).to_be_visible()
    expect(cards.locator(".price")).to_have_text("Rp 185.000")
    thumbnails = cards.locator("img")
    expect(thumbnails).to_have_count(1)
    expect(thumbnails).to_have_attribute("loading", "lazy")
    # the grid's small thumbnails (the 480 px one only through srcset, for screens that need it)
    expect(thumbnails).to_have_attribute("src", re.compile(r"^/media/listings/\d+/[0-9a-f]{32}-240\.jpg$"))
    assert page_width(page) <= PHONE_WIDTH

    # The product page.
    link.click()
    expect(page).to_have_url(f"{base}{shop.suit_listing.get_absolute_url()}")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.locator("main h1")).to_have_text(TITLE)
    expect(page.locator(".product-page .price")).to_contain_text("Rp 185.000")
    # The product photo is above the fold: loaded at once, and the phone picks the 480 px version.
    picture = page.locator(".product-page img.photo")
    expect(picture).to_have_attribute("src", re.compile(r"^/media/listings/\d+/[0-9a-f]{32}-480\.jpg$"))
    assert page.evaluate("document.querySelector('.product-page img.photo').currentSrc").endswith("-480.jpg")
    assert page_width(page) <= PHONE_WIDTH

    # Its WhatsApp link: the partner's number in international form, a greeting naming the product.
    whatsapp = page.locator("a.whatsapp")
    expect(whatsapp).to_be_visible()
    with translation.override("id"):
        expect(whatsapp).to_have_text(translation.gettext("Order via WhatsApp"))
    href = whatsapp.get_attribute("href")
    assert href.startswith("https://wa.me/62")
    parts = urlsplit(href)
    assert parts.path == "/6281251230001"
    assert quote(TITLE) in parts.query  # URL-encoded in the link itself…
    text = parse_qs(parts.query)["text"]
    assert len(text) == 1 and TITLE in text[0] and shop.tala_partner.name in text[0]  # …and readable decoded
    expect(whatsapp).to_have_attribute("target", "_blank")
    expect(whatsapp).to_have_attribute("rel", re.compile(r"\bnoopener\b"))

    with page.expect_popup() as popup_info:
        whatsapp.click()
    popup = popup_info.value
    popup.wait_for_load_state()
    assert popup.url == href or parse_qs(urlsplit(popup.url).query)["text"] == text
    expect(popup.locator("p")).to_have_text("wa.me stub")
    assert len(opened) == 1 and opened[0].startswith("https://wa.me/62")
    assert parse_qs(urlsplit(opened[0]).query)["text"] == text
    popup.close()

    # An inquiry from the same page: the field meant for bots is off screen, the buyer's fields are not.
    honeypot = page.locator("input[name=website]").bounding_box()
    assert honeypot is None or honeypot["x"] + honeypot["width"] <= 0
    form = page.locator("main form.inquiry")
    form.locator("input[name=name]").fill("Apotek Sehat Pelaihari")
    form.locator("input[name=phone]").fill("0813 5000 9911")
    form.locator("input[name=quantity]").fill("40")
    form.locator("textarea[name=message]").fill("Bisa kirim minggu depan?")
    assert page_width(page) <= PHONE_WIDTH
    form.locator("button.primary").click()
    expect(page).to_have_url(f"{base}{shop.suit_listing.get_absolute_url()}")
    expect(page.locator(".messages")).to_contain_text(shop.tala_partner.name)
    inquiry = Inquiry.objects.get()
    assert (inquiry.listing_id, inquiry.name, inquiry.phone, inquiry.quantity) == (
        shop.suit_listing.pk, "Apotek Sehat Pelaihari", "+6281350009911", 40)
    expect(page.locator("main")).not_to_contain_text("Apotek Sehat Pelaihari")

    # Every request stayed on the live server, but for the intercepted wa.me page.
    assert any("/media/listings/" in url for url in requested)  # the listener saw the photos
    outside = [url for url in requested if not url.startswith(f"{base}/") and not url.startswith("https://wa.me/")]
    assert outside == [], f"requests left {base}: {outside}"
    assert failed == []
