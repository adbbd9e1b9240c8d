"""Demo stock: materials from the province, issued to Tala's partners, 100 hazmat suits made, inspected and
accepted, and brought into Disnakerind Tala's store (Tanah Laut, June 2020)."""

import datetime
from decimal import Decimal

from sigap.accounts.models import User
from sigap.items.models import Component, Item
from sigap.organisations.models import Organisation
from sigap.partners.models import Partner

from sigap.production.services import production_record
from sigap.quality.models import Criterion
from sigap.quality.services import inspection_record
from sigap.stock.models import StockDocument
from sigap.stock.services import issue_record, location_for, receipt_record, transfer_record

BILLS_OF_MATERIALS = {
    "masker-kain-3-lapis": [("kain-sasirangan", "0.06"), ("karet-elastis", "0.5"), ("benang-jahit", "0.01")],
    "baju-hazmat": [("kain-spunbond", "3.5"), ("ritsleting", "1"), ("karet-elastis", "1.2"), ("benang-jahit", "0.05")],
    "face-shield": [("plastik-mika", "1"), ("busa-spons", "0.25"), ("karet-elastis", "0.4")],
    "set-apd": [("baju-hazmat", "1"), ("face-shield", "1"), ("masker-kain-3-lapis", "2")],
}

SNI_MASK = "SNI 8914:2020"
CHECKLISTS = {
    "masker-kain-3-lapis": [
        ("Tiga lapis kain (paling sedikit dua lapis)", SNI_MASK),
        ("Bahan kain sesuai (bukan scuba/satu lapis)", SNI_MASK),
        ("Ukuran menutup hidung, mulut dan dagu", ""),
        ("Jahitan rapi dan kuat", ""),
        ("Tali telinga elastis terpasang kuat", ""),
        ("Dikemas satu per satu", ""),
    ],
    "baju-hazmat": [
        ("Bahan penghalang (barrier) sesuai", ""),
        ("Jahitan tertutup/berlakban (sealed/taped)", ""),
        ("Tidak ada lubang atau sobekan", ""),
        ("Ritsleting berfungsi dan tertutup penutup (flap)", ""),
        ("Karet elastis di pergelangan tangan, kaki dan tudung", ""),
        ("Label ukuran", ""),
    ],
    "face-shield": [
        ("Visor bening dan tidak mendistorsi pandangan", ""),
        ("Menutup wajah sampai di bawah dagu", ""),
        ("Busa dahi terpasang", ""),
        ("Tali dapat disetel", ""),
    ],
    "minuman-herbal": [
        ("Nomor izin P-IRT tercantum", ""),
        ("Label komposisi bahan", ""),
        ("Tanggal produksi dan kedaluwarsa", ""),
        ("Kemasan tersegel", ""),
    ],
}

TALA_RECEIPT_REFERENCE = "027/PERIN-KALSEL/VI/2020"
# (partner NIB, suits, batch code, day produced)
TALA_SUITS = [
    ("9120001230001", 40, "TALA-HZ-2020-01", datetime.date(2020, 6, 8)),
    ("9120001230002", 30, "TALA-HZ-2020-02", datetime.date(2020, 6, 9)),
    ("9120001230003", 30, "TALA-HZ-2020-03", datetime.date(2020, 6, 10)),
]


def load_items_setup() -> None:
    items = {item.code: item for item in Item.objects.all()}
    for product, lines in BILLS_OF_MATERIALS.items():
        for material, quantity in lines:
            Component.objects.update_or_create(product=items[product], material=items[material],
                                               defaults={"quantity": Decimal(quantity)})
    for product, criteria in CHECKLISTS.items():
        for position, (text, reference) in enumerate(criteria, start=1):
            Criterion.objects.update_or_create(product=items[product], position=position,
                                               defaults={"text": text, "reference": reference})


def load_tala_stock() -> None:
    tala = Organisation.objects.get(code="DISNAKERIND-TALA")
    if StockDocument.objects.filter(office=tala, reference=TALA_RECEIPT_REFERENCE).exists():
        return
    province = Organisation.objects.get(code="DISPERIN-KALSEL")
    officer = User.objects.get(username="tala")
    expert = User.objects.get(username="ahli")
    items = {item.code: item for item in Item.objects.all()}
    receipt_record(
        office=tala, supplier=province, date=datetime.date(2020, 6, 2), reference=TALA_RECEIPT_REFERENCE,
        by=officer, note="Bahan baku baju hazmat dari Dinas Perindustrian Provinsi",
        lines=[(items["kain-spunbond"], 360), (items["ritsleting"], 100), (items["karet-elastis"], 130),
               (items["benang-jahit"], 6)],
    )
    for nib, suits, code, produced_on in TALA_SUITS:
        partner = Partner.objects.get(nib=nib)
        issue_record(
            office=tala, recipient=partner, date=datetime.date(2020, 6, 3), by=officer,
            lines=[(items["kain-spunbond"], Decimal("3.6") * suits), (items["ritsleting"], suits),
                   (items["karet-elastis"], Decimal("1.3") * suits), (items["benang-jahit"], 2)],
        )
        batch = production_record(producer=partner, product=items["baju-hazmat"], quantity=suits,
                                  produced_on=produced_on, code=code, by=officer)
        criteria = Criterion.objects.filter(product=items["baju-hazmat"], is_active=True)
        inspection_record(batch=batch, by=expert, inspected_on=datetime.date(2020, 6, 11), sample_size=5,
                          accepted=suits, rejected=0, results=[(c, True, "") for c in criteria],
                          notes="Sesuai standar; jahitan dilakban.")
        transfer_record(office=tala, source=location_for(partner), destination=location_for(tala),
                        date=datetime.date(2020, 6, 12), lines=[(items["baju-hazmat"], suits)], by=officer,
                        note=f"Baju hazmat {code} ke gudang Disnakerind")


def tala_suits_in_store() -> int:
    tala = Organisation.objects.get(code="DISNAKERIND-TALA")
    suit = Item.objects.get(code="baju-hazmat")
    from sigap.stock.ledger import on_hand

    return int(on_hand(suit, location_for(tala)))



