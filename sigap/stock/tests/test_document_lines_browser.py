"""An officer on a 360 px phone records a receipt of more lines than the page first shows, adding lines with
"Tambah baris" in the page (JavaScript), and saves it."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from sigap.conftest import PHONE_WIDTH, page_width, sign_in
from sigap.items.models import Item
from sigap.stock.models import StockDocument

pytestmark = pytest.mark.browser


def test_an_officer_on_a_phone_adds_lines_in_the_page_and_saves_a_receipt_of_five(page: Page, live_server,
                                                                                   live_world):
    items = [Item.objects.create(code=f"bahan-{n}", name=f"Bahan {n}", kind="material", unit="m") for n in range(5)]
    base = live_server.url
    sign_in(page, base, "tala_officer")
    page.goto(f"{base}{reverse('stock:receipt-create')}")
    rows = page.locator("fieldset.lines .row")
    expect(rows).to_have_count(3)
    assert page_width(page) <= PHONE_WIDTH

    page.locator("select[name=office]").select_option(str(live_world.tala_office.pk))
    page.locator("select[name='lines-0-item']").select_option(str(items[0].pk))
    page.locator("input[name='lines-0-quantity']").fill("1,5")
    add = page.get_by_role("button", name="Tambah baris")
    add.click()
    add.click()
    expect(rows).to_have_count(5)
    expect(page.locator("input[name='lines-TOTAL_FORMS']")).to_have_value("5")
    expect(rows.nth(4).locator(".line-no")).to_have_text("Baris 5")
    # What was typed before stays; the page did not go to the server.
    expect(page.locator("input[name='lines-0-quantity']")).to_have_value("1,5")
    assert page_width(page) <= PHONE_WIDTH
    for n, item in enumerate(items[1:], start=1):
        page.locator(f"select[name='lines-{n}-item']").select_option(str(item.pk))
        page.locator(f"input[name='lines-{n}-quantity']").fill(str(n + 1))
    add.click()  # a sixth line left blank is ignored
    page.get_by_role("button", name="Simpan").click()

    expect(page.locator("h1")).to_contain_text("BBM-")
    document = StockDocument.objects.get()
    assert document.lines.count() == 5
    assert page_width(page) <= PHONE_WIDTH
