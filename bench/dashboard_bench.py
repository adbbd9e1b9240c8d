#!/usr/bin/env python
"""Whether a dashboard stays fast as the national ledger grows: the goal on PostgreSQL is a median of at most
50 ms with 1,000,000 ledger rows, and at most 1.5 times the median with 10,000.

    .venv/bin/python bench/dashboard_bench.py [--reuse] [--explain]

It needs the PostgreSQL server at --server (default postgres://postgres@127.0.0.1:5432, trust auth) and builds
two databases of its own there, sigap_bench_10k and sigap_bench_1m (any database named so is dropped and
recreated; no other is touched): each is created, migrated with ``manage.py migrate`` and filled by
``bench/national_data.py`` (all 514 regencies, 102,800 IKM partners, two years of documents, 10,000 or 1,000,000
movements). --reuse keeps a database that already holds a ledger (and only applies new migrations to it).

SIGAP runs as in production (SIGAP_DEBUG off, static files from ``collectstatic``'s manifest, in
SIGAP_VAR_DIR=bench/out/var). For each database a fresh process signs in with ``django.test.Client`` (host
127.0.0.1) and requests, 5 times to warm up and then 50 times timed:

- the province dashboard ``/dashboard/?start=2021-01&end=2021-12`` as the provincial officer of the province
  with the most regencies (Jawa Timur, 38: bench_prov_35), with a row per regency;
- the district dashboard for the same period as the district officer of that province's first regency (Pacitan,
  35.01: bench_dist_35_01); the generator spreads the documents evenly over the regencies.

It reports the median (p50) and p95 of the whole request (middleware, session, queries, template), the number of
SQL queries of one request and the slowest of them, the dashboard() selector alone, and the growth ratio
p50(1M)/p50(10k). --explain adds EXPLAIN (ANALYZE, BUFFERS) of the slowest queries at 1M to
bench/out/dashboard-explain.txt.

Prints a markdown table and writes bench/out/dashboard.json.
"""

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from benchlib import git_revision, server_version

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
VAR_DIR = OUT / "var"
PYTHON = sys.executable
SIZES = {"10k": 10_000, "1m": 1_000_000}
PERIOD = "start=2021-01&end=2021-12"
GOAL_P50_MS = 50.0
GOAL_RATIO = 1.5
GOAL_PAGES = ("province", "district")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432",
                        help="PostgreSQL server URL, without a database (default postgres://postgres@127.0.0.1:5432)")
    parser.add_argument("--reuse", action="store_true", help="keep a sigap_bench_* database that holds a ledger")
    parser.add_argument("--sizes", default="10k,1m", help="which databases: 10k, 1m or both (default 10k,1m)")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slowest queries at 1M")
    parser.add_argument("--national", action="store_true",
                        help="also the national dashboard as the administrator (not part of the goals)")
    parser.add_argument("--measure", metavar="URL", help=argparse.SUPPRESS)  # internal: one database, JSON out
    parser.add_argument("--explain-to", help=argparse.SUPPRESS)
    return parser.parse_args()


def database_url(server: str, name: str) -> str:
    return urlunsplit(urlsplit(server)._replace(path=f"/{name}"))


def environment(url: str) -> dict:
    env = dict(os.environ, DATABASE_URL=url, SIGAP_VAR_DIR=str(VAR_DIR), DJANGO_SETTINGS_MODULE="sigap.settings")
    for name in ("SIGAP_DEBUG", "SIGAP_HTTPS", "SIGAP_ALLOWED_HOSTS"):
        env.pop(name, None)  # production defaults
    return env


# --- Building the databases ------------------------------------------------------------------------------------

def holds_ledger(server: str, name: str) -> int | None:
    """The database's movement count, or None when it does not exist or has no ledger."""
    import psycopg

    try:
        with psycopg.connect(database_url(server, name), connect_timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM stock_movement").fetchone()[0] or None
    except psycopg.Error:
        return None


def build(server: str, name: str, movements: int) -> dict:
    import psycopg
    from psycopg import sql

    with psycopg.connect(database_url(server, "postgres"), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = database_url(server, name)
    started = time.perf_counter()
    subprocess.run([PYTHON, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=environment(url), check=True)
    migrate_s = time.perf_counter() - started
    subprocess.run([PYTHON, "bench/national_data.py", "--movements", str(movements)], cwd=ROOT,
                   env=environment(url), check=True)
    generated = json.loads((OUT / f"national-{name}.json").read_text())
    generated["seconds"]["manage_py_migrate"] = round(migrate_s, 1)
    return generated


def collectstatic(url: str) -> None:
    """The hashed, compressed static files and their manifest, which templates need with DEBUG off."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=environment(url),
                   check=True)


# --- Measuring one database (in its own process) -----------------------------------------------------------------

def _percentile(samples: list[float], q: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


def _time_requests(client, url: str, warmup: int, requests: int) -> dict:
    for _ in range(warmup):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return {"p50_ms": round(statistics.median(samples), 2), "p95_ms": round(_percentile(samples, 95), 2),
            "min_ms": round(min(samples), 2), "max_ms": round(max(samples), 2), "bytes": len(response.content)}


def _queries(client, url: str) -> dict:
    """One request's SQL: each statement (with its parameters) and its time, measured around the execute."""
    from django.db import connection

    queries = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            queries.append({"ms": round(elapsed, 2),
                            "sql": connection.ops.last_executed_query(context["cursor"], sql, params)})

    with connection.execute_wrapper(timed):
        response = client.get(url)
    assert response.status_code == 200
    slowest = sorted(queries, key=lambda q: -q["ms"])
    return {"count": len(queries), "sql_ms": round(sum(q["ms"] for q in queries), 2),
            "slowest": [{"ms": q["ms"], "sql": q["sql"][:400]} for q in slowest[:6]], "all": queries}


def _time_selector(area_code: str, repeats: int) -> float:
    from sigap.dashboards.selectors import Area, Period, dashboard

    period = Period(datetime.date(2021, 1, 1), datetime.date(2021, 12, 1))
    for _ in range(3):
        dashboard(area=Area(area_code), period=period)
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        dashboard(area=Area(area_code), period=period)
        samples.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(samples), 2)


def _explain(queries: list[dict], path: str, top: int = 6) -> None:
    from django.db import connection

    lines = []
    with connection.cursor() as cursor:
        for query in sorted(queries, key=lambda q: -q["ms"])[:top]:
            if not query["sql"].lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            lines += [f"-- {query['ms']} ms in the request", query["sql"], ""]
            lines += [row[0] for row in cursor.fetchall()] + ["", ""]
    with open(path, "a") as handle:
        handle.write("\n".join(lines))


def measure(args) -> dict:
    os.environ.update(environment(args.measure))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from sigap.accounts.models import User
    from sigap.dashboards.models import MonthlyFigure
    from sigap.regions.models import Level, Region
    from sigap.stock.models import Movement

    province, regencies = (Region.objects.filter(level=Level.REGENCY).values_list("parent_id")
                           .annotate(n=Count("code")).order_by("-n", "parent_id").first())
    # The same regency in every database: the province's first (the data are spread evenly over the regencies).
    regency = Region.objects.filter(level=Level.REGENCY, parent_id=province).order_by("code").values_list(
        "code", flat=True).first()
    result = {"movements": Movement.objects.count(), "monthly_figures": MonthlyFigure.objects.count(),
              "server": server_version(connection), "pages": {}}
    pages = {
        "province": (f"bench_prov_{province}", province, {"province": province}),
        "district": (f"bench_dist_{regency.replace('.', '_')}", regency, {"region_code": regency}),
    }
    if args.national:
        pages["national"] = ("bench_admin", None, {})
    url = f"/dashboard/?{PERIOD}"
    for page, (username, area_code, narrowing) in pages.items():
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(username=username))
        load_before = os.getloadavg()[0]
        timing = _time_requests(client, url, args.warmup, args.requests)
        queries = _queries(client, url)
        if args.explain_to:
            with open(args.explain_to, "a") as handle:
                handle.write(f"===== {result['movements']:,} movements, {page} dashboard as {username}\n\n")
            _explain(queries["all"], args.explain_to)
        del queries["all"]
        result["pages"][page] = {
            "user": username, "area": area_code,
            "area_name": Region.objects.get(code=area_code).name if area_code else "Indonesia",
            "regencies_in_area": {"province": regencies, "district": 1}.get(page, 514),
            "area_monthly_figures_2021": MonthlyFigure.objects.filter(month__year=2021, **narrowing).count(),
            "url": url, **timing, "queries": queries["count"], "sql_ms": queries["sql_ms"],
            "selector_p50_ms": _time_selector(area_code, 20 if area_code else 5),
            "load_average_before": round(load_before, 2), "slowest_queries": queries["slowest"],
        }
    return result


# --- Orchestration ----------------------------------------------------------------------------------------------

def report(result: dict) -> str:
    lines = [f"### Dashboard benchmark ({result['revision']}), {result['server']}, "
             f"{result['requests']} requests after {result['warmup']} warm-up", "",
             "| database | page | area | movements | area's monthly figures (2021) | p50 | p95 | queries "
             "| SQL time | dashboard() p50 |",
             "|---|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for size, data in result["databases"].items():
        for page, row in data["pages"].items():
            area = f"{row['area_name']} ({row['area']})" if row["area"] else row["area_name"]
            lines.append(f"| {size} | {page} | {area} | {data['movements']:,} "
                         f"| {row['area_monthly_figures_2021']:,} | {row['p50_ms']} ms | {row['p95_ms']} ms "
                         f"| {row['queries']} | {row['sql_ms']} ms | {row['selector_p50_ms']} ms |")
    lines.append("")
    for page, ratio in result.get("ratio_p50", {}).items():
        if page not in GOAL_PAGES:
            lines.append(f"- {page} (no goal): growth p50(1M)/p50(10k) = {ratio}")
            continue
        p50 = result["databases"]["1m"]["pages"][page]["p50_ms"]
        lines.append(f"- {page}: p50 at 1M {p50} ms (goal <= {GOAL_P50_MS:g}: "
                     f"{'met' if p50 <= GOAL_P50_MS else 'NOT met'}), growth p50(1M)/p50(10k) = {ratio} "
                     f"(goal <= {GOAL_RATIO}: {'met' if ratio <= GOAL_RATIO else 'NOT met'})")
    return "\n".join(lines)


def main() -> None:
    args = parse_args()
    if args.measure:
        print(json.dumps(measure(args)))
        return
    OUT.mkdir(parents=True, exist_ok=True)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        sys.exit(f"unknown size {unknown}; choose from {', '.join(SIZES)}")
    builds = {}
    for size in sizes:
        name = f"sigap_bench_{size}"
        existing = holds_ledger(args.server, name) if args.reuse else None
        if existing:
            print(f"{name}: reused ({existing:,} movements), migrating what is new", flush=True)
            subprocess.run([PYTHON, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT,
                           env=environment(database_url(args.server, name)), check=True)
            path = OUT / f"national-{name}.json"
            builds[size] = json.loads(path.read_text()) if path.exists() else None
        else:
            print(f"{name}: building with {SIZES[size]:,} movements", flush=True)
            builds[size] = build(args.server, name, SIZES[size])
    collectstatic(database_url(args.server, f"sigap_bench_{sizes[0]}"))
    explain_path = OUT / "dashboard-explain.txt"
    if args.explain:
        explain_path.write_text("")
    databases = {}
    for size in sizes:
        command = [PYTHON, __file__, "--measure", database_url(args.server, f"sigap_bench_{size}"),
                   "--warmup", str(args.warmup), "--requests", str(args.requests)] + (["--national"] * args.national)
        if args.explain:
            command += ["--explain-to", str(explain_path)]
        output = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        if output.returncode:
            sys.exit(f"measuring {size} failed:\n{output.stderr}")
        databases[size] = json.loads(output.stdout.strip().splitlines()[-1])
        databases[size]["build"] = ({"seconds": builds[size]["seconds"], "rows": builds[size]["rows"]}
                                    if builds.get(size) else None)
        print(f"  measured {size}", flush=True)
    result = {
        "when": datetime.datetime.now().isoformat(timespec="seconds"),
        "revision": git_revision(),
        "server": next(iter(databases.values()))["server"],
        "warmup": args.warmup, "requests": args.requests,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "load_average_at_end": [round(x, 2) for x in os.getloadavg()]},
        "goals": {"p50_ms_at_1m": GOAL_P50_MS, "ratio": GOAL_RATIO},
        "databases": databases,
    }
    if "10k" in databases and "1m" in databases:
        result["ratio_p50"] = {page: round(databases["1m"]["pages"][page]["p50_ms"]
                                           / databases["10k"]["pages"][page]["p50_ms"], 2)
                               for page in databases["1m"]["pages"]}
    print()
    print(report(result))
    (OUT / "dashboard.json").write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nwritten to {(OUT / 'dashboard.json').relative_to(ROOT)}"
          + (f" and {explain_path.relative_to(ROOT)}" if args.explain else ""))


if __name__ == "__main__":
    main()
