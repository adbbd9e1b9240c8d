"""Backups: one archive holding the database and the uploaded files, and the way back.

The archive is a gzipped tar:

- ``data/<app_label>.<model>.jsonl``: one table per file, one row per line (a JSON list of the column values in
  the order the manifest names them), ordered by primary key. The sha256 of the file is the table's checksum;
  after a restore the same serialisation is run over the restored table and must give the same hash.
- ``media/<path>``: every file under MEDIA_ROOT.
- ``manifest.json``, written last: version, date, database vendor, applied migrations, per table the columns,
  row count and checksum, per media file the size and checksum. An archive cut short has no manifest.

The rows are read through Django, not by a vendor's dump tool, so an archive taken from SQLite restores into
PostgreSQL and back. Every table is read inside one transaction (REPEATABLE READ on PostgreSQL, a WAL read
snapshot on SQLite), so the archive is one consistent moment even while SIGAP keeps writing.
"""

import base64
import datetime
import decimal
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models.functions import Collate
from django.utils import timezone
from django.utils.duration import duration_string

FORMAT = "sigap-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK_ROWS = 2000
# Rows that `migrate` itself writes into a fresh database: their presence does not make a database "in use".
CREATED_BY_MIGRATE = {"contenttypes.contenttype", "auth.permission"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the person at the terminal."""


@dataclass
class TableResult:
    label: str
    rows: int
    sha256: str


@dataclass
class Summary:
    path: Path
    tables: list[TableResult] = field(default_factory=list)
    media_files: int = 0
    media_bytes: int = 0
    manifest: dict = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return sum(table.rows for table in self.tables)


# --- what is in the database -------------------------------------------------------------------------------


def backup_models(using: str = DEFAULT_DB_ALIAS) -> list[type[models.Model]]:
    """Every table Django manages, many-to-many tables and simple_history's tables included, by label."""
    existing = set(connections[using].introspection.table_names())
    found = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table not in existing:
            continue
        found.setdefault(meta.db_table, model)
    return sorted(found.values(), key=lambda model: model._meta.label_lower)


def _columns(model) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]


def _encode(value):
    """A column value as JSON, the same on every database vendor."""
    if isinstance(value, float) and value == 0:
        return 0.0  # -0.0 reads back as 0.0 on some vendors
    if value is None or isinstance(value, (bool, int, float, str, dict, list)):
        return value
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(datetime.timezone.utc)
        return value.isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return duration_string(value)
    if isinstance(value, decimal.Decimal):
        # SQLite keeps a REAL -0.0 that a sum can leave behind; written back, it reads as 0.
        return str(value.copy_abs() if value.is_zero() else value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise BackupError(f"Cannot serialise a value of type {type(value).__name__}.")


def _line(values) -> bytes:
    # sort_keys: PostgreSQL's jsonb does not keep the key order SQLite keeps.
    row = [_encode(value) for value in values]
    return (json.dumps(row, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def _rows(model, using: str):
    """The table's rows as serialised lines, in primary-key order (byte order for text keys on every vendor)."""
    connection = connections[using]
    pk = model._meta.pk
    order = "pk"
    if connection.vendor == "postgresql" and isinstance(pk, (models.CharField, models.TextField)):
        order = Collate("pk", "C")  # SQLite compares text bytewise already; PostgreSQL would use the locale
    names = [f.attname for f in _columns(model)]
    queryset = model._base_manager.using(using).order_by(order).values_list(*names)
    for values in queryset.iterator(chunk_size=CHUNK_ROWS):
        yield _line(values)


def table_checksums(using: str = DEFAULT_DB_ALIAS, labels=None) -> dict[str, tuple[int, str]]:
    """label -> (row count, sha256 of the serialised rows), for comparing two databases."""
    result = {}
    for model in backup_models(using):
        label = model._meta.label_lower
        if labels is not None and label not in labels:
            continue
        digest, count = hashlib.sha256(), 0
        for line in _rows(model, using):
            digest.update(line)
            count += 1
        result[label] = (count, digest.hexdigest())
    return result


def _applied_migrations(using: str) -> list[list[str]]:
    recorder = MigrationRecorder(connections[using])
    return sorted([app, name] for app, name in recorder.applied_migrations())


def _sigap_version() -> dict:
    info = {"version": None, "git_revision": None}
    try:
        from importlib.metadata import version

        info["version"] = version("sigap")
    except Exception:  # noqa: BLE001 - an uninstalled checkout still backs up
        pass
    try:
        revision = subprocess.run(["git", "rev-parse", "HEAD"], cwd=settings.BASE_DIR, capture_output=True,
                                  text=True, timeout=5, check=False)
        if revision.returncode == 0:
            info["git_revision"] = revision.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    return info


# --- backup ------------------------------------------------------------------------------------------------


class _Snapshot:
    """One read transaction over every table: REPEATABLE READ on PostgreSQL, a deferred (read) transaction on
    SQLite, whose WAL snapshot is fixed at the first read, so writers are not kept waiting on the backup."""

    def __init__(self, using: str):
        self.connection = connections[using]
        self.atomic = transaction.atomic(using=using)

    def __enter__(self):
        outermost = not self.connection.in_atomic_block
        self.connection.ensure_connection()  # connecting sets transaction_mode from the settings
        mode = getattr(self.connection, "transaction_mode", None)
        if outermost and self.connection.vendor == "sqlite":
            self.connection.transaction_mode = "DEFERRED"
        try:
            self.atomic.__enter__()
        finally:
            if outermost and self.connection.vendor == "sqlite":
                self.connection.transaction_mode = mode
        if outermost and self.connection.vendor == "postgresql":
            with self.connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        return self

    def __exit__(self, *exc):
        return self.atomic.__exit__(*exc)


class _HashingReader:
    """Reads a file for tarfile while hashing exactly the bytes that go into the archive."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        chunk = self.handle.read(size)
        self.digest.update(chunk)
        return chunk


def _tarinfo(name: str, size: int, mtime: float | None = None) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(mtime if mtime is not None else timezone.now().timestamp())
    info.mode = 0o600
    return info


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def default_backup_path() -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR) / "backups" / f"sigap-{stamp}.tar.gz"


def backup_write(*, output: Path | str | None = None, using: str = DEFAULT_DB_ALIAS, progress=None) -> Summary:
    """Write the database and MEDIA_ROOT into one archive at ``output``.

    Rule: every table is read inside one transaction, so the archive is one moment of the database. The archive
    is written next to its final name and renamed when complete, so a failed backup leaves no archive that
    looks whole. It holds personal data (NIKs, password hashes): it is created readable by its owner only.
    """
    output = Path(output) if output else default_backup_path()
    output.parent.mkdir(parents=True, exist_ok=True)
    connection = connections[using]
    summary = Summary(path=output)
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "sigap": _sigap_version(),
        "created_at": timezone.now().isoformat(),
        "database": {"vendor": connection.vendor},
        "tables": [],
        "media": [],
    }
    partial = output.with_name(output.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle, tarfile.open(fileobj=handle, mode="w:gz") as archive, \
                tempfile.TemporaryDirectory(prefix="sigap-backup-") as scratch:
            with _Snapshot(using):
                manifest["database"]["migrations"] = _applied_migrations(using)
                for model in backup_models(using):
                    label = model._meta.label_lower
                    if progress:
                        progress(f"{label} …")
                    path = Path(scratch) / f"{label}.jsonl"
                    digest, count = hashlib.sha256(), 0
                    with open(path, "wb") as rows:
                        for line in _rows(model, using):
                            rows.write(line)
                            digest.update(line)
                            count += 1
                    member = f"data/{label}.jsonl"
                    with open(path, "rb") as rows:
                        archive.addfile(_tarinfo(member, path.stat().st_size), rows)
                    path.unlink()
                    manifest["tables"].append({
                        "label": label, "table": model._meta.db_table, "file": member,
                        "columns": [f.attname for f in _columns(model)], "rows": count,
                        "sha256": digest.hexdigest(),
                    })
                    summary.tables.append(TableResult(label, count, digest.hexdigest()))
            # Files are copied after the snapshot: one uploaded meanwhile is an unused extra, nothing worse.
            media_root = _media_root()
            if media_root.is_dir():
                for path in sorted(media_root.rglob("*")):
                    if not path.is_file() or path.is_symlink():
                        continue
                    relative = path.relative_to(media_root).as_posix()
                    with open(path, "rb") as source:
                        stat = os.fstat(source.fileno())
                        reader = _HashingReader(source)
                        archive.addfile(_tarinfo(f"media/{relative}", stat.st_size, stat.st_mtime), reader)
                    manifest["media"].append({"path": relative, "size": stat.st_size,
                                              "sha256": reader.digest.hexdigest()})
                    summary.media_files += 1
                    summary.media_bytes += stat.st_size
            data = json.dumps(manifest, indent=1, ensure_ascii=False).encode()
            archive.addfile(_tarinfo(MANIFEST, len(data)), _BytesReader(data))
        os.replace(partial, output)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    summary.manifest = manifest
    return summary


class _BytesReader:
    def __init__(self, data: bytes):
        self.data, self.offset = data, 0

    def read(self, size=-1):
        end = len(self.data) if size is None or size < 0 else self.offset + size
        chunk = self.data[self.offset:end]
        self.offset += len(chunk)
        return chunk


# --- restore -----------------------------------------------------------------------------------------------


def _safe_member_path(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"The archive holds an unsafe path ({name!r}); refusing to restore it.")
    return path


def _unpack(archive_path: Path, scratch: Path) -> dict:
    """Unpack into ``scratch`` and check every member against the manifest; returns the manifest.

    Nothing in the database or MEDIA_ROOT has been touched when this raises."""
    digests: dict[str, str] = {}
    try:
        with tarfile.open(archive_path, mode="r:gz") as archive:
            for member in archive:
                path = _safe_member_path(member.name)
                if member.isdir():
                    continue
                if not member.isfile():
                    raise BackupError(f"The archive holds {member.name!r}, which is not a regular file.")
                target = scratch.joinpath(*path.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                source = archive.extractfile(member)
                digest = hashlib.sha256()
                with open(target, "wb") as out:
                    while chunk := source.read(1024 * 1024):
                        digest.update(chunk)
                        out.write(chunk)
                digests[path.as_posix()] = digest.hexdigest()
    except (tarfile.TarError, EOFError, OSError, ValueError) as error:
        # zlib errors and truncated streams surface as one of these, depending on where the cut is.
        raise BackupError(f"The archive {archive_path} is damaged or truncated ({error}); nothing was restored.")
    if MANIFEST not in digests:
        raise BackupError(f"The archive {archive_path} has no manifest: it is not a SIGAP backup, or it is damaged "
                          "or cut short; nothing was restored.")
    try:
        manifest = json.loads((scratch / MANIFEST).read_text())
    except ValueError as error:
        raise BackupError(f"The archive's manifest cannot be read ({error}); nothing was restored.")
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"{archive_path} is not a SIGAP backup of format version {FORMAT_VERSION}.")
    expected = {table["file"]: table["sha256"] for table in manifest["tables"]}
    expected.update({f"media/{item['path']}": item["sha256"] for item in manifest["media"]})
    for name, sha in expected.items():
        if digests.get(name) != sha:
            state = "is missing" if name not in digests else "does not match its checksum"
            raise BackupError(f"The archive is damaged: {name} {state}; nothing was restored.")
    extra = set(digests) - set(expected) - {MANIFEST}
    if extra:
        raise BackupError(f"The archive holds files its manifest does not list ({sorted(extra)[:3]}); "
                          "nothing was restored.")
    return manifest


def _check_schema(manifest: dict, using: str) -> dict[str, type[models.Model]]:
    here = {model._meta.label_lower: model for model in backup_models(using)}
    theirs = {tuple(m) for m in manifest["database"]["migrations"]}
    ours = {tuple(m) for m in _applied_migrations(using)}
    if theirs != ours:
        missing = sorted(theirs - ours)[:5]
        newer = sorted(ours - theirs)[:5]
        raise BackupError(
            "The backup was taken at another database schema than this one "
            f"(applied there, not here: {missing or 'none'}; applied here, not there: {newer or 'none'}). "
            "Restore it with the SIGAP version that wrote it (see its manifest), then upgrade; nothing was restored."
        )
    for table in manifest["tables"]:
        model = here.get(table["label"])
        if model is None:
            raise BackupError(f"The backup holds table {table['label']}, which this SIGAP does not have.")
        if sorted(table["columns"]) != sorted(f.attname for f in _columns(model)):
            raise BackupError(f"The columns of {table['label']} differ from this SIGAP's; nothing was restored.")
    return here


def database_holds_data(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Labels of the tables with rows, not counting what ``migrate`` writes into a fresh database."""
    return [model._meta.label_lower for model in backup_models(using)
            if model._meta.label_lower not in CREATED_BY_MIGRATE and model._base_manager.using(using).exists()]


def _load_table(model, table: dict, path: Path, using: str) -> None:
    connection = connections[using]
    by_name = {f.attname: f for f in _columns(model)}
    fields = [by_name[name] for name in table["columns"]]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields), ", ".join(["%s"] * len(fields)))

    # Raw INSERTs, not bulk_create: auto_now fields would stamp every row with today.
    def prepared(values):
        return [None if value is None else f.get_db_prep_save(f.to_python(value), connection)
                for f, value in zip(fields, values)]

    with open(path, "rb") as rows, connection.cursor() as cursor:
        batch = []
        for line in rows:
            batch.append(prepared(json.loads(line)))
            if len(batch) >= CHUNK_ROWS:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def backup_restore(*, archive: Path | str, replace: bool = False, using: str = DEFAULT_DB_ALIAS,
                   progress=None) -> Summary:
    """Bring an archive back: the database in one transaction, then MEDIA_ROOT.

    Rules: the archive is unpacked and every member checked against the manifest before the database is touched;
    a database that already holds data is refused unless ``replace`` (then every table is emptied first, in the
    same transaction); after loading, every table's row count and checksum must equal the manifest's, or the
    transaction is rolled back and nothing is restored. PostgreSQL's sequences are moved past the loaded keys.
    """
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"No such archive: {archive}")
    connection = connections[using]
    media_root = _media_root()
    staging_parent = media_root.parent if media_root.parent.is_dir() and os.access(media_root.parent, os.W_OK) \
        else None
    summary = Summary(path=archive)
    with tempfile.TemporaryDirectory(prefix=".sigap-restore-", dir=staging_parent) as scratch:
        scratch = Path(scratch)
        if progress:
            progress("checking the archive …")
        manifest = _unpack(archive, scratch)
        here = _check_schema(manifest, using)
        in_use = database_holds_data(using)
        if in_use and not replace:
            raise BackupError(
                f"The database already holds data ({', '.join(in_use[:5])}{' …' if len(in_use) > 5 else ''}). "
                "Restore into a freshly migrated database, or pass --yes to delete everything in it first.")
        with transaction.atomic(using=using):
            tables = [model._meta.db_table for model in here.values()]
            # PostgreSQL refuses to TRUNCATE a table with deferred foreign-key checks still pending in this
            # transaction: run them first (check_constraints sets them IMMEDIATE, then DEFERRED again).
            if connection.vendor == "postgresql":
                connection.check_constraints(table_names=tables)
            with connection.cursor() as cursor:
                for statement in connection.ops.sql_flush(no_style(), tables, reset_sequences=False,
                                                          allow_cascade=False):
                    cursor.execute(statement)
            for table in manifest["tables"]:
                if progress:
                    progress(f"{table['label']}: {table['rows']} rows …")
                _load_table(here[table["label"]], table, scratch / table["file"], using)
            connection.check_constraints(table_names=tables)
            statements = connection.ops.sequence_reset_sql(no_style(), list(here.values()))
            if statements:
                with connection.cursor() as cursor:
                    for statement in statements:
                        cursor.execute(statement)
            if progress:
                progress("verifying row counts and checksums …")
            restored = table_checksums(using, labels={table["label"] for table in manifest["tables"]})
            for table in manifest["tables"]:
                count, sha = restored[table["label"]]
                if count != table["rows"] or sha != table["sha256"]:
                    raise BackupError(
                        f"After loading, {table['label']} has {count} rows with checksum {sha[:12]}, the backup "
                        f"{table['rows']} rows with {table['sha256'][:12]}; the restore was rolled back.")
                summary.tables.append(TableResult(table["label"], count, sha))
        from django.contrib.contenttypes.models import ContentType
        from django.core.cache import cache

        ContentType.objects.clear_cache()
        cache.clear()  # pages kept rendered (the catalogue) showed the rows just replaced
        # The database is in; now the files, each moved from the checked staging copy.
        for item in manifest["media"]:
            target = media_root.joinpath(*PurePosixPath(item["path"]).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(scratch / "media" / item["path"], target)
            summary.media_files += 1
            summary.media_bytes += item["size"]
    summary.manifest = manifest
    return summary
