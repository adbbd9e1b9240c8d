"""Stock on hand and the ledger's movements as CSV or Excel: the lists' scope and filters, formulas kept as text,
and a query count that does not grow with the rows."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for, download_rows
from sigap.stock.models import Location
from sigap.stock.services import adjustment_record, issue_record, location_for_partner, receipt_record

DAY = datetime.date(2020, 6, 1)
LOCATION, ITEM_CODE, ON_HAND = 0, 2, 4  # balances
KIND, MOVED_ITEM, MOVED_AT, QUANTITY, NOTE = 1, 2, 4, 5, 8  # movements


@pytest.fixture
def stock(world):
    """100 m of fabric and 20 suits received in Tala, 30 m of fabric issued to the Tala partner; 50 m of fabric
    received in HSU."""
    w = world
    receipt_record(office=w.tala_office, supplier=w.province_office, date=DAY,
                   lines=[(w.fabric, 100), (w.suit, 20)], by=w.tala_officer)
    issue_record(office=w.tala_office, recipient=w.tala_partner, date=DAY, lines=[(w.fabric, 30)], by=w.tala_officer)
    receipt_record(office=w.hsu_office, supplier=w.province_office, date=DAY, lines=[(w.fabric, 50)],
                   by=w.hsu_officer)
    w.workshop = location_for_partner(w.tala_partner)
    return w


def _balances(user, **query):
    rows = download_rows(client_for(user).get(reverse("stock:balance-export"), query))
    return sorted((row[LOCATION], row[ITEM_CODE], Decimal(row[ON_HAND])) for row in rows[1:])


def _movements(user, **query):
    rows = download_rows(client_for(user).get(reverse("stock:movement-export"), query))
    return sorted((row[MOVED_AT], row[MOVED_ITEM], Decimal(row[QUANTITY])) for row in rows[1:])


def _same(csv_rows, xlsx_rows):
    """An Excel cell holds a number where the CSV has its text (e.g. 100 for "100.000")."""
    assert xlsx_rows[0] == csv_rows[0] and len(xlsx_rows) == len(csv_rows)
    for csv_row, xlsx_row in zip(csv_rows[1:], xlsx_rows[1:]):
        for text, cell in zip(csv_row, xlsx_row, strict=True):
            if isinstance(cell, (int, float)):
                assert Decimal(str(cell)) == Decimal(text)
            else:
                assert ("" if cell is None else cell) == text


def test_the_balance_export_follows_the_scope_and_the_filters(stock):
    w = stock
    tala_store = "Disnakerind Tala"
    assert _balances(w.tala_officer) == [(tala_store, "baju-hazmat", 20), (tala_store, "kain-sasirangan", 70),
                                         ("Konveksi Tuntung Pandang", "kain-sasirangan", 30)]
    assert _balances(w.partner_user) == [("Konveksi Tuntung Pandang", "kain-sasirangan", 30)]
    assert _balances(w.hsu_officer) == [("Disperindagkop-UKM HSU", "kain-sasirangan", 50)]
    assert _balances(w.province_officer, item=w.suit.pk) == [(tala_store, "baju-hazmat", 20)]
    assert _balances(w.province_officer, location=w.workshop.pk) == [("Konveksi Tuntung Pandang",
                                                                      "kain-sasirangan", 30)]
    assert _balances(w.outsider) == []


def test_the_movement_export_follows_the_scope_and_the_filters(stock):
    w = stock
    assert _movements(w.partner_user) == [("Konveksi Tuntung Pandang", "kain-sasirangan", 30)]
    assert _movements(w.tala_officer, item=w.fabric.pk) == [
        ("Disnakerind Tala", "kain-sasirangan", -30), ("Disnakerind Tala", "kain-sasirangan", 100),
        ("Konveksi Tuntung Pandang", "kain-sasirangan", 30)]
    assert _movements(w.hsu_officer) == [("Disperindagkop-UKM HSU", "kain-sasirangan", 50)]
    assert _movements(w.tala_officer, location=w.workshop.pk, item=w.suit.pk) == []


@pytest.mark.parametrize("route", ["stock:balance-export", "stock:movement-export"])
def test_the_stock_exports_refuse_whom_the_lists_refuse(stock, route):
    assert client_for(None).get(reverse(route)).status_code == 302
    assert client_for(stock.agency_user).get(reverse(route)).status_code == 403


def test_exported_texts_that_look_like_formulas_stay_text(stock):
    w = stock
    Location.objects.filter(pk=w.workshop.pk).update(name="=cmd|' /C calc'!A0")
    adjustment_record(location=w.workshop, item=w.fabric, counted=Decimal(28), counted_on=DAY,
                      reason="-2 dimakan tikus", by=w.tala_officer)
    rows = download_rows(client_for(w.partner_user).get(reverse("stock:balance-export"), {"format": "xlsx"}))
    assert rows[1][LOCATION] == "'=cmd|' /C calc'!A0"
    rows = download_rows(client_for(w.partner_user).get(reverse("stock:movement-export")))
    assert rows[1][NOTE] == "'-2 dimakan tikus" and rows[1][QUANTITY] == "-2.000"  # a number stays a number


def test_the_excel_exports_open_with_the_same_rows(stock):
    client = client_for(stock.province_officer)
    for route in ("stock:balance-export", "stock:movement-export"):
        _same(download_rows(client.get(reverse(route))), download_rows(client.get(reverse(route), {"format": "xlsx"})))


def test_an_unknown_format_falls_back_to_csv(stock):
    client = client_for(stock.tala_officer)
    response = client.get(reverse("stock:balance-export"), {"format": "ods"})
    assert response["Content-Disposition"] == 'attachment; filename="stok.csv"'
    response = client.get(reverse("stock:movement-export"), {"format": ""})
    assert response["Content-Disposition"] == 'attachment; filename="mutasi-stok.csv"'


def test_the_stock_exports_take_the_same_number_of_queries_for_one_row_or_many(stock):
    w = stock
    client = client_for(w.hsu_officer)

    def queries():
        counts = []
        for route in ("stock:balance-export", "stock:movement-export"):
            with CaptureQueriesContext(connection) as captured:
                rows = download_rows(client.get(reverse(route)))
            counts.append((len(captured), len(rows)))
        return counts

    (balances_one, _), (movements_one, _) = queries()
    receipt_record(office=w.hsu_office, supplier=w.province_office, date=DAY,
                   lines=[(w.suit, 5), (w.mask, 400), (w.fabric, 10)], by=w.hsu_officer)
    issue_record(office=w.hsu_office, recipient=w.hsu_partner, date=DAY, lines=[(w.fabric, 20)], by=w.hsu_officer)
    assert queries() == [(balances_one, 5), (movements_one, 7)]
