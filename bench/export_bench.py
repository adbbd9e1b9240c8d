#!/usr/bin/env python
"""How long SIGAP's largest exports take and how much memory they need: the goal for the partner list of about
100,000 rows is at most 15 s and 300 MB, as CSV and as Excel.

    .venv/bin/python bench/export_bench.py [--database sigap_bench_1m] [--all-movements]

It runs on the national PostgreSQL database that ``bench/dashboard_bench.py`` builds (sigap_bench_1m at
--server, default postgres://postgres@127.0.0.1:5432: 102,800 IKM partners, 1,000,000 ledger movements; build it
first, or give another --database made by ``bench/national_data.py``). SIGAP runs as in production (SIGAP_DEBUG
off, SIGAP_VAR_DIR=bench/out/var).

Each export runs in a fresh Python process, as a worker that has served nothing big yet: Django is set up, the
user signs in through ``django.test.Client`` (host 127.0.0.1), the process's peak resident memory so far is read
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``: the baseline), then the export is requested and its streamed body
consumed to the end, written to a temporary file so that the download itself holds no memory. Reported: the wall
time from the request to the last byte, the time to the first byte, the size, the rows (counted afterwards in the
parent process), the peak RSS of the process and how much the export added to the baseline.

Exports:

- ``/partners/export/?format=csv`` and ``?format=xlsx`` as the administrator (every partner);
- ``/stock/movements/export/?format=csv`` and ``?format=xlsx`` as the provincial officer of the province with the
  most regencies (Jawa Timur, bench_prov_35: its locations' movements, about 7% of the ledger);
- with --all-movements, the movements export as the administrator too: the whole ledger (CSV; and Excel with
  --all-movements-xlsx, which takes minutes).

Prints a markdown table and writes bench/out/export.json.
"""

import argparse
import csv
import datetime
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from benchlib import git_revision

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
VAR_DIR = OUT / "var"
GOAL_SECONDS = 15.0
GOAL_MB = 300.0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432",
                        help="PostgreSQL server URL, without a database (default postgres://postgres@127.0.0.1:5432)")
    parser.add_argument("--database", default="sigap_bench_1m", help="the national database (sigap_bench_1m)")
    parser.add_argument("--all-movements", action="store_true", help="also every movement as the administrator (CSV)")
    parser.add_argument("--all-movements-xlsx", action="store_true", help="and as Excel (slow)")
    parser.add_argument("--run", nargs=3, metavar=("URL", "USERNAME", "FILE"), help=argparse.SUPPRESS)
    return parser.parse_args()


def environment(url: str) -> dict:
    env = dict(os.environ, DATABASE_URL=url, SIGAP_VAR_DIR=str(VAR_DIR), DJANGO_SETTINGS_MODULE="sigap.settings")
    for name in ("SIGAP_DEBUG", "SIGAP_HTTPS", "SIGAP_ALLOWED_HOSTS"):
        env.pop(name, None)
    return env


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def run_one(url: str, username: str, path: str) -> dict:
    """In the child process: one export, its body streamed to ``path``."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from sigap.accounts.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=username))
    connection.ensure_connection()
    baseline = _max_rss_mb()
    size, first_byte = 0, None
    started = time.perf_counter()
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    with open(path, "wb") as handle:
        chunks = response.streaming_content if response.streaming else [response.content]
        for chunk in chunks:
            if first_byte is None:
                first_byte = time.perf_counter() - started
            if isinstance(chunk, str):
                chunk = chunk.encode()
            handle.write(chunk)
            size += len(chunk)
    response.close()
    seconds = time.perf_counter() - started
    peak = _max_rss_mb()
    return {"seconds": round(seconds, 2), "first_byte_s": round(first_byte or seconds, 2), "bytes": size,
            "baseline_rss_mb": round(baseline, 1), "peak_rss_mb": round(peak, 1),
            "added_mb": round(peak - baseline, 1), "streaming": response.streaming,
            "content_type": response.get("Content-Type", "")}


def count_rows(path: str, fmt: str) -> int:
    """Data rows in the downloaded file (the header row not counted)."""
    if fmt == "xlsx":
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True)
        rows = sum(1 for _row in workbook.active.iter_rows(values_only=True))
        workbook.close()
        return rows - 1
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return sum(1 for _row in csv.reader(handle)) - 1


def report(result: dict) -> str:
    lines = [f"### Export benchmark ({result['revision']}): {result['database']}, {result['partners']:,} partners, "
             f"{result['movements']:,} movements", "",
             "| export | as | rows | size | time | first byte | peak RSS | added to baseline | goal |",
             "|---|---|---:|---:|---:|---:|---:|---:|---|"]
    for row in result["exports"]:
        goal = ""
        if row["name"].startswith("partners"):
            met = row["seconds"] <= GOAL_SECONDS and row["peak_rss_mb"] <= GOAL_MB
            goal = f"<= {GOAL_SECONDS:g} s, <= {GOAL_MB:g} MB: {'met' if met else 'NOT met'}"
        lines.append(f"| {row['name']} | {row['user']} | {row['rows']:,} | {row['bytes'] / 1e6:.1f} MB "
                     f"| {row['seconds']} s | {row['first_byte_s']} s | {row['peak_rss_mb']} MB "
                     f"| {row['added_mb']} MB | {goal} |")
    return "\n".join(lines)


def main() -> None:
    args = parse_args()
    if args.run:
        url, username, path = args.run
        print(json.dumps(run_one(url, username, path)))
        return
    import psycopg

    database_url = urlunsplit(urlsplit(args.server)._replace(path=f"/{args.database}"))
    try:
        with psycopg.connect(database_url, connect_timeout=5) as conn:
            partners = conn.execute("SELECT count(*) FROM partners_partner").fetchone()[0]
            movements = conn.execute("SELECT count(*) FROM stock_movement").fetchone()[0]
            province = conn.execute(
                "SELECT parent_id FROM regions_region WHERE level = 2 GROUP BY parent_id "
                "ORDER BY count(*) DESC, parent_id LIMIT 1").fetchone()[0]
    except psycopg.Error as error:
        sys.exit(f"{args.database} is not a national benchmark database ({error}); build it with "
                 f"bench/dashboard_bench.py or bench/national_data.py")
    exports = [
        ("partners.csv", "/partners/export/?format=csv", "bench_admin"),
        ("partners.xlsx", "/partners/export/?format=xlsx", "bench_admin"),
        ("movements.csv (province)", "/stock/movements/export/?format=csv", f"bench_prov_{province}"),
        ("movements.xlsx (province)", "/stock/movements/export/?format=xlsx", f"bench_prov_{province}"),
    ]
    if args.all_movements or args.all_movements_xlsx:
        exports.append(("movements.csv (all)", "/stock/movements/export/?format=csv", "bench_admin"))
    if args.all_movements_xlsx:
        exports.append(("movements.xlsx (all)", "/stock/movements/export/?format=xlsx", "bench_admin"))
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT,
                   env=environment(database_url), check=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="sigap-export-bench-") as tmp:
        for name, url, username in exports:
            path = os.path.join(tmp, name.split()[0])
            output = subprocess.run([sys.executable, __file__, "--run", url, username, path], cwd=ROOT,
                                    env=environment(database_url), capture_output=True, text=True)
            if output.returncode:
                sys.exit(f"{name} failed:\n{output.stderr[-3000:]}")
            row = {"name": name, "url": url, "user": username, **json.loads(output.stdout.strip().splitlines()[-1])}
            row["rows"] = count_rows(path, "xlsx" if "xlsx" in url else "csv")
            os.unlink(path)
            results.append(row)
            print(f"  {name}: {row['rows']:,} rows in {row['seconds']} s, peak {row['peak_rss_mb']} MB", flush=True)
    result = {
        "when": datetime.datetime.now().isoformat(timespec="seconds"),
        "revision": git_revision(),
        "database": args.database, "partners": partners, "movements": movements,
        "goals": {"partners_seconds": GOAL_SECONDS, "partners_peak_mb": GOAL_MB},
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "load_average_at_end": [round(x, 2) for x in os.getloadavg()]},
        "exports": results,
    }
    print()
    print(report(result))
    (OUT / "export.json").write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nwritten to {(OUT / 'export.json').relative_to(ROOT)}")


if __name__ == "__main__":
    main()
