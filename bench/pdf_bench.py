"""How long SIGAP takes to render a training's PDFs: the goal is under a second for each.

Standalone, not a test: ``.venv/bin/python bench/pdf_bench.py [--warm N]``.

It sets Django up on a throw-away SQLite database in a temporary SIGAP_VAR_DIR, migrates it, loads the regions of
South Kalimantan (63) (and of Jakarta, 31,
which the demo needs) and the demo, and then renders, for the HSU mask training of the demo, the certificate of
each of its enrolments and the training report, as the views do (the context from sigap.trainings.reports, the
PDF from sigap.lib.pdf.render_pdf, in Indonesian):

- cold: the first render in a fresh Python process in which Django is set up and WeasyPrint imported (as in a
  gunicorn worker that has not rendered anything yet); the median of --cold-runs such processes per document.
  That first render also builds Django's template engine, which imports every template tag library (among them
  sigap.people's personal_data, which imports lokal). "Cold, templates loaded" builds the engine before the clock
  starts, as in a worker that has served an HTML page but no PDF yet;
- warm: the median (and min, max) of N renders in one process after one unmeasured render.

Prints a markdown table and writes bench/out/pdf.json.
"""

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "pdf.json"
GOAL_MS = 1000.0


def setup_django(var_dir: str) -> None:
    os.environ["SIGAP_VAR_DIR"] = var_dir
    os.environ.pop("DATABASE_URL", None)  # the temporary SQLite database, never a configured one
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sigap.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)  # the PDFs as an Indonesian request gets them
    import sigap.lib.pdf  # noqa: F401  (imports WeasyPrint, as the URLconf does in a server process)


def load_data() -> None:
    from django.core.management import call_command

    from sigap.demo.data import load_demo
    from sigap.regions.services import regions_load

    call_command("migrate", verbosity=0, interactive=False)
    # South Kalimantan (63), and DKI Jakarta (31) for the one demo office there (Ditjen IKMA, region "31"):
    # with 63 alone load_demo stops at its commit on "FOREIGN KEY constraint failed".
    regions_load(province_codes=["63", "31"])
    load_demo()


def documents() -> list[dict]:
    """The HSU mask training's certificates (one per enrolment) and its report."""
    from sigap.demo.trainings import mask_training

    training = mask_training()
    docs = [{"kind": "certificate", "training": training.pk, "enrolment": e.pk, "name": e.person.name}
            for e in training.enrolments.select_related("person").order_by("pk")]
    docs.append({"kind": "report", "training": training.pk, "enrolment": None, "name": training.title})
    return docs


def render(doc: dict) -> tuple[bytes, dict]:
    """One document as its view makes it; returns the PDF and the wall-clock ms spent on the context, on
    render_pdf and on both, and the CPU ms of both (less sensitive to other processes on a busy machine)."""
    from sigap.lib.pdf import render_pdf
    from sigap.trainings.models import Enrolment, Training
    from sigap.trainings.reports import certificate_context, report_context

    training = Training.objects.select_related("office", "product").get(pk=doc["training"])
    start, cpu_start = time.perf_counter(), time.process_time()
    if doc["kind"] == "certificate":
        enrolment = Enrolment.objects.filter(training=training).select_related("person").get(pk=doc["enrolment"])
        context, template = certificate_context(enrolment), "trainings/certificate.pdf.html"
    else:
        context, template = report_context(training), "trainings/report.pdf.html"
    built = time.perf_counter()
    pdf = render_pdf(template, context)
    done, cpu_done = time.perf_counter(), time.process_time()
    timing = {"context_ms": (built - start) * 1000, "render_ms": (done - built) * 1000,
              "total_ms": (done - start) * 1000, "cpu_ms": (cpu_done - cpu_start) * 1000}
    if doc["kind"] == "certificate":
        timing["eligible"] = context["eligible"]
    return pdf, timing


def pages(pdf: bytes) -> int | None:
    try:
        from io import BytesIO

        from pypdf import PdfReader
    except ImportError:
        return None
    return len(PdfReader(BytesIO(pdf)).pages)


def cold(var_dir: str, doc: dict, runs: int, *, templates_loaded: bool = False) -> dict:
    """The document's first render in fresh processes, on the same database: the median run, and every run."""
    samples = []
    for _ in range(runs):
        result = subprocess.run(
            [sys.executable, __file__, "--cold-child", json.dumps(doc), "--var-dir", var_dir]
            + (["--templates-loaded"] if templates_loaded else []),
            capture_output=True, text=True, check=True, cwd=ROOT,
        )
        samples.append(json.loads(result.stdout.strip().splitlines()[-1]))
    samples.sort(key=lambda s: s["total_ms"])
    return {**samples[len(samples) // 2], "runs": samples}


def cold_child(var_dir: str, doc: dict, templates_loaded: bool) -> None:
    setup_django(var_dir)
    if templates_loaded:
        from django.template import engines

        engines.all()
    pdf, timing = render(doc)
    print(json.dumps({**timing, "bytes": len(pdf)}))


def warm(doc: dict, runs: int) -> dict:
    pdf, _timing = render(doc)  # not measured: the template, fonts and styles of this document are loaded
    timings, sizes = [], set()
    for _ in range(runs):
        pdf, timing = render(doc)
        timings.append(timing)
        sizes.add(len(pdf))
    totals = [t["total_ms"] for t in timings]
    extra = {"eligible": timings[-1]["eligible"]} if "eligible" in timings[-1] else {}
    return {
        "median_ms": statistics.median(totals), "min_ms": min(totals), "max_ms": max(totals),
        "context_median_ms": statistics.median(t["context_ms"] for t in timings),
        "render_median_ms": statistics.median(t["render_ms"] for t in timings),
        "cpu_median_ms": statistics.median(t["cpu_ms"] for t in timings),
        "samples_ms": [round(t, 2) for t in totals], "bytes": len(pdf), "sizes_seen": sorted(sizes),
        "pages": pages(pdf), "starts_with_pdf": pdf.startswith(b"%PDF-"), **extra,
    }


def versions() -> dict:
    from importlib.metadata import version

    found = {"python": platform.python_version()}
    for package in ("Django", "weasyprint", "pydyf", "tinycss2", "fonttools"):
        try:
            found[package] = version(package)
        except Exception:  # noqa: BLE001 - informative only
            found[package] = None
    return found


def table(rows: list[dict]) -> str:
    lines = ["| Document | Cold ms (min–max) | Cold, templates loaded, ms (min–max) | Warm median ms (min–max) "
             "| CPU ms cold / loaded / warm | Size KB | Pages | < 1 s cold / warm |",
             "|---|---:|---:|---:|---:|---:|---:|:-:|"]
    for row in rows:
        cold_row, loaded, warm_row = row["cold"], row["cold_templates_loaded"], row["warm"]

        def spread(c):
            return f"{c['total_ms']:.0f} ({c['runs'][0]['total_ms']:.0f}–{c['runs'][-1]['total_ms']:.0f})"

        verdict = " / ".join("yes" if ms < GOAL_MS else "**no**"
                             for ms in (cold_row["total_ms"], warm_row["median_ms"]))
        lines.append(
            f"| {row['label']} | {spread(cold_row)} | {spread(loaded)} "
            f"| {warm_row['median_ms']:.0f} ({warm_row['min_ms']:.0f}–{warm_row['max_ms']:.0f}) "
            f"| {cold_row['cpu_ms']:.0f} / {loaded['cpu_ms']:.0f} / {warm_row['cpu_median_ms']:.0f} "
            f"| {warm_row['bytes'] / 1024:.1f} | {warm_row['pages'] if warm_row['pages'] is not None else '?'} "
            f"| {verdict} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warm", type=int, default=20, help="warm renders per document (default 20)")
    parser.add_argument("--cold-runs", type=int, default=3, help="fresh processes per document (default 3)")
    parser.add_argument("--cold-child", help=argparse.SUPPRESS)
    parser.add_argument("--var-dir", help=argparse.SUPPRESS)
    parser.add_argument("--templates-loaded", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cold_child:
        cold_child(args.var_dir, json.loads(args.cold_child), args.templates_loaded)
        return 0

    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="sigap-pdf-bench-") as var_dir:
        started = time.perf_counter()
        setup_django(var_dir)
        load_data()
        setup_s = time.perf_counter() - started
        docs = documents()
        rows = []
        for doc in docs:
            label = (f"Certificate · {doc['name']}" if doc["kind"] == "certificate"
                     else "Training report")
            rows.append({"label": label, **doc, "cold": cold(var_dir, doc, args.cold_runs),
                         "cold_templates_loaded": cold(var_dir, doc, args.cold_runs, templates_loaded=True),
                         "warm": warm(doc, args.warm)})
            print(f"  {label}: cold {rows[-1]['cold']['total_ms']:.0f} ms, warm {rows[-1]['warm']['median_ms']:.0f} ms",
                  file=sys.stderr)

    load_after = os.getloadavg()
    all_under = all(r["cold"]["total_ms"] < GOAL_MS and r["warm"]["median_ms"] < GOAL_MS for r in rows)
    print(f"PDFs of the HSU mask training (demo data, SQLite, Indonesian); cold = median of {args.cold_runs} fresh "
          f"processes, warm = median of {args.warm}.\n")
    print(table(rows))
    print(f"\nGoal: each PDF under {GOAL_MS:.0f} ms — {'met' if all_under else 'NOT met'}. "
          f"(Set-up: migrate, regions and demo in {setup_s:.1f} s; load average {load_before[0]:.2f} before, "
          f"{load_after[0]:.2f} after, on {os.cpu_count()} CPUs.)")

    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({
        "benchmark": "trainings PDFs (certificate per enrolment, training report) of the demo HSU mask training",
        "measured_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "goal_ms": GOAL_MS, "goal_met": all_under, "warm_runs": args.warm, "cold_runs": args.cold_runs,
        "load_average_before": load_before, "load_average_after": load_after, "setup_s": round(setup_s, 2),
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count(), **versions()},
        "cold_means": "first render in a fresh process (Django set up, WeasyPrint imported); median process",
        "cold_templates_loaded_means": "the same, with Django's template engine built before the clock starts",
        "warm_means": "renders in one process after one unmeasured render of the same document",
        "documents": rows,
    }, indent=2, ensure_ascii=False) + "\n")
    print(f"Wrote {OUT.relative_to(ROOT)}")
    return 0 if all_under else 1


if __name__ == "__main__":
    sys.exit(main())
