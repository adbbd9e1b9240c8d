"""Shared test fixtures: a small South Kalimantan world with one named user per role.

- tala_officer: district officer of Disnakerind Tala (Tanah Laut, 63.01)
- hsu_officer: district officer of Disperindagkop-UKM HSU (Hulu Sungai Utara, 63.08)
- province_officer: officer of the Kalsel provincial industry office (63)
- partner_user: the owner of a Tala partner
- outsider: a district officer in East Kalimantan (64), outside every Kalsel record
- instructor, health_expert (HSU office / province office), agency_user (GTPP Tala), admin
"""

import datetime
import os
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from sigap.regions.services import regions_load

# CI runs on a loaded machine: no property test may fail because one example or its generation was slow.
hypothesis_settings.register_profile("sigap", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("sigap")

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

TEST_PROVINCES = ["63", "64", "31"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        regions_load(province_codes=TEST_PROVINCES)


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Services raise messages in the active language; tests match them in English. Pages still answer in the
    language of the request (Indonesian by default), which the view tests check."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    from django.core.cache import cache

    cache.clear()


def make_world():
    from sigap.accounts.models import Role, User
    from sigap.items.models import Item
    from sigap.organisations.models import Kind, Organisation
    from sigap.partners.models import Partner, PartnerProduct

    w = SimpleNamespace()
    w.province_office = Organisation.objects.create(
        name="Dinas Perindustrian Provinsi Kalimantan Selatan", short_name="Disperin Kalsel",
        code="DISPERIN-KALSEL", kind=Kind.PROVINCIAL_INDUSTRY_OFFICE, region_id="63")
    w.tala_office = Organisation.objects.create(
        name="Disnakerind Kabupaten Tanah Laut", short_name="Disnakerind Tala", code="DISNAKERIND-TALA",
        kind=Kind.DISTRICT_INDUSTRY_OFFICE, region_id="63.01")
    w.hsu_office = Organisation.objects.create(
        name="Disperindagkop-UKM Kabupaten Hulu Sungai Utara", short_name="Disperindagkop-UKM HSU",
        code="DISPERINDAGKOP-UKM-HSU", kind=Kind.DISTRICT_INDUSTRY_OFFICE, region_id="63.08")
    w.gtpp_tala = Organisation.objects.create(
        name="GTPP Covid-19 Kabupaten Tanah Laut", code="GTPP-COVID19-TALA", kind=Kind.TASK_FORCE, region_id="63.01")
    w.kaltim_office = Organisation.objects.create(
        name="Disperindag Kabupaten Paser", code="DISPERINDAG-PASER", kind=Kind.DISTRICT_INDUSTRY_OFFICE,
        region_id="64.01")

    w.mask = Item.objects.create(code="masker-kain-3-lapis", name="Masker kain 3 lapis", kind="product", unit="pcs")
    w.suit = Item.objects.create(code="baju-hazmat", name="Baju hazmat", kind="product", unit="pcs")
    w.fabric = Item.objects.create(code="kain-sasirangan", name="Kain sasirangan", kind="material", unit="m")

    w.tala_partner = Partner.objects.create(
        name="Konveksi Tuntung Pandang", nib="9120001230001", owner_name="Hj. Rusmilawati", address="Jl. A. Yani",
        region_id="63.01.03.1005", phone="+6281251230001", sector="garment", assisting_office=w.tala_office,
        joined_on=datetime.date(2019, 3, 12))
    PartnerProduct.objects.create(partner=w.tala_partner, item=w.suit, weekly_capacity=40)
    w.hsu_partner = Partner.objects.create(
        name="Sasirangan Amuntai Indah", nib="9120001230005", owner_name="Hj. Siti Aisyah",
        address="Jl. Norman Umar", region_id="63.08.05.1001", phone="+6281351230005", sector="garment",
        assisting_office=w.hsu_office, joined_on=datetime.date(2018, 8, 1))
    PartnerProduct.objects.create(partner=w.hsu_partner, item=w.mask, weekly_capacity=800)
    w.kaltim_partner = Partner.objects.create(
        name="Konveksi Paser", nib="9120009990001", owner_name="Andi", address="Jl. Tanah Grogot",
        region_id="64.01.01", sector="garment", assisting_office=w.kaltim_office,
        joined_on=datetime.date(2020, 1, 1))

    def user(username, role, organisation=None, partner=None, **extra):
        u = User.objects.create_user(username=username, password="sandi-rahasia-1", role=role,
                                     organisation=organisation, partner=partner, **extra)
        setattr(w, username, u)
        return u

    user("tala_officer", Role.DISTRICT_OFFICER, w.tala_office, first_name="Budi")
    user("hsu_officer", Role.DISTRICT_OFFICER, w.hsu_office, first_name="Yani")
    user("province_officer", Role.PROVINCIAL_OFFICER, w.province_office, first_name="Rahmi")
    user("partner_user", Role.PARTNER, partner=w.tala_partner)
    user("outsider", Role.DISTRICT_OFFICER, w.kaltim_office)
    user("instructor", Role.INSTRUCTOR, w.hsu_office)
    user("health_expert", Role.HEALTH_EXPERT, w.province_office)
    user("agency_user", Role.AGENCY, w.gtpp_tala)
    user("admin", Role.ADMIN, is_staff=True, is_superuser=True)
    return w


@pytest.fixture
def world(db):
    return make_world()


@pytest.fixture(autouse=True)
def login_clock(monkeypatch):
    """The login throttle's clock, stopped for every test; ``login_clock.advance(seconds)`` moves it. A test of
    waiting never sleeps, and no test depends on how long its requests took."""
    from sigap.accounts import throttle

    clock = SimpleNamespace(now=1_900_000_000.0)
    clock.advance = lambda seconds: setattr(clock, "now", clock.now + seconds)
    monkeypatch.setattr(throttle, "_now", lambda: clock.now)
    return clock


def client_for(user):
    from django.test import Client

    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def xlsx_upload(rows, name: str = "data.xlsx"):
    """An Excel file holding these rows (a header first, if any), as an import form receives it."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def download_rows(response) -> list[list]:
    """The rows of a CSV or Excel export, header first: CSV cells as text, Excel cells with their types (an empty
    cell is None). Reading the body runs the export's queries, so count them around this call."""
    import csv
    import io

    from openpyxl import load_workbook

    assert response.status_code == 200, response.status_code
    body = b"".join(response.streaming_content)
    if response["Content-Type"].startswith("text/csv"):
        return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert response["Content-Disposition"].endswith('.xlsx"')
    return [list(row) for row in load_workbook(io.BytesIO(body), read_only=True).active.iter_rows(values_only=True)]
