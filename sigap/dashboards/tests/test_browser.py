"""A district officer on a 360 px phone opens the dashboard and presents the briefing with the arrow keys;
the API docs render from SIGAP's own files under its Content-Security-Policy."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from sigap.conftest import PHONE_WIDTH, page_width, painted, sign_in
from sigap.dashboards.tests.test_pages import _activity

pytestmark = pytest.mark.browser


def test_an_officer_reads_the_dashboard_and_presents_the_briefing_with_arrow_keys(page: Page, live_server,
                                                                                  live_world):
    _activity(live_world, partners=1, month=5)
    base = live_server.url
    sign_in(page, base, "tala_officer")
    page.locator("nav.menu").get_by_role("link", name="Dasbor", exact=True).click()
    expect(page).to_have_url(f"{base}{reverse('dashboards:show')}")
    expect(page.locator("h1")).to_contain_text("Kabupaten Tanah Laut")
    expect(page.locator("svg.chart").first).to_be_visible()
    assert page_width(page) <= PHONE_WIDTH

    page.get_by_role("link", name="Paparan", exact=True).click()
    expect(page).to_have_url(f"{base}{reverse('dashboards:briefing')}")
    expect(page.locator("#present")).to_be_visible()  # the script has run
    slides = page.locator(".deck .slide")
    count = slides.count()
    assert count >= 2
    deck = page.locator(".deck")
    painted(page)
    deck.press("ArrowRight")  # enters presentation mode on the first slide (keys are read on the document)
    expect(page.locator("body")).to_have_class("presenting")
    expect(slides.nth(0)).to_be_visible()
    expect(slides.nth(1)).to_be_hidden()
    deck.press("ArrowRight")
    expect(slides.nth(1)).to_be_visible()
    expect(slides.nth(0)).to_be_hidden()
    expect(page.locator("#slide-counter")).to_have_text(f"2 / {count}")
    deck.press("ArrowLeft")
    expect(slides.nth(0)).to_be_visible()
    deck.press("Escape")
    expect(page.locator("body")).not_to_have_class("presenting")
    expect(slides.nth(1)).to_be_visible()


def test_the_api_docs_render_from_sigaps_own_files(page: Page, live_server, live_world):
    requested = []
    page.context.on("request", lambda request: requested.append(request.url))
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    assert requested and all(url.startswith(live_server.url) for url in requested)
