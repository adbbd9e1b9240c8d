import pytest
from playwright.sync_api import expect
from sigap.partners.tests.test_browser import sign_in
pytestmark = pytest.mark.browser

def test_debug(page, live_server, live_world):
    log = []
    page.on("console", lambda m: log.append(("console", m.type, m.text)))
    page.on("pageerror", lambda e: log.append(("pageerror", str(e))))
    page.on("response", lambda r: log.append(("resp", r.status, r.url)))
    sign_in(page, live_server.url, "tala_officer")
    page.goto(live_server.url + "/partners/new/")
    page.locator("select[name=district]").select_option("63.01.03")
    page.wait_for_timeout(2000)
    print(page.evaluate("typeof htmx"))
    for l in log: print(l)
