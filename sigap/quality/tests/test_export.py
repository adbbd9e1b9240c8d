"""Inspections as CSV or Excel: the readers of the work list, their region's inspections only, formulas kept
as text, and a query count that does not grow with the rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for, download_rows
from sigap.production.services import production_record
from sigap.quality.services import inspection_record

DAY = datetime.date(2020, 6, 1)
CODE, PRODUCER, INSPECTOR, ACCEPTED, REJECTED, REASON = 0, 2, 6, 8, 9, 10


def inspect(w, producer, product, code, accepted, rejected=0, reason=""):
    batch = production_record(producer=producer, product=product, quantity=accepted + rejected, produced_on=DAY,
                              code=code, by=w.province_officer)
    return inspection_record(batch=batch, by=w.health_expert, inspected_on=DAY, sample_size=2, accepted=accepted,
                             rejected=rejected, reject_reason=reason, results=[])


@pytest.fixture
def inspections(world):
    w = world
    w.health_expert.first_name = "dr. Rina"
    w.health_expert.save(update_fields=["first_name"])
    inspect(w, w.tala_partner, w.suit, "TALA-1", accepted=8, rejected=2, reason="=HYPERLINK(\"http://x\")")
    inspect(w, w.hsu_partner, w.mask, "HSU-1", accepted=300)
    production_record(producer=w.tala_partner, product=w.suit, quantity=4, produced_on=DAY, code="TALA-2",
                      by=w.tala_officer)  # not inspected yet: not an inspection
    return w


def _codes(user):
    return sorted(row[CODE] for row in download_rows(client_for(user).get(reverse("quality:export")))[1:])


def test_the_inspection_export_follows_the_scope(inspections):
    w = inspections
    assert _codes(w.tala_officer) == ["TALA-1"]
    assert _codes(w.hsu_officer) == ["HSU-1"]
    assert _codes(w.instructor) == ["HSU-1"]
    assert _codes(w.health_expert) == ["HSU-1", "TALA-1"]
    assert _codes(w.outsider) == []


def test_the_inspection_export_refuses_whom_the_work_list_refuses(inspections):
    w = inspections
    assert client_for(None).get(reverse("quality:export")).status_code == 302
    assert client_for(w.partner_user).get(reverse("quality:export")).status_code == 403
    assert client_for(w.agency_user).get(reverse("quality:export")).status_code == 403


def test_the_inspection_export_has_the_inspectors_findings(inspections):
    rows = download_rows(client_for(inspections.tala_officer).get(reverse("quality:export")))
    assert [rows[1][i] for i in (PRODUCER, INSPECTOR, ACCEPTED, REJECTED)] == [
        "Konveksi Tuntung Pandang", "dr. Rina", "8", "2"]


def test_an_exported_reason_that_looks_like_a_formula_stays_text(inspections):
    rows = download_rows(client_for(inspections.tala_officer).get(reverse("quality:export")))
    assert rows[1][REASON] == "'=HYPERLINK(\"http://x\")"


def test_the_excel_export_opens_with_the_same_rows(inspections):
    client = client_for(inspections.province_officer)
    csv_rows = download_rows(client.get(reverse("quality:export")))
    xlsx_rows = download_rows(client.get(reverse("quality:export"), {"format": "xlsx"}))
    assert xlsx_rows[0] == csv_rows[0] and len(xlsx_rows) == 3
    assert [[("" if cell is None else str(cell)) for cell in row] for row in xlsx_rows[1:]] == csv_rows[1:]


def test_an_unknown_format_falls_back_to_csv(inspections):
    response = client_for(inspections.tala_officer).get(reverse("quality:export"), {"format": "xls"})
    assert response["Content-Disposition"] == 'attachment; filename="pemeriksaan.csv"'


def test_the_inspection_export_takes_the_same_number_of_queries_for_one_row_or_many(inspections):
    w = inspections
    client = client_for(w.hsu_officer)
    with CaptureQueriesContext(connection) as one:
        assert len(download_rows(client.get(reverse("quality:export")))) == 2
    for number in range(4):
        inspect(w, w.hsu_partner, w.mask, f"HSU-{number + 2}", accepted=10, rejected=number, reason="sobek")
    with CaptureQueriesContext(connection) as many:
        assert len(download_rows(client.get(reverse("quality:export")))) == 6
    assert len(many) == len(one)
