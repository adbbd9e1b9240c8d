#!/usr/bin/env python
"""Stock ledger benchmark: posting throughput, and whether reading a balance slows as the history grows.

    .venv/bin/python bench/ledger_bench.py [--movements 100000] [--lines 2] [--reads 1000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/ledger_bench.py

With no DATABASE_URL it runs on a fresh SQLite file in a temporary directory (SIGAP_VAR_DIR), with the settings
SIGAP uses in production (WAL, synchronous=NORMAL, IMMEDIATE transactions). With a PostgreSQL DATABASE_URL it
connects to that server only to create its own database (``sigap_bench``, or --database), runs there and drops
it afterwards; the database named in the URL is not touched.

The run migrates, creates one office store, four partner workshops, two items and an officer through the ORM,
receives enough fabric into the store, then posts ``--movements`` movements through ``ledger.post()``: by default
two-line issues (0.5 m out of the store, 0.5 m into one of the workshops in turn), i.e. 50,000 postings of two
movements for 100,000 movements. Every posting touches the store's fabric balance, so that balance's own history
grows with the ledger. When the ledger holds 1k, 10k and 100k movements the run pauses and times
``ledger.on_hand()`` of that balance (median of ``--reads`` reads), next to the naive alternative of summing its
movements, which does grow with the history.

Prints a markdown table and appends the run to bench/out/ledger-<vendor>.json (bench/out is git-ignored).
"""

import argparse
import datetime
import os
import platform
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

from benchlib import append_run, cleanup, git_revision, prepare_environment, server_version

ROOT = Path(__file__).resolve().parent.parent
CHECKPOINTS = (1_000, 10_000, 100_000)
GOAL_POSTINGS_PER_SECOND = 500  # on PostgreSQL


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--movements", type=int, default=100_000, help="movements to post (default 100000)")
    parser.add_argument("--lines", type=int, choices=(1, 2), default=2,
                        help="movements per posting: 2 = issues store -> workshop (default), 1 = adjustments")
    parser.add_argument("--reads", type=int, default=1000, help="on_hand() reads per checkpoint (default 1000)")
    parser.add_argument("--naive-reads", type=int, default=50, help="Sum() reads per checkpoint (default 50)")
    parser.add_argument("--workers", type=int, default=None,
                        help="then post concurrently from this many processes, each to its own store "
                             "(default 4 on PostgreSQL, 0 = skip on SQLite)")
    parser.add_argument("--worker-postings", type=int, default=2000, help="postings per worker process")
    parser.add_argument("--synchronous-commit", choices=("on", "off"), default="on",
                        help="PostgreSQL only: off lets a commit return before its WAL is flushed to disk")
    parser.add_argument("--database", default="sigap_bench", help="PostgreSQL database to create and drop")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database / SQLite file")
    return parser.parse_args()


# The database the benchmark owns --------------------------------------------------------------------------

# The world ------------------------------------------------------------------------------------------------

def build_world(workers: int):
    from sigap.accounts.models import Role, User
    from sigap.items.models import Item
    from sigap.organisations.models import Kind, Organisation
    from sigap.partners.models import Partner
    from sigap.regions.models import Level, Region
    from sigap.stock.services import location_for_office, location_for_partner

    province = Region.objects.create(code="63", name="Kalimantan Selatan", level=Level.PROVINCE, kind="provinsi")
    regency = Region.objects.create(code="63.01", name="Tanah Laut", level=Level.REGENCY, kind="kabupaten",
                                    parent=province)
    office = Organisation.objects.create(name="Disnakerind Kabupaten Tanah Laut", short_name="Disnakerind Tala",
                                         code="DISNAKERIND-TALA", kind=Kind.DISTRICT_INDUSTRY_OFFICE, region=regency)
    def partner(n):
        return Partner.objects.create(name=f"Konveksi Bench {n}", nib=f"9120001230{n:03d}", owner_name="Bench",
                                      address="Jl. A. Yani", region=regency, sector="garment",
                                      assisting_office=office, joined_on=datetime.date(2020, 1, 1))

    def office_of_worker(n):
        return Organisation.objects.create(name=f"Bench office {n}", code=f"BENCH-{n}", region=regency,
                                           kind=Kind.DISTRICT_INDUSTRY_OFFICE)

    partners = [partner(n) for n in range(4)]
    fabric = Item.objects.create(code="kain-sasirangan", name="Kain sasirangan", kind="material", unit="m")
    mask = Item.objects.create(code="masker-kain-3-lapis", name="Masker kain 3 lapis", kind="product", unit="pcs")
    officer = User.objects.create_user(username="bench_officer", password="sandi-rahasia-1",
                                       role=Role.DISTRICT_OFFICER, organisation=office)
    return {
        "store": location_for_office(office),
        "workshops": [location_for_partner(p) for p in partners],
        "fabric": fabric,
        "mask": mask,
        "officer": officer,
        # For the concurrent phase: each worker issues from its own store to its own workshop.
        "worker_places": [(location_for_office(office_of_worker(n)), location_for_partner(partner(100 + n)))
                          for n in range(workers)],
    }


# Measuring ------------------------------------------------------------------------------------------------

def _median_us(samples):
    return statistics.median(samples) * 1e6


def _p95_us(samples):
    return statistics.quantiles(samples, n=20)[-1] * 1e6 if len(samples) >= 20 else max(samples) * 1e6


def measure_reads(world, reads: int, naive_reads: int) -> dict:
    from django.db import connection
    from django.db.models import Sum

    from sigap.stock import ledger
    from sigap.stock.models import Movement

    item, location = world["fabric"], world["store"]
    expected = ledger.on_hand(item, location)
    on_hand = []
    for _ in range(reads):
        started = time.perf_counter()
        value = ledger.on_hand(item, location)
        on_hand.append(time.perf_counter() - started)
    assert value == expected
    naive = []
    for _ in range(naive_reads):
        started = time.perf_counter()
        total = Movement.objects.filter(item=item, location=location).aggregate(total=Sum("quantity"))["total"]
        naive.append(time.perf_counter() - started)
    assert abs(total - expected) < Decimal("0.001"), (total, expected)
    reference = []
    with connection.cursor() as cursor:
        for _ in range(reads):
            started = time.perf_counter()
            cursor.execute("SELECT 1")
            cursor.fetchone()
            reference.append(time.perf_counter() - started)
    return {
        "balance_history": Movement.objects.filter(item=item, location=location).count(),
        "on_hand_median_us": round(_median_us(on_hand), 1),
        "on_hand_p95_us": round(_p95_us(on_hand), 1),
        "naive_sum_median_us": round(_median_us(naive), 1),
        "select_1_median_us": round(_median_us(reference), 1),  # the round trip alone, for scale
    }


def run_workers(world, args) -> dict:
    """Several workers posting at once, each a process of its own with its own connection and its own balances,
    as gunicorn's worker processes of different districts are: PostgreSQL can then flush several commits with one
    disk write, and no worker waits for another's Python (threads of one process would share one interpreter lock)."""
    import multiprocessing

    from django.db import OperationalError, connection, connections

    from sigap.stock import ledger
    from sigap.stock.models import PostingKind

    fabric, officer, quantity = world["fabric"], world["officer"], Decimal("0.5")
    for store, _workshop in world["worker_places"]:
        ledger.post(kind=PostingKind.RECEIPT, by=officer,
                    lines=[ledger.Line(fabric, store, quantity * args.worker_postings)])
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(args.workers + 1)
    results = context.Queue()

    def work(store, workshop):
        done, failures = 0, []
        try:
            connection.ensure_connection()
            barrier.wait()
            for _ in range(args.worker_postings):
                try:
                    ledger.post(kind=PostingKind.ISSUE, by=officer,
                                lines=[ledger.Line(fabric, store, -quantity), ledger.Line(fabric, workshop, quantity)])
                    done += 1
                except OperationalError as error:  # SQLite: "database is locked" once busy_timeout has passed
                    failures.append(str(error))
        finally:
            results.put((done, failures))
            connection.close()

    connections.close_all()  # a forked process must open its own connection, never share the parent's
    processes = [context.Process(target=work, args=places) for places in world["worker_places"]]
    for process in processes:
        process.start()
    barrier.wait()
    started = time.perf_counter()
    outcomes = [results.get(timeout=3600) for _ in processes]
    seconds = time.perf_counter() - started
    for process in processes:
        process.join()
    if any(process.exitcode for process in processes):
        raise RuntimeError("a worker process died; see its traceback above")
    postings = sum(done for done, _failures in outcomes)
    failures = [failure for _done, worker_failures in outcomes for failure in worker_failures]
    print(f"  {args.workers} concurrent worker processes: {postings / seconds:,.1f} postings/s, "
          f"{len(failures)} failed", flush=True)
    return {"workers": args.workers, "processes": True, "postings": postings, "seconds": round(seconds, 2),
            "postings_per_s": round(postings / seconds, 1), "movements_per_s": round(2 * postings / seconds, 1),
            "failed": len(failures), "failures": sorted(set(failures))}


def run(args) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from sigap.stock import ledger
    from sigap.stock.models import Movement, PostingKind

    if connection.vendor == "postgresql" and args.synchronous_commit == "off":
        from django.db.backends.signals import connection_created

        def relax(sender, connection, **kwargs):
            with connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit TO off")

        connection_created.connect(relax, weak=False)
        connection.close()

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_s = time.perf_counter() - started
    if args.workers is None:
        args.workers = 4 if connection.vendor == "postgresql" else 0
    world = build_world(args.workers)
    store, workshops, fabric, officer = world["store"], world["workshops"], world["fabric"], world["officer"]
    quantity = Decimal("0.5")
    postings = args.movements // args.lines
    ledger.post(kind=PostingKind.RECEIPT, by=officer, lines=[ledger.Line(fabric, store, quantity * postings + 1)])

    if args.lines == 2:
        def lines_for(n):
            return [ledger.Line(fabric, store, -quantity), ledger.Line(fabric, workshops[n % 4], quantity)]
        kind = PostingKind.ISSUE
    else:
        def lines_for(n):
            return [ledger.Line(fabric, store, -quantity)]
        kind = PostingKind.ADJUSTMENT

    checkpoints = sorted({c for c in CHECKPOINTS if c <= args.movements} | {args.movements})
    # Movements posted by the loop; the opening receipt adds one more to the ledger.
    rows, posting_seconds, movements, segment_start, segment_postings = [], 0.0, 0, time.perf_counter(), 0
    cpu_seconds, segment_cpu = 0.0, time.process_time()
    next_checkpoint = iter(checkpoints)
    target = next(next_checkpoint)
    print(f"{connection.vendor}: posting {postings:,} postings of {args.lines} line(s) = "
          f"{postings * args.lines:,} movements", flush=True)
    for n in range(postings):
        ledger.post(kind=kind, by=officer, lines=lines_for(n))
        movements += args.lines
        segment_postings += 1
        if movements >= target:
            segment_seconds = time.perf_counter() - segment_start
            posting_seconds += segment_seconds
            cpu_seconds += time.process_time() - segment_cpu
            row = {"movements": movements, "postings_in_segment": segment_postings,
                   "segment_postings_per_s": round(segment_postings / segment_seconds, 1)}
            row.update(measure_reads(world, args.reads, args.naive_reads))
            rows.append(row)
            print(f"  {movements:>7,} movements: on_hand median {row['on_hand_median_us']} µs, "
                  f"naive Sum {row['naive_sum_median_us']} µs, {row['segment_postings_per_s']} postings/s",
                  flush=True)
            target = next(next_checkpoint, None) or float("inf")
            segment_start, segment_postings, segment_cpu = time.perf_counter(), 0, time.process_time()
    assert Movement.objects.count() == movements + 1

    concurrent = run_workers(world, args) if args.workers else None

    started = time.perf_counter()
    mismatches = ledger.audit()
    audit_s = time.perf_counter() - started
    return {
        "vendor": connection.vendor,
        "server": server_version(connection),
        "when": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "revision": git_revision(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "lines_per_posting": args.lines,
        "postings": postings,
        "movements": postings * args.lines,
        "posting_seconds": round(posting_seconds, 2),
        "postings_per_s": round(postings / posting_seconds, 1),
        "movements_per_s": round(postings * args.lines / posting_seconds, 1),
        # This process's own CPU per posting (Django, the ORM, the driver): the ceiling one worker can reach.
        "client_cpu_ms_per_posting": round(cpu_seconds / postings * 1000, 2),
        "synchronous_commit": args.synchronous_commit if connection.vendor == "postgresql" else None,
        "reads_per_checkpoint": args.reads,
        "checkpoints": rows,
        "concurrent": concurrent,
        "audit_seconds": round(audit_s, 3),
        "audit_clean": mismatches == [],
        "migrate_seconds": round(migrate_s, 2),
    }


def report(result: dict) -> str:
    lines = [
        f"### Ledger benchmark ({result['revision']}): {result['server']}, {result['postings']:,} postings x {result['lines_per_posting']} "
        f"line(s) = {result['movements']:,} movements",
        "",
        f"- throughput: **{result['postings_per_s']:,} postings/s**, {result['movements_per_s']:,} movements/s "
        f"({result['posting_seconds']} s of posting; this process's CPU: "
        f"{result['client_cpu_ms_per_posting']} ms per posting)",
    ]
    if result["concurrent"]:
        c = result["concurrent"]
        lines.append(f"- then {c['workers']} worker processes at once, each on its own store: **{c['postings_per_s']:,} "
                     f"postings/s** together ({c['postings']:,} postings in {c['seconds']} s"
                     + (f"; {c['failed']:,} failed: {'; '.join(c['failures'])}" if c["failed"] else "") + ")")
    if result["vendor"] == "postgresql":
        # SIGAP posts from several gunicorn worker processes; that is the throughput the goal is about.
        best = result["concurrent"]["postings_per_s"] if result["concurrent"] else result["postings_per_s"]
        verdict = "met" if best >= GOAL_POSTINGS_PER_SECOND else "NOT met"
        lines.append(f"- goal >= {GOAL_POSTINGS_PER_SECOND} postings/s on PostgreSQL (worker processes at once): "
                     f"{verdict}")
    if result["synchronous_commit"]:
        lines.append(f"- synchronous_commit = {result['synchronous_commit']}")
    lines += [
        f"- audit() of the whole ledger: {result['audit_seconds']} s, "
        f"{'clean' if result['audit_clean'] else 'MISMATCHES'}",
        f"- load average at the end: {result['load_average_at_end']} on {result['cpus']} CPUs",
        "",
        "| movements posted | that balance's movements | on_hand() median | on_hand() p95 | naive Sum() median "
        "| SELECT 1 median | postings/s in segment |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in result["checkpoints"]:
        lines.append(
            f"| {row['movements']:,} | {row['balance_history']:,} | {row['on_hand_median_us']} µs "
            f"| {row['on_hand_p95_us']} µs | {row['naive_sum_median_us']:,} µs | {row['select_1_median_us']} µs "
            f"| {row['segment_postings_per_s']:,} |"
        )
    return "\n".join(lines)


def main() -> None:
    args = parse_args()
    if args.movements < args.lines:
        sys.exit("--movements must be at least --lines")
    state = prepare_environment(args.database, prefix="ledger-bench")
    import django

    django.setup()
    try:
        result = run(args)
    finally:
        cleanup(state, args.keep)
    print()
    print(report(result))
    path = append_run(f"ledger-{result['vendor']}", result)
    print(f"\nappended to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
