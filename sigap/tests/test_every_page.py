"""Every page of the access matrix, for each role that may open it: as wide as a 360 px phone, and in Indonesian.

The phone sweep drives Chromium (``@pytest.mark.browser``). ``make test`` opens each page once, as the first role
that may see it; ``make test-phone`` (SIGAP_PHONE_SWEEP=all) opens each page as every role that may see it.
The language sweep renders the pages in-process and looks for English left on them: a text of the Indonesian
catalogue whose msgid shows verbatim was not translated.
"""

import gettext
import html
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from conftest import client_for
from sigap.accounts.models import User
from sigap.conftest import PHONE_WIDTH, page_width
from sigap.tests.test_access_matrix import MATRIX, USERS, matrix_world, matrix_world_build  # noqa: F401 (a fixture)

FULL_SWEEP = os.environ.get("SIGAP_PHONE_SWEEP") == "all"


def _pages_of(world, name):
    """(url, user) of every page the matrix says this role may open (status 200)."""
    user = None if name == "anonymous" else getattr(world, name)
    for route, (build, expected) in sorted(MATRIX.items()):
        if expected[name] == 200:
            yield route, reverse(route, kwargs=build(world) if build else None), user


def _html(client, url):
    """The page's HTML, or None when the address answers a file (CSV, PDF, Excel, a photo) or JSON."""
    response = client.get(url)
    if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
        return None
    return response.content.decode()


def _signed_in(page, base, user):
    page.context.clear_cookies()
    if user is not None:
        session = client_for(user).cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base}])


@pytest.mark.browser
def test_no_page_scrolls_sideways_on_a_phone(live_world, live_server, page):
    world = matrix_world_build(live_world)
    seen, too_wide = set(), []
    for name in USERS:
        clients = {}
        pages = [(route, url, user) for route, url, user in _pages_of(world, name) if FULL_SWEEP or route not in seen]
        if not pages:
            continue
        _signed_in(page, live_server.url, pages[0][2])
        for route, url, user in pages:
            client = clients.setdefault(name, client_for(user))
            page_html = _html(client, url)
            if page_html is None or 'name="viewport"' not in page_html:  # a file, or a fragment htmx fills in
                continue
            seen.add(route)
            page.goto(f"{live_server.url}{url}")
            if (width := page_width(page)) > PHONE_WIDTH:
                too_wide.append(f"{url} as {name}: {width} px")
    assert not too_wide, "\n".join(too_wide)
    assert len(seen) > 60  # the sweep opened the pages, not nothing


def _translated_msgids():
    """English texts of the Indonesian catalogue that have a translation of their own."""
    path = Path(settings.LOCALE_PATHS[0]) / "id" / "LC_MESSAGES" / "django.mo"
    with open(path, "rb") as mo:
        catalogue = gettext.GNUTranslations(mo)._catalog
    texts = set()
    for msgid, msgstr in catalogue.items():
        if isinstance(msgid, tuple):
            msgid = msgid[0]
        msgid = msgid.split("\x04")[-1]  # without its context
        if not msgid or msgid == msgstr or re.search(r"%|\{", msgid) or msgid in ALLOWED:
            continue
        texts.add(msgid)
    return texts


# English msgids that may show verbatim on an Indonesian page: words Indonesian spells the same way.
ALLOWED = {
    "Unit",  # "Units" is "Unit" in Indonesian (the dashboard's column of units handed over)
}


class _VisibleText(HTMLParser):
    """The text a person reads: text outside scripts and styles, and the labels of titles, placeholders and
    buttons."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._hidden += 1
        for key, value in attrs:
            if key in ("title", "placeholder", "aria-label", "alt") and value:
                self.texts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self._hidden = max(0, self._hidden - 1)

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.texts.append(data)


def _english_on(page_html, msgids, usernames=frozenset()):
    parser = _VisibleText()
    parser.feed(page_html)
    found = set()
    for text in parser.texts:
        text = " ".join(html.unescape(text).split()).rstrip(":*")
        if text in usernames:  # logins are data: the test world's are English words ("instructor", "admin")
            continue
        if text in msgids:
            found.add(text)
        elif len(text) > 20:
            found |= {m for m in msgids if len(m.split()) >= 3 and m in text}
    return found


@pytest.mark.parametrize("route", sorted(MATRIX))
def test_no_indonesian_page_shows_an_untranslated_text(matrix_world, route):
    msgids = _translated_msgids()
    usernames = set(User.objects.values_list("username", flat=True))
    build, expected = MATRIX[route]
    url = reverse(route, kwargs=build(matrix_world) if build else None)
    english = {}
    for name in USERS:
        if expected[name] != 200:
            continue
        page_html = _html(client_for(None if name == "anonymous" else getattr(matrix_world, name)), url)
        if page_html is not None and (found := _english_on(page_html, msgids, usernames)):
            english[name] = sorted(found)
    assert english == {}


def test_every_list_filter_offers_all_rather_than_dashes(matrix_world):
    """A filter left empty lists everything: it says "Semua", not Django's "---------"."""
    dashes, filters = [], 0
    seen = set()
    for name in USERS:
        for route, url, user in _pages_of(matrix_world, name):
            if route in seen:
                continue
            seen.add(route)
            page_html = _html(client_for(user), url) or ""
            for form in re.findall(r'<form class="filters".*?</form>', page_html, re.S):
                filters += 1
                if "---------" in form:
                    dashes.append(f"{url} as {name}")
    assert filters > 5
    assert not dashes, "\n".join(dashes)
