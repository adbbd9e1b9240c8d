"""No page offers a link its reader may not follow: for every role of the access matrix, every page that answers
200 is read, and every link on it to a SIGAP address must answer that role with something other than 403 or 404.

Links are deduplicated by their route and query keys (a list of fifty partners links to fifty detail pages of one
route), so the walk stays short."""

from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import Resolver404, resolve, reverse

from conftest import client_for
from sigap.tests.test_access_matrix import MATRIX, USERS, matrix_world  # noqa: F401 (a fixture)

# Links that are not pages to read: signing out and the language switch are forms; the admin has its own checks.
SKIPPED_ROUTES = {"logout", "set_language"}


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def site_links(html: str) -> list[str]:
    """The same-site addresses an HTML page links to (absolute paths; no fragments, mailto:, tel: or other sites)."""
    parser = _Links()
    parser.feed(html)
    links = []
    for href in parser.hrefs:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        links.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return links


def _pattern(link: str):
    parts = urlsplit(link)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return ("unknown", parts.path)
    return (match.view_name, tuple(sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)})))


def dead_links(client, pages: list[str]) -> dict[str, tuple[str, int]]:
    """Each link that answers 403 or 404, with the page it was found on."""
    seen, dead = set(), {}
    for page in pages:
        response = client.get(page)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for link in site_links(response.content.decode()):
            key = _pattern(link)
            if key in seen or key[0] in SKIPPED_ROUTES or key[0].startswith("admin:"):
                continue
            seen.add(key)
            answer = client.get(link, follow=True)
            if answer.status_code in (403, 404):
                dead[link] = (page, answer.status_code)
    return dead


def test_it_reads_the_links_of_a_page_and_keeps_only_sigap_addresses():
    html = ('<a href="/partners/1/">a</a><a href="https://wa.me/62812">b</a><a href="tel:+62812">c</a>'
            '<a href="#main">d</a><a href="/stock/movements/?partner=3">e</a><a>f</a>')

    assert site_links(html) == ["/partners/1/", "/stock/movements/?partner=3"]


@pytest.mark.security
@pytest.mark.parametrize("name", USERS)
def test_no_page_links_its_reader_to_a_refusal(matrix_world, name):  # noqa: F811
    user = None if name == "anonymous" else getattr(matrix_world, name)
    pages = []
    for route, (build, expected) in sorted(MATRIX.items()):
        if expected[name] == 200 and route not in SKIPPED_ROUTES:
            pages.append(reverse(route, kwargs=build(matrix_world) if build else None))

    assert dead_links(client_for(user), pages) == {}
