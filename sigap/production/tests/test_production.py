import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from sigap.lib.errors import DomainError
from sigap.people.models import Person
from sigap.production.models import Batch
from sigap.production.services import production_record

DAY = datetime.date(2020, 5, 18)


def test_a_partner_reports_its_own_production_with_an_automatic_code(world):
    batch = production_record(producer=world.tala_partner, product=world.suit, quantity=40, produced_on=DAY,
                              by=world.partner_user)
    assert batch.code == f"20200518-{batch.pk:05d}"
    assert batch.location.partner == world.tala_partner and batch.region_id == world.tala_partner.region_id


def test_a_partner_cannot_report_for_another_partner(world):
    with pytest.raises(DomainError, match="own production"):
        production_record(producer=world.hsu_partner, product=world.mask, quantity=10, produced_on=DAY,
                          by=world.partner_user)
    assert not Batch.objects.exists()


def test_an_instructor_reports_a_participants_output_in_their_region(world):
    person = Person.objects.create(name="Siti", nik="6308054307000002", sex="P", birth_date=datetime.date(2000, 7, 3),
                                   address="Jl. A", region_id="63.08.05.1001")
    batch = production_record(producer=person, product=world.mask, quantity=100, produced_on=DAY,
                              by=world.instructor)
    assert batch.producer == person and batch.location.person == person
    with pytest.raises(DomainError, match="outside your region"):
        production_record(producer=world.tala_partner, product=world.suit, quantity=1, produced_on=DAY,
                          by=world.instructor)


@pytest.mark.parametrize("kwargs, message", [
    ({"quantity": 0}, "between 1"),
    ({"quantity": 2_000_000}, "between 1"),
    ({"produced_on": timezone.localdate() + datetime.timedelta(days=1)}, "future"),
    ({"product": "fabric"}, "not a raw material"),
])
def test_bad_production_reports_are_refused(world, kwargs, message):
    args = {"producer": world.tala_partner, "product": world.suit, "quantity": 10, "produced_on": DAY,
            "by": world.tala_officer, **kwargs}
    if args["product"] == "fabric":
        args["product"] = world.fabric
    with pytest.raises(DomainError, match=message):
        production_record(**args)
    assert not Batch.objects.exists()


def test_a_batch_code_is_unique(world):
    production_record(producer=world.tala_partner, product=world.suit, quantity=10, produced_on=DAY, code="hz-1",
                      by=world.tala_officer)
    with pytest.raises(DomainError, match="already has this code"):
        production_record(producer=world.tala_partner, product=world.suit, quantity=10, produced_on=DAY,
                          code="HZ-1", by=world.tala_officer)


def test_the_production_page_records_a_batch_for_the_partner_user(world):
    response = client_for(world.partner_user).post(reverse("production:create"), {
        "partner": world.tala_partner.pk, "product": world.suit.pk, "quantity": "25", "produced_on": "2020-06-08",
        "code": "", "note": ""})
    batch = Batch.objects.get()
    assert response.status_code == 302 and response.url == reverse("production:detail", args=[batch.pk])
    assert batch.reported_by == world.partner_user


def test_the_production_page_refuses_zero_in_indonesian(world):
    response = client_for(world.tala_officer).post(reverse("production:create"), {
        "partner": world.tala_partner.pk, "product": world.suit.pk, "quantity": "0", "produced_on": "2020-06-08"})
    assert response.status_code == 200
    assert "Pastikan nilai ini lebih besar dari atau sama dengan 1." in response.content.decode()
    assert not Batch.objects.exists()


def test_batches_are_scoped_by_region_and_partner(world):
    tala = production_record(producer=world.tala_partner, product=world.suit, quantity=10, produced_on=DAY,
                             by=world.tala_officer)
    hsu = production_record(producer=world.hsu_partner, product=world.mask, quantity=10, produced_on=DAY,
                            by=world.hsu_officer)
    assert list(Batch.objects.visible_to(world.tala_officer)) == [tala]
    assert set(Batch.objects.visible_to(world.province_officer)) == {tala, hsu}
    assert list(Batch.objects.visible_to(world.partner_user)) == [tala]
    assert list(Batch.objects.visible_to(world.agency_user)) == []
    assert client_for(world.tala_officer).get(reverse("production:detail", args=[hsu.pk])).status_code == 404
