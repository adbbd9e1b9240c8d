import gzip
import hashlib
import io
import json
import shutil
import tarfile
import threading
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.urls import reverse
from PIL import Image

from conftest import client_for
from sigap.accounts.models import User
from sigap.backups import services
from sigap.backups.services import table_checksums
from sigap.demo.data import load_demo
from sigap.market.models import Listing
from sigap.market.services import listing_save
from sigap.organisations.models import Kind, Organisation


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 120, 60)).save(buffer, "PNG")
    return SimpleUploadedFile("foto.png", buffer.getvalue(), content_type="image/png")


def media_files(settings) -> dict[str, str]:
    root = Path(settings.MEDIA_ROOT)
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def demo(db, settings):
    """The demo, a listing photo uploaded through the market service, and a loose file in MEDIA_ROOT."""
    load_demo()
    listing = Listing.objects.select_related("partner").order_by("pk").first()
    officer = User.objects.get(username="tala" if listing.partner.region_id.startswith("63.01") else "hsu")
    listing_save(by=officer, partner=listing.partner, listing=listing, photo=png())
    extra = Path(settings.MEDIA_ROOT) / "training_materials" / "modul jahit.txt"
    extra.parent.mkdir(parents=True, exist_ok=True)
    extra.write_text("Modul menjahit masker sasirangan\n")
    return listing


def wipe(settings):
    connection.check_constraints()  # PostgreSQL will not TRUNCATE with this test's deferred checks pending
    call_command("flush", "--no-input", verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


def test_a_backup_restored_into_an_emptied_database_gives_back_every_table_and_file(demo, settings, tmp_path):
    before = table_checksums()
    files_before = media_files(settings)
    assert before["regions.region"][0] > 1000
    assert before["partners.historicalpartner"][0] > 0, "simple_history's tables are part of the backup"
    assert before["trainings.training_instructors"][0] > 0, "many-to-many tables too"
    assert any(name.startswith("listings/") or name.endswith(".jpg") for name in files_before)
    archive = tmp_path / "sigap.tar.gz"

    call_command("backup", "--output", str(archive), stdout=io.StringIO())
    wipe(settings)
    assert User.objects.count() == 0 and media_files(settings) == {}
    assert client_for(None).get(reverse("market:catalogue")).status_code == 200  # an empty catalogue, kept
    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)

    assert table_checksums() == before
    assert demo.title in client_for(None).get(reverse("market:catalogue")).content.decode(), "no kept page survives"
    assert media_files(settings) == files_before
    assert "checksums verified" in out.getvalue()
    assert User.objects.get(username="tala").check_password("sigap-demo-2020")


def test_the_manifest_names_the_version_the_vendor_and_every_table_with_its_rows_and_checksum(demo, tmp_path):
    archive = tmp_path / "sigap.tar.gz"
    services.backup_write(output=archive)

    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
        regions = tar.extractfile("data/regions.region.jsonl").read()
    assert names[-1] == "manifest.json", "the manifest is the archive's last member: a cut archive has none"
    assert manifest["sigap"]["version"]
    assert manifest["database"]["vendor"] == connection.vendor
    tables = {t["label"]: t for t in manifest["tables"]}
    assert tables.keys() == table_checksums().keys()
    assert tables["regions.region"]["rows"] == regions.count(b"\n")
    assert tables["regions.region"]["sha256"] == hashlib.sha256(regions).hexdigest()
    assert archive.stat().st_mode & 0o077 == 0, "the archive holds personal data: readable by its owner only"
    assert not list(tmp_path.glob("*.partial"))


def test_a_restore_into_a_database_that_holds_data_is_refused_without_yes(demo, settings, tmp_path):
    archive = tmp_path / "sigap.tar.gz"
    services.backup_write(output=archive)
    before = table_checksums()
    User.objects.create(username="after-the-backup")

    with pytest.raises(CommandError, match="already holds data.*--yes"):
        call_command("restore", str(archive))
    assert User.objects.filter(username="after-the-backup").exists()

    call_command("restore", str(archive), "--yes", stdout=io.StringIO())
    assert not User.objects.filter(username="after-the-backup").exists()
    assert table_checksums() == before


def damaged_copies(archive: Path, tmp_path: Path) -> dict[str, Path]:
    data = archive.read_bytes()
    copies = {"truncated": data[: len(data) // 2], "empty": b"", "not an archive": b"PK\x03\x04 hello"}
    flipped = bytearray(data)
    flipped[len(data) // 3] ^= 0xFF
    copies["a flipped byte"] = bytes(flipped)
    # A well-formed archive whose table no longer matches the manifest's checksum.
    raw = bytearray(gzip.decompress(data))
    index = raw.find(b'"Konveksi Tuntung Pandang"')
    assert index > 0
    raw[index + 2] = ord("X")
    copies["an edited table"] = gzip.compress(bytes(raw))
    paths = {}
    for name, content in copies.items():
        paths[name] = tmp_path / f"{name}.tar.gz"
        paths[name].write_bytes(content)
    return paths


def test_a_damaged_or_truncated_archive_is_refused_and_leaves_database_and_media_untouched(demo, settings, tmp_path):
    archive = tmp_path / "sigap.tar.gz"
    services.backup_write(output=archive)
    User.objects.create(username="after-the-backup")
    before, files_before = table_checksums(), media_files(settings)

    for name, path in damaged_copies(archive, tmp_path).items():
        with pytest.raises(CommandError, match="damaged|truncated|manifest") as refusal:
            call_command("restore", str(path), "--yes")
        assert "nothing was restored" in str(refusal.value), name
        assert table_checksums() == before, name
        assert media_files(settings) == files_before, name


def test_a_restore_whose_tables_do_not_verify_is_rolled_back_whole(demo, settings, tmp_path, monkeypatch):
    archive = tmp_path / "sigap.tar.gz"
    services.backup_write(output=archive)
    User.objects.create(username="after-the-backup")
    before = table_checksums()
    real = services.table_checksums

    def one_table_off(using, labels=None):
        result = real(using, labels)
        result["regions.region"] = (result["regions.region"][0], "0" * 64)
        return result

    monkeypatch.setattr(services, "table_checksums", one_table_off)
    with pytest.raises(CommandError, match="regions.region has .* rolled back"):
        call_command("restore", str(archive), "--yes")

    monkeypatch.undo()
    assert table_checksums() == before, "the flush and the load were undone together"


def test_a_missing_archive_is_named(db):
    with pytest.raises(CommandError, match="No such archive: /nowhere/sigap.tar.gz"):
        call_command("restore", "/nowhere/sigap.tar.gz")


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL and a second connection")
def test_a_backup_taken_while_another_connection_writes_is_one_moment(transactional_db, tmp_path, monkeypatch):
    """The writer adds an office and its history row in one transaction; the backup reads the history table
    first and the office table a while later. Read committed would see offices whose history it missed."""
    stop = threading.Event()
    written = []

    def writer():
        try:
            while not stop.is_set():
                with transaction.atomic():  # the office and its history row, together or not at all
                    office = Organisation.objects.create(
                        name=f"Kantor {len(written)}", code=f"RACE-{len(written)}", kind=Kind.TASK_FORCE,
                        region_id="63")
                written.append(office.pk)  # counted once committed, so the backup below sees at least five
        finally:
            connection.close()

    real_rows = services._rows

    def slow_rows(model, using):
        yield from real_rows(model, using)
        time.sleep(0.02)  # widen the gap between tables

    monkeypatch.setattr(services, "_rows", slow_rows)
    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 5:
            time.sleep(0.01)
        archive = tmp_path / "sigap.tar.gz"
        services.backup_write(output=archive)
        written_during = len(written)
    finally:
        stop.set()
        thread.join(timeout=30)

    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        columns = {t["label"]: t["columns"] for t in manifest["tables"]}

        def ids(label, where=lambda row: True):
            rows = [dict(zip(columns[label], json.loads(line))) for line in tar.extractfile(f"data/{label}.jsonl")]
            return {row["id"] for row in rows if where(row)}

        offices = ids("organisations.organisation")
        histories = ids("organisations.historicalorganisation", lambda row: row["history_type"] == "+")
    assert offices == histories
    assert 5 <= len(offices) < written_during + 1
