"""Browser fixtures: Debian's Chromium, driven by pytest-playwright, against pytest-django's live server.

Browser tests are marked ``@pytest.mark.browser`` (the PostgreSQL run leaves them out) and take ``live_world``:
the same small South Kalimantan world as ``world``, but committed, so that the live server's thread sees it.
"""

import os

import pytest

from conftest import TEST_PROVINCES, make_world
from sigap.regions.services import regions_load

CHROMIUM = "/usr/bin/chromium"
PHONE_WIDTH = 360

# The live server listens on 127.0.0.1 rather than on "localhost", which Chromium may resolve to ::1 first.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")


@pytest.fixture(scope="session", autouse=True)
def _patient_assertions():
    """CI runs on a loaded machine: a page that answers in 8 s instead of 1 is slow, not wrong. Playwright's
    assertions retry until they hold, so a longer limit only costs time when a test fails."""
    from playwright.sync_api import expect

    expect.set_options(timeout=20_000)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium (`playwright install` cannot download here), headless unless --headed."""
    return {
        "headless": True,
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",  # the tests run as root
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A 360 px wide touch phone whose browser asks for Indonesian."""
    return {
        **browser_context_args,
        "viewport": {"width": PHONE_WIDTH, "height": 740},
        "is_mobile": True,
        "has_touch": True,
        "locale": "id-ID",
    }


@pytest.fixture
def live_world(transactional_db, live_server):
    """The test world, committed for the live server.

    Transactional tests end by flushing every table, regions included, so the regions the session loaded may
    be gone: load them again (an idempotent upsert, about 0.3 s) before building the world. Not only 63: the
    world also has an East Kalimantan office and partner (64.01), and under autocommit each insert's foreign key
    is checked at once.
    """
    regions_load(province_codes=TEST_PROVINCES)
    return make_world()


def _flushes_tables(item):
    if not getattr(item, "funcargs", None):  # skipped before its fixtures were set up: nothing was flushed
        return False
    names = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    transactional = bool(marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))
    return transactional or "transactional_db" in names or "live_server" in names


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test has flushed the tables, put back the regions the session loaded.

    pytest-django runs transactional tests after the others, but a later transactional test that relies on
    the session's regions (every province in TEST_PROVINCES, not only 63) would otherwise find none.
    """
    result = yield
    if nextitem is not None and _flushes_tables(item):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            regions_load(province_codes=TEST_PROVINCES)
    return result


@pytest.fixture(autouse=True)
def _no_content_security_policy_violations(request):
    """Every browser test also proves the pages run under SIGAP's Content-Security-Policy."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    yield
    assert violations == [], violations


def page_width(page) -> int:
    """How wide the page lays out, once its stylesheet has loaded (before that the browser lays it out
    unstyled, wider than the screen)."""
    page.wait_for_load_state("load")
    return page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")


def painted(page) -> None:
    """Wait until the page has loaded and painted a frame. Chromium drops key presses sent before a page's first
    paint, which on a busy machine can come well after its scripts have run."""
    page.wait_for_load_state("load")
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def sign_in(page, base: str, username: str, password: str = "sandi-rahasia-1") -> None:
    """Sign in through the login page, as a person would."""
    from django.urls import reverse
    from playwright.sync_api import expect

    page.goto(f"{base}{reverse('login')}")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button.primary").click()
    expect(page).to_have_url(f"{base}{reverse('home')}")
