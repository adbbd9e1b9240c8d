#!/usr/bin/env python
"""Renders bench/RESULTS.md from the JSON the benchmarks wrote to bench/out/: the date, the machine, the versions
and each figure next to its goal and whether it holds. ``make bench`` runs the benchmarks and then this.

    .venv/bin/python bench/results.py [--out bench/RESULTS.md]

A benchmark whose JSON is missing shows as "not run". Of the ledger and import benchmarks, which append their
runs, the last run is used.
"""

import argparse
import datetime
import json
import os
import platform
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
# The options `make bench` passes (kept in step with the Makefile's bench target by hand).
OPTIONS_NOTE = os.environ.get("BENCH_OPTIONS", "")


def load(name: str):
    path = OUT / name
    if not path.exists():
        return None
    data = json.loads(path.read_text())
    return data[-1] if isinstance(data, list) else data


def yes(ok) -> str:
    return "—" if ok is None else ("✅ yes" if ok else "❌ **no**")


def machine() -> dict:
    meminfo = {}
    for line in Path("/proc/meminfo").read_text().splitlines():
        key, value = line.split(":", 1)
        meminfo[key] = value.strip()
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {"cores": os.cpu_count(), "cpu": model, "memory": meminfo.get("MemTotal", "?"),
            "load": " ".join(f"{x:.2f}" for x in os.getloadavg()), "kernel": platform.release()}


def versions() -> dict:
    found = {"Python": platform.python_version(), "SQLite": sqlite3.sqlite_version}
    try:
        import django

        found["Django"] = django.get_version()
    except ImportError:
        found["Django"] = "?"
    try:
        import psycopg

        with psycopg.connect(PG_URL, connect_timeout=3) as conn:
            found["PostgreSQL"] = conn.execute("SHOW server_version").fetchone()[0]
    except Exception as error:  # noqa: BLE001 — a missing server is reported, not fatal
        found["PostgreSQL"] = f"not reachable ({type(error).__name__})"
    try:
        found["wrk"] = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()[1]
    except (OSError, IndexError):
        found["wrk"] = "not installed"
    try:
        found["revision"] = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT,
                                           capture_output=True, text=True).stdout.strip()
    except OSError:
        pass
    return found


def rows() -> list[tuple]:
    """(benchmark, figure, value, goal, holds) rows."""
    out = []

    def missing(bench, what, goal):
        out.append((bench, what, "not run", goal, None))

    for vendor in ("postgresql", "sqlite"):
        ledger = load(f"ledger-{vendor}.json")
        name = f"ledger ({'PostgreSQL' if vendor == 'postgresql' else 'SQLite'})"
        if not ledger:
            missing(name, "postings/s", "≥ 500/s on PostgreSQL")
            continue
        # The goal is the ledger's throughput as SIGAP serves it: several gunicorn worker processes posting at once.
        # One process alone is shown too; it is bound by one connection's round trips and one interpreter.
        goal = vendor == "postgresql"
        concurrent = ledger.get("concurrent")
        unit = "processes" if concurrent and concurrent.get("processes") else "threads"
        out.append((name, f"postings/s, one process ({ledger['postings']:,} postings of {ledger['lines_per_posting']} "
                          f"lines)", f"{ledger['postings_per_s']:,.0f}/s",
                    "— (see the next row)" if goal and concurrent else ("≥ 500/s" if goal else "— (goal is on PostgreSQL)"),
                    None if concurrent or not goal else ledger["postings_per_s"] >= 500))
        if concurrent:
            c = concurrent
            out.append((name, f"postings/s, {c['workers']} {unit} at once", f"{c['postings_per_s']:,.0f}/s"
                        + (f", {c['failed']} failed" if c.get("failed") else ""), "≥ 500/s" if goal else "—",
                        c["postings_per_s"] >= 500 and not c.get("failed") if goal else None))
        elif goal:
            out.append((name, "postings/s, several processes at once", "not run", "≥ 500/s", False))
        points = ledger["checkpoints"]
        first, last = points[0], points[-1]
        flat = last["on_hand_median_us"] <= 2 * first["on_hand_median_us"]
        series = " → ".join(f"{p['on_hand_median_us']} µs @ {p['movements']:,}" for p in points)
        out.append((name, "balance read on_hand(), median, as the history grows", series,
                    "flat (last ≤ 2× first)", flat))
        out.append((name, "naive Sum() for comparison", " → ".join(
            f"{p['naive_sum_median_us']:,} µs" for p in points), "—", None))

    pdf = load("pdf.json")
    if pdf:
        docs = pdf["documents"]
        cold = max(d["cold"]["total_ms"] for d in docs)
        warm = max(d["warm"]["median_ms"] for d in docs)
        out.append(("training PDFs (SQLite)", f"slowest of {len(docs)} documents, cold (fresh process)",
                    f"{cold:.0f} ms", "< 1 s", cold < 1000))
        out.append(("training PDFs (SQLite)", "slowest warm median", f"{warm:.0f} ms", "< 1 s", warm < 1000))
    else:
        missing("training PDFs", "cold/warm render", "< 1 s")

    bast = load("bast.json")
    if bast:
        out.append(("BAST PDF (SQLite)", "cold (fresh process, first render)", f"{bast['cold']['total_ms']:.0f} ms",
                    "< 1 s", bast["cold"]["total_ms"] < 1000))
        out.append(("BAST PDF (SQLite)", "warm median", f"{bast['warm']['median_ms']:.0f} ms",
                    "< 1 s (own goal ≤ 150 ms)", bast["warm"]["median_ms"] <= 150))
        out.append(("BAST PDF (SQLite)", "size", f"{bast['warm']['kb']:.1f} KB", "≤ 100 KB",
                    bast["warm"]["kb"] <= 100))
    else:
        missing("BAST PDF", "render", "< 1 s")

    weight = load("page_weight.json")
    if weight:
        for page in ("catalogue", "catalogue_full_page"):
            budget = weight["results"][page]["budget"]
            out.append(("page weight (Chromium, phone)", f"/katalog/ first load ({page}), gzip, lazy photos apart",
                        f"{budget['bytes_without_lazy_photos_gzip6'] / 1024:.1f} KB", "≤ 100 KB",
                        budget["meets_goal"]))
            out.append(("page weight (Chromium, phone)", f"/katalog/ JS ({page})",
                        f"{budget['js_gzip6'] / 1024:.1f} KB", "≤ 30 KB", budget["meets_js_goal"]))
    else:
        missing("page weight", "catalogue first load", "≤ 100 KB, ≤ 30 KB JS")

    for vendor in ("postgresql", "sqlite"):
        imp = load(f"import-{vendor}.json")
        name = f"import ({'PostgreSQL' if vendor == 'postgresql' else 'SQLite'})"
        if not imp:
            missing(name, "100k-row import", "≤ 30 s")
            continue
        seconds = imp["imported"]["seconds"]
        out.append((name, f"{imp['rows']:,}-row production file, checked and written", f"{seconds:.1f} s "
                    f"(peak RSS {imp['imported']['peak_rss_mb_after']:.0f} MB)", "≤ 30 s", seconds <= 30))
        out.append((name, "the same file refused for one bad last row", f"{imp['refused_one_bad_row']['seconds']:.1f} s",
                    "—", None))

    export = load("export.json")
    if export:
        for e in export["exports"]:
            ok = e["seconds"] <= 15 and e["peak_rss_mb"] <= 300
            goal_applies = e["name"].startswith("partners")
            out.append((f"export (PostgreSQL, {export['database']})", f"{e['name']}: {e['rows']:,} rows",
                        f"{e['seconds']:.1f} s, peak RSS {e['peak_rss_mb']:.0f} MB",
                        "≤ 15 s and ≤ 300 MB" if goal_applies else "(same goal, for comparison)",
                        ok if goal_applies else None))
    else:
        missing("export", "100k-row export", "≤ 15 s, ≤ 300 MB")

    dash = load("dashboard.json")
    if dash:
        for page in ("province", "district"):
            for size in ("10k", "1m"):
                if size in dash["databases"]:
                    p = dash["databases"][size]["pages"][page]
                    goal = page == "province" and size == "1m"
                    out.append(("dashboard (PostgreSQL)", f"{page} dashboard p50 at {size} ledger rows "
                                f"({p['queries']} queries)", f"{p['p50_ms']:.1f} ms (p95 {p['p95_ms']:.1f})",
                                "≤ 50 ms" if goal or size == "1m" else "—",
                                p["p50_ms"] <= 50 if size == "1m" else None))
            if "ratio_p50" in dash:
                out.append(("dashboard (PostgreSQL)", f"{page} growth p50(1M)/p50(10k)",
                            f"{dash['ratio_p50'][page]:.2f}×", "≤ 1.5×", dash["ratio_p50"][page] <= 1.5))
    else:
        missing("dashboard", "province p50 at 1M", "≤ 50 ms, ≤ 1.5× growth")

    loadtest = load("load.json")
    if loadtest:
        runs = loadtest["runs"]
        name = f"load test (gunicorn, PostgreSQL, {loadtest['wrk']['connections']} connections)"
        for scenario, label in (("users", "users with think time"), ("saturation", "saturation, no think time")):
            if scenario not in runs:
                continue
            for target in ("sigap", "bare"):
                r = runs[scenario][target]
                what = "SIGAP mix" if target == "sigap" else "bare view (ceiling)"
                out.append((name, f"{label}: {what} req/s", f"{r['req_per_s']:.1f}", "—", None))
                out.append((name, f"{label}: {what} p50 / p95 / p99",
                            f"{r['p50_ms']:.0f} / {r['p95_ms']:.0f} / {r['p99_ms']:.0f} ms",
                            "p95 ≤ 250 ms" if target == "sigap" and scenario == "users" else "—",
                            r["p95_ms"] <= 250 if target == "sigap" and scenario == "users" else None))
                out.append((name, f"{label}: {what} errors", f"{r['errors']} of {r['requests']:,}", "0",
                            r["errors"] == 0))
            if "ratio" in runs[scenario]:
                out.append((name, f"{label}: SIGAP req/s ÷ bare req/s", f"{runs[scenario]['ratio']:.0%}",
                            "≥ 60 %" if scenario == "saturation" else "—",
                            runs[scenario]["ratio"] >= 0.6 if scenario == "saturation" else None))
        for kind, r in loadtest.get("by_kind", {}).items():
            out.append((name, f"{kind} alone at saturation: req/s (≈ CPU ms per request on {loadtest['machine']['cpus']} cores)",
                        f"{r['req_per_s']:.1f} ({r['cpu_ms_per_request']} ms)", "—", None))
    else:
        missing("load test", "req/s, latency, errors", "0 errors, p95 ≤ 250 ms, ≥ 60 % of bare")
    return out


def render() -> str:
    m, v = machine(), versions()
    table = rows()
    held = [r for r in table if r[4] is True]
    failed = [r for r in table if r[4] is False]
    lines = [
        "# Benchmark results",
        "",
        f"Written by `make bench` (`bench/results.py`) on {datetime.datetime.now().strftime('%Y-%m-%d %H:%M %Z').strip()}"
        f" from the JSON in `bench/out/`.",
        "",
        f"- **Machine:** {m['cores']} cores ({m['cpu'] or 'unknown CPU'}), {m['memory']} memory (MemTotal), "
        f"load average {m['load']} when this was written; Linux {m['kernel']}",
        f"- **Versions:** Python {v['Python']}, Django {v['Django']}, PostgreSQL {v['PostgreSQL']} (server), "
        f"SQLite {v['SQLite']}, wrk {v['wrk']}" + (f"; SIGAP {v['revision']}" if v.get("revision") else ""),
    ]
    measured = {}
    for path in sorted(OUT.glob("*.json")):
        data = load(path.name)
        if isinstance(data, dict) and data.get("revision"):
            measured.setdefault(data["revision"], []).append(path.stem)
    if len(measured) > 1:  # a benchmark run again later, alone: say which figures come from which revision
        lines.append("- **Measured at:** " + "; ".join(f"{rev} ({', '.join(names)})" for rev, names in measured.items()))
    if OPTIONS_NOTE:
        lines.append(f"- **Options:** {OPTIONS_NOTE}")
    lines += [
        f"- **Goals:** {len(held)} hold, {len(failed)} do not"
        + (": " + "; ".join(f"{r[0]} — {r[1]}" for r in failed) if failed else "") + ".",
        "",
        "The machine may be shared: other processes' load (see the load average) slows every figure here, the load "
        "test most.",
        "",
        "| benchmark | figure | value | goal | holds |",
        "|---|---|---|---|---|",
    ]
    for bench, what, value, goal, ok in table:
        lines.append(f"| {bench} | {what} | {value} | {goal} | {yes(ok)} |")
    loadtest = load("load.json")
    if loadtest:
        w = loadtest["wrk"]
        lines += [
            "",
            f"Load test: wrk {w['threads']} threads, {w['connections']} connections, {w['warmup_s']} s warm-up and "
            f"{w['duration_s']} s per run; think time {w['think_ms'][0]}–{w['think_ms'][1]} ms in the users scenario; "
            f"gunicorn {loadtest['gunicorn']['workers']} {loadtest['gunicorn']['worker_class']} workers"
            f"{' x ' + str(loadtest['gunicorn']['threads']) + ' threads' if loadtest['gunicorn'].get('threads') else ''}"
            f" on {loadtest['gunicorn']['bind']}, database "
            f"{loadtest['database']['database']} (demo data, {loadtest['database']['partners']} partners). Mix (% of "
            "requests): " + ", ".join(f"{k} {v}" for k, v in loadtest["mix_percent"].items()) + ". The bare view "
            "(bench/load_urls.py) renders a small template through SIGAP's middleware in the same gunicorn.",
        ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"))
    args = parser.parse_args()
    text = render()
    Path(args.out).write_text(text)
    print(text)
    print(f"written to {Path(args.out).relative_to(ROOT) if Path(args.out).is_relative_to(ROOT) else args.out}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
