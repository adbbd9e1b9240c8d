import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import client_for
from sigap.handovers.models import Handover, ProductionOrder, Sequence, SupplyRequest
from sigap.handovers.services import handover_create, request_create
from sigap.stock.ledger import audit, on_hand
from sigap.stock.models import Movement, Posting
from sigap.stock.services import location_for, receipt_record

DAY = datetime.date(2020, 6, 1)


@pytest.fixture
def handed(world):
    """Ten suits in the Tala store, five of them handed over to GTPP Tala, and GTPP's request for 100."""
    receipt_record(office=world.tala_office, supplier=None, date=DAY, lines=[(world.suit, 10)],
                   by=world.tala_officer)
    world.store = location_for(world.tala_office)
    world.handover = handover_create(
        office=world.tala_office, receiver=world.gtpp_tala, giver_name="Masturi", giver_position="Kepala Dinas",
        receiver_name="Sekda", receiver_position="Sekretaris Daerah", purpose="use", handed_over_on=DAY,
        place="Pelaihari", lines=[(world.suit, 5, None)], by=world.tala_officer)
    world.request = request_create(agency=world.gtpp_tala, office=world.tala_office,
                                   needed_by=timezone.localdate() + datetime.timedelta(days=14),
                                   lines=[(world.suit, 100)], by=world.tala_officer)
    return world


def get(user, path="", **params):
    return client_for(user).get(f"/api/v1/handovers{path}", params)


def post(user, path, body):
    return client_for(user).post(f"/api/v1/handovers{path}", json.dumps(body), content_type="application/json")


def _handover(w, **changes):
    return {"office_id": w.tala_office.pk, "giver_name": "Masturi", "giver_position": "Kepala Dinas",
            "receiver_id": w.gtpp_tala.pk, "receiver_name": "Sekda", "receiver_position": "Sekretaris Daerah",
            "purpose": "distribution", "handed_over_on": "2020-06-02", "place": "Pelaihari",
            "lines": [{"product": w.suit.code, "quantity": 3}]} | changes


# --- handovers ---

def test_a_handover_shows_its_lines_number_and_verification(handed):
    w = handed
    body = get(w.agency_user, f"/{w.handover.pk}").json()
    assert body["number"] == w.handover.number and body["status"] == "handed_over"
    assert body["lines"] == [{"id": w.handover.lines.get().pk, "product": "baju-hazmat", "name": "Baju hazmat",
                              "unit": "pcs", "batch": None, "quantity": 5, "received_quantity": None}]
    assert body["verification_url"] == f"http://testserver/bast/{w.handover.verification_code}/"
    assert body["verification_status"] == "genuine"


def test_another_districts_handover_answers_404(handed):
    w = handed
    assert get(w.hsu_officer, f"/{w.handover.pk}").status_code == 404
    assert get(w.hsu_officer, f"/{w.handover.pk}/certificate.pdf").status_code == 404
    assert post(w.hsu_officer, f"/{w.handover.pk}/void", {"reason": "Salah"}).status_code == 404


def test_handovers_list_and_filter(handed):
    w = handed
    assert get(w.agency_user).json()["count"] == 1
    assert get(w.hsu_officer).json()["count"] == 0
    assert get(w.province_officer, region="63.01", status="handed_over").json()["count"] == 1
    assert get(w.province_officer, product="masker-kain-3-lapis").json()["count"] == 0
    assert get(w.province_officer, product="baju-hazmat").json()["count"] == 1
    assert get(w.province_officer, date_from="2020-06-02").json()["count"] == 0
    assert get(w.partner_user).status_code == 403


def test_the_handover_list_costs_the_same_queries_for_more_rows(handed):
    w = handed
    client = client_for(w.province_officer)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/api/v1/handovers")
        return len(captured), response.json()["count"]

    one = queries()
    for _ in range(3):
        post(w.tala_officer, "", _handover(w, lines=[{"product": w.suit.code, "quantity": 1}]))
    assert queries() == (one[0], 4)


def test_an_officer_hands_goods_over_and_they_leave_the_store(handed):
    w = handed
    response = post(w.tala_officer, "", _handover(w))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"] == "002/BAST/DISNAKERIND-TALA/VI/2020"
    assert body["purpose"] == "distribution" and body["lines"][0]["quantity"] == 3
    assert on_hand(w.suit, w.store) == 2
    assert audit() == []


def test_a_handover_larger_than_on_hand_is_409_with_the_shortfall_and_writes_nothing(handed):
    w = handed
    counts = Handover.objects.count(), Movement.objects.count(), Posting.objects.count()
    response = post(w.tala_officer, "", _handover(w, lines=[{"product": w.suit.code, "quantity": 6}]))
    assert response.status_code == 409
    assert response.json()["shortfall"] == [{"item": "baju-hazmat", "location": str(w.tala_office),
                                             "available": "5", "requested": "6", "missing": "1"}]
    assert (Handover.objects.count(), Movement.objects.count(), Posting.objects.count()) == counts
    assert Sequence.objects.get(office=w.tala_office, year=2020).last == 1  # no number used
    assert on_hand(w.suit, w.store) == 5


@pytest.mark.parametrize("changes, field", [
    ({"receiver_id": 0}, "receiver_id"),
    ({"purpose": "gift"}, "purpose"),
    ({"place": ""}, "place"),
    ({"lines": []}, "lines"),
    ({"lines": [{"product": "kain-sasirangan", "quantity": 1}]}, "lines.0.product"),
    ({"lines": [{"product": "baju-hazmat", "quantity": 0}]}, "lines.0.quantity"),
])
def test_a_refused_handover_names_the_field(handed, changes, field):
    w = handed
    response = post(w.tala_officer, "", _handover(w, **changes))
    assert response.status_code == 422 and field in response.json()["errors"], response.json()
    assert Handover.objects.count() == 1


def test_the_services_refusal_names_the_api_field(handed):
    w = handed
    response = post(w.tala_officer, "", _handover(w, receiver_nip="123"))
    assert response.status_code == 400 and list(response.json()["errors"]) == ["receiver_nip"]
    response = post(w.tala_officer, "", _handover(w, receiver_id=w.province_office.pk, request_id=w.request.pk))
    assert response.status_code == 400 and list(response.json()["errors"]) == ["request_id"]


def test_an_unknown_field_is_refused(handed):
    w = handed
    response = post(w.tala_officer, "", _handover(w, witness="Pak RT"))
    assert response.status_code == 422 and response.json()["errors"] == {"witness": ["Kolom tidak dikenal."]}


def test_an_agency_user_may_not_hand_goods_over(handed):
    assert post(handed.agency_user, "", _handover(handed)).status_code == 403


def test_the_certificate_is_a_pdf(handed):
    w = handed
    response = get(w.agency_user, f"/{w.handover.pk}/certificate.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_voiding_reverses_the_stock_and_the_verification_says_void(handed):
    w = handed
    response = post(w.tala_officer, f"/{w.handover.pk}/void", {"reason": "Salah penerima"})
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["verification_status"], body["void_reason"]) == ("void", "void", "Salah penerima")
    w.handover.refresh_from_db()
    assert w.handover.voided_posting.reverses == w.handover.posting
    assert on_hand(w.suit, w.store) == 10
    assert audit() == []


def test_voiding_needs_a_reason_and_an_officer(handed):
    w = handed
    response = post(w.tala_officer, f"/{w.handover.pk}/void", {"reason": ""})
    assert response.status_code == 422 and list(response.json()["errors"]) == ["reason"]
    assert post(w.agency_user, f"/{w.handover.pk}/void", {"reason": "Salah"}).status_code == 403
    assert post(w.health_expert, f"/{w.handover.pk}/void", {"reason": "Salah"}).status_code == 403
    assert Handover.objects.get().status == "handed_over" and on_hand(w.suit, w.store) == 5


def test_a_second_void_is_refused(handed):
    w = handed
    post(w.tala_officer, f"/{w.handover.pk}/void", {"reason": "Salah"})
    response = post(w.tala_officer, f"/{w.handover.pk}/void", {"reason": "Lagi"})
    assert response.status_code == 400 and on_hand(w.suit, w.store) == 10


def test_the_receiving_agency_confirms_receipt(handed):
    w = handed
    line = w.handover.lines.get()
    response = post(w.agency_user, f"/{w.handover.pk}/receipt",
                    {"lines": [{"line_id": line.pk, "quantity": 4}], "note": "Satu rusak"})
    assert response.status_code == 200
    assert response.json()["status"] == "received" and response.json()["lines"][0]["received_quantity"] == 4
    again = post(w.agency_user, f"/{w.handover.pk}/receipt", {"lines": [{"line_id": line.pk, "quantity": 5}]})
    assert again.status_code == 400
    line.refresh_from_db()
    assert line.received_quantity == 4


def test_only_the_receiving_agency_confirms_receipt(handed):
    w = handed
    body = {"lines": [{"line_id": w.handover.lines.get().pk, "quantity": 5}]}
    assert post(w.tala_officer, f"/{w.handover.pk}/receipt", body).status_code == 403
    assert post(w.hsu_officer, f"/{w.handover.pk}/receipt", body).status_code == 404
    assert Handover.objects.get().status == "handed_over"


def test_a_receipt_names_the_refused_line(handed):
    w = handed
    line = w.handover.lines.get()
    response = post(w.agency_user, f"/{w.handover.pk}/receipt", {"lines": [{"line_id": line.pk, "quantity": 6}]})
    assert response.status_code == 422 and list(response.json()["errors"]) == ["lines.0.quantity"]
    response = post(w.agency_user, f"/{w.handover.pk}/receipt", {"lines": [{"line_id": 0, "quantity": 1}]})
    assert response.status_code == 422 and list(response.json()["errors"]) == ["lines.0.line_id"]
    response = post(w.agency_user, f"/{w.handover.pk}/receipt", {"lines": []})
    assert response.status_code == 422 and list(response.json()["errors"]) == ["lines"]
    assert Handover.objects.get().status == "handed_over"


# --- requests and allocations ---

def _request(w, **changes):
    return {"agency_id": w.gtpp_tala.pk, "office_id": w.tala_office.pk,
            "needed_by": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
            "lines": [{"product": w.mask.code, "quantity": 500}]} | changes


def test_an_agency_user_asks_for_goods(handed):
    w = handed
    response = post(w.agency_user, "/requests", _request(w))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "open" and body["created_at"]
    assert body["progress"] == [{"product": "masker-kain-3-lapis", "quantity": 500, "handed_over": 0, "owed": 500}]
    assert SupplyRequest.objects.get(pk=body["id"]).created_by == w.agency_user


def test_a_request_for_another_agency_is_refused(handed):
    w = handed
    response = post(w.agency_user, "/requests", _request(w, agency_id=w.province_office.pk))
    assert response.status_code == 422 and list(response.json()["errors"]) == ["agency_id"]
    response = post(w.hsu_officer, "/requests", _request(w))
    assert response.status_code == 422 and {"agency_id", "office_id"} <= set(response.json()["errors"])
    assert post(w.partner_user, "/requests", _request(w)).status_code == 403
    assert SupplyRequest.objects.count() == 1


def test_a_past_date_is_refused_to_an_agency_by_the_service(handed):
    w = handed
    response = post(w.agency_user, "/requests", _request(w, needed_by="2020-01-01"))
    assert response.status_code == 400 and list(response.json()["errors"]) == ["needed_by"]


def test_a_request_shows_what_is_still_owed(handed):
    w = handed
    handover_create(office=w.tala_office, receiver=w.gtpp_tala, giver_name="Masturi", giver_position="Kepala",
                    receiver_name="Sekda", receiver_position="Sekda", purpose="use", handed_over_on=DAY,
                    place="Pelaihari", lines=[(w.suit, 4, None)], by=w.tala_officer, request=w.request)
    body = get(w.agency_user, f"/requests/{w.request.pk}").json()
    assert body["progress"] == [{"product": "baju-hazmat", "quantity": 100, "handed_over": 4, "owed": 96}]
    assert len(body["handover_ids"]) == 1


def test_requests_list_and_filter(handed):
    w = handed
    assert get(w.agency_user, "/requests").json()["count"] == 1
    assert get(w.hsu_officer, "/requests").json()["count"] == 0
    assert get(w.province_officer, "/requests", status="fulfilled").json()["count"] == 0
    assert get(w.province_officer, "/requests", product="baju-hazmat", region="63.01").json()["count"] == 1
    assert get(w.province_officer, "/requests", date_to="2020-01-01").json()["count"] == 0
    assert get(w.hsu_officer, f"/requests/{w.request.pk}").status_code == 404


def test_an_allocation_is_proposed_and_confirmed_as_orders(handed):
    w = handed
    proposal = get(w.tala_officer, f"/requests/{w.request.pk}/allocation/{w.suit.code}").json()
    assert proposal["shortfall"] == 95  # 100 owed, 5 in the store
    assert proposal["candidates"] == [{"partner_id": w.tala_partner.pk, "partner": w.tala_partner.name}]
    assert proposal["shares"][0]["partner_id"] == w.tala_partner.pk
    quantity = proposal["shares"][0]["quantity"]
    response = post(w.tala_officer, f"/requests/{w.request.pk}/allocation/{w.suit.code}",
                    {"due_on": w.request.needed_by.isoformat(),
                     "quantities": [{"partner_id": w.tala_partner.pk, "quantity": quantity}]})
    assert response.status_code == 201, response.json()
    assert [(o["partner_id"], o["quantity"]) for o in response.json()] == [(w.tala_partner.pk, quantity)]
    assert get(w.partner_user, "/orders").json()["items"][0]["quantity"] == quantity
    assert get(w.tala_officer, f"/requests/{w.request.pk}").json()["orders"][0]["quantity"] == quantity


def test_an_allocation_to_a_partner_outside_the_candidates_is_refused(handed):
    w = handed
    response = post(w.tala_officer, f"/requests/{w.request.pk}/allocation/{w.suit.code}",
                    {"due_on": w.request.needed_by.isoformat(),
                     "quantities": [{"partner_id": w.hsu_partner.pk, "quantity": 5}]})
    assert response.status_code == 422 and list(response.json()["errors"]) == ["quantities.0.partner_id"]
    assert not ProductionOrder.objects.exists()


def test_an_allocation_above_capacity_is_refused_by_the_service(handed):
    w = handed
    response = post(w.tala_officer, f"/requests/{w.request.pk}/allocation/{w.suit.code}",
                    {"due_on": w.request.needed_by.isoformat(),
                     "quantities": [{"partner_id": w.tala_partner.pk, "quantity": 95}]})
    assert response.status_code == 400 and not ProductionOrder.objects.exists()


def test_allocations_are_for_officers_of_the_requests_region(handed):
    w = handed
    path = f"/requests/{w.request.pk}/allocation/{w.suit.code}"
    assert get(w.agency_user, path).status_code == 403
    assert get(w.hsu_officer, path).status_code == 404
    assert get(w.tala_officer, f"/requests/{w.request.pk}/allocation/{w.fabric.code}").status_code == 404
    body = {"due_on": w.request.needed_by.isoformat(), "quantities": []}
    assert post(w.agency_user, path, body).status_code == 403
    assert post(w.hsu_officer, path, body).status_code == 404


def test_orders_filter_by_product_and_are_not_for_agencies(handed):
    w = handed
    ProductionOrder.objects.create(request=w.request, partner=w.tala_partner, product=w.suit, quantity=10,
                                   due_on=w.request.needed_by, created_by=w.tala_officer)
    assert get(w.tala_officer, "/orders", product="baju-hazmat").json()["count"] == 1
    assert get(w.tala_officer, "/orders", product="masker-kain-3-lapis").json()["count"] == 0
    assert get(w.hsu_officer, "/orders").json()["count"] == 0
    assert get(w.agency_user, "/orders").status_code == 403
