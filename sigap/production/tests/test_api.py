import datetime
import json

import pytest

from conftest import client_for
from sigap.production.models import Batch
from sigap.production.services import production_record
from sigap.quality.services import inspection_record

DAY = datetime.date(2020, 6, 1)


@pytest.fixture
def batches(world):
    world.tala_batch = production_record(producer=world.tala_partner, product=world.suit, quantity=10,
                                         produced_on=DAY, by=world.tala_officer)
    world.hsu_batch = production_record(producer=world.hsu_partner, product=world.mask, quantity=300,
                                        produced_on=datetime.date(2020, 6, 15), by=world.hsu_officer)
    return world


def get(user, path, **params):
    return client_for(user).get(f"/api/v1/production{path}", params)


def post(user, body):
    return client_for(user).post("/api/v1/production/batches", json.dumps(body), content_type="application/json")


def _batch(w, **changes):
    return {"partner_id": w.tala_partner.pk, "product": w.suit.code, "quantity": 25,
            "produced_on": "2020-06-05"} | changes


def test_batches_show_what_the_caller_may_see(batches):
    w = batches
    assert get(w.province_officer, "/batches").json()["count"] == 2
    assert [b["code"] for b in get(w.tala_officer, "/batches").json()["items"]] == [w.tala_batch.code]
    assert [b["code"] for b in get(w.partner_user, "/batches").json()["items"]] == [w.tala_batch.code]
    assert get(w.agency_user, "/batches").status_code == 403


def test_batches_filter_by_region_product_status_and_date(batches):
    w = batches
    assert [b["id"] for b in get(w.province_officer, "/batches", region="63.08").json()["items"]] == [w.hsu_batch.pk]
    assert get(w.province_officer, "/batches", product="baju-hazmat").json()["items"][0]["id"] == w.tala_batch.pk
    assert get(w.province_officer, "/batches", status="inspected").json()["count"] == 0
    assert get(w.province_officer, "/batches", date_from="2020-06-10").json()["items"][0]["id"] == w.hsu_batch.pk
    assert get(w.province_officer, "/batches", date_to="2020-06-10").json()["items"][0]["id"] == w.tala_batch.pk


def test_a_batch_shows_its_inspection(batches):
    w = batches
    inspection_record(batch=w.tala_batch, by=w.health_expert, inspected_on=DAY, sample_size=2, accepted=9,
                      rejected=1, reject_reason="Jahitan lepas", results=[])
    body = get(w.partner_user, f"/batches/{w.tala_batch.pk}").json()
    assert body["status"] == "inspected" and body["producer"] == w.tala_partner.name
    assert body["inspection"]["accepted"] == 9 and body["inspection"]["rejected"] == 1


def test_another_districts_batch_answers_404(batches):
    w = batches
    assert get(w.hsu_officer, f"/batches/{w.tala_batch.pk}").status_code == 404
    assert get(w.partner_user, f"/batches/{w.hsu_batch.pk}").status_code == 404


def test_an_officer_reports_a_batch_that_awaits_inspection(batches):
    w = batches
    response = post(w.tala_officer, _batch(w))
    assert response.status_code == 201
    body = response.json()
    batch = Batch.objects.get(pk=body["id"])
    assert (batch.producer_partner, batch.quantity, batch.status) == (w.tala_partner, 25, "awaiting")
    assert body["code"] == f"20200605-{batch.pk:05d}" and body["inspection"] is None


def test_a_partner_user_reports_its_own_production(batches):
    w = batches
    assert post(w.partner_user, _batch(w)).status_code == 201
    response = post(w.partner_user, _batch(w, partner_id=w.hsu_partner.pk))
    assert response.status_code == 422 and "partner_id" in response.json()["errors"]
    response = post(w.partner_user, _batch(w, person_id=1))
    assert response.status_code == 422 and list(response.json()["errors"]) == ["person_id"]
    assert Batch.objects.filter(producer_partner=w.tala_partner).count() == 2


def test_a_health_expert_does_not_report_production(batches):
    w = batches
    assert post(w.health_expert, _batch(w)).status_code == 403
    assert Batch.objects.count() == 2


@pytest.mark.parametrize("changes, field", [
    ({"quantity": 0}, "quantity"),
    ({"product": "kain-sasirangan"}, "product"),  # a raw material is not a product choice
    ({"partner_id": None}, "__all__"),
    ({"produced_on": "2020-02-30"}, "produced_on"),
])
def test_a_refused_batch_names_the_field(batches, changes, field):
    w = batches
    response = post(w.tala_officer, _batch(w, **changes))
    assert response.status_code == 422 and field in response.json()["errors"]
    assert Batch.objects.count() == 2


def test_a_taken_batch_code_is_refused_by_the_service(batches):
    w = batches
    response = post(w.tala_officer, _batch(w, code=w.tala_batch.code))
    assert response.status_code == 400 and list(response.json()["errors"]) == ["code"]


def test_an_unknown_field_is_refused(batches):
    w = batches
    response = post(w.tala_officer, _batch(w, colour="biru"))
    assert response.status_code == 422 and response.json()["errors"] == {"colour": ["Kolom tidak dikenal."]}
