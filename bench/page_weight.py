"""How heavy SIGAP's public catalogue is on a phone's first visit: the goal is at most 100 KB compressed (HTML, CSS,
JS, icons) plus the photos, which load lazily, and at most 30 KB of JS.

Standalone, not a test: ``.venv/bin/python bench/page_weight.py [--keep]``.

It sets Django up on a throw-away SQLite database in a temporary SIGAP_VAR_DIR (DEBUG off, as in production),
migrates it, loads the regions of South Kalimantan (63) and Jakarta (31, which the demo needs) and the demo, runs
``collectstatic`` (WhiteNoise's CompressedManifestStaticFilesStorage: hashed names plus pre-compressed .gz and .br
files), and serves SIGAP's WSGI application from a thread (wsgiref, threaded) on 127.0.0.1 and a free port.

SIGAP itself serves no /media/ (no URL route; WhiteNoise serves STATIC_ROOT only). So that photos can be measured,
the server wraps SIGAP in a second WhiteNoise that serves MEDIA_ROOT under /media/, standing in for whatever web
server serves uploads in production. Photos are JPEGs and are never compressed further.

Debian's Chromium (through Playwright; never ``playwright install``) opens each page in a fresh context (empty
cache: a first visit) as a 360x740 touch phone asking for Indonesian, waits for the network to go idle, and records
every response: its type, the bytes that really crossed the wire (the encoded body: WhiteNoise sends the .br or
.gz it prepared; Django's HTML goes out uncompressed, as SIGAP has no GZipMiddleware) and, as the estimate the goal
is judged by, each text body compressed with gzip level 6 here (images: their own size). Then it scrolls to the
bottom and counts what the lazily loaded photos added. Response headers are reported apart.

Pages and scenarios:

- ``catalogue``: /katalog/ with the demo as it loads (its four listings have no photos);
- ``catalogue_with_photos``: the same four listings after each got a photo through ``listing_save`` (the upload is
  resized to 1200 px and a 480 px thumbnail, as in SIGAP); the photos are synthetic (gradient, shapes and noise,
  1600x1200) to come near a real photo's JPEG size;
- ``catalogue_full_page``: eight more listings with photos, so that the first page holds twelve and part of the
  photos lie below the first screen;
- ``product_page_with_photo``: the first demo listing's public page, whose 1200 px photo comes first (for
  comparison; not what the goal is about);
- ``login``: /accounts/login/.

Prints a markdown table and writes bench/out/page_weight.json.
"""

import argparse
import gzip
import io
import json
import os
import platform
import shutil
import socket
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "page_weight.json"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
VIEWPORT = {"width": 360, "height": 740}
GOAL_BYTES = 100 * 1024  # compressed, lazily loaded photos apart
GOAL_JS_BYTES = 30 * 1024
GZIP_LEVEL = 6
TYPES = ["html", "css", "js", "image", "photo", "font", "other"]


# --- Django, data, server -------------------------------------------------------------------------------------

def setup_django(var_dir: str) -> None:
    os.environ["SIGAP_VAR_DIR"] = var_dir
    os.environ.pop("DATABASE_URL", None)  # the temporary SQLite database, never a configured one
    for name in ("SIGAP_DEBUG", "SIGAP_HTTPS", "SIGAP_ALLOWED_HOSTS"):
        os.environ.pop(name, None)  # production defaults: DEBUG off, compressed manifest static files
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sigap.settings")
    # Playwright's sync API runs an event loop in this thread; the few ORM calls made meanwhile are sync.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def load_data() -> dict:
    from django.core.management import call_command

    from sigap.demo.data import load_demo
    from sigap.market.models import Listing
    from sigap.regions.services import regions_load

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    regions_load(province_codes=["63", "31"])
    load_demo()
    call_command("collectstatic", verbosity=0, interactive=False)
    return {"seconds": round(time.perf_counter() - started, 1),
            "published_listings": Listing.objects.published().count()}


def synthetic_photo(seed: int, size=(1600, 1200)) -> bytes:
    """A PNG that encodes to JPEG about like a product photo: a gradient, a few shapes, fine noise."""
    import random

    from PIL import Image, ImageChops, ImageDraw, ImageFilter

    rng = random.Random(seed)
    width, height = size
    top, bottom = [tuple(rng.randrange(40, 230) for _ in range(3)) for _ in range(2)]
    gradient = Image.linear_gradient("L").resize(size)
    image = Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), gradient)
    draw = ImageDraw.Draw(image)
    for _ in range(14):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randrange(60, 420)
        draw.ellipse((x - r, y - r // 2, x + r, y + r // 2), fill=tuple(rng.randrange(256) for _ in range(3)))
    for _ in range(40):
        x, y = rng.randrange(width), rng.randrange(height)
        draw.line((x, y, x + rng.randrange(-300, 300), y + rng.randrange(-300, 300)),
                  fill=tuple(rng.randrange(256) for _ in range(3)), width=rng.randrange(2, 12))
    image = image.filter(ImageFilter.GaussianBlur(2))
    noise = Image.effect_noise(size, 18).convert("RGB")
    image = ImageChops.add(image, noise, scale=1.0, offset=-100)  # noise centred on 128 -> about +-20
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def give_photos(listings) -> list[dict]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sigap.accounts.models import User
    from sigap.market.services import listing_save

    admin = User.objects.filter(is_superuser=True).first()
    sizes = []
    for n, listing in enumerate(listings):
        upload = SimpleUploadedFile(f"foto-{n}.png", synthetic_photo(n), content_type="image/png")
        listing = listing_save(by=admin, partner=listing.partner, listing=listing, photo=upload)
        sizes.append({"listing": listing.pk, "photo_bytes": listing.photo.size,
                      "thumbnail_bytes": listing.thumbnail.size})
    return sizes


def add_listings(count: int) -> list:
    """More listings, copies of the demo's, so that the first catalogue page is full."""
    from sigap.accounts.models import User
    from sigap.market.models import Listing
    from sigap.market.services import listing_save

    admin = User.objects.filter(is_superuser=True).first()
    demo = list(Listing.objects.published().order_by("pk"))
    made = []
    for n in range(count):
        model = demo[n % len(demo)]
        made.append(listing_save(
            by=admin, partner=model.partner, product=model.product, title=f"{model.title} (varian {n + 1})",
            description=model.description, price=model.price + 500 * (n + 1), min_order=model.min_order,
            lead_time_days=model.lead_time_days, whatsapp=model.whatsapp, is_published=True))
    return made


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server() -> tuple[str, WSGIServer]:
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application
    from whitenoise import WhiteNoise

    # SIGAP as gunicorn would run it (WhiteNoiseMiddleware serves the collected static files), wrapped in a
    # WhiteNoise for MEDIA_ROOT (autorefresh: photos added after start are found).
    application = WhiteNoise(get_wsgi_application(), autorefresh=True)
    application.add_files(str(settings.MEDIA_ROOT), prefix=settings.MEDIA_URL)
    port = free_port()
    server = make_server("127.0.0.1", port, application, server_class=ThreadingServer, handler_class=QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{port}", server


# --- measuring ------------------------------------------------------------------------------------------------

def kind_of(request, content_type: str) -> str:
    resource = request.resource_type
    if resource == "document":
        return "html"
    if resource == "stylesheet" or content_type.startswith("text/css"):
        return "css"
    if resource == "script" or "javascript" in content_type:
        return "js"
    if resource == "image" or content_type.startswith("image/"):
        return "photo" if "/media/" in request.url else "image"
    if resource == "font":
        return "font"
    return "other"


def describe(request) -> dict:
    response = request.response()
    sizes = request.sizes()
    headers = response.all_headers() if response else {}
    content_type = headers.get("content-type", "")
    try:
        body = response.body() if response else b""
    except Exception:  # a redirect has no body to fetch
        body = b""
    kind = kind_of(request, content_type)
    compressible = kind not in {"photo", "font"} and not content_type.startswith(("image/jpeg", "image/png",
                                                                                    "image/webp"))
    return {
        "url": request.url, "type": kind, "status": response.status if response else None,
        "content_type": content_type.split(";")[0], "content_encoding": headers.get("content-encoding", ""),
        "body_bytes": len(body),
        "transferred_bytes": sizes["responseBodySize"],  # as it crossed the wire (encoded)
        "header_bytes": sizes["responseHeadersSize"],
        "gzip6_bytes": len(gzip.compress(body, GZIP_LEVEL, mtime=0)) if compressible else len(body),
    }


def totals(records: list[dict]) -> dict:
    by_type = defaultdict(lambda: {"requests": 0, "body_bytes": 0, "transferred_bytes": 0, "gzip6_bytes": 0})
    for record in records:
        row = by_type[record["type"]]
        row["requests"] += 1
        for key in ("body_bytes", "transferred_bytes", "gzip6_bytes"):
            row[key] += record[key]
    all_types = {key: sum(row[key] for row in by_type.values())
                 for key in ("requests", "body_bytes", "transferred_bytes", "gzip6_bytes")}
    all_types["header_bytes"] = sum(r["header_bytes"] for r in records)
    return {"by_type": {t: by_type[t] for t in TYPES if t in by_type}, "total": all_types}


def measure(browser, base: str, path: str) -> dict:
    context = browser.new_context(viewport=VIEWPORT, is_mobile=True, has_touch=True, locale="id-ID")
    page = context.new_page()
    finished, failed = [], []
    page.on("requestfinished", lambda request: finished.append(request))
    page.on("requestfailed", lambda r: failed.append((r.url, r.failure)))
    started = time.perf_counter()
    page.goto(f"{base}{path}", wait_until="networkidle")
    load_ms = (time.perf_counter() - started) * 1000
    first = [describe(r) for r in finished]
    on_first_screen = page.evaluate("""() => Array.from(document.images)
        .filter(i => { const r = i.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; })
        .map(i => i.currentSrc)""")
    images = page.evaluate("""() => Array.from(document.images).map(i => ({src: i.currentSrc || i.src,
        loading: i.getAttribute('loading'), complete: i.complete && i.naturalWidth > 0}))""")
    scroll_width = page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
    page_height = page.evaluate("document.documentElement.scrollHeight")

    seen = len(finished)
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_function("() => Array.from(document.images).every(i => i.complete)", timeout=10_000)
    page.wait_for_load_state("networkidle")
    later = [describe(r) for r in finished[seen:]]
    context.close()

    for record in first:
        record["first_screen"] = record["type"] == "photo" and record["url"] in on_first_screen
    first_total = totals(first)
    without_lazy = [r for r in first if r["type"] != "photo"]
    budget = totals(without_lazy)["total"]["gzip6_bytes"]
    js = first_total["by_type"].get("js", {"gzip6_bytes": 0})["gzip6_bytes"]
    lazy_images = [i for i in images if i["loading"] == "lazy"]
    return {
        "path": path,
        "load_ms": round(load_ms),
        "requests_failed": failed,
        "statuses": sorted({r["status"] for r in first + later}),
        "scroll_width": scroll_width, "page_height": page_height,
        "images": len(images), "images_lazy": len(lazy_images),
        "photos_on_first_screen": len(on_first_screen),
        "first_load": first_total,
        "first_screen_photos_gzip6_bytes": sum(r["gzip6_bytes"] for r in first if r.get("first_screen")),
        "below_first_screen_photos_fetched_at_load": sum(
            1 for r in first if r["type"] == "photo" and not r.get("first_screen")),
        "after_scroll": totals(later),
        "budget": {
            "bytes_without_lazy_photos_gzip6": budget, "goal_bytes": GOAL_BYTES, "meets_goal": budget <= GOAL_BYTES,
            "js_gzip6": js, "goal_js_bytes": GOAL_JS_BYTES, "meets_js_goal": js <= GOAL_JS_BYTES,
        },
        "responses": first + [{**r, "after_scroll": True} for r in later],
    }


def kb(n: int | float) -> str:
    return f"{n / 1024:.1f}"


def table(results: dict) -> str:
    lines = ["| page | HTML | CSS | JS | icons | photos at load | total at load | without lazy photos (goal ≤ 100) "
             "| JS goal ≤ 30 | photos on scroll | wire total at load |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, result in results.items():
        by_type = result["first_load"]["by_type"]

        def cell(kind):
            return kb(by_type.get(kind, {}).get("gzip6_bytes", 0))

        budget = result["budget"]
        lines.append(
            f"| {name} | {cell('html')} | {cell('css')} | {cell('js')} | {cell('image')} | {cell('photo')} "
            f"| {kb(result['first_load']['total']['gzip6_bytes'])} "
            f"| {kb(budget['bytes_without_lazy_photos_gzip6'])} {'ok' if budget['meets_goal'] else 'OVER'} "
            f"| {kb(budget['js_gzip6'])} {'ok' if budget['meets_js_goal'] else 'OVER'} "
            f"| {kb(result['after_scroll']['total']['gzip6_bytes'])} "
            f"| {kb(result['first_load']['total']['transferred_bytes'])} |")
    return "\n".join(lines) + "\n\nKB = 1024 bytes, bodies compressed with gzip -6 here (photos as stored); " \
        "'wire' = what Chromium received (WhiteNoise's .br/.gz for static files, HTML uncompressed)."


def versions() -> dict:
    from importlib.metadata import version

    found = {"python": platform.python_version()}
    for package in ("Django", "whitenoise", "playwright", "Pillow"):
        found[package] = version(package)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary SIGAP_VAR_DIR and print its path")
    args = parser.parse_args()

    var_dir = tempfile.mkdtemp(prefix="sigap-page-weight-")
    try:
        setup_django(var_dir)
        data = load_data()
        from playwright.sync_api import sync_playwright

        from sigap.market.models import Listing

        base, server = start_server()
        results, photos = {}, {}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                browser_version = browser.version
                results["catalogue"] = measure(browser, base, "/katalog/")
                demo_listings = list(Listing.objects.published().order_by("pk"))
                photos["demo"] = give_photos(demo_listings)
                results["catalogue_with_photos"] = measure(browser, base, "/katalog/")
                results["product_page_with_photo"] = measure(browser, base, demo_listings[0].get_absolute_url())
                photos["extra"] = give_photos(add_listings(8))
                results["catalogue_full_page"] = measure(browser, base, "/katalog/")
                results["login"] = measure(browser, base, "/accounts/login/")
            finally:
                browser.close()
        server.shutdown()

        print(table(results))
        for name, result in results.items():
            outside = [r["url"] for r in result["responses"] if not r["url"].startswith(base)]
            if outside or result["requests_failed"]:
                print(f"{name}: requests outside {base}: {outside}; failed: {result['requests_failed']}")
        OUT.parent.mkdir(parents=True, exist_ok=True)
        OUT.write_text(json.dumps({
            "goal": {"bytes_without_lazy_photos": GOAL_BYTES, "js_bytes": GOAL_JS_BYTES,
                     "compression": f"gzip level {GZIP_LEVEL} of each text body, computed by this script; "
                                    "JPEG photos counted as stored"},
            "viewport": VIEWPORT, "chromium": browser_version, "versions": versions(), "data": data,
            "photos": photos, "results": results,
        }, indent=2, default=str))
        print(f"Wrote {OUT.relative_to(ROOT)}")
    finally:
        if args.keep:
            print(f"Kept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
