#!/usr/bin/env python
"""National-scale data for SIGAP's benchmarks: every regency of Indonesia, about 100,000 IKM partners and two years
of documents with their stock ledger, written in bulk.

    .venv/bin/python bench/national_data.py --movements 1000000 [--fresh]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sigap_bench_1m .venv/bin/python bench/national_data.py \\
        --movements 1000000

Without DATABASE_URL it writes a SQLite file, bench/out/national.sqlite3 (--sqlite); with a PostgreSQL URL it
writes into that database. The database is migrated first and must not hold partners or a ledger yet: --fresh
deletes the SQLite file, or drops and recreates the PostgreSQL database when its name starts with
``sigap_bench`` (no other database is ever dropped). SIGAP_VAR_DIR defaults to bench/out/var, so the secret key
and the cache of these runs stay out of var/.

What it makes:

- all regions (``manage.py load_regions --if-empty``: 38 provinces, 514 regencies and cities, their districts
  and villages);
- items: five products (masker-kain-3-lapis, baju-hazmat, face-shield, hand-sanitizer, set-apd, with a bill of
  materials) and three materials (kain, benang, karet);
- per province a provincial industry office, a provincial officer and a health expert; per regency a district
  industry office with its store, a district officer, a Covid-19 task force, a disaster agency and
  --partners-per-regency IKM partners (200: 102,800 in all), each in a village of the regency, with a workshop
  and one or two products it makes; plus one administrator (bench_admin);
- from 2020-01-01 to 2021-12-31, spread evenly over the days and at random over the regencies: material
  receipts into the office stores, issues of materials to partner workshops, production batches with their
  inspection (accepted production enters the workshop and uses up the materials of its bill of materials that
  the workshop holds, as ``inspection_record`` does), transfers of products from workshops to the office store,
  handovers with their certificates (BAST numbers per office and year, verification codes) to the regency's task
  force, disaster agency or the provincial office, and sales from the workshops;
- each document's posting (dated on the document's date) and signed movements with the running balance after
  each, the final balances, and the handover number sequences, until the ledger holds --movements movements (the
  last document may add a few more).

Rows are not written through the services one by one but in bulk (COPY on PostgreSQL, executemany on SQLite),
with ids assigned here and every balance tracked in a dict, so that ``balance_after`` and ``Balance`` are what the
ledger would have written; no balance ever goes negative. Then ``figures_rebuild()`` computes the dashboards'
summary figures from the documents, ``ledger.audit()`` checks the balances against the movements (unless
--no-audit), and PostgreSQL is vacuumed and analysed. Prints the counts and the time of each step, and writes
them to bench/out/national-<database>.json.

Every user's password is ``bench-sandi-2021``.
"""

import argparse
import datetime
import json
import os
import platform
import random
import secrets
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
FIRST_DAY = datetime.date(2020, 1, 1)
LAST_DAY = datetime.date(2021, 12, 31)
PASSWORD = "bench-sandi-2021"
ADMIN_USERNAME = "bench_admin"

# code, name, unit, batch size range, unit price range (Rp), bill of materials (thousandths of a unit per unit)
PRODUCTS = [
    ("masker-kain-3-lapis", "Masker kain 3 lapis", "pcs", (100, 600), (5_000, 15_000),
     {"kain": 200, "karet": 500, "benang": 10}),
    ("baju-hazmat", "Baju hazmat", "pcs", (10, 80), (75_000, 150_000), {"kain": 3000, "benang": 100, "karet": 500}),
    ("face-shield", "Face shield", "pcs", (50, 300), (10_000, 25_000), {"karet": 400}),
    ("hand-sanitizer", "Hand sanitizer 100 ml", "bottle", (50, 300), (15_000, 40_000), {}),
    ("set-apd", "Set APD", "set", (10, 50), (150_000, 300_000), {"kain": 1500, "benang": 50, "karet": 600}),
]
# code, name, unit, received per receipt (units), issued per issue (units)
MATERIALS = [
    ("kain", "Kain katun", "m", (200, 1000), (20, 120)),
    ("benang", "Benang jahit", "roll", (20, 100), (2, 12)),
    ("karet", "Karet elastis", "m", (100, 500), (10, 60)),
]
# What each regency does on a given occasion, by weight; an occasion that cannot happen (nothing to issue,
# hand over or sell) falls back to what comes before it in the chain of supply.
ACTIONS = {"receipt": 6, "issue": 20, "batch": 30, "transfer": 14, "handover": 12, "sale": 18}

FIRST_NAMES = ["Ahmad", "Siti", "Budi", "Dewi", "Rahmat", "Nur", "Hendra", "Rina", "Agus", "Fitri", "Joko", "Wati",
               "Yusuf", "Ani", "Bambang", "Lestari", "Eko", "Sri", "Hasan", "Putri", "Iwan", "Maria", "Made",
               "Ketut", "Rusmilawati", "Taufik", "Yohana", "Andi", "Fatimah", "Dedi"]
LAST_NAMES = ["Saputra", "Wijaya", "Hidayat", "Santoso", "Rahmawati", "Pratama", "Nugroho", "Siregar", "Lubis",
              "Sinaga", "Wibowo", "Kusuma", "Setiawan", "Hakim", "Sari", "Purnomo", "Halim", "Tanjung", "Daulay",
              "Manurung", "Suryani", "Gunawan", "Firmansyah", "Maharani"]
PREFIXES = ["Konveksi", "UD", "CV", "Penjahit", "IKM", "Usaha Jahit", "Rumah Produksi", "Kelompok Usaha"]
WORDS = ["Maju", "Jaya", "Sejahtera", "Berkah", "Mandiri", "Makmur", "Sentosa", "Lestari", "Abadi", "Barokah",
         "Mulia", "Karya", "Sinar", "Harapan", "Bersama", "Cahaya", "Amanah", "Bunda", "Putra", "Rezeki"]
STREETS = ["Jl. A. Yani", "Jl. Sudirman", "Jl. Diponegoro", "Jl. Pahlawan", "Jl. Merdeka", "Jl. Veteran",
           "Jl. Kartini", "Jl. Gatot Subroto", "Jl. Pemuda", "Jl. Hasanuddin", "Jl. Imam Bonjol", "Jl. Cut Nyak Dien"]
MOBILE_PREFIXES = ["811", "812", "813", "821", "822", "852", "853", "857", "858", "877", "878", "895", "896", "838"]
REJECT_REASONS = ["Jahitan tidak rapi", "Ukuran tidak sesuai standar", "Lapisan kurang dari tiga",
                  "Bahan berlubang", "Tali elastis putus", "Label tidak ada"]
DOCUMENT_PREFIX = {"receipt": "BBM", "issue": "BBK", "transfer": "MUT"}  # as StockDocument.number
ROMAN_MONTHS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
PURPOSES = [("distribution", 5), ("use", 4), ("evaluation", 1)]
CHANNELS = [("offline", 5), ("own_online", 2), ("marketplace", 2), ("government", 1)]
MARKETPLACES = ["Tokopedia", "Shopee", "Bukalapak", "Lazada"]
BUYER_TYPES = [("individual", 5), ("business", 3), ("government", 1), ("health", 1)]


# --- The database ----------------------------------------------------------------------------------------------

def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--movements", type=int, default=10_000, help="ledger movements to write (default 10000)")
    parser.add_argument("--partners-per-regency", type=int, default=200, help="IKM partners per regency (200)")
    parser.add_argument("--seed", type=int, default=2020, help="random seed (default 2020)")
    parser.add_argument("--sqlite", default=str(OUT / "national.sqlite3"),
                        help="the SQLite file when DATABASE_URL is not set (default bench/out/national.sqlite3)")
    parser.add_argument("--fresh", action="store_true",
                        help="start from an empty database: delete the SQLite file, or drop and recreate the "
                             "PostgreSQL database (only if its name starts with sigap_bench)")
    parser.add_argument("--no-audit", action="store_true", help="skip ledger.audit() at the end")
    parser.add_argument("--no-progress", action="store_true", help="draw no progress bars")
    parser.add_argument("--flush-rows", type=int, default=50_000, help="rows buffered before each bulk write")
    return parser.parse_args(argv)


def _is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://", "pgsql://"))


def _recreate_postgres(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = urlsplit(url).path.strip("/")
    if not name.startswith("sigap_bench"):
        sys.exit(f"--fresh drops only databases named sigap_bench*, not {name!r}")
    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def prepare_environment(args) -> str:
    """Point SIGAP at the database before Django starts; returns a label for the output file."""
    OUT.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("SIGAP_VAR_DIR", str(OUT / "var"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sigap.settings")
    url = os.environ.get("DATABASE_URL", "")
    if _is_postgres(url):
        if args.fresh:
            _recreate_postgres(url)
        label = urlsplit(url).path.strip("/")
    elif url:
        sys.exit("DATABASE_URL must be a PostgreSQL URL, or unset for SQLite")
    else:
        path = Path(args.sqlite).resolve()
        if args.fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
        label = path.stem
    sys.path.insert(0, str(ROOT))
    return label


# --- Bulk writing ------------------------------------------------------------------------------------------------

class Writer:
    """Buffers rows per table and writes them all, in the order the tables were registered (parents first), in
    one transaction: COPY on PostgreSQL, executemany on SQLite. Ids are given by the caller."""

    def __init__(self, flush_rows: int):
        from django.db import connection

        self.connection = connection
        self.postgres = connection.vendor == "postgresql"
        self.flush_rows = flush_rows
        self.specs, self.buffers, self.written = {}, {}, defaultdict(int)
        self.pending = 0
        self.seconds = 0.0

    def register(self, model, fields: list[str]):
        """The fields each row of ``model`` gives, in order; refuses if a NOT NULL column would be left out
        (the database has no defaults: Django fills them in Python)."""
        from django.db.models import NOT_PROVIDED

        given = set(fields)
        missing = [f.name for f in model._meta.concrete_fields
                   if f.name not in given and not f.null and getattr(f, "db_default", NOT_PROVIDED) is NOT_PROVIDED]
        if missing:
            raise SystemExit(f"{model.__name__}: the generator does not fill {', '.join(missing)}; update it")
        columns = [model._meta.get_field(name).column for name in fields]
        self.specs[model] = (model._meta.db_table, columns)
        self.buffers[model] = []
        return self.buffers[model]

    def add(self, model, row: tuple) -> None:
        self.buffers[model].append(row)
        self.pending += 1
        if self.pending >= self.flush_rows:
            self.flush()

    def flush(self) -> None:
        from django.db import transaction

        if not self.pending:
            return
        started = time.perf_counter()
        quote = self.connection.ops.quote_name
        with transaction.atomic(), self.connection.cursor() as cursor:
            for model, (table, columns) in self.specs.items():
                rows = self.buffers[model]
                if not rows:
                    continue
                names = ", ".join(quote(c) for c in columns)
                if self.postgres:
                    with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
                else:
                    marks = ", ".join(["%s"] * len(columns))
                    cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)
                self.written[model.__name__] += len(rows)
                rows.clear()
        self.pending = 0
        self.seconds += time.perf_counter() - started


def thousandths(value: int) -> str:
    """An integer count of thousandths as the decimal the database keeps ("-1.250")."""
    whole, part = divmod(abs(value), 1000)
    return f"{'-' if value < 0 else ''}{whole}.{part:03d}"


class Clock:
    """Timestamps for the rows of one day (in WITA, stored as the backend expects), a few seconds apart."""

    def __init__(self, postgres: bool, per_day: int):
        self.postgres = postgres
        self.step = max(1, 10 * 3600 // max(1, per_day))
        self.base = None
        self.tick = 0

    def start(self, day: datetime.date) -> None:
        # 08:00 WITA is 00:00 UTC
        self.base = datetime.datetime.combine(day, datetime.time())
        self.tick = 0

    def now(self) -> str:
        self.tick += 1
        moment = self.base + datetime.timedelta(seconds=min(self.tick * self.step, 36_000))
        return f"{moment}+00" if self.postgres else str(moment)

    def on(self, day: datetime.date) -> str:
        moment = datetime.datetime.combine(day, datetime.time(1, 30))
        return f"{moment}+00" if self.postgres else str(moment)


# --- The world ---------------------------------------------------------------------------------------------------

class Regency:
    __slots__ = ("code", "name", "office", "office_code", "store", "officer", "expert", "receivers", "partners",
                 "with_materials", "with_materials_set", "with_products", "with_products_set", "province_office")

    def __init__(self, code, name):
        self.code, self.name = code, name
        self.partners = []  # (partner id, workshop id, name, product ids, village code)
        self.with_materials, self.with_materials_set = [], set()
        self.with_products, self.with_products_set = [], set()


def _short(name: str) -> str:
    for prefix in ("Kabupaten ", "Kota "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def ensure_regions(progress: bool) -> float:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("load_regions", if_empty=True, no_progress=not progress)
    return time.perf_counter() - started


def build_items():
    from sigap.items.models import Component, Item

    items = {}
    for code, name, unit, *_rest in MATERIALS:
        items[code], _created = Item.objects.get_or_create(code=code, defaults={"name": name, "kind": "material",
                                                                                "unit": unit})
    for code, name, unit, *_rest, bom in PRODUCTS:
        items[code], _created = Item.objects.get_or_create(code=code, defaults={"name": name, "kind": "product",
                                                                                "unit": unit})
        for material, milli in bom.items():
            Component.objects.get_or_create(product=items[code], material=items[material],
                                            defaults={"quantity": milli / 1000})
    return items


def build_world(args, rng: random.Random, writer: Writer, items: dict) -> tuple[list[Regency], dict]:
    from django.contrib.auth.hashers import make_password
    from django.db.models import Max

    from sigap.accounts.models import Role, User
    from sigap.organisations.models import Kind, Organisation
    from sigap.partners.models import Partner, PartnerProduct
    from sigap.regions.models import Level, Region
    from sigap.stock.models import Location

    provinces = dict(Region.objects.filter(level=Level.PROVINCE).values_list("code", "name"))
    regencies = [Regency(code, name) for code, name in
                 Region.objects.filter(level=Level.REGENCY).order_by("code").values_list("code", "name")]
    villages = defaultdict(list)
    for code in Region.objects.filter(level=Level.VILLAGE).values_list("code", flat=True).iterator(chunk_size=20_000):
        villages[code[:5]].append(code)

    organisations = []
    for code, name in provinces.items():
        organisations.append(Organisation(
            name=f"Dinas Perindustrian Provinsi {name}", short_name=f"Disperin Prov. {name}",
            code=f"DISPERIN-PROV-{code}", kind=Kind.PROVINCIAL_INDUSTRY_OFFICE, region_id=code,
            address=f"Jl. Gubernur No. {code}", head_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            head_title="Kepala Dinas"))
    for regency in regencies:
        tag = regency.code.replace(".", "")
        short = _short(regency.name)
        organisations += [
            Organisation(name=f"Dinas Perindustrian {regency.name}", short_name=f"Disperin {short}",
                         code=f"DISPERIN-{tag}", kind=Kind.DISTRICT_INDUSTRY_OFFICE, region_id=regency.code,
                         address=f"Jl. Pemuda No. {tag[-2:]}",
                         head_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                         head_title="Kepala Bidang Perindustrian"),
            Organisation(name=f"Gugus Tugas Percepatan Penanganan Covid-19 {regency.name}",
                         short_name=f"GTPP Covid-19 {short}", code=f"GTPP-{tag}", kind=Kind.TASK_FORCE,
                         region_id=regency.code, head_title="Sekretaris Daerah",
                         head_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"),
            Organisation(name=f"Badan Penanggulangan Bencana Daerah {regency.name}", short_name=f"BPBD {short}",
                         code=f"BPBD-{tag}", kind=Kind.DISASTER_AGENCY, region_id=regency.code,
                         head_title="Kepala Pelaksana",
                         head_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"),
        ]
    Organisation.objects.bulk_create(organisations, batch_size=1000)
    ids = dict(Organisation.objects.filter(code__in=[o.code for o in organisations]).values_list("code", "pk"))

    password = make_password(PASSWORD)  # hashed once: hashing is deliberately slow
    users = [User(username=ADMIN_USERNAME, password=password, role=Role.ADMIN, is_staff=True, is_superuser=True,
                  first_name="Administrator", last_name="Bench")]
    for code, name in provinces.items():
        office = ids[f"DISPERIN-PROV-{code}"]
        users += [
            User(username=f"bench_prov_{code}", password=password, role=Role.PROVINCIAL_OFFICER,
                 organisation_id=office, first_name=rng.choice(FIRST_NAMES), last_name=rng.choice(LAST_NAMES),
                 position="Kepala Bidang IKM"),
            User(username=f"bench_ahli_{code}", password=password, role=Role.HEALTH_EXPERT, organisation_id=office,
                 first_name=rng.choice(FIRST_NAMES), last_name=rng.choice(LAST_NAMES), position="Tenaga Kesehatan"),
        ]
    for regency in regencies:
        users.append(User(username=f"bench_dist_{regency.code.replace('.', '_')}", password=password,
                          role=Role.DISTRICT_OFFICER, organisation_id=ids[f"DISPERIN-{regency.code.replace('.', '')}"],
                          first_name=rng.choice(FIRST_NAMES), last_name=rng.choice(LAST_NAMES),
                          position="Pengelola Data IKM"))
    User.objects.bulk_create(users, batch_size=1000)
    user_ids = dict(User.objects.filter(username__startswith="bench_").values_list("username", "pk"))

    stores = []
    for regency in regencies:
        tag = regency.code.replace(".", "")
        regency.office = ids[f"DISPERIN-{tag}"]
        regency.office_code = f"DISPERIN-{tag}"
        regency.province_office = ids[f"DISPERIN-PROV-{regency.code[:2]}"]
        regency.receivers = [ids[f"GTPP-{tag}"], ids[f"BPBD-{tag}"], regency.province_office]
        regency.officer = user_ids[f"bench_dist_{regency.code.replace('.', '_')}"]
        regency.expert = user_ids[f"bench_ahli_{regency.code[:2]}"]
        stores.append(Location(kind="office_store", name=f"Disperin {_short(regency.name)}",
                               region_id=regency.code, organisation_id=regency.office))
    Location.objects.bulk_create(stores, batch_size=1000)
    store_ids = dict(Location.objects.filter(organisation_id__in=[r.office for r in regencies])
                     .values_list("organisation_id", "pk"))
    for regency in regencies:
        regency.store = store_ids[regency.office]

    # The partners, their workshops and what they make: in bulk, with ids given here.
    partner_rows = writer.register(Partner, ["id", "name", "nib", "owner_name", "address", "region", "phone",
                                             "sector", "status", "assisting_office", "joined_on", "left_on"])
    location_rows = writer.register(Location, ["id", "kind", "name", "region", "organisation", "partner", "person"])
    writer.register(PartnerProduct, ["id", "partner", "item", "weekly_capacity"])
    del partner_rows, location_rows
    next_partner = (Partner.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    next_location = (Location.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    next_capability = (PartnerProduct.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    garment = [items[c].pk for c in ("masker-kain-3-lapis", "baju-hazmat", "set-apd")]
    joined_span = (datetime.date(2021, 12, 31) - datetime.date(2018, 1, 1)).days
    for index, regency in enumerate(regencies, start=1):
        places = villages.get(regency.code) or [regency.code]
        for n in range(args.partners_per_regency):
            roll = rng.random()
            if roll < 0.7:
                sector, makes = "garment", rng.sample(garment, rng.choice((1, 1, 2)))
            elif roll < 0.85:
                sector, makes = "plastic", [items["face-shield"].pk]
            else:
                sector, makes = "chemical", [items["hand-sanitizer"].pk]
            name = f"{rng.choice(PREFIXES)} {rng.choice(WORDS)} {rng.choice(WORDS)} {_short(regency.name)}"
            joined = datetime.date(2018, 1, 1) + datetime.timedelta(days=int(joined_span * rng.random() ** 0.7))
            left = None
            if rng.random() < 0.05:
                left = min(LAST_DAY, joined + datetime.timedelta(days=rng.randint(30, 700)))
            village = rng.choice(places)
            pk = next_partner
            next_partner += 1
            writer.add(Partner, (
                pk, name, f"91{index:04d}{n:07d}", f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                f"{rng.choice(STREETS)} No. {rng.randint(1, 250)}", village,
                f"+62{rng.choice(MOBILE_PREFIXES)}{rng.randint(10**7, 10**8 - 1)}",  # stored as +62…, as SIGAP does
                sector, "inactive" if left else "active", regency.office, joined.isoformat(),
                left.isoformat() if left else None))
            location = next_location
            next_location += 1
            writer.add(Location, (location, "partner_workshop", name, village, None, pk, None))
            for item in makes:
                writer.add(PartnerProduct, (next_capability, pk, item, rng.choice((50, 100, 200, 300, 500, 1000))))
                next_capability += 1
            regency.partners.append((pk, location, name, tuple(makes), village))
    writer.flush()
    return regencies, user_ids


# --- Two years of documents --------------------------------------------------------------------------------------

class Simulation:
    """Writes documents with their postings and movements, keeping every balance in ``self.balances``."""

    def __init__(self, writer: Writer, items: dict, rng: random.Random, clock: Clock):
        from django.contrib.contenttypes.models import ContentType
        from django.db.models import Max

        from sigap.handovers.models import Handover, HandoverLine
        from sigap.market.models import Sale
        from sigap.production.models import Batch
        from sigap.quality.models import Inspection
        from sigap.stock.models import DocumentLine, Movement, Posting, StockDocument

        self.writer, self.rng, self.clock = writer, rng, clock
        self.models = {"Posting": Posting, "StockDocument": StockDocument, "DocumentLine": DocumentLine,
                       "Batch": Batch, "Inspection": Inspection, "Handover": Handover, "HandoverLine": HandoverLine,
                       "Sale": Sale, "Movement": Movement}
        # Parents first: a flush writes the tables in this order.
        writer.register(Posting, ["id", "kind", "created_at", "occurred_on", "created_by", "note", "document_type",
                                  "document_id", "reverses"])
        writer.register(StockDocument, ["id", "kind", "office", "date", "reference", "supplier", "source",
                                        "destination", "note", "posting", "voided_posting", "void_reason",
                                        "created_by", "created_at"])
        writer.register(DocumentLine, ["id", "document", "item", "quantity"])
        writer.register(Batch, ["id", "code", "product", "quantity", "produced_on", "producer_partner",
                                "producer_person", "region", "location", "training", "status", "note", "reported_by",
                                "reported_at"])
        writer.register(Inspection, ["id", "batch", "inspector", "inspected_on", "sample_size", "accepted",
                                     "rejected", "reject_reason", "notes", "photo", "posting", "created_at"])
        writer.register(Handover, ["id", "number", "office", "giver_name", "giver_position", "giver_nip", "receiver",
                                   "receiver_name", "receiver_position", "receiver_nip", "purpose", "handed_over_on",
                                   "place", "request", "status", "verification_code", "posting", "received_at",
                                   "received_by", "received_note", "voided_posting", "void_reason", "created_by",
                                   "created_at"])
        writer.register(HandoverLine, ["id", "handover", "product", "product_name", "product_unit", "batch",
                                       "quantity", "received_quantity"])
        writer.register(Sale, ["id", "partner", "product", "sold_on", "quantity", "unit_price", "channel",
                               "marketplace", "buyer_type", "posting", "recorded_by", "created_at"])
        writer.register(Movement, ["id", "posting", "item", "location", "quantity", "balance_after"])
        self.next_id = {name: (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
                        for name, model in self.models.items()}
        self.content_types = {name: ContentType.objects.get_for_model(model).pk for name, model in self.models.items()}
        self.balances: dict[tuple[int, int], int] = {}  # (item, location) → thousandths on hand
        self.sequences: dict[tuple[int, int], int] = {}  # (office, year) → last certificate number
        self.movements = 0
        self.counts = defaultdict(int)  # documents by kind
        self.materials = [(items[code].pk, received, issued) for code, _n, _u, received, issued in MATERIALS]
        self.material_ids = {items[code].pk for code, *_rest in MATERIALS}
        self.products = {items[code].pk: {"name": name, "size": size, "price": price,
                                          "bom": [(items[m].pk, milli) for m, milli in bom.items()]}
                         for code, name, _u, size, price, bom in PRODUCTS}
        self.product_ids = list(self.products)
        self.names = {items[code].pk: items[code].name for code in items}
        self.units = {items[code].pk: items[code].unit for code in items}
        self.actions = [action for action, weight in ACTIONS.items() for _ in range(weight)]
        self.day = None
        self.day_iso = ""

    # The ledger.
    def _id(self, name: str) -> int:
        value = self.next_id[name]
        self.next_id[name] = value + 1
        return value

    def on_hand(self, item: int, location: int) -> int:
        return self.balances.get((item, location), 0)

    def post(self, kind: str, by: int, note: str, document: str, document_id: int, lines, when: str) -> int:
        """One posting with its movements; ``lines`` are (item, location, signed thousandths)."""
        posting = self._id("Posting")
        self.writer.add(self.models["Posting"], (posting, kind, when, self.day_iso, by, note[:255],
                                                 self.content_types[document], document_id, None))
        movement_model = self.models["Movement"]
        for item, location, delta in lines:
            key = (item, location)
            after = self.balances.get(key, 0) + delta
            if after < 0 or delta == 0:
                raise AssertionError(f"balance of {key} would be {after} after {delta}")
            self.balances[key] = after
            self.writer.add(movement_model, (self._id("Movement"), posting, item, location, thousandths(delta),
                                             thousandths(after)))
        self.movements += len(lines)
        self.counts[f"postings:{kind}"] += 1
        return posting

    @staticmethod
    def _remember(regency_list, regency_set, index) -> None:
        if index not in regency_set:
            regency_set.add(index)
            regency_list.append(index)

    def _pick(self, candidates: list, members: set, holds) -> int | None:
        """A random candidate that still ``holds`` something; the others are dropped on the way."""
        while candidates:
            i = self.rng.randrange(len(candidates))
            index = candidates[i]
            if holds(index):
                return index
            candidates[i] = candidates[-1]
            candidates.pop()
            members.discard(index)
        return None

    def _stock_document(self, kind, regency, lines, source, destination, supplier=None, reference=""):
        """A receipt, issue or transfer and its posting; ``lines`` are (item, thousandths)."""
        document = self._id("StockDocument")
        number = f"{DOCUMENT_PREFIX[kind]}-{document:05d}"
        when = self.clock.now()
        ledger = []
        for item, quantity in lines:
            if source is not None:
                ledger.append((item, source, -quantity))
            ledger.append((item, destination, quantity))
        posting = self.post(kind, regency.officer, number, "StockDocument", document, ledger, when)
        self.writer.add(self.models["StockDocument"], (
            document, kind, regency.office, self.day_iso, reference, supplier, source, destination, "", posting,
            None, "", regency.officer, when))
        for item, quantity in lines:
            self.writer.add(self.models["DocumentLine"], (self._id("DocumentLine"), document, item,
                                                          thousandths(quantity)))
        self.counts[f"documents:{kind}"] += 1

    # What happens in a regency.
    def receipt(self, regency) -> None:
        rng = self.rng
        lines = [(item, rng.randint(*received) * 1000) for item, received, _issued in self.materials]
        self._stock_document("receipt", regency, lines, None, regency.store, supplier=regency.province_office,
                             reference=f"SPB/{rng.randint(1, 999):03d}/{self.day.year}")

    def issue(self, regency) -> None:
        rng = self.rng
        store = regency.store
        index = rng.randrange(len(regency.partners))
        _partner, workshop, _name, makes, _village = regency.partners[index]
        needed = {material for product in makes for material, _milli in self.products[product]["bom"]}
        if not needed:  # a hand sanitizer maker: issue it fabric all the same, for masks it may start making
            needed = set(self.material_ids)
        lines = []
        for item, _received, issued in self.materials:
            if item in needed:
                quantity = min(rng.randint(*issued) * 1000, self.on_hand(item, store))
                if quantity > 0:
                    lines.append((item, quantity))
        if not lines:
            return self.receipt(regency)
        self._stock_document("issue", regency, lines, store, workshop)
        self._remember(regency.with_materials, regency.with_materials_set, index)

    def batch(self, regency) -> None:
        rng = self.rng
        index = None
        if rng.random() < 0.85:
            index = self._pick(regency.with_materials, regency.with_materials_set,
                               lambda i: any(self.on_hand(m, regency.partners[i][1]) > 0 for m in self.material_ids))
        if index is None:
            index = rng.randrange(len(regency.partners))
        partner, workshop, _name, makes, village = regency.partners[index]
        product = rng.choice(makes)
        spec = self.products[product]
        quantity = rng.randint(*spec["size"])
        roll = rng.random()
        if roll < 0.75:
            rejected = 0
        elif roll < 0.97:
            rejected = max(1, int(quantity * rng.uniform(0.01, 0.15)))
        else:
            rejected = quantity
        accepted = quantity - rejected
        produced_on = max(FIRST_DAY, self.day - datetime.timedelta(days=rng.choice((0, 0, 1, 1, 2, 3, 5))))
        batch = self._id("Batch")
        code = f"{produced_on:%Y%m%d}-{batch:05d}"
        inspection = self._id("Inspection")
        when = self.clock.now()
        lines = [(product, workshop, accepted * 1000)] if accepted else []
        for material, milli in spec["bom"]:  # what the inspected units used, of what the workshop holds
            used = min(milli * quantity, self.on_hand(material, workshop))
            if used > 0:
                lines.append((material, workshop, -used))
        posting = None
        if lines:  # (with nothing accepted and no materials used, an inspection posts nothing)
            posting = self.post("production", regency.expert, code, "Inspection", inspection, lines, when)
        self.writer.add(self.models["Batch"], (
            batch, code, product, quantity, produced_on.isoformat(), partner, None, village, workshop, None,
            "inspected", "", regency.officer, self.clock.on(produced_on)))
        self.writer.add(self.models["Inspection"], (
            inspection, batch, regency.expert, self.day_iso, min(quantity, rng.randint(5, 32)), accepted, rejected,
            rng.choice(REJECT_REASONS) if rejected else "", "", "", posting, when))
        self.counts["documents:batch"] += 1
        if accepted:
            self._remember(regency.with_products, regency.with_products_set, index)

    def _holds_products(self, regency, index) -> bool:
        workshop = regency.partners[index][1]
        return any(self.on_hand(p, workshop) > 0 for p in regency.partners[index][3])

    def transfer(self, regency) -> None:
        index = self._pick(regency.with_products, regency.with_products_set,
                           lambda i: self._holds_products(regency, i))
        if index is None:
            return self.batch(regency)
        workshop = regency.partners[index][1]
        lines = []
        for product in regency.partners[index][3]:
            held = self.on_hand(product, workshop) // 1000
            if held > 0:
                lines.append((product, max(1, int(held * self.rng.uniform(0.5, 1.0))) * 1000))
        self._stock_document("transfer", regency, lines, workshop, regency.store)

    def handover(self, regency) -> None:
        rng = self.rng
        store = regency.store
        held = [(p, self.on_hand(p, store) // 1000) for p in self.product_ids]
        held = [(p, units) for p, units in held if units > 0]
        if not held:
            return self.transfer(regency)
        chosen = rng.sample(held, min(len(held), rng.choice((1, 1, 2))))
        lines = [(p, max(1, int(units * rng.uniform(0.3, 1.0)))) for p, units in chosen]
        handover = self._id("Handover")
        day = self.day
        key = (regency.office, day.year)
        seq = self.sequences[key] = self.sequences.get(key, 0) + 1
        number = (f"{seq:03d}/BAST/{regency.office_code}/"
                  f"{ROMAN_MONTHS[day.month - 1]}/"
                  f"{day.year}")
        when = self.clock.now()
        posting = self.post("handover", regency.officer, number, "Handover", handover,
                            [(p, store, -units * 1000) for p, units in lines], when)
        receiver = rng.choice(regency.receivers)
        self.writer.add(self.models["Handover"], (
            handover, number, regency.office, f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            "Kepala Dinas Perindustrian", "", receiver, f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            "Kepala Bidang Logistik", "", _weighted(rng, PURPOSES), self.day_iso, _short(regency.name), None,
            "handed_over", secrets.token_urlsafe(16), posting, None, None, "", None, "", regency.officer, when))
        for product, units in lines:
            self.writer.add(self.models["HandoverLine"], (self._id("HandoverLine"), handover, product,
                                                          self.names[product], self.units[product], None, units,
                                                          None))
        self.counts["documents:handover"] += 1

    def sale(self, regency) -> None:
        rng = self.rng
        index = self._pick(regency.with_products, regency.with_products_set,
                           lambda i: self._holds_products(regency, i))
        if index is None:
            return self.batch(regency)
        partner, workshop, name, makes, _village = regency.partners[index]
        product = rng.choice([p for p in makes if self.on_hand(p, workshop) >= 1000])
        units = max(1, int(self.on_hand(product, workshop) // 1000 * rng.uniform(0.1, 0.6)))
        sale = self._id("Sale")
        when = self.clock.now()
        posting = self.post("sale", regency.officer, f"{name}: {units} {self.names[product]}", "Sale", sale,
                            [(product, workshop, -units * 1000)], when)
        channel = _weighted(rng, CHANNELS)
        low, high = self.products[product]["price"]
        self.writer.add(self.models["Sale"], (
            sale, partner, product, self.day_iso, units, rng.randint(low // 500, high // 500) * 500, channel,
            rng.choice(MARKETPLACES) if channel == "marketplace" else "", _weighted(rng, BUYER_TYPES), posting,
            regency.officer, when))
        self.counts["documents:sale"] += 1

    def run(self, regencies: list[Regency], movements: int, progress: bool) -> None:
        from tqdm import tqdm

        days = (LAST_DAY - FIRST_DAY).days + 1
        act = {name: getattr(self, name) for name in ACTIONS}
        rng = self.rng
        with tqdm(total=movements, unit=" movements", disable=not progress, smoothing=0.05) as bar:
            for offset in range(days):
                self.day = FIRST_DAY + datetime.timedelta(days=offset)
                self.day_iso = self.day.isoformat()
                self.clock.start(self.day)
                target = movements * (offset + 1) // days
                before = self.movements
                while self.movements < target:
                    act[rng.choice(self.actions)](rng.choice(regencies))
                bar.update(self.movements - before)
        self.writer.flush()

    def finish(self) -> None:
        """The final balances and the certificate number sequences."""
        from django.db.models import Max

        from sigap.handovers.models import Sequence
        from sigap.stock.models import Balance

        writer = self.writer
        writer.register(Balance, ["id", "item", "location", "quantity"])
        writer.register(Sequence, ["id", "office", "year", "last"])
        pk = (Balance.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        for (item, location), quantity in sorted(self.balances.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            writer.add(Balance, (pk, item, location, thousandths(quantity)))
            pk += 1
        pk = (Sequence.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        for (office, year), last in sorted(self.sequences.items()):
            writer.add(Sequence, (pk, office, year, last))
            pk += 1
        writer.flush()


def _weighted(rng: random.Random, choices: list[tuple[str, int]]) -> str:
    return rng.choices([c for c, _w in choices], [w for _c, w in choices])[0]


# --- Running it --------------------------------------------------------------------------------------------------

def reset_sequences() -> None:
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def vacuum() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def table_counts() -> dict[str, int]:
    from sigap.accounts.models import User
    from sigap.dashboards.models import DailyFigure, MonthlyFigure, RegionStock
    from sigap.handovers.models import Handover, HandoverLine
    from sigap.market.models import Sale
    from sigap.organisations.models import Organisation
    from sigap.partners.models import Partner, PartnerProduct
    from sigap.production.models import Batch
    from sigap.quality.models import Inspection
    from sigap.regions.models import Region
    from sigap.stock.models import Balance, DocumentLine, Location, Movement, Posting, StockDocument

    models = [Region, Organisation, User, Partner, PartnerProduct, Location, Posting, Movement, Balance,
              StockDocument, DocumentLine, Batch, Inspection, Handover, HandoverLine, Sale, DailyFigure,
              MonthlyFigure, RegionStock]
    return {model.__name__: model.objects.count() for model in models}


def main(argv=None) -> dict:
    args = parse_args(argv)
    label = prepare_environment(args)
    started = time.perf_counter()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from sigap.dashboards.services import figures_rebuild
    from sigap.partners.models import Partner
    from sigap.stock import ledger
    from sigap.stock.models import Movement

    steps = {}
    clock = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    steps["migrate"] = time.perf_counter() - clock
    steps["regions"] = ensure_regions(not args.no_progress)
    if Partner.objects.exists() or Movement.objects.exists():
        sys.exit("This database already holds partners or a ledger: give --fresh (or another database).")
    print(f"{connection.vendor}: {label}, {args.movements:,} movements, "
          f"{args.partners_per_regency} partners per regency", flush=True)

    rng = random.Random(args.seed)
    writer = Writer(args.flush_rows)
    clock = time.perf_counter()
    items = build_items()
    regencies, _users = build_world(args, rng, writer, items)
    steps["world"] = time.perf_counter() - clock
    print(f"  world: {len(regencies)} regencies, {sum(len(r.partners) for r in regencies):,} partners "
          f"in {steps['world']:.1f} s", flush=True)

    clock = time.perf_counter()
    days = (LAST_DAY - FIRST_DAY).days + 1
    simulation = Simulation(writer, items, rng, Clock(connection.vendor == "postgresql",
                                                     per_day=max(1, args.movements // days // 2)))
    write_before = writer.seconds
    simulation.run(regencies, args.movements, not args.no_progress)
    simulation.finish()
    if connection.vendor == "postgresql":
        reset_sequences()
    steps["documents"] = time.perf_counter() - clock
    steps["documents_of_which_writing"] = writer.seconds - write_before
    print(f"  documents and ledger: {simulation.movements:,} movements in {steps['documents']:.1f} s "
          f"({steps['documents_of_which_writing']:.1f} s writing)", flush=True)

    clock = time.perf_counter()
    daily, monthly, stock = figures_rebuild()
    steps["figures_rebuild"] = time.perf_counter() - clock
    print(f"  figures_rebuild(): {daily:,} daily, {monthly:,} monthly, {stock:,} regional stock rows "
          f"in {steps['figures_rebuild']:.1f} s", flush=True)

    mismatches = None
    if not args.no_audit:
        clock = time.perf_counter()
        mismatches = ledger.audit()
        steps["audit"] = time.perf_counter() - clock
        print(f"  ledger.audit(): {'clean' if not mismatches else f'{len(mismatches)} MISMATCHES'} "
              f"in {steps['audit']:.1f} s", flush=True)

    clock = time.perf_counter()
    vacuum()
    steps["vacuum_analyze"] = time.perf_counter() - clock
    total = time.perf_counter() - started
    counts = table_counts()
    result = {
        "when": datetime.datetime.now().isoformat(timespec="seconds"),
        "database": label,
        "vendor": connection.vendor,
        "requested_movements": args.movements,
        "movements": counts["Movement"],
        "within_1_percent": abs(counts["Movement"] - args.movements) <= args.movements / 100,
        "partners_per_regency": args.partners_per_regency,
        "seed": args.seed,
        "audit_clean": None if mismatches is None else not mismatches,
        "seconds": {name: round(value, 1) for name, value in steps.items()} | {"total": round(total, 1)},
        "documents": dict(sorted(simulation.counts.items())),
        "rows": counts,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
    }
    print()
    print("| table | rows |\n|---|---:|")
    for name, count in counts.items():
        print(f"| {name} | {count:,} |")
    print()
    print("| step | seconds |\n|---|---:|")
    for name, value in result["seconds"].items():
        print(f"| {name} | {value} |")
    path = OUT / f"national-{label}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nwritten to {path.relative_to(ROOT)}")
    if mismatches:
        sys.exit(f"ledger.audit() found {len(mismatches)} mismatches, e.g. {mismatches[:3]}")
    return result


if __name__ == "__main__":
    main()
