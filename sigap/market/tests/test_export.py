"""Sales as CSV or Excel: the sales page's scope and year, formulas kept as text, and a query count that does not
grow with the rows."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for, download_rows
from sigap.market.services import sale_record
from sigap.production.services import production_record
from sigap.quality.services import inspection_record

DAY = datetime.date(2020, 6, 1)
DATE, PARTNER, QUANTITY, PRICE, AMOUNT, MARKETPLACE = 0, 1, 3, 4, 5, 7


def give_stock(w, partner, product, quantity):
    batch = production_record(producer=partner, product=product, quantity=quantity, produced_on=DAY,
                              by=w.province_officer)
    inspection_record(batch=batch, by=w.health_expert, inspected_on=DAY, sample_size=1, accepted=quantity,
                      rejected=0, results=[])


def sell(w, partner, product, quantity, sold_on=DAY, price=185000, **extra):
    fields = {"channel": "offline", "buyer_type": "individual", **extra}
    return sale_record(partner=partner, product=product, sold_on=sold_on, quantity=quantity,
                       unit_price=Decimal(price), by=w.province_officer, **fields)


@pytest.fixture
def sales(world):
    """The Tala partner sold 2 suits in 2020 and 3 in 2021 (on a marketplace); the HSU partner 100 masks."""
    w = world
    give_stock(w, w.tala_partner, w.suit, 10)
    give_stock(w, w.hsu_partner, w.mask, 1000)
    sell(w, w.tala_partner, w.suit, 2)
    sell(w, w.tala_partner, w.suit, 3, sold_on=datetime.date(2021, 1, 5), channel="marketplace",
         marketplace="=Tokopedia")
    sell(w, w.hsu_partner, w.mask, 100, price=15000)
    return w


def _sales(user, **query):
    rows = download_rows(client_for(user).get(reverse("market:sale-export"), query))
    return sorted((row[DATE], row[PARTNER], row[QUANTITY]) for row in rows[1:])


def test_the_sale_export_follows_the_scope_and_the_year(sales):
    w = sales
    tala = [("2020-06-01", "Konveksi Tuntung Pandang", "2"), ("2021-01-05", "Konveksi Tuntung Pandang", "3")]
    assert _sales(w.tala_officer) == tala
    assert _sales(w.partner_user) == tala
    assert _sales(w.hsu_officer) == [("2020-06-01", "Sasirangan Amuntai Indah", "100")]
    assert _sales(w.province_officer, year="2021") == tala[1:]
    assert _sales(w.tala_officer, year="2020") == tala[:1]
    assert _sales(w.tala_officer, year="dua ribu") == tala  # not a year: all years, as the page shows
    assert _sales(w.outsider) == []


def test_the_sale_export_refuses_whom_the_sales_page_refuses(sales):
    assert client_for(None).get(reverse("market:sale-export")).status_code == 302
    assert client_for(sales.agency_user).get(reverse("market:sale-export")).status_code == 403


def test_the_sale_export_has_prices_and_amounts(sales):
    rows = download_rows(client_for(sales.hsu_officer).get(reverse("market:sale-export")))
    assert [rows[1][i] for i in (QUANTITY, PRICE, AMOUNT)] == ["100", "15000", "1500000"]


def test_an_exported_marketplace_that_looks_like_a_formula_stays_text(sales):
    for fmt in ("csv", "xlsx"):
        rows = download_rows(client_for(sales.partner_user).get(reverse("market:sale-export"),
                                                                {"year": "2021", "format": fmt}))
        assert rows[1][MARKETPLACE] == "'=Tokopedia"


def test_the_excel_export_opens_with_the_same_rows(sales):
    client = client_for(sales.province_officer)
    csv_rows = download_rows(client.get(reverse("market:sale-export")))
    xlsx_rows = download_rows(client.get(reverse("market:sale-export"), {"format": "xlsx"}))
    assert xlsx_rows[0] == csv_rows[0] and len(xlsx_rows) == 4
    assert [[("" if cell is None else str(cell)) for cell in row] for row in xlsx_rows[1:]] == csv_rows[1:]


def test_an_unknown_format_falls_back_to_csv(sales):
    response = client_for(sales.tala_officer).get(reverse("market:sale-export"), {"format": "XLSX"})
    assert response["Content-Disposition"] == 'attachment; filename="penjualan.csv"'


def test_the_sale_export_takes_the_same_number_of_queries_for_one_row_or_many(sales):
    w = sales
    client = client_for(w.hsu_officer)
    with CaptureQueriesContext(connection) as one:
        assert len(download_rows(client.get(reverse("market:sale-export")))) == 2
    for quantity in range(1, 5):
        sell(w, w.hsu_partner, w.mask, quantity, price=16000)
    with CaptureQueriesContext(connection) as many:
        assert len(download_rows(client.get(reverse("market:sale-export")))) == 6
    assert len(many) == len(one)
