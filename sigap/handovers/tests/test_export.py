"""Handovers and agencies' requests as CSV or Excel: the lists' scope (an agency user sees its own) and status
filters, formulas kept as text, no NIP in the file, and a query count that does not grow with the rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import client_for, download_rows
from sigap.accounts.models import Role, User
from sigap.handovers.models import Handover, SupplyRequest
from sigap.handovers.services import handover_create, handover_void, request_create
from sigap.organisations.models import Kind, Organisation
from sigap.stock.services import receipt_record

DAY = datetime.date(2020, 6, 15)
NEEDED_BY = timezone.localdate() + datetime.timedelta(days=30)
NUMBER, PLACE, PRODUCTS = 0, 2, 8  # handovers
AGENCY, REQUESTED, NOTE = 0, 3, 5  # requests
GIVER_NIP = "196501011990031001"


def hand_over(w, office=None, receiver=None, lines=None, by=None, **extra):
    return handover_create(office=office or w.tala_office, receiver=receiver or w.gtpp_tala, giver_name="Masturi",
                           giver_position="Kepala Dinas", giver_nip=GIVER_NIP, receiver_name="H. Dahnial Kifli",
                           receiver_position="Sekretaris Daerah", purpose="use", handed_over_on=DAY,
                           place="Pelaihari", lines=lines or [(w.suit, 10, None)], by=by or w.tala_officer, **extra)


@pytest.fixture
def handed(world):
    """Tala: a request from GTPP Tala for 20 suits fulfilled by one handover, a second handover (void), an open
    request for 100 masks. HSU: one handover of 500 masks to BPBD HSU and an open request from it."""
    w = world
    receipt_record(office=w.tala_office, supplier=w.province_office, date=DAY, lines=[(w.suit, 100), (w.mask, 300)],
                   by=w.tala_officer)
    receipt_record(office=w.hsu_office, supplier=w.province_office, date=DAY, lines=[(w.mask, 1000)],
                   by=w.hsu_officer)
    w.bpbd_hsu = Organisation.objects.create(name="BPBD Kabupaten Hulu Sungai Utara", code="BPBD-HSU",
                                             kind=Kind.DISASTER_AGENCY, region_id="63.08")
    w.bpbd_user = User.objects.create_user(username="bpbd_user", password="sandi-rahasia-1", role=Role.AGENCY,
                                           organisation=w.bpbd_hsu)
    w.suits_request = request_create(agency=w.gtpp_tala, office=w.tala_office, needed_by=NEEDED_BY,
                                     lines=[(w.suit, 20)], by=w.tala_officer)
    w.fulfilling = hand_over(w, lines=[(w.suit, 20, None)], request=w.suits_request)
    w.voided = hand_over(w, lines=[(w.mask, 50, None)])
    handover_void(handover=w.voided, by=w.tala_officer, reason="salah tujuan")
    w.masks_request = request_create(agency=w.gtpp_tala, office=w.tala_office, needed_by=NEEDED_BY,
                                     lines=[(w.mask, 100)], by=w.tala_officer, note="=1+2")
    w.hsu_handover = hand_over(w, office=w.hsu_office, receiver=w.bpbd_hsu, lines=[(w.mask, 500, None)],
                               by=w.hsu_officer)
    w.hsu_request = request_create(agency=w.bpbd_hsu, office=w.hsu_office, needed_by=NEEDED_BY,
                                   lines=[(w.mask, 2000)], by=w.bpbd_user)
    return w


def _handovers(user, **query):
    rows = download_rows(client_for(user).get(reverse("handovers:export"), query))
    return sorted(row[NUMBER] for row in rows[1:])


def _requests(user, **query):
    rows = download_rows(client_for(user).get(reverse("handovers:request-export"), query))
    return sorted((row[AGENCY], row[REQUESTED]) for row in rows[1:])


def test_the_handover_export_follows_the_scope_and_the_status_filter(handed):
    w = handed
    tala = sorted([w.fulfilling.number, w.voided.number])
    assert _handovers(w.tala_officer) == tala
    assert _handovers(w.agency_user) == tala  # GTPP Tala received both
    assert _handovers(w.bpbd_user) == [w.hsu_handover.number]
    assert _handovers(w.hsu_officer) == [w.hsu_handover.number]
    assert _handovers(w.tala_officer, status="void") == [w.voided.number]
    assert _handovers(w.province_officer, status="handed_over") == sorted([w.fulfilling.number,
                                                                           w.hsu_handover.number])
    assert _handovers(w.outsider) == []


def test_the_request_export_follows_the_scope_and_the_status_filter(handed):
    w = handed
    gtpp = "GTPP Covid-19 Kabupaten Tanah Laut"
    assert _requests(w.tala_officer) == [(gtpp, "100 Masker kain 3 lapis")]
    assert _requests(w.tala_officer, status="all") == [(gtpp, "100 Masker kain 3 lapis"), (gtpp, "20 Baju hazmat")]
    assert _requests(w.agency_user, status="fulfilled") == [(gtpp, "20 Baju hazmat")]
    assert _requests(w.bpbd_user) == [("BPBD Kabupaten Hulu Sungai Utara", "2000 Masker kain 3 lapis")]
    assert _requests(w.hsu_officer, status="fulfilled") == []
    assert _requests(w.outsider, status="all") == []


@pytest.mark.parametrize("route", ["handovers:export", "handovers:request-export"])
def test_the_exports_refuse_whom_the_lists_refuse(handed, route):
    assert client_for(None).get(reverse(route)).status_code == 302
    assert client_for(handed.partner_user).get(reverse(route)).status_code == 403


def test_the_handover_export_lists_the_goods_and_leaves_the_nip_out(handed):
    w = handed
    rows = download_rows(client_for(w.tala_officer).get(reverse("handovers:export"), {"status": "void"}))
    assert rows[1][PRODUCTS] == "50 Masker kain 3 lapis"
    assert not any(GIVER_NIP in cell for row in rows for cell in row)


def test_exported_texts_that_look_like_formulas_stay_text(handed):
    w = handed
    Handover.objects.filter(pk=w.voided.pk).update(place="+Pelaihari")
    rows = download_rows(client_for(w.tala_officer).get(reverse("handovers:export"), {"status": "void"}))
    assert rows[1][PLACE] == "'+Pelaihari"
    rows = download_rows(client_for(w.tala_officer).get(reverse("handovers:request-export"), {"format": "xlsx"}))
    assert rows[1][NOTE] == "'=1+2"


def test_the_excel_exports_open_with_the_same_rows(handed):
    client = client_for(handed.province_officer)
    for route in ("handovers:export", "handovers:request-export"):
        csv_rows = download_rows(client.get(reverse(route), {"status": "all"}))
        xlsx_rows = download_rows(client.get(reverse(route), {"status": "all", "format": "xlsx"}))
        assert xlsx_rows[0] == csv_rows[0] and len(xlsx_rows) > 1
        assert [[("" if cell is None else str(cell)) for cell in row] for row in xlsx_rows[1:]] == csv_rows[1:]


def test_an_unknown_format_falls_back_to_csv(handed):
    client = client_for(handed.tala_officer)
    response = client.get(reverse("handovers:export"), {"format": "json"})
    assert response["Content-Disposition"] == 'attachment; filename="serah-terima.csv"'
    response = client.get(reverse("handovers:request-export"), {"format": "json"})
    assert response["Content-Disposition"] == 'attachment; filename="permintaan.csv"'


def test_the_exports_take_the_same_number_of_queries_for_one_row_or_many(handed):
    w = handed
    client = client_for(w.bpbd_user)

    def queries():
        counts = []
        for route in ("handovers:export", "handovers:request-export"):
            with CaptureQueriesContext(connection) as captured:
                rows = download_rows(client.get(reverse(route), {"status": "all"}))
            counts.append((len(captured), len(rows)))
        return counts

    (handovers_one, _), (requests_one, _) = queries()
    for _number in range(3):
        hand_over(w, office=w.hsu_office, receiver=w.bpbd_hsu, lines=[(w.mask, 10, None)], by=w.hsu_officer)
        request_create(agency=w.bpbd_hsu, office=w.hsu_office, needed_by=NEEDED_BY, lines=[(w.mask, 5), (w.suit, 1)],
                       by=w.bpbd_user)
    assert SupplyRequest.objects.filter(agency=w.bpbd_hsu).count() == 4
    assert queries() == [(handovers_one, 5), (requests_one, 5)]
