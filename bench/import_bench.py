#!/usr/bin/env python
"""Excel import benchmark: how long a 100,000-row production report file takes to import, and the memory it
takes. The goal is at most 30 s.

    .venv/bin/python bench/import_bench.py [--rows 100000] [--producers 200]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/import_bench.py

With no DATABASE_URL it runs on a fresh SQLite file in a temporary directory (SIGAP_VAR_DIR), with the settings
SIGAP uses in production (WAL, synchronous=NORMAL, IMMEDIATE transactions). With a PostgreSQL DATABASE_URL it
connects to that server only to create its own database (``sigap_import_bench``, or --database), runs there and
drops it afterwards; the database named in the URL is not touched.

The run migrates, loads the regions of South Kalimantan (63), and creates the Tala office, an officer,
``--producers`` partners and as many participants, and four products. It downloads the production template as
an Indonesian officer gets it and fills its first sheet with ``--rows`` rows (alternately a partner's NIB and a
participant's NIK, dates over six months; every tenth row has its own batch code, the others are numbered
automatically), saved as .xlsx. Then, as the import page does (``read_rows`` + ``production_import``):

1. the file with one bad row at the very end: every row is checked and the import refused, nothing written;
2. the file itself: every row is checked and written.

Each is timed (wall clock and this process's CPU) with the peak resident memory of the process after it
(``ru_maxrss``; Django and the ORM included) and the peak of Python's own allocations during it (tracemalloc,
in a separate run of the import with --tracemalloc, since it slows Python down).

Prints a markdown summary and appends the run to bench/out/import-<vendor>.json (bench/out is git-ignored).
"""

import argparse
import datetime
import io
import os
import platform
import resource
import sys
import time
from pathlib import Path

from benchlib import append_run, cleanup, git_revision, prepare_environment, server_version

ROOT = Path(__file__).resolve().parent.parent
GOAL_SECONDS = 30.0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows in the file (default 100000)")
    parser.add_argument("--producers", type=int, default=200,
                        help="partners, and as many participants, the rows name (default 200)")
    parser.add_argument("--tracemalloc", action="store_true",
                        help="also import once more under tracemalloc for the peak of Python's allocations")
    parser.add_argument("--database", default="sigap_import_bench", help="PostgreSQL database to create and drop")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database / SQLite file")
    return parser.parse_args()


# The database the benchmark owns --------------------------------------------------------------------------

# The world and the file -----------------------------------------------------------------------------------

def build_world(producers: int) -> dict:
    from sigap.accounts.models import Role, User
    from sigap.items.models import Item
    from sigap.organisations.models import Kind, Organisation
    from sigap.partners.models import Partner
    from sigap.people.models import Person
    from sigap.regions.models import Region

    office = Organisation.objects.create(name="Disnakerind Kabupaten Tanah Laut", short_name="Disnakerind Tala",
                                         code="DISNAKERIND-TALA", kind=Kind.DISTRICT_INDUSTRY_OFFICE, region_id="63.01")
    villages = list(Region.objects.villages().within("63.01").values_list("code", flat=True)[:50])
    Partner.objects.bulk_create([
        Partner(name=f"Konveksi Bench {n}", nib=f"91200{n:08d}", owner_name="Bench", address="Jl. A. Yani",
                region_id=villages[n % len(villages)], sector="garment", assisting_office=office,
                joined_on=datetime.date(2019, 1, 1))
        for n in range(producers)])
    Person.objects.bulk_create([
        Person(name=f"Peserta Bench {n}", nik=f"630103{n:010d}", sex="P", birth_date=datetime.date(2000, 1, 1),
               address="Jl. Demo", region_id=villages[n % len(villages)])
        for n in range(producers)])
    products = ["masker-kain-3-lapis", "baju-hazmat", "face-shield", "minuman-herbal"]
    for code in products:
        Item.objects.create(code=code, name=code.replace("-", " ").capitalize(), kind="product", unit="pcs")
    officer = User.objects.create_user(username="bench_officer", password="sandi-rahasia-1",
                                       role=Role.DISTRICT_OFFICER, organisation=office)
    return {"officer": officer, "products": products, "producers": producers}


def template_header() -> list[str]:
    """The first row of the production template, as an Indonesian officer downloads it."""
    from openpyxl import load_workbook

    from sigap.lib.spreadsheet import template_workbook
    from sigap.production.forms import PRODUCTION_IMPORT_COLUMNS

    workbook = load_workbook(io.BytesIO(template_workbook(PRODUCTION_IMPORT_COLUMNS)))
    return [cell.value for cell in workbook.worksheets[0][1]]


def write_file(path: Path, header: list[str], world: dict, rows: int, *, bad_last_row: bool = False) -> None:
    """The template's header and ``rows`` rows, written as a stream (openpyxl's write-only mode)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(header)
    first_day = datetime.date(2020, 4, 1)
    producers, products = world["producers"], world["products"]
    for n in range(rows):
        who = n // 2 % producers
        nib, nik = (f"91200{who:08d}", None) if n % 2 == 0 else (None, f"630103{who:010d}")
        code = f"IMP-{n:06d}" if n % 10 == 0 else None
        quantity = 0 if bad_last_row and n == rows - 1 else 1 + n % 500
        sheet.append([code, nib, nik, products[n % len(products)], quantity, first_day + datetime.timedelta(n % 180),
                      "Laporan mingguan" if n % 3 == 0 else None])
    workbook.save(path)


# Measuring ------------------------------------------------------------------------------------------------

def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def import_file(path: Path, officer) -> tuple[int | None, object]:
    """As the import page does it: the upload read row by row and handed to the service."""
    from django.core.files import File

    from sigap.lib.spreadsheet import ImportRefused, read_rows
    from sigap.production.forms import PRODUCTION_IMPORT_COLUMNS
    from sigap.production.services import production_import

    with open(path, "rb") as handle:
        upload = File(handle, name=path.name)
        try:
            return production_import(rows=read_rows(upload, PRODUCTION_IMPORT_COLUMNS), by=officer), None
        except ImportRefused as refused:
            return None, refused


def timed(path: Path, officer) -> dict:
    started, started_cpu = time.perf_counter(), time.process_time()
    count, refused = import_file(path, officer)
    return {"seconds": round(time.perf_counter() - started, 2),
            "cpu_seconds": round(time.process_time() - started_cpu, 2),
            "peak_rss_mb_after": round(_peak_rss_mb(), 1),
            "imported": count,
            "refused": None if refused is None else {"total": refused.total, "first": [
                (p.row, p.column, p.message) for p in refused.problems[:3]]}}


def traced_peak_mb(path: Path, officer) -> float:
    """Python's own allocations at their peak during one refused import (nothing written, so repeatable)."""
    import tracemalloc

    tracemalloc.start()
    import_file(path, officer)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return round(peak / 1024 / 1024, 1)


def run(args) -> dict:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import translation

    from sigap.production.models import Batch
    from sigap.regions.services import regions_load

    translation.activate(settings.LANGUAGE_CODE)  # as an Indonesian request gets it
    settings.SIGAP_IMPORT_MAX_ROWS = max(settings.SIGAP_IMPORT_MAX_ROWS, args.rows)
    call_command("migrate", verbosity=0, interactive=False)
    regions_load(province_codes=["63"])
    world = build_world(args.producers)
    work = Path(os.environ["SIGAP_VAR_DIR"])
    good, bad = work / "produksi.xlsx", work / "produksi-satu-salah.xlsx"
    started = time.perf_counter()
    header = template_header()
    write_file(good, header, world, args.rows)
    write_file(bad, header, world, args.rows, bad_last_row=True)
    build_seconds = time.perf_counter() - started
    baseline_mb = _peak_rss_mb()
    print(f"{connection.vendor}: {args.rows:,} rows, {good.stat().st_size / 1024 / 1024:.1f} MB "
          f"(written in {build_seconds:.1f} s); process at {baseline_mb:.0f} MB before importing", flush=True)

    refused = timed(bad, world["officer"])
    assert refused["refused"] and refused["refused"]["total"] == 1, refused
    assert not Batch.objects.exists()
    print(f"  one bad row: refused in {refused['seconds']} s", flush=True)
    imported = timed(good, world["officer"])
    assert imported["imported"] == args.rows, imported
    assert Batch.objects.count() == args.rows
    assert not Batch.objects.filter(code__startswith="TMP-").exists()
    print(f"  imported in {imported['seconds']} s", flush=True)
    traced = traced_peak_mb(bad, world["officer"]) if args.tracemalloc else None
    return {
        "vendor": connection.vendor,
        "server": server_version(connection),
        "when": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "revision": git_revision(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "rows": args.rows,
        "producers": 2 * args.producers,
        "file_mb": round(good.stat().st_size / 1024 / 1024, 2),
        "file_build_seconds": round(build_seconds, 2),
        "rss_mb_before": round(baseline_mb, 1),
        "refused_one_bad_row": refused,
        "imported": imported,
        "tracemalloc_peak_mb": traced,
        "goal_seconds": GOAL_SECONDS,
    }


def report(result: dict) -> str:
    imported, refused = result["imported"], result["refused_one_bad_row"]
    verdict = "met" if imported["seconds"] <= result["goal_seconds"] else "NOT met"
    lines = [
        f"### Import benchmark ({result['revision']}): {result['server']}, {result['rows']:,} production rows "
        f"({result['file_mb']} MB .xlsx, {result['producers']} producers)",
        "",
        "| run | seconds | CPU seconds | rows/s | peak RSS after |",
        "|---|---:|---:|---:|---:|",
        f"| one bad row at the end: refused, nothing written | {refused['seconds']} | {refused['cpu_seconds']} "
        f"| {result['rows'] / refused['seconds']:,.0f} | {refused['peak_rss_mb_after']} MB |",
        f"| every row right: checked and written | {imported['seconds']} | {imported['cpu_seconds']} "
        f"| {result['rows'] / imported['seconds']:,.0f} | {imported['peak_rss_mb_after']} MB |",
        "",
        f"- goal <= {result['goal_seconds']:.0f} s for the import: {verdict}",
        f"- the process held {result['rss_mb_before']} MB before importing (Django, the world, the file written)",
    ]
    if result["tracemalloc_peak_mb"] is not None:
        lines.append(f"- Python allocations at their peak during a refused import: {result['tracemalloc_peak_mb']} MB")
    lines.append(f"- load average at the end: {result['load_average_at_end']} on {result['cpus']} CPUs")
    return "\n".join(lines)


def main() -> None:
    args = parse_args()
    if args.rows < 2 or args.producers < 1:
        sys.exit("--rows must be at least 2 and --producers at least 1")
    state = prepare_environment(args.database, prefix="import-bench")
    import django

    django.setup()
    try:
        result = run(args)
    finally:
        cleanup(state, args.keep)
    print()
    print(report(result))
    path = append_run(f"import-{result['vendor']}", result)
    print(f"\nappended to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
