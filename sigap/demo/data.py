"""The demo: the offices, partners and people of the two 2020 reports from South Kalimantan.

Tanah Laut (Tala, capital Pelaihari): Disnakerind Tala and its IKM partners made 100 hazmat suits.
Hulu Sungai Utara (HSU, capital Amuntai): Disperindagkop-UKM HSU trained 5 young people online to sew
three-layer sasirangan masks (18–20 May 2020), and plans a training of 7 for 60 PPE sets.
Every function here is idempotent: a second run finds what the first made.
"""

import datetime

from django.db import transaction

from sigap.accounts.models import Role, User
from sigap.items.models import Item, Kind as ItemKind, Unit
from sigap.organisations.models import Kind, Organisation
from sigap.partners.models import Partner, PartnerProduct, Sector
from sigap.people.models import Kind as PersonKind, Person
from sigap.regions.models import Region

DEMO_PASSWORD = "sigap-demo-2020"

ORGANISATIONS = [
    # code, name, short name, kind, region, head, head's position
    ("DISPERIN-KALSEL", "Dinas Perindustrian Provinsi Kalimantan Selatan", "Disperin Kalsel",
     Kind.PROVINCIAL_INDUSTRY_OFFICE, "63", "H. Mahyuni", "Kepala Dinas"),
    ("DISNAKERIND-TALA", "Dinas Tenaga Kerja dan Perindustrian Kabupaten Tanah Laut", "Disnakerind Tala",
     Kind.DISTRICT_INDUSTRY_OFFICE, "63.01", "Masturi", "Kepala Dinas"),
    ("DISPERINDAGKOP-UKM-HSU",
     "Dinas Perindustrian, Perdagangan, Koperasi dan UKM Kabupaten Hulu Sungai Utara", "Disperindagkop-UKM HSU",
     Kind.DISTRICT_INDUSTRY_OFFICE, "63.08", "H. M. Yani", "Kepala Bidang Perindustrian"),
    ("GTPP-COVID19-TALA", "Gugus Tugas Percepatan Penanganan Covid-19 Kabupaten Tanah Laut", "GTPP Covid-19 Tala",
     Kind.TASK_FORCE, "63.01", "H. Dahnial Kifli", "Sekretaris Daerah"),
    ("BPBD-HSU", "Badan Penanggulangan Bencana Daerah Kabupaten Hulu Sungai Utara", "BPBD HSU",
     Kind.DISASTER_AGENCY, "63.08", "", ""),
    ("RSUD-BOEJASIN", "RSUD H. Boejasin Pelaihari", "RSUD H. Boejasin", Kind.HEALTH_FACILITY, "63.01.03",
     "", "Direktur"),
    ("DITJEN-IKMA", "Direktorat Jenderal Industri Kecil, Menengah dan Aneka, Kementerian Perindustrian",
     "Ditjen IKMA Kemenperin", Kind.MINISTRY, "31", "", "Direktur Jenderal"),
]

ITEMS = [
    ("masker-kain-3-lapis", "Masker kain 3 lapis", ItemKind.PRODUCT, Unit.PIECE),
    ("baju-hazmat", "Baju hazmat", ItemKind.PRODUCT, Unit.PIECE),
    ("face-shield", "Face shield", ItemKind.PRODUCT, Unit.PIECE),
    ("minuman-herbal", "Minuman herbal", ItemKind.PRODUCT, Unit.BOTTLE),
    ("set-apd", "Set APD", ItemKind.PRODUCT, Unit.SET),
    ("kain-sasirangan", "Kain sasirangan", ItemKind.MATERIAL, Unit.METRE),
    ("kain-katun", "Kain katun", ItemKind.MATERIAL, Unit.METRE),
    ("kain-spunbond", "Kain spunbond (bahan hazmat)", ItemKind.MATERIAL, Unit.METRE),
    ("karet-elastis", "Karet elastis", ItemKind.MATERIAL, Unit.METRE),
    ("benang-jahit", "Benang jahit", ItemKind.MATERIAL, Unit.ROLL),
    ("ritsleting", "Ritsleting", ItemKind.MATERIAL, Unit.PIECE),
    ("plastik-mika", "Plastik mika", ItemKind.MATERIAL, Unit.PIECE),
    ("busa-spons", "Busa spons", ItemKind.MATERIAL, Unit.METRE),
]

PARTNERS = [
    # NIB, name, owner, street, village code, phone, sector, office, joined, [(item, weekly capacity)]
    ("9120001230001", "Konveksi Tuntung Pandang", "Hj. Rusmilawati", "Jl. A. Yani Km 2", "63.01.03.1005",
     "081251230001", Sector.GARMENT, "DISNAKERIND-TALA", datetime.date(2019, 3, 12),
     [("baju-hazmat", 40), ("masker-kain-3-lapis", 600)]),
    ("9120001230002", "Penjahit Bina Usaha Bati-Bati", "Suriansyah", "Jl. Bati-Bati Km 24", "63.01.05.2002",
     "081351230002", Sector.GARMENT, "DISNAKERIND-TALA", datetime.date(2020, 4, 20),
     [("baju-hazmat", 30), ("face-shield", 200)]),
    ("9120001230003", "Konveksi Jorong Mandiri", "Nurhayati", "Jl. Jorong Raya", "63.01.02.2001",
     "085251230003", Sector.GARMENT, "DISNAKERIND-TALA", datetime.date(2020, 5, 6),
     [("baju-hazmat", 30), ("masker-kain-3-lapis", 300)]),
    ("9120001230004", "Herbal Sehat Takisung", "Mahlina", "Jl. Pantai Takisung", "63.01.01.2004",
     "082151230004", Sector.CHEMICAL, "DISNAKERIND-TALA", datetime.date(2020, 4, 2),
     [("minuman-herbal", 250)]),
    ("9120001230005", "Sasirangan Amuntai Indah", "Hj. Siti Aisyah", "Jl. Norman Umar", "63.08.05.1001",
     "081351230005", Sector.GARMENT, "DISPERINDAGKOP-UKM-HSU", datetime.date(2018, 8, 1),
     [("masker-kain-3-lapis", 800), ("set-apd", 10)]),
    ("9120001230006", "Penjahit Muda Babirik", "Ahmad Rizani", "Jl. Babirik Hilir", "63.08.02.2001",
     "087851230006", Sector.GARMENT, "DISPERINDAGKOP-UKM-HSU", datetime.date(2020, 5, 18),
     [("masker-kain-3-lapis", 500)]),
    ("9120001230007", "Konveksi Paminggir Berkah", "Rahmadi", "Desa Paminggir", "63.08.09.2001",
     "081251230007", Sector.GARMENT, "DISPERINDAGKOP-UKM-HSU", datetime.date(2020, 6, 3),
     [("set-apd", 8)]),
]

# Name, sex, birth date, kind, village; NIKs are made from the region, birth date and a serial.
PEOPLE = [
    ("Muhammad Fahri", "L", datetime.date(2001, 2, 14), PersonKind.PARTICIPANT, "63.08.05.1001"),
    ("Siti Nurhaliza", "P", datetime.date(2000, 7, 3), PersonKind.PARTICIPANT, "63.08.05.1002"),
    ("Rahmat Hidayat", "L", datetime.date(1999, 11, 21), PersonKind.PARTICIPANT, "63.08.06.2003"),
    ("Nor Aida", "P", datetime.date(2002, 1, 9), PersonKind.PARTICIPANT, "63.08.04.2001"),
    ("Ahmad Syarifuddin", "L", datetime.date(2001, 9, 30), PersonKind.PARTICIPANT, "63.08.02.2001"),
    ("Hj. Masniah", "P", datetime.date(1975, 4, 17), PersonKind.INSTRUCTOR, "63.08.05.1003"),
    ("Rusdiansyah", "L", datetime.date(1998, 3, 12), PersonKind.PARTICIPANT, "63.08.05.2006"),
    ("Fitriani", "P", datetime.date(1999, 8, 25), PersonKind.PARTICIPANT, "63.08.04.2002"),
    ("Ahmad Fauzi", "L", datetime.date(2000, 10, 2), PersonKind.PARTICIPANT, "63.08.02.2002"),
    ("Maulida Rahmah", "P", datetime.date(2001, 5, 19), PersonKind.PARTICIPANT, "63.08.05.1005"),
    ("Hendra Saputra", "L", datetime.date(1997, 12, 8), PersonKind.PARTICIPANT, "63.08.06.2004"),
    ("Nurul Hidayah", "P", datetime.date(2002, 6, 14), PersonKind.PARTICIPANT, "63.08.09.2001"),
    ("Rizky Ananda", "L", datetime.date(2001, 1, 27), PersonKind.PARTICIPANT, "63.08.05.1002"),
    ("Drs. H. Syahrani", "L", datetime.date(1968, 9, 3), PersonKind.INSTRUCTOR, "63.08.05.1001"),
    ("dr. Rina Marlina", "P", datetime.date(1983, 12, 5), PersonKind.HEALTH_EXPERT, "63.08.05.1004"),
]

USERS = [
    # username, first name, last name, role, organisation code, partner NIB, position
    ("admin", "Admin", "SIGAP", Role.ADMIN, None, None, "Administrator"),
    ("prov", "Rahmi", "Yusuf", Role.PROVINCIAL_OFFICER, "DISPERIN-KALSEL", None, "Kepala Seksi IKM"),
    ("tala", "Budi", "Santoso", Role.DISTRICT_OFFICER, "DISNAKERIND-TALA", None, "Kepala Bidang Perindustrian"),
    ("hsu", "Yani", "", Role.DISTRICT_OFFICER, "DISPERINDAGKOP-UKM-HSU", None, "Kepala Bidang Perindustrian"),
    ("instruktur", "Masniah", "", Role.INSTRUCTOR, "DISPERINDAGKOP-UKM-HSU", None, "Instruktur menjahit"),
    ("ahli", "Rina", "Marlina", Role.HEALTH_EXPERT, "DISPERIN-KALSEL", None, "Tenaga kesehatan"),
    ("mitra", "Rusmilawati", "", Role.PARTNER, None, "9120001230001", "Pemilik"),
    ("gtpp", "Dahnial", "Kifli", Role.AGENCY, "GTPP-COVID19-TALA", None, "Sekretaris Daerah"),
]


PERSON_OF_USER = {"instruktur": "Hj. Masniah", "ahli": "dr. Rina Marlina"}


def make_nik(*, district_code: str, birth_date: datetime.date, sex: str, serial: int) -> str:
    day = birth_date.day + (40 if sex == "P" else 0)
    return f"{district_code.replace('.', '')}{day:02d}{birth_date:%m%y}{serial:04d}"


@transaction.atomic
def load_demo() -> list[tuple[str, str, str]]:
    """Create the demo records; returns (username, role label, organisation) for the logins."""
    logins = load_foundation()
    from sigap.demo.stock import load_items_setup, load_tala_stock

    load_items_setup()
    load_tala_stock()
    from sigap.demo.trainings import load_hsu_trainings

    load_hsu_trainings()
    from sigap.demo.handovers import load_handovers

    load_handovers()
    from sigap.demo.market import load_market

    load_market()
    return logins


def load_foundation() -> list[tuple[str, str, str]]:
    needed = {"63", "63.01", "63.08", "31"}  # Kalimantan Selatan, Tala, HSU, and Jakarta for the ministry
    if Region.objects.filter(code__in=needed).count() != len(needed):
        raise RuntimeError("Load the regions first: manage.py load_regions (or --province 63 --province 31)")
    organisations = {}
    for code, name, short, kind, region, head, title in ORGANISATIONS:
        organisations[code], _ = Organisation.objects.update_or_create(
            code=code, defaults={"name": name, "short_name": short, "kind": kind, "region_id": region,
                                 "head_name": head, "head_title": title},
        )
    items = {}
    for code, name, kind, unit in ITEMS:
        items[code], _ = Item.objects.update_or_create(code=code, defaults={"name": name, "kind": kind, "unit": unit})
    for nib, name, owner, street, village, phone, sector, office, joined, products in PARTNERS:
        partner, _ = Partner.objects.update_or_create(nib=nib, defaults={
            "name": name, "owner_name": owner, "address": street, "region_id": village,
            "phone": f"+62{phone[1:]}", "sector": sector, "assisting_office": organisations[office],
            "joined_on": joined,
        })
        for item_code, capacity in products:
            PartnerProduct.objects.update_or_create(
                partner=partner, item=items[item_code], defaults={"weekly_capacity": capacity}
            )
    for serial, (name, sex, born, kind, village) in enumerate(PEOPLE, start=1):
        nik = make_nik(district_code=village[:8], birth_date=born, sex=sex, serial=serial)
        Person.objects.update_or_create(nik=nik, defaults={
            "name": name, "sex": sex, "birth_date": born, "kind": kind, "address": "Jl. Demo", "region_id": village,
            "phone": f"+62812500{serial:05d}",
        })
    logins = []
    for username, first, last, role, org_code, nib, position in USERS:
        user, created = User.objects.update_or_create(username=username, defaults={
            "first_name": first, "last_name": last, "role": role, "position": position,
            "organisation": organisations.get(org_code),
            "partner": Partner.objects.get(nib=nib) if nib else None,
            "is_staff": role == Role.ADMIN, "is_superuser": role == Role.ADMIN,
            "person": Person.objects.filter(name=PERSON_OF_USER[username]).first() if username in PERSON_OF_USER
            else None,
        })
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        # a partner user belongs to no organisation: the list names the office that assists the partner
        office = user.organisation or (user.partner.assisting_office if user.partner else None)
        logins.append((username, str(user.get_role_display()), str(office or "")))
    return logins
