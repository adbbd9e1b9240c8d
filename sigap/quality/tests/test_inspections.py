import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from conftest import client_for
from sigap.items.models import Component
from sigap.lib.errors import DomainError
from sigap.production.models import Batch
from sigap.production.services import production_record
from sigap.production.selectors import material_yield
from sigap.quality.models import Criterion, Inspection
from sigap.quality.services import inspection_record
from sigap.stock.ledger import on_hand
from sigap.stock.models import Location, Movement
from sigap.stock.services import issue_record, location_for, receipt_record

DAY = datetime.date(2020, 6, 10)


@pytest.fixture
def batch(world):
    Component.objects.create(product=world.suit, material=world.fabric, quantity=Decimal("3.5"))
    world.criteria = [Criterion.objects.create(product=world.suit, text=t, position=i)
                      for i, t in enumerate(["Jahitan dilakban", "Tidak berlubang"])]
    receipt_record(office=world.tala_office, supplier=None, date=DAY, lines=[(world.fabric, 200)],
                   by=world.tala_officer)
    issue_record(office=world.tala_office, recipient=world.tala_partner, date=DAY, lines=[(world.fabric, 150)],
                 by=world.tala_officer)
    world.batch = production_record(producer=world.tala_partner, product=world.suit, quantity=40, produced_on=DAY,
                                    by=world.partner_user)
    return world


def _results(w, passed=True):
    return [(c, passed, "") for c in w.criteria]


def test_production_is_not_stock_until_inspected(batch):
    assert batch.batch.status == "awaiting"
    assert on_hand(batch.suit, location_for(batch.tala_partner)) == 0
    assert list(Batch.objects.visible_to(batch.health_expert).awaiting_inspection()) == [batch.batch]


def test_only_the_accepted_quantity_enters_stock_and_materials_are_consumed(batch):
    w = batch
    inspection = inspection_record(batch=w.batch, by=w.health_expert, inspected_on=DAY, sample_size=5,
                                   accepted=38, rejected=2, reject_reason="Jahitan bocor", results=_results(w))
    workshop = location_for(w.tala_partner)
    assert on_hand(w.suit, workshop) == 38
    assert on_hand(w.fabric, workshop) == 150 - Decimal("3.5") * 40
    w.batch.refresh_from_db()
    assert w.batch.status == "inspected"
    # traceable both ways: batch -> inspection -> posting -> movements -> inspection -> batch
    assert w.batch.inspection == inspection
    movement = Movement.objects.get(posting=inspection.posting, item=w.suit)
    assert movement.posting.document.batch == w.batch


@pytest.mark.parametrize("who", ["tala_officer", "province_officer", "instructor", "partner_user"])
def test_only_a_health_expert_inspects(batch, who):
    with pytest.raises(DomainError, match="health expert"):
        inspection_record(batch=batch.batch, by=getattr(batch, who), inspected_on=DAY, sample_size=5, accepted=40,
                          rejected=0, results=_results(batch))
    assert not Inspection.objects.exists()


@pytest.mark.parametrize("kwargs, message", [
    ({"accepted": 41, "rejected": 0}, "add up to the 40"),
    ({"accepted": 30, "rejected": 5}, "add up to the 40"),
    ({"accepted": 38, "rejected": 2, "reject_reason": ""}, "reason for the rejects"),
    ({"sample_size": 0}, "sample"),
    ({"sample_size": 41}, "sample"),
    ({"inspected_on": datetime.date(2020, 6, 9)}, "before it was produced"),
])
def test_inconsistent_inspections_are_refused_and_write_nothing(batch, kwargs, message):
    args = {"batch": batch.batch, "by": batch.health_expert, "inspected_on": DAY, "sample_size": 5,
            "accepted": 40, "rejected": 0, "results": _results(batch), **kwargs}
    movements = Movement.objects.count()
    with pytest.raises(DomainError, match=message):
        inspection_record(**args)
    assert not Inspection.objects.exists() and Movement.objects.count() == movements


def test_every_checklist_point_must_be_answered(batch):
    with pytest.raises(DomainError, match="checklist"):
        inspection_record(batch=batch.batch, by=batch.health_expert, inspected_on=DAY, sample_size=5, accepted=40,
                          rejected=0, results=_results(batch)[:1])


def test_a_batch_is_inspected_once(batch):
    w = batch
    inspection_record(batch=w.batch, by=w.health_expert, inspected_on=DAY, sample_size=5, accepted=40, rejected=0,
                      results=_results(w))
    with pytest.raises(DomainError, match="already been inspected"):
        inspection_record(batch=w.batch, by=w.health_expert, inspected_on=DAY, sample_size=5, accepted=40,
                          rejected=0, results=_results(w))


def _png(size=(8, 8)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, "PNG")
    return SimpleUploadedFile("foto.png", buffer.getvalue(), content_type="image/png")


def _form(w, **extra):
    data = {"inspected_on": DAY.isoformat(), "sample_size": "5", "accepted": "40", "rejected": "0",
            "reject_reason": "", "notes": ""}
    for c in w.criteria:
        data[f"criterion_{c.pk}"] = "pass"
        data[f"criterion_{c.pk}_note"] = ""
    data.update(extra)
    return data


def test_the_inspection_page_records_with_a_photo(batch):
    w = batch
    response = client_for(w.health_expert).post(reverse("quality:inspect", args=[w.batch.pk]),
                                                _form(w, photo=_png()))
    inspection = Inspection.objects.get()
    assert response.status_code == 302 and response.url == reverse("quality:detail", args=[inspection.pk])
    assert inspection.photo.name.startswith(f"inspections/{w.batch.pk}/")
    assert inspection.results.filter(passed=True).count() == 2


@pytest.mark.parametrize("upload", [
    SimpleUploadedFile("foto.png", b"not an image at all", content_type="image/png"),
    SimpleUploadedFile("foto.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", content_type="image/gif"),
])
def test_the_inspection_page_refuses_what_is_not_a_photo(batch, upload):
    w = batch
    response = client_for(w.health_expert).post(reverse("quality:inspect", args=[w.batch.pk]),
                                                _form(w, photo=upload))
    assert response.status_code == 200 and "photo" in response.context["form"].errors
    assert not Inspection.objects.exists()


def test_an_oversized_photo_is_refused(batch, monkeypatch):
    monkeypatch.setattr("sigap.lib.images.MAX_BYTES", 10)
    response = client_for(batch.health_expert).post(reverse("quality:inspect", args=[batch.batch.pk]),
                                                    _form(batch, photo=_png()))
    assert response.status_code == 200 and "5 MB" in str(response.context["form"].errors["photo"])
    assert not Inspection.objects.exists()


def test_the_inspection_page_refuses_more_accepted_than_produced_in_indonesian(batch):
    response = client_for(batch.health_expert).post(reverse("quality:inspect", args=[batch.batch.pk]),
                                                    _form(batch, accepted="45"))
    assert response.status_code == 200
    assert "40" in response.content.decode() and not Inspection.objects.exists()


def test_the_material_yield_flags_materials_unaccounted_for(batch):
    w = batch
    inspection_record(batch=w.batch, by=w.health_expert, inspected_on=DAY, sample_size=5, accepted=30, rejected=10,
                      reject_reason="Bocor", results=_results(w))
    rows = material_yield(Location.objects.visible_to(w.tala_officer))
    (row,) = rows
    assert (row.issued, row.expected, row.on_hand) == (150, Decimal("105.0"), Decimal("10.0"))
    assert row.unaccounted == 35 and row.flagged  # 10 rejected suits used 35 m: more than 10 % of 150
    response = client_for(w.tala_officer).get(reverse("stock:yield"))
    assert response.status_code == 200 and response.context["rows"][0].flagged


def test_the_work_list_shows_only_the_experts_region(batch, world):
    production_record(producer=world.hsu_partner, product=world.mask, quantity=100, produced_on=DAY,
                      by=world.hsu_officer)
    response = client_for(world.instructor).get(reverse("quality:worklist"))  # HSU office
    assert [b.producer for b in response.context["batches"]] == [world.hsu_partner]
    response = client_for(world.health_expert).get(reverse("quality:worklist"))  # province office
    assert len(response.context["batches"]) == 2
