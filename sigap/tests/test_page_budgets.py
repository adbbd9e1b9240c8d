"""Page budgets: what SIGAP's main pages cost a phone on a slow, metered connection, in bytes, not seconds.

- A first load (empty browser cache) of each page moves at most 100 KB, of which at most 30 KB is JavaScript.
- A later page (a second page in the same browser, cache warm) moves at most 25 KB.
- No request leaves 127.0.0.1: everything a page needs ships with SIGAP.

How the bytes are counted. Chromium reports every request over the DevTools protocol (a CDP session per page):
``Network.requestServedFromCache`` and ``response.fromDiskCache``/``fromPrefetchCache`` mark what the browser
took from its own cache; everything else came over the network. For each response that came over the network
the test takes its body (``Network.getResponseBody``, read before the browser leaves the page) and counts

    the header bytes Chromium received + the body as a production server sends it,

where "as sent" is ``len(gzip.compress(body, 6))`` for text (HTML, CSS, JavaScript, SVG, JSON), since nginx and
WhiteNoise (pre-compressed ``.gz`` files after collectstatic) send those compressed, and the plain body for
images, which are compressed already. The Django test server itself does not compress, and GZipMiddleware would
not help: the live server's static handler answers /static/ before any middleware. The header bytes are the
uncompressed HTTP/1.1 headers Chromium counted (``loadingFinished.encodedDataLength`` minus the body), a
generous allowance next to HTTP/2's compressed headers. A 304 counts its headers only. JavaScript is what
Chromium loaded as a script (resource type ``Script``, or a JavaScript content type).

A first load is a fresh browser context (no cache), signed in by session cookie where the page needs it. A later
page is loaded in a context that has just shown another page of the same visit: the home page, where signing in
lands, for the officer's pages (the partner list for the dashboard); the login page for public pages (the
catalogue for the login page itself). The test server sends static files and photos with Last-Modified but no
Cache-Control, and Chromium keeps them by heuristic freshness, so a later page counts its HTML, whatever it is
the first page to use (a script, a photo) and anything the browser chose to fetch again. Lazy images count when
Chromium fetches them without scrolling: it loads those within a screenful or two of the viewport, which on the
catalogue means every thumbnail of a page.

The catalogue's grid shows 240 px thumbnails (a 480 px one only where the screen asks for it through srcset):
each listing's photo adds a few kilobytes, not the 23 KB a 480 px one would.

Run with ``-s`` to see the table of measured bytes.
"""

import base64
import datetime
import gzip
import io
import random
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageFilter
from playwright.sync_api import Page

from sigap.conftest import sign_in
from sigap.dashboards.tests.test_pages import _activity
from sigap.demo.data import make_nik
from sigap.handovers.models import Handover
from sigap.market.services import listing_save
from sigap.people.models import Person
from sigap.trainings.models import Training
from sigap.trainings.services import enrolment_create

pytestmark = pytest.mark.browser

KB = 1024
FIRST_LOAD_BUDGET = 100 * KB
FIRST_LOAD_JS_BUDGET = 30 * KB
LATER_PAGE_BUDGET = 25 * KB
COMPRESSIBLE = ("text/", "javascript", "json", "xml", "svg")


@dataclass
class Transfer:
    url: str
    kind: str  # Chromium's resource type: Document, Stylesheet, Script, Image, Font, Fetch, Other…
    mime: str
    status: int
    cached: bool = False
    received: int = 0  # bytes Chromium read from the socket, headers included (uncompressed here)
    sent: int = 0  # headers + body as a compressing production server would send it

    @property
    def is_script(self) -> bool:
        return self.kind == "Script" or "javascript" in self.mime


@dataclass
class Load:
    transfers: list[Transfer] = field(default_factory=list)

    @property
    def fetched(self) -> list[Transfer]:
        return [t for t in self.transfers if not t.cached]

    @property
    def total(self) -> int:
        return sum(t.sent for t in self.fetched)

    @property
    def script(self) -> int:
        return sum(t.sent for t in self.fetched if t.is_script)

    def describe(self) -> str:
        return ", ".join(f"{urlsplit(t.url).path} {t.sent} B" for t in self.fetched)


def _as_sent(body: bytes, mime: str) -> int:
    if any(part in mime for part in COMPRESSIBLE):
        return len(gzip.compress(body, 6))
    return len(body)


def measure(page: Page, url: str) -> Load:
    """Open ``url`` in ``page`` and count what came over the network, as described in the module docstring."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    by_id: dict[str, Transfer] = {}
    from_cache: set[str] = set()
    finished: dict[str, int] = {}

    def received(params):
        response = params["response"]
        if not response["url"].startswith("http"):
            return  # data: URLs cross no network
        by_id[params["requestId"]] = Transfer(
            url=response["url"], kind=params["type"], mime=response.get("mimeType", ""), status=response["status"],
            cached=bool(response.get("fromDiskCache") or response.get("fromPrefetchCache")))

    cdp.on("Network.responseReceived", received)
    cdp.on("Network.requestServedFromCache", lambda params: from_cache.add(params["requestId"]))
    cdp.on("Network.loadingFinished", lambda params: finished.__setitem__(params["requestId"],
                                                                          params["encodedDataLength"]))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    load = Load()
    for request_id, transfer in by_id.items():
        transfer.cached = transfer.cached or request_id in from_cache
        transfer.received = finished.get(request_id, 0)
        if not transfer.cached:
            body = b""
            if transfer.status == 200:
                reply = cdp.send("Network.getResponseBody", {"requestId": request_id})
                body = base64.b64decode(reply["body"]) if reply["base64Encoded"] else reply["body"].encode()
            headers = max(transfer.received - len(body), 0)
            transfer.sent = headers + _as_sent(body, transfer.mime)
        load.transfers.append(transfer)
    cdp.detach()
    return load


def _photo(name: str, seed: int) -> SimpleUploadedFile:
    """A 1600 × 1200 picture with a photo's amount of detail (soft shapes, fine grain): its 480 px thumbnail
    weighs about 23 KB, like a real product photo, where a plain colour would weigh 2 KB and prove nothing."""
    rnd = random.Random(seed)
    shapes = Image.frombytes("RGB", (40, 30), rnd.randbytes(40 * 30 * 3)).resize((1600, 1200), Image.BICUBIC)
    grain = Image.frombytes("RGB", (1600, 1200), rnd.randbytes(1600 * 1200 * 3)).filter(ImageFilter.GaussianBlur(1.5))
    buffer = io.BytesIO()
    Image.blend(shapes, grain, 0.25).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def busy_world(live_world):
    """Two months of production, inspections, trainings and handovers in Tala and HSU; the May Tala training
    with five participants; two published catalogue listings with photos."""
    w = live_world
    for month in (5, 6):
        _activity(w, partners=3, month=month)
    w.training = Training.objects.get(office=w.tala_office, title="Bimtek 5")
    for serial, name in enumerate(["Ahmad Fadillah", "Nor Hasanah", "Rizal Maulana", "Siti Aminah", "Rahmat"]):
        born = datetime.date(1990 + serial, 3, 5)
        person = Person.objects.create(
            name=name, sex="L", birth_date=born, kind="participant", address="Jl. A. Yani", region_id="63.01.03.1005",
            nik=make_nik(district_code="63.01.03", birth_date=born, sex="L", serial=serial + 1))
        enrolment_create(training=w.training, person=person, by=w.tala_officer)
    w.handover = Handover.objects.filter(office=w.tala_office).order_by("handed_over_on").last()
    listing_save(by=w.partner_user, partner=w.tala_partner, product=w.suit, title="Baju hazmat spunbond",
                 price=185000, min_order=5, lead_time_days=7, whatsapp="0812 5123 0001", is_published=True,
                 photo=_photo("hazmat.png", 1), description="Coverall dengan tudung.")
    listing_save(by=w.hsu_officer, partner=w.hsu_partner, product=w.mask, title="Masker kain 3 lapis sasirangan",
                 price=15000, min_order=10, lead_time_days=3, whatsapp="081351230005", is_published=True,
                 photo=_photo("masker.png", 2))
    return w


class LaterPageOverBudget(AssertionError):
    """Raised alone for a later page over budget, so that a known case can be marked without hiding others."""


TABLE = []


@pytest.fixture(scope="module", autouse=True)
def _print_table():
    """The measured bytes of every page, printed once all pages are measured (shown with ``pytest -s``)."""
    yield
    print(f"\n{'page':<18} {'first load':>10} {'of it JS':>9} {'later page':>10}   (bytes, as sent compressed)")
    for name, first, later in TABLE:
        print(f"{name:<18} {first.total:>10,} {first.script:>9,} {later.total:>10,}")


HOME, LOGIN, CATALOGUE = "home", "login", "market:catalogue"
PAGES = [  # name, the page (a URL name, or an attribute of the world with a URL method), signed in, the page before
    pytest.param("login", LOGIN, False, CATALOGUE, id="login"),
    pytest.param("partner list", "partners:list", True, HOME, id="partner-list"),
    pytest.param("dashboard", "dashboards:show", True, "partners:list", id="dashboard"),
    pytest.param("catalogue", CATALOGUE, False, LOGIN, id="catalogue"),
    pytest.param("training detail", "training.get_absolute_url", True, HOME, id="training"),
    pytest.param("handover detail", "handover.get_absolute_url", True, HOME, id="handover"),
    pytest.param("certificate check", "handover.get_verification_url", False, LOGIN, id="certificate-check"),
]


@pytest.mark.parametrize("name, target, needs_sign_in, before", PAGES)
def test_a_page_keeps_within_its_byte_budget(name, target, needs_sign_in, before, page: Page, new_context,
                                              live_server, busy_world):
    base = live_server.url
    if "." in target:
        record, method = target.split(".")
        path = getattr(getattr(busy_world, record), method)()
    else:
        path = reverse(target)
    signed_in = {}
    if needs_sign_in:
        sign_in(page, base, "tala_officer")
        signed_in = {"storage_state": page.context.storage_state()}
    requested = []

    def fresh_page():
        context = new_context(**signed_in)
        context.on("request", lambda request: requested.append(request.url))
        return context.new_page()

    first_page = fresh_page()
    first = measure(first_page, base + path)
    assert first_page.url == base + path, f"{name}: ended on {first_page.url}"
    later_page = fresh_page()
    measure(later_page, base + reverse(before))
    later = measure(later_page, base + path)
    TABLE.append((name, first, later))

    outside = [url for url in requested if urlsplit(url).hostname != "127.0.0.1" and not url.startswith("data:")]
    assert outside == [], f"{name}: requests leave 127.0.0.1: {outside}"
    assert first.total <= FIRST_LOAD_BUDGET, (
        f"{name} ({path}) moves {first.total:,} B on a first load, over {FIRST_LOAD_BUDGET:,} B: {first.describe()}")
    assert first.script <= FIRST_LOAD_JS_BUDGET, (
        f"{name} ({path}) moves {first.script:,} B of JavaScript on a first load, over {FIRST_LOAD_JS_BUDGET:,} B: "
        f"{first.describe()}")
    if later.total > LATER_PAGE_BUDGET:
        raise LaterPageOverBudget(f"{name} ({path}) moves {later.total:,} B as a later page (after {before}), over "
                                  f"{LATER_PAGE_BUDGET:,} B: {later.describe()}")
