import datetime
import json

import pytest

from conftest import client_for
from sigap.production.services import production_record
from sigap.quality.models import Criterion, Inspection
from sigap.quality.services import inspection_record
from sigap.stock.ledger import on_hand
from sigap.stock.services import location_for

DAY = datetime.date(2020, 6, 10)


@pytest.fixture
def batch(world):
    world.criteria = [Criterion.objects.create(product=world.suit, text=t, position=i)
                      for i, t in enumerate(["Jahitan dilakban", "Tidak berlubang"])]
    Criterion.objects.create(product=world.suit, text="Retired point", position=9, is_active=False)
    world.batch = production_record(producer=world.tala_partner, product=world.suit, quantity=40, produced_on=DAY,
                                     by=world.partner_user)
    world.hsu_batch = production_record(producer=world.hsu_partner, product=world.mask, quantity=100,
                                        produced_on=DAY, by=world.hsu_officer)
    return world


def get(user, path, **params):
    return client_for(user).get(f"/api/v1/inspections{path}", params)


def post(user, body):
    return client_for(user).post("/api/v1/inspections", json.dumps(body), content_type="application/json")


def _inspection(w, **changes):
    return {"batch_id": w.batch.pk, "inspected_on": "2020-06-11", "sample_size": 5, "accepted": 38, "rejected": 2,
            "reject_reason": "Jahitan bocor",
            "results": [{"criterion_id": w.criteria[0].pk, "passed": True},
                        {"criterion_id": w.criteria[1].pk, "passed": False, "note": "Satu berlubang"}]} | changes


def test_a_health_expert_records_an_inspection_and_the_accepted_units_enter_stock(batch):
    w = batch
    response = post(w.health_expert, _inspection(w))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["accepted"], body["rejected"], body["photo_url"]) == (38, 2, None)
    assert body["results"] == [
        {"criterion_id": w.criteria[0].pk, "criterion": "Jahitan dilakban", "passed": True, "note": ""},
        {"criterion_id": w.criteria[1].pk, "criterion": "Tidak berlubang", "passed": False, "note": "Satu berlubang"},
    ]
    assert on_hand(w.suit, location_for(w.tala_partner)) == 38
    w.batch.refresh_from_db()
    assert w.batch.status == "inspected"


def test_an_officer_may_not_inspect(batch):
    w = batch
    assert post(w.tala_officer, _inspection(w)).status_code == 403
    assert post(w.partner_user, _inspection(w)).status_code == 403
    assert not Inspection.objects.exists()


def test_another_regions_batch_answers_404(batch):
    w = batch
    w.health_expert.organisation = w.hsu_office
    w.health_expert.save()
    assert post(w.health_expert, _inspection(w)).status_code == 404
    assert not Inspection.objects.exists()


def test_an_unanswered_checklist_point_is_refused(batch):
    w = batch
    response = post(w.health_expert, _inspection(w, results=[{"criterion_id": w.criteria[0].pk, "passed": True}]))
    assert response.status_code == 422 and list(response.json()["errors"]) == ["results"]
    assert not Inspection.objects.exists()


@pytest.mark.parametrize("criterion", ["retired", "other"])
def test_an_answer_to_no_point_of_the_checklist_is_refused(batch, criterion):
    w = batch
    other = Criterion.objects.create(product=w.mask, text="Tiga lapis") if criterion == "other" else \
        Criterion.objects.get(text="Retired point")
    results = _inspection(w)["results"] + [{"criterion_id": other.pk, "passed": True}]
    response = post(w.health_expert, _inspection(w, results=results))
    assert response.status_code == 422 and list(response.json()["errors"]) == ["results.2.criterion_id"]


@pytest.mark.parametrize("changes, status, field", [
    ({"sample_size": 0}, 422, "sample_size"),  # the form's own range
    ({"accepted": -1}, 422, "accepted"),
    ({"sample_size": 41}, 400, "sample_size"),  # the service: at most the quantity produced
    ({"accepted": 30}, 400, "accepted"),  # the service: accepted and rejected add up to the batch
    ({"reject_reason": ""}, 400, "reject_reason"),
    ({"inspected_on": "2020-06-09"}, 400, "inspected_on"),
])
def test_a_refused_inspection_names_the_field_and_writes_nothing(batch, changes, status, field):
    w = batch
    response = post(w.health_expert, _inspection(w, **changes))
    assert response.status_code == status and list(response.json()["errors"]) == [field]
    assert not Inspection.objects.exists()
    assert on_hand(w.suit, location_for(w.tala_partner)) == 0


def test_an_unknown_field_is_refused(batch):
    response = post(batch.health_expert, _inspection(batch, temperature=30))
    assert response.status_code == 422 and response.json()["errors"] == {"temperature": ["Kolom tidak dikenal."]}


def test_a_batch_is_inspected_once(batch):
    w = batch
    assert post(w.health_expert, _inspection(w)).status_code == 201
    response = post(w.health_expert, _inspection(w))
    assert response.status_code == 400 and Inspection.objects.count() == 1


def test_inspections_list_the_regions_and_filter(batch):
    w = batch
    inspection_record(batch=w.hsu_batch, by=w.health_expert, inspected_on=DAY, sample_size=5, accepted=100,
                      rejected=0, results=[])
    assert get(w.province_officer, "").json()["count"] == 1
    assert get(w.tala_officer, "").json()["count"] == 0
    assert get(w.hsu_officer, "", product="masker-kain-3-lapis").json()["count"] == 1
    assert get(w.hsu_officer, "", region="63.01").json()["count"] == 0
    assert get(w.hsu_officer, "", date_from="2020-06-11").json()["count"] == 0
    assert get(w.partner_user, "").status_code == 403


def test_another_districts_inspection_answers_404(batch):
    w = batch
    inspection = inspection_record(batch=w.batch, by=w.health_expert, inspected_on=DAY, sample_size=5, accepted=40,
                                   rejected=0, results=[(c, True, "") for c in w.criteria])
    assert get(w.partner_user, f"/{inspection.pk}").json()["batch_code"] == w.batch.code
    assert get(w.hsu_officer, f"/{inspection.pk}").status_code == 404


def test_the_checklist_lists_the_points_in_use(batch):
    w = batch
    response = get(w.health_expert, f"/checklists/{w.suit.code}")
    assert [c["text"] for c in response.json()] == ["Jahitan dilakban", "Tidak berlubang"]
    assert get(w.health_expert, f"/checklists/{w.fabric.code}").status_code == 404
    assert get(w.agency_user, f"/checklists/{w.suit.code}").status_code == 403
