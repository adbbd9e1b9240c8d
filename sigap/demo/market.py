"""Demo market: catalogue listings of Tala and HSU partners, a few buyers' inquiries, and sales over 2020
offline and online (the province asked that IKM sell "not only offline but online too")."""

import datetime
from decimal import Decimal

from sigap.accounts.models import User
from sigap.items.models import Item
from sigap.market.models import Inquiry, Listing
from sigap.market.services import listing_save, sale_record
from sigap.partners.models import Partner
from sigap.production.services import production_record
from sigap.quality.models import Criterion
from sigap.quality.services import inspection_record

LISTINGS = [
    # NIB, product, title, price, minimum order, lead time, description
    ("9120001230005", "masker-kain-3-lapis", "Masker kain 3 lapis motif sasirangan", 15000, 10, 3,
     "Tiga lapis kain katun, luar kain sasirangan khas Banjar, tali telinga elastis. Dikemas satu per satu."),
    ("9120001230001", "baju-hazmat", "Baju hazmat bahan spunbond, jahitan dilakban", 185000, 5, 7,
     "Coverall dengan tudung, ritsleting berpenutup, karet di pergelangan. Ukuran M, L, XL."),
    ("9120001230004", "minuman-herbal", "Minuman herbal jahe serai (P-IRT)", 12000, 12, 2,
     "Jahe merah, serai dan gula aren. Botol 250 ml, tersegel, label P-IRT dan tanggal kedaluwarsa."),
    ("9120001230006", "masker-kain-3-lapis", "Masker kain 3 lapis polos", 8000, 20, 3,
     "Kain katun tiga lapis, cocok untuk sekolah dan kantor."),
]

# NIB, product, [(date, quantity, unit price, channel, marketplace, buyer type)]
SALES = [
    ("9120001230005", "masker-kain-3-lapis", [
        (datetime.date(2020, 6, 2), 200, 15000, "offline", "", "individual"),
        (datetime.date(2020, 6, 20), 150, 14000, "marketplace", "Tokopedia", "individual"),
        (datetime.date(2020, 7, 8), 300, 13500, "government", "", "government"),
        (datetime.date(2020, 8, 15), 120, 15000, "own_online", "Instagram", "individual"),
        (datetime.date(2020, 9, 3), 80, 14500, "marketplace", "Shopee", "business"),
    ]),
    ("9120001230004", "minuman-herbal", [
        (datetime.date(2020, 5, 12), 120, 12000, "offline", "", "individual"),
        (datetime.date(2020, 6, 9), 96, 11000, "own_online", "WhatsApp", "business"),
        (datetime.date(2020, 7, 21), 60, 12000, "marketplace", "Shopee", "individual"),
    ]),
]

STOCK_FOR_SALE = [("9120001230005", "masker-kain-3-lapis", 1000, "HSU-MSK-2020-01", datetime.date(2020, 5, 28)),
                  ("9120001230004", "minuman-herbal", 300, "TALA-HRB-2020-01", datetime.date(2020, 5, 4))]


def load_market() -> None:
    if Listing.objects.exists():
        return
    items = {i.code: i for i in Item.objects.all()}
    partners = {p.nib: p for p in Partner.objects.all()}
    officers = {"63.01": User.objects.get(username="tala"), "63.08": User.objects.get(username="hsu")}
    expert = User.objects.get(username="ahli")
    for nib, product, quantity, code, day in STOCK_FOR_SALE:
        partner = partners[nib]
        officer = officers[partner.region_id[:5]]
        batch = production_record(producer=partner, product=items[product], quantity=quantity, produced_on=day,
                                  code=code, by=officer)
        criteria = Criterion.objects.filter(product=items[product], is_active=True)
        inspection_record(batch=batch, by=expert, inspected_on=day + datetime.timedelta(days=1), sample_size=10,
                          accepted=quantity, rejected=0, results=[(c, True, "") for c in criteria])
    for nib, product, title, price, min_order, lead_time, description in LISTINGS:
        partner = partners[nib]
        listing_save(by=officers[partner.region_id[:5]], partner=partner, product=items[product], title=title,
                     price=Decimal(price), min_order=min_order, lead_time_days=lead_time, description=description,
                     whatsapp=partner.phone, is_published=True)
    first = Listing.objects.get(title__startswith="Masker kain 3 lapis motif")
    Inquiry.objects.create(listing=first, name="Apotek Sehat Amuntai", phone="+6281350009911", quantity=500,
                           message="Bisa kirim ke Amuntai Tengah minggu depan?")
    Inquiry.objects.create(listing=first, name="SDN 1 Paliwara", phone="+6285250004422", quantity=300,
                           message="Untuk siswa, mohon harga sekolah.")
    for nib, product, sales in SALES:
        partner = partners[nib]
        for day, quantity, price, channel, marketplace, buyer in sales:
            sale_record(partner=partner, product=items[product], sold_on=day, quantity=quantity,
                        unit_price=Decimal(price), channel=channel, marketplace=marketplace, buyer_type=buyer,
                        by=officers[partner.region_id[:5]])
