"""How long SIGAP takes to render a handover certificate (BAST) and how big it is: the goal is at most 150 ms
warm and at most 100 KB.

Standalone, not a test: ``.venv/bin/python bench/bast_bench.py [--warm N] [--profile-runs N]``.

It sets Django up on a throw-away SQLite database in a temporary SIGAP_VAR_DIR, migrates it, loads the regions of
South Kalimantan (63) and of Jakarta (31, which the demo needs) and the demo, and then renders the certificate of
the demo handover of Disnakerind Tala to GTPP Covid-19 Tala (50 hazmat suits, 15 June 2020) with
``sigap.handovers.certificate.certificate_pdf``, as the view does, in Indonesian:

- cold: the first render in a fresh Python process in which Django is set up and WeasyPrint imported (as in a
  gunicorn worker that has not rendered anything yet);
- warm: the median (and min, max) of N renders in one process after one unmeasured render;
- where the time goes: cProfile over warm renders, grouped into stages (context and QR code, Django template,
  HTML parsing, styles, layout, drawing, fonts, PDF writing), plus the top functions;
- variants (measured here only, SIGAP's code is unchanged): the QR code as PNG instead of SVG, no QR code, one
  FontConfiguration shared between renders, ``table-layout: fixed``, combinations, and the floor (a
  one-paragraph PDF), to see what each costs;
  they run round robin and report process CPU time too, which hardly depends on the machine's other load;
- where the bytes go: the PDF's streams by kind (embedded fonts, images, page content).

Prints a summary and writes bench/out/bast.json.
"""

import argparse
import cProfile
import datetime
import io
import json
import os
import platform
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from unittest import mock
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "bast.json"
GOAL_MS = 150.0
GOAL_KB = 100.0
VERIFY_BASE = "https://sigap.example"


def setup_django(var_dir: str) -> None:
    os.environ["SIGAP_VAR_DIR"] = var_dir
    os.environ.pop("DATABASE_URL", None)  # the temporary SQLite database, never a configured one
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sigap.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)  # as an Indonesian request gets it
    import sigap.lib.pdf  # noqa: F401  (imports WeasyPrint, as the URLconf does in a server process)


def load_data() -> None:
    from django.core.management import call_command

    from sigap.demo.data import load_demo
    from sigap.regions.services import regions_load

    call_command("migrate", verbosity=0, interactive=False)
    regions_load(province_codes=["63", "31"])  # 31: the demo's ministry office is in Jakarta
    load_demo()


def handover_pk() -> int:
    from sigap.handovers.models import Handover

    return Handover.objects.get(office__code="DISNAKERIND-TALA", receiver__code="GTPP-COVID19-TALA").pk


def fetch(pk: int):
    from sigap.handovers.models import Handover

    return Handover.objects.select_related("office", "receiver").get(pk=pk)  # as the view fetches it


def render(pk: int) -> tuple[bytes, float, float]:
    """The certificate as the view makes it: fetch, then certificate_pdf. Returns the PDF, the wall-clock ms and
    the process CPU ms taken (the CPU time hardly depends on what else the machine is doing)."""
    from sigap.handovers.certificate import certificate_pdf

    start, start_cpu = time.perf_counter(), time.process_time()
    handover = fetch(pk)
    pdf = certificate_pdf(handover, verify_url=VERIFY_BASE + handover.get_verification_url())
    return pdf, (time.perf_counter() - start) * 1000, (time.process_time() - start_cpu) * 1000


def cold(var_dir: str, pk: int) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--cold-child", str(pk), "--var-dir", var_dir],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def cold_child(var_dir: str, pk: int) -> None:
    setup_django(var_dir)
    pdf, ms, cpu_ms = render(pk)
    _pdf, second_ms, second_cpu_ms = render(pk)
    print(json.dumps({"total_ms": ms, "cpu_ms": cpu_ms, "second_render_ms": second_ms,
                      "second_render_cpu_ms": second_cpu_ms, "bytes": len(pdf)}))


def summary(samples: list[float]) -> dict:
    return {"median_ms": statistics.median(samples), "min_ms": min(samples), "max_ms": max(samples),
            "samples_ms": [round(s, 2) for s in samples]}


def warm(pk: int, runs: int) -> dict:
    render(pk)  # not measured
    samples, cpu_samples, sizes = [], [], set()
    for _ in range(runs):
        pdf, ms, cpu_ms = render(pk)
        samples.append(ms)
        cpu_samples.append(cpu_ms)
        sizes.add(len(pdf))
    return {**summary(samples), "cpu_median_ms": statistics.median(cpu_samples), "cpu_min_ms": min(cpu_samples),
            "bytes": len(pdf), "kb": len(pdf) / 1024, "sizes_seen": sorted(sizes),
            "pages": pages(pdf), "starts_with_pdf": pdf.startswith(b"%PDF-"), "pdf": pdf}


def pages(pdf: bytes) -> int | None:
    try:
        from pypdf import PdfReader
    except ImportError:
        return None
    return len(PdfReader(io.BytesIO(pdf)).pages)


# Where the time goes

# (label, path fragment of the file, function name): cumulative time of these entry points. The stages of one
# render nest as: certificate_context (which makes the QR code) -> render_to_string -> HTML() parsing ->
# Document._render (styles, boxes, layout; the QR SVG is parsed and sized here) -> write_pdf (drawing, fonts,
# PDF serialisation).
STAGES = [
    ("database (fetch handover + lines)", "django/db/models/sql/compiler.py", "execute_sql"),
    ("context: certificate_context", "sigap/handovers/certificate.py", "certificate_context"),
    ("  of which the QR code (segno)", "sigap/handovers/certificate.py", "qr_data_uri"),
    ("  of which amount/date in words (lokal)", "lokal/", "terbilang"),
    ("Django template render_to_string", "django/template/loader.py", "render_to_string"),
    ("WeasyPrint: HTML()/CSS() parse", "weasyprint/__init__.py", "__init__"),
    ("WeasyPrint: HTML.render (styles + layout)", "weasyprint/__init__.py", "render"),
    ("  styles: get_all_computed_styles", "weasyprint/css/__init__.py", "get_all_computed_styles"),
    ("  of which user-agent/page CSS parse", "weasyprint/css/__init__.py", "preprocess_stylesheet"),
    ("  boxes: build_formatting_structure", "weasyprint/formatting_structure/build.py",
     "build_formatting_structure"),
    ("  layout: layout_document", "weasyprint/layout/__init__.py", "layout_document"),
    ("  fonts: FontConfiguration()", "weasyprint/text/fonts.py", "__init__"),
    ("  fonts: all of weasyprint/text/fonts.py", "weasyprint/text/fonts.py", None),
    ("  text shaping: split_first_line (Pango)", "weasyprint/text/line_break.py", "split_first_line"),
    ("  images: get_image_from_uri", "weasyprint/images.py", "get_image_from_uri"),
    ("WeasyPrint: write_pdf", "weasyprint/document.py", "write_pdf"),
    ("  drawing: draw_page / stacking", "weasyprint/draw/__init__.py", "draw_page"),
    ("  fonts: build_fonts_dictionary (subsetting)", "weasyprint/pdf/fonts.py", "build_fonts_dictionary"),
    ("  PDF serialisation (pydyf write)", "pydyf/__init__.py", "write"),
    ("QR SVG inside WeasyPrint (weasyprint/svg: parse in layout + draw)", "weasyprint/svg/", None),
]


def profile(pk: int, runs: int) -> dict:
    render(pk)  # not profiled
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        render(pk)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = sum(row[2] for row in stats.stats.values())  # tottime summed: all time in the profile
    stages = []
    for label, path, name in STAGES:
        cumulative, calls = 0.0, 0

        def matches(key, path=path, name=name):
            return path in key[0].replace("\\", "/") and (name is None or key[2] == name)

        for key, (_cc, _ncalls, _tt, _ct, callers) in stats.stats.items():
            if not matches(key):
                continue
            # only calls from outside the stage (not recursion, not one stage function calling another)
            for caller, (_c_cc, c_nc, _c_tt, c_ct) in callers.items():
                if not matches(caller):
                    cumulative += c_ct
                    calls += c_nc
        stages.append({"stage": label, "ms_per_render": round(cumulative * 1000 / runs, 2),
                       "share_of_profiled": round(cumulative / total, 3) if total else None,
                       "calls_per_render": round(calls / runs, 1)})
    by_module = defaultdict(float)
    for (filename, _line, _function), (_cc, _nc, tt, _ct, _callers) in stats.stats.items():
        by_module[_module_group(filename)] += tt
    top = io.StringIO()
    pstats.Stats(profiler, stream=top).sort_stats("tottime").print_stats(20)
    top_cum = io.StringIO()
    pstats.Stats(profiler, stream=top_cum).sort_stats("cumulative").print_stats(30)
    return {
        "runs": runs, "profiled_ms_per_render": round(total * 1000 / runs, 2),
        "note": "cProfile slows Python code down, C code (Pango, HarfBuzz, zlib) much less: compare shares, not "
                "absolute times, with the unprofiled figures",
        "stages": stages,
        "self_time_by_package_ms_per_render": {k: round(v * 1000 / runs, 2)
                                               for k, v in sorted(by_module.items(), key=lambda kv: -kv[1])[:15]},
        "top_tottime": _trim(top.getvalue()), "top_cumulative": _trim(top_cum.getvalue()),
    }


def _module_group(filename: str) -> str:
    path = filename.replace("\\", "/")
    if path.startswith("~") or path.startswith("<"):
        return "builtins/C (incl. cffi calls into Pango/HarfBuzz, zlib)"
    for marker in ("site-packages/", "lib/python3"):
        if marker in path:
            rest = path.split(marker, 1)[1].lstrip("/")
            if marker == "lib/python3":
                return "stdlib:" + rest.split("/", 2)[1] if "/" in rest else "stdlib"
            parts = rest.split("/")
            if parts[0] in {"weasyprint", "django"} and len(parts) > 1:
                return f"{parts[0]}/{parts[1].removesuffix('.py')}"
            return parts[0].removesuffix(".py")
    if "/sigap/" in path:
        return "sigap"
    return path.rsplit("/", 1)[-1]


def _trim(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines() if line.strip()][:45]


# Variants: what the QR code and the fonts cost


def variants(pk: int, runs: int) -> list[dict]:
    import segno
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from django.template.loader import render_to_string

    from sigap.handovers.certificate import certificate_context
    from sigap.lib.pdf import BASE_URL, SigapURLFetcher, render_pdf

    blank_png = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
                 "60e6kgAAAABJRU5ErkJggg==")
    shared_fonts = FontConfiguration()

    png_cache = {}

    def png_qr(url):
        return segno.make(url, error="m").png_data_uri(scale=3, border=1)

    def cached_png_qr(url):
        if url not in png_cache:
            png_cache[url] = png_qr(url)
        return png_cache[url]

    def context_for(handover, qr):
        """The view's context, the QR code made as asked (patched in, so that no SVG is made and thrown away)."""
        makers = {"svg": None, "png": png_qr, "cached png": cached_png_qr, "none": lambda url: blank_png}
        url = VERIFY_BASE + handover.get_verification_url()
        if makers[qr] is None:
            return certificate_context(handover, verify_url=url)
        with mock.patch("sigap.handovers.certificate.qr_data_uri", makers[qr]):
            return certificate_context(handover, verify_url=url)

    def as_is():
        return render_pdf("handovers/bast.pdf.html", context_for(fetch(pk), "svg"))

    def qr_png():
        return render_pdf("handovers/bast.pdf.html", context_for(fetch(pk), "png"))

    def no_qr():
        return render_pdf("handovers/bast.pdf.html", context_for(fetch(pk), "none"))

    def with_shared_fonts(qr):
        html = render_to_string("handovers/bast.pdf.html", context_for(fetch(pk), qr))
        return HTML(string=html, base_url=BASE_URL, url_fetcher=SigapURLFetcher()).write_pdf(
            font_config=shared_fonts)

    fixed_tables = CSS(string="table { table-layout: fixed; } @page { font-family: 'DejaVu Sans', sans-serif; }")

    def fixed_table_layout(qr="svg", font_config=None):
        """Tables laid out by their first row instead of measuring every cell's min/max content width (the
        columns then need explicit widths to look the same), and the page counter in the body's font."""
        html = render_to_string("handovers/bast.pdf.html", context_for(fetch(pk), qr))
        return HTML(string=html, base_url=BASE_URL, url_fetcher=SigapURLFetcher()).write_pdf(
            stylesheets=[fixed_tables], font_config=font_config)

    def floor():
        """WeasyPrint's fixed cost: one short paragraph in the same PDF base template and fonts."""
        html = ('<!doctype html><html lang="id"><head><meta charset="utf-8"><style>body { font-family: '
                '"DejaVu Sans", sans-serif; font-size: 10pt; }</style></head><body><p>Berita acara serah terima '
                '<strong>barang</strong></p></body></html>')
        return HTML(string=html, base_url=BASE_URL, url_fetcher=SigapURLFetcher()).write_pdf()

    def qr_only():
        handover = fetch(pk)
        return segno.make(VERIFY_BASE + handover.get_verification_url(), error="m").svg_data_uri(
            scale=3, border=1).encode()

    calls = [("as is (QR as SVG data URI)", as_is), ("QR as PNG data URI", qr_png),
             ("no QR (1x1 PNG in its place)", no_qr),
             ("one FontConfiguration shared by all renders", lambda: with_shared_fonts("svg")),
             ("shared FontConfiguration + QR PNG cached per URL", lambda: with_shared_fonts("cached png")),
             ("table-layout: fixed, page counter in DejaVu Sans", fixed_table_layout),
             ("all three: shared fonts, cached PNG QR, fixed tables",
              lambda: fixed_table_layout("cached png", shared_fonts)),
             ("QR SVG data URI alone (segno), no PDF", qr_only),
             ("floor: a one-paragraph PDF, same fonts (WeasyPrint's fixed cost)", floor)]
    samples, cpu, sizes = defaultdict(list), defaultdict(list), {}
    for _label, call in calls:
        call()  # not measured
    for _ in range(runs):  # round robin, so that a change in the machine's load touches every variant alike
        for label, call in calls:
            start, start_cpu = time.perf_counter(), time.process_time()
            sizes[label] = len(call())
            samples[label].append((time.perf_counter() - start) * 1000)
            cpu[label].append((time.process_time() - start_cpu) * 1000)
    base = statistics.median(cpu[calls[0][0]])
    return [{"variant": label, "median_ms": round(statistics.median(samples[label]), 2),
             "cpu_saved_vs_as_is_ms": round(base - statistics.median(cpu[label]), 2),
             "min_ms": round(min(samples[label]), 2), "cpu_median_ms": round(statistics.median(cpu[label]), 2),
             "bytes": sizes[label], "kb": round(sizes[label] / 1024, 1)}
            for label, _call in calls]


# Where the bytes go


def size_breakdown(pdf: bytes) -> dict:
    try:
        from pypdf import PdfReader
        from pypdf.generic import StreamObject
    except ImportError:
        return {"error": "pypdf is not installed"}
    reader = PdfReader(io.BytesIO(pdf))

    def objects():
        """Every object by number (those inside object streams are not listed in reader.xref)."""
        for number in range(1, int(reader.trailer["/Size"])):
            try:
                obj = reader.get_object(number)
            except Exception:  # noqa: BLE001 - free or missing entries
                continue
            if obj is not None:
                yield number, obj

    fonts, font_file_owner = [], {}
    for _number, obj in objects():
        if isinstance(obj, dict) and obj.get("/Type") == "/FontDescriptor":
            for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                if key in obj:
                    font_file_owner[obj.raw_get(key).idnum] = str(obj.get("/FontName"))
        if isinstance(obj, dict) and obj.get("/Type") == "/Font" and "/BaseFont" in obj:
            fonts.append({"name": str(obj["/BaseFont"]), "subtype": str(obj.get("/Subtype"))})
    page_contents = set()
    for page in reader.pages:
        contents = page.raw_get("/Contents") if "/Contents" in page else None
        for ref in contents if isinstance(contents, list) else [contents]:
            if hasattr(ref, "idnum"):
                page_contents.add(ref.idnum)

    kinds = defaultdict(lambda: {"streams": 0, "bytes": 0})
    font_files = []
    for number, obj in objects():
        if not isinstance(obj, StreamObject):
            continue
        raw = len(obj._data or b"")  # as stored, i.e. compressed
        if number in font_file_owner:
            kind = "embedded font programs (subsets)"
            font_files.append({"font": font_file_owner[number], "bytes": raw})
        elif obj.get("/Subtype") == "/Image":
            kind = "images"
        elif obj.get("/Subtype") == "/Form":
            kind = "form XObjects"
        elif number in page_contents:
            kind = "page content streams"
        elif obj.get("/Type") in ("/XRef", "/ObjStm"):
            kind = "cross-reference / object streams"
        elif obj.get("/Type") == "/Metadata":
            kind = "metadata"
        elif b"begincmap" in obj.get_data()[:400]:
            kind = "ToUnicode CMaps"
        else:
            kind = "other streams"
        kinds[kind]["streams"] += 1
        kinds[kind]["bytes"] += raw
    accounted = sum(k["bytes"] for k in kinds.values())
    kinds["non-stream objects, xref, header"] = {"streams": 0, "bytes": len(pdf) - accounted}
    return {"total_bytes": len(pdf), "by_kind": dict(sorted(kinds.items(), key=lambda kv: -kv[1]["bytes"])),
            "fonts": fonts, "font_files": font_files}


def versions() -> dict:
    from importlib.metadata import version

    found = {"python": platform.python_version()}
    for package in ("Django", "weasyprint", "pydyf", "tinycss2", "fonttools", "segno", "pypdf"):
        try:
            found[package] = version(package)
        except Exception:  # noqa: BLE001 - informative only
            found[package] = None
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warm", type=int, default=30, help="warm renders (default 30)")
    parser.add_argument("--profile-runs", type=int, default=10, help="renders under cProfile (default 10)")
    parser.add_argument("--variant-runs", type=int, default=15, help="renders per variant (default 15)")
    parser.add_argument("--cold-child", help=argparse.SUPPRESS)
    parser.add_argument("--var-dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cold_child:
        cold_child(args.var_dir, int(args.cold_child))
        return 0

    with tempfile.TemporaryDirectory(prefix="sigap-bast-bench-") as var_dir:
        started = time.perf_counter()
        setup_django(var_dir)
        load_data()
        setup_s = time.perf_counter() - started
        pk = handover_pk()
        handover = fetch(pk)
        print(f"Certificate {handover.number}: {handover.office} -> {handover.receiver}", file=sys.stderr)
        cold_result = cold(var_dir, pk)
        print(f"  cold {cold_result['total_ms']:.0f} ms", file=sys.stderr)
        warm_result = warm(pk, args.warm)
        pdf = warm_result.pop("pdf")
        print(f"  warm median {warm_result['median_ms']:.0f} ms, {warm_result['kb']:.1f} KB", file=sys.stderr)
        profile_result = profile(pk, args.profile_runs)
        variant_results = variants(pk, args.variant_runs)
        sizes = size_breakdown(pdf)

    warm_ok, size_ok = warm_result["median_ms"] <= GOAL_MS, warm_result["kb"] <= GOAL_KB
    print(f"\nBAST {handover.number} (demo data, SQLite, Indonesian); warm = median of {args.warm}.\n")
    print("| Measure | Value | Goal |\n|---|---:|---|")
    print(f"| Cold (fresh process, first render) | {cold_result['total_ms']:.0f} ms "
          f"(CPU {cold_result['cpu_ms']:.0f} ms) | — |")
    print(f"| Warm median (min–max) | {warm_result['median_ms']:.0f} ms "
          f"({warm_result['min_ms']:.0f}–{warm_result['max_ms']:.0f}) | ≤ {GOAL_MS:.0f} ms: "
          f"{'met' if warm_ok else '**not met**'} |")
    print(f"| Warm CPU time median (min) | {warm_result['cpu_median_ms']:.0f} ms ({warm_result['cpu_min_ms']:.0f}) "
          f"| ≤ {GOAL_MS:.0f} ms: {'met' if warm_result['cpu_median_ms'] <= GOAL_MS else '**not met**'} |")
    print(f"| Size | {warm_result['kb']:.1f} KB ({warm_result['pages']} page) | ≤ {GOAL_KB:.0f} KB: "
          f"{'met' if size_ok else '**not met**'} |")
    print("\nWhere the time goes (cProfile, ms per render; nested stages are indented):")
    for stage in profile_result["stages"]:
        print(f"  {stage['stage']:<56} {stage['ms_per_render']:>7.1f}")
    print("\nVariants:")
    for variant in variant_results:
        print(f"  {variant['variant']:<50} {variant['median_ms']:>7.1f} ms (CPU {variant['cpu_median_ms']:>6.1f})"
              f" {variant['kb']:>6.1f} KB")
    print("\nWhere the bytes go:")
    for kind, row in sizes.get("by_kind", {}).items():
        print(f"  {kind:<50} {row['bytes'] / 1024:>6.1f} KB ({row['streams']} streams)")

    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({
        "benchmark": "BAST certificate PDF of the demo handover Disnakerind Tala -> GTPP Covid-19 Tala",
        "number": handover.number,
        "measured_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "goal": {"warm_ms": GOAL_MS, "kb": GOAL_KB, "warm_met": warm_ok, "size_met": size_ok},
        "warm_runs": args.warm, "setup_s": round(setup_s, 2),
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count(),
                    "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None, **versions()},
        "cold_means": "first render in a fresh process (Django set up, WeasyPrint imported)",
        "warm_means": "renders in one process after one unmeasured render (fetch + certificate_pdf)",
        "cold": cold_result, "warm": warm_result, "profile": profile_result, "variants": variant_results,
        "size": sizes,
    }, indent=2, ensure_ascii=False) + "\n")
    print(f"\nWrote {OUT.relative_to(ROOT)}")
    return 0 if warm_ok and size_ok else 1


if __name__ == "__main__":
    sys.exit(main())
