"""The production list as CSV or Excel: the list's scope and filters, formulas kept as text, and a query count
that does not grow with the rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for, download_rows
from sigap.production.services import production_record
from sigap.quality.services import inspection_record

DAY = datetime.date(2020, 6, 1)
# The import template's columns (code, partner NIB, participant NIK, product, quantity, date, note), then read-only ones.
CODE, QUANTITY, DATE, NOTE, PRODUCER, ACCEPTED, REJECTED = 0, 4, 5, 6, 7, 9, 10


@pytest.fixture
def batches(world):
    """Two Tala batches of suits (one inspected: 8 accepted, 2 rejected) and one HSU batch of masks."""
    w = world
    w.inspected = production_record(producer=w.tala_partner, product=w.suit, quantity=10, produced_on=DAY,
                                    code="TALA-1", by=w.tala_officer)
    inspection_record(batch=w.inspected, by=w.health_expert, inspected_on=DAY, sample_size=2, accepted=8,
                      rejected=2, reject_reason="jahitan lepas", results=[])
    w.waiting = production_record(producer=w.tala_partner, product=w.suit, quantity=5, produced_on=DAY,
                                  code="TALA-2", note="=1+1", by=w.partner_user)
    w.hsu_batch = production_record(producer=w.hsu_partner, product=w.mask, quantity=300, produced_on=DAY,
                                    code="HSU-1", by=w.hsu_officer)
    return w


def _codes(user, **query):
    return sorted(row[CODE] for row in download_rows(client_for(user).get(reverse("production:export"), query))[1:])


def test_the_batch_export_follows_the_scope(batches):
    w = batches
    assert _codes(w.tala_officer) == ["TALA-1", "TALA-2"]
    assert _codes(w.partner_user) == ["TALA-1", "TALA-2"]
    assert _codes(w.hsu_officer) == ["HSU-1"]
    assert _codes(w.province_officer) == ["HSU-1", "TALA-1", "TALA-2"]
    assert _codes(w.outsider) == []


def test_the_batch_export_refuses_whom_the_list_refuses(batches):
    assert client_for(None).get(reverse("production:export")).status_code == 302
    assert client_for(batches.agency_user).get(reverse("production:export")).status_code == 403


def test_the_batch_export_applies_the_list_filters(batches):
    w = batches
    assert _codes(w.province_officer, status="inspected") == ["TALA-1"]
    assert _codes(w.province_officer, product=w.mask.pk) == ["HSU-1"]
    assert _codes(w.province_officer, status="awaiting", product=w.suit.pk) == ["TALA-2"]


def test_the_batch_export_has_what_inspection_accepted(batches):
    rows = {row[CODE]: row for row in download_rows(client_for(batches.tala_officer).get(
        reverse("production:export")))[1:]}
    assert rows["TALA-1"][PRODUCER] == "Konveksi Tuntung Pandang"
    assert [rows["TALA-1"][i] for i in (QUANTITY, ACCEPTED, REJECTED)] == ["10", "8", "2"]
    assert [rows["TALA-2"][i] for i in (QUANTITY, ACCEPTED, REJECTED)] == ["5", "", ""]


def test_an_exported_note_that_looks_like_a_formula_stays_text(batches):
    for fmt in ("csv", "xlsx"):
        response = client_for(batches.tala_officer).get(reverse("production:export"), {"format": fmt})
        rows = {row[CODE]: row for row in download_rows(response)[1:]}
        assert rows["TALA-2"][NOTE] == "'=1+1"


def test_the_excel_export_opens_with_the_same_rows(batches):
    client = client_for(batches.province_officer)
    csv_rows = download_rows(client.get(reverse("production:export")))
    xlsx_rows = download_rows(client.get(reverse("production:export"), {"format": "xlsx"}))
    assert xlsx_rows[0] == csv_rows[0] and len(xlsx_rows) == 4
    assert all(isinstance(row[DATE], datetime.datetime) for row in xlsx_rows[1:])  # a date cell, not a text
    assert all(isinstance(row[QUANTITY], int) for row in xlsx_rows[1:])
    assert [[("" if cell is None else cell.date().isoformat() if isinstance(cell, datetime.datetime) else str(cell))
             for cell in row] for row in xlsx_rows[1:]] == csv_rows[1:]


def test_an_unknown_format_falls_back_to_csv(batches):
    response = client_for(batches.tala_officer).get(reverse("production:export"), {"format": "pdf"})
    assert response["Content-Disposition"] == 'attachment; filename="produksi.csv"'


def test_the_batch_export_takes_the_same_number_of_queries_for_one_row_or_many(batches):
    w = batches
    client = client_for(w.hsu_officer)
    with CaptureQueriesContext(connection) as one:
        assert len(download_rows(client.get(reverse("production:export")))) == 2
    for number in range(4):
        batch = production_record(producer=w.hsu_partner, product=w.mask, quantity=50, produced_on=DAY,
                                  by=w.hsu_officer)
        if number % 2:
            inspection_record(batch=batch, by=w.health_expert, inspected_on=DAY, sample_size=5, accepted=50,
                              rejected=0, results=[])
    with CaptureQueriesContext(connection) as many:
        assert len(download_rows(client.get(reverse("production:export")))) == 6
    assert len(many) == len(one)
