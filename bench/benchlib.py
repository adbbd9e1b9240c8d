"""What SIGAP's benchmarks share: a database of their own, the revision and server they measured."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def postgres(admin_url: str, statement: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL(statement).format(sql.Identifier(name)))


def prepare_environment(database: str, *, prefix: str) -> dict:
    """Point SIGAP at a database of its own before Django starts: a fresh PostgreSQL database named ``database``
    on the server DATABASE_URL names, or a SQLite file when DATABASE_URL is unset. Returns what cleanup() needs."""
    var_dir = tempfile.mkdtemp(prefix=f"sigap-{prefix}-")
    os.environ["SIGAP_VAR_DIR"] = var_dir  # the secret key, the cache and (for SQLite) the database go here
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sigap.settings")
    state = {"var_dir": var_dir, "admin_url": None, "database": None}
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://", "pgsql://")):
        if urlsplit(url).path.strip("/") == database:
            sys.exit(f"DATABASE_URL already names {database!r}; give another --database for the benchmark")
        postgres(url, "DROP DATABASE IF EXISTS {} WITH (FORCE)", database)
        postgres(url, "CREATE DATABASE {}", database)
        os.environ["DATABASE_URL"] = with_database(url, database)
        state.update(admin_url=url, database=database)
    elif url:
        sys.exit("DATABASE_URL must be a PostgreSQL URL, or unset for SQLite")
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(var_dir) / f'{prefix}.sqlite3'}"
    sys.path.insert(0, str(ROOT))
    return state


def cleanup(state: dict, keep: bool) -> None:
    from django.db import connections

    connections.close_all()
    if keep:
        print(f"\nkept: {state['database'] or state['var_dir']}")
        return
    if state["admin_url"]:
        postgres(state["admin_url"], "DROP DATABASE IF EXISTS {} WITH (FORCE)", state["database"])
    shutil.rmtree(state["var_dir"], ignore_errors=True)


def git_revision() -> str | None:
    """The commit measured, "+dirty" when SIGAP's code differs from it."""
    try:
        revision = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                                  check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "sigap"], cwd=ROOT, capture_output=True,
                               text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return f"{revision}{'+dirty' if dirty else ''}"


def server_version(connection) -> str:
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def append_run(name: str, result: dict) -> Path:
    """Add one run to bench/out/<name>.json, which keeps every run as a list (bench/results.py reads the last)."""
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.json"
    runs = []
    if path.exists():
        try:
            runs = json.loads(path.read_text())
        except ValueError:
            runs = []
        if not isinstance(runs, list):
            runs = [runs]
    runs.append(result)
    path.write_text(json.dumps(runs, indent=2) + "\n")
    return path
