import datetime
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from conftest import client_for
from sigap.stock.ledger import audit, on_hand
from sigap.stock.models import Movement, Posting, StockDocument
from sigap.stock.services import location_for, receipt_record

DAY = datetime.date(2020, 6, 2)


@pytest.fixture
def received(world):
    world.receipt = receipt_record(office=world.tala_office, supplier=world.province_office, date=DAY,
                                   reference="027/PERIN/VI/2020", lines=[(world.fabric, Decimal("100.5"))],
                                   by=world.tala_officer)
    world.store = location_for(world.tala_office)
    world.hsu_receipt = receipt_record(office=world.hsu_office, supplier=None, date=DAY,
                                       lines=[(world.fabric, 7)], by=world.hsu_officer)
    return world


def post(user, path, body):
    return client_for(user).post(f"/api/v1/stock{path}", json.dumps(body), content_type="application/json")


def get(user, path, **params):
    return client_for(user).get(f"/api/v1/stock{path}", params)


def _receipt(w, **changes):
    return {"office_id": w.tala_office.pk, "supplier_id": w.province_office.pk, "date": "2020-06-03",
            "reference": "031/PERIN/VI/2020", "lines": [{"item": w.fabric.code, "quantity": 12.5}]} | changes


def _issue(w, **changes):
    return {"office_id": w.tala_office.pk, "partner_id": w.tala_partner.pk, "date": "2020-06-03",
            "lines": [{"item": w.fabric.code, "quantity": 40}]} | changes


def test_balances_show_only_the_callers_locations(received):
    w = received
    response = get(w.tala_officer, "/balances")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["items"] == [{
        "item": "kain-sasirangan", "item_name": "Kain sasirangan", "unit": "m", "location_id": w.store.pk,
        "location": str(w.tala_office), "location_kind": "office_store", "region_code": "63.01",
        "quantity": "100.5",
    }]
    assert get(w.province_officer, "/balances").json()["count"] == 2


def test_balances_filter_by_region_item_and_location(received):
    w = received
    assert get(w.province_officer, "/balances", region="63.08").json()["items"][0]["quantity"] == "7"
    assert get(w.province_officer, "/balances", item="masker-kain-3-lapis").json()["count"] == 0
    assert get(w.province_officer, "/balances", location=w.store.pk).json()["count"] == 1


def test_balances_are_not_for_agency_users(received):
    assert get(received.agency_user, "/balances").status_code == 403


def test_movements_filter_by_date_item_and_kind(received):
    w = received
    receipt_record(office=w.tala_office, supplier=None, date=datetime.date(2020, 6, 20), lines=[(w.suit, 3)],
                   by=w.tala_officer)
    movements = get(w.tala_officer, "/movements").json()
    assert [m["item"] for m in movements["items"]] == ["baju-hazmat", "kain-sasirangan"]
    assert movements["items"][1]["kind"] == "receipt" and movements["items"][1]["balance_after"] == "100.5"
    assert get(w.tala_officer, "/movements", date_from="2020-06-10").json()["count"] == 1
    assert get(w.tala_officer, "/movements", date_to="2020-06-10").json()["count"] == 1
    assert get(w.tala_officer, "/movements", item="kain-sasirangan").json()["count"] == 1
    assert get(w.tala_officer, "/movements", kind="issue").json()["count"] == 0


def test_an_unknown_movement_kind_is_refused_naming_the_filter(received):
    response = get(received.tala_officer, "/movements", kind="gift")
    assert response.status_code == 422 and list(response.json()["errors"]) == ["kind"]


def test_another_districts_document_answers_404(received):
    w = received
    assert get(w.tala_officer, f"/documents/{w.receipt.pk}").json()["number"] == w.receipt.number
    assert get(w.hsu_officer, f"/documents/{w.receipt.pk}").status_code == 404
    assert get(w.partner_user, f"/documents/{w.receipt.pk}").status_code == 404


def test_documents_list_filters_by_kind_item_region_and_date(received):
    w = received
    assert get(w.province_officer, "/documents").json()["count"] == 2
    assert get(w.province_officer, "/documents", region="63.01").json()["items"][0]["id"] == w.receipt.pk
    assert get(w.province_officer, "/documents", kind="issue").json()["count"] == 0
    assert get(w.province_officer, "/documents", item="baju-hazmat").json()["count"] == 0
    assert get(w.province_officer, "/documents", date_from="2020-06-03").json()["count"] == 0


def test_a_receipt_raises_the_balance(received):
    w = received
    response = post(w.tala_officer, "/receipts", _receipt(w))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["kind"] == "receipt" and body["number"].startswith("BBM-")
    assert body["lines"] == [{"item": "kain-sasirangan", "quantity": "12.5"}]
    assert on_hand(w.fabric, w.store) == Decimal("113")
    assert StockDocument.objects.get(pk=body["id"]).created_by == w.tala_officer
    assert audit() == []


def test_quantities_are_read_as_numbers_whatever_the_language(received):
    """Indonesian writes 1.500 for fifteen hundred; JSON's 1.5 is still one and a half."""
    w = received
    response = post(w.tala_officer, "/receipts", _receipt(w, lines=[{"item": w.fabric.code, "quantity": 1.5}]))
    assert response.status_code == 201
    assert on_hand(w.fabric, w.store) == Decimal("102")


def test_a_receipt_with_an_unknown_item_names_the_line(received):
    w = received
    response = post(w.tala_officer, "/receipts", _receipt(w, lines=[{"item": "no-such-item", "quantity": 1}]))
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["lines.0.item"]
    assert StockDocument.objects.count() == 2


def test_a_receipt_without_lines_is_refused(received):
    w = received
    response = post(w.tala_officer, "/receipts", _receipt(w, lines=[]))
    assert response.status_code == 422 and list(response.json()["errors"]) == ["lines"]


def test_a_receipt_into_another_districts_store_names_the_office(received):
    w = received
    response = post(w.hsu_officer, "/receipts", _receipt(w))
    assert response.status_code == 422 and list(response.json()["errors"]) == ["office_id"]


def test_a_future_date_is_refused_by_the_service_naming_the_field(received):
    w = received
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = post(w.tala_officer, "/receipts", _receipt(w, date=tomorrow))
    assert response.status_code == 400 and list(response.json()["errors"]) == ["date"]


def test_an_unknown_field_is_refused(received):
    w = received
    response = post(w.tala_officer, "/receipts", _receipt(w, warehouse="Gudang"))
    assert response.status_code == 422 and response.json()["errors"] == {"warehouse": ["Kolom tidak dikenal."]}


def test_a_partner_user_may_not_record_a_receipt(received):
    w = received
    assert post(w.partner_user, "/receipts", _receipt(w)).status_code == 403
    assert StockDocument.objects.count() == 2


def test_an_issue_moves_materials_to_the_partner(received):
    w = received
    response = post(w.tala_officer, "/issues", _issue(w))
    assert response.status_code == 201
    assert response.json()["destination"] == w.tala_partner.name
    assert on_hand(w.fabric, w.store) == Decimal("60.5")
    assert on_hand(w.fabric, location_for(w.tala_partner)) == 40


def test_an_issue_larger_than_on_hand_is_409_with_the_shortfall_and_writes_nothing(received):
    w = received
    counts = StockDocument.objects.count(), Movement.objects.count(), Posting.objects.count()
    response = post(w.tala_officer, "/issues", _issue(w, lines=[{"item": w.fabric.code, "quantity": 101}]))
    assert response.status_code == 409
    assert response.json()["shortfall"] == [{"item": "kain-sasirangan", "location": str(w.tala_office),
                                             "available": "100.5", "requested": "101", "missing": "0.5"}]
    assert (StockDocument.objects.count(), Movement.objects.count(), Posting.objects.count()) == counts
    assert on_hand(w.fabric, w.store) == Decimal("100.5")


def test_an_issue_needs_a_partner_or_a_participant(received):
    w = received
    response = post(w.tala_officer, "/issues", _issue(w, partner_id=None))
    assert response.status_code == 422 and list(response.json()["errors"]) == ["__all__"]


def test_an_issue_to_another_districts_partner_names_the_partner(received):
    w = received
    response = post(w.tala_officer, "/issues", _issue(w, partner_id=w.hsu_partner.pk))
    assert response.status_code == 422 and "partner_id" in response.json()["errors"]
    assert StockDocument.objects.count() == 2


def test_a_transfer_moves_finished_goods_from_a_workshop_to_the_store_and_refuses_more_than_is_there(world):
    from sigap.production.services import production_record
    from sigap.quality.services import inspection_record
    from sigap.stock.services import location_for_office, location_for_partner

    batch = production_record(producer=world.tala_partner, product=world.suit, quantity=10,
                              produced_on=datetime.date(2020, 6, 1), by=world.tala_officer)
    inspection_record(batch=batch, by=world.health_expert, inspected_on=datetime.date(2020, 6, 2), sample_size=2,
                      accepted=10, rejected=0, results=[])
    workshop, store = location_for_partner(world.tala_partner), location_for_office(world.tala_office)
    body = {"office_id": world.tala_office.pk, "source_id": workshop.pk, "destination_id": store.pk,
            "date": "2020-06-03", "lines": [{"item": world.suit.code, "quantity": 8}]}
    client = client_for(world.tala_officer)
    response = client.post("/api/v1/stock/transfers", json.dumps(body), content_type="application/json")
    assert response.status_code == 201 and response.json()["kind"] == "transfer"
    assert on_hand(world.suit, workshop) == 2 and on_hand(world.suit, store) == 8
    too_many = client.post("/api/v1/stock/transfers", json.dumps(body), content_type="application/json")
    assert too_many.status_code == 409 and too_many.json()["shortfall"][0]["missing"] == "6"
    assert on_hand(world.suit, workshop) == 2 and on_hand(world.suit, store) == 8


def test_locations_are_listed_within_the_callers_region(world):
    from sigap.stock.services import location_for_office, location_for_partner

    tala_store, hsu_store = location_for_office(world.tala_office), location_for_office(world.hsu_office)
    workshop = location_for_partner(world.tala_partner)
    listed = client_for(world.tala_officer).get("/api/v1/stock/locations").json()
    ids = {location["id"] for location in listed["items"]}
    assert {tala_store.pk, workshop.pk} <= ids and hsu_store.pk not in ids
    stores = client_for(world.province_officer).get("/api/v1/stock/locations", {"kind": "office_store",
                                                                                 "region": "63.08"}).json()
    assert [location["id"] for location in stores["items"]] == [hsu_store.pk]
    own = client_for(world.partner_user).get("/api/v1/stock/locations").json()
    assert [location["id"] for location in own["items"]] == [workshop.pk]
