import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from sigap.lib.errors import DomainError
from sigap.stock.ledger import InsufficientStock, audit, on_hand
from sigap.stock.models import Movement, Posting, StockDocument
from sigap.stock.services import (
    adjustment_record, document_void, issue_record, location_for, receipt_record, transfer_record,
)

DAY = datetime.date(2020, 6, 2)


@pytest.fixture
def received(world):
    world.receipt = receipt_record(office=world.tala_office, supplier=world.province_office, date=DAY,
                                   reference="027/PERIN/VI/2020", lines=[(world.fabric, Decimal("100.5"))],
                                   by=world.tala_officer)
    world.store = location_for(world.tala_office)
    return world


def test_a_receipt_puts_materials_in_the_office_store(received):
    w = received
    assert on_hand(w.fabric, w.store) == Decimal("100.5")
    assert w.receipt.number == f"BBM-{w.receipt.pk:05d}"
    assert w.receipt.posting.kind == "receipt" and w.receipt.posting.document == w.receipt


def test_an_issue_moves_materials_to_the_partners_workshop(received):
    w = received
    issue = issue_record(office=w.tala_office, recipient=w.tala_partner, date=DAY, lines=[(w.fabric, 40)],
                         by=w.tala_officer)
    assert on_hand(w.fabric, w.store) == Decimal("60.5")
    assert on_hand(w.fabric, location_for(w.tala_partner)) == 40
    assert issue.source == w.store and issue.destination == location_for(w.tala_partner)
    assert audit() == []


def test_an_issue_larger_than_the_store_is_refused_and_writes_nothing(received):
    w = received
    documents, movements = StockDocument.objects.count(), Movement.objects.count()
    with pytest.raises(InsufficientStock) as error:
        issue_record(office=w.tala_office, recipient=w.tala_partner, date=DAY, lines=[(w.fabric, 101)],
                     by=w.tala_officer)
    assert "Kain sasirangan" in error.value.message
    assert (StockDocument.objects.count(), Movement.objects.count()) == (documents, movements)
    assert on_hand(w.fabric, w.store) == Decimal("100.5")


@pytest.mark.parametrize("lines, message", [
    ([], "at least one line"),
    ([("fabric", 0)], "more than zero"),
    ([("fabric", -3)], "more than zero"),
    ([("fabric", 1), ("fabric", 2)], "listed twice"),
])
def test_bad_lines_are_refused(received, lines, message):
    w = received
    with pytest.raises(DomainError, match=message):
        issue_record(office=w.tala_office, recipient=w.tala_partner, date=DAY,
                     lines=[(getattr(w, name), q) for name, q in lines], by=w.tala_officer)


def test_dates_in_the_future_are_refused(world):
    with pytest.raises(DomainError, match="future"):
        receipt_record(office=world.tala_office, supplier=None, date=timezone.localdate() + datetime.timedelta(2),
                       lines=[(world.fabric, 1)], by=world.tala_officer)
    assert not StockDocument.objects.exists()


def test_an_officer_cannot_record_for_another_districts_office_or_recipient(received):
    w = received
    with pytest.raises(DomainError):
        receipt_record(office=w.hsu_office, supplier=None, date=DAY, lines=[(w.fabric, 1)], by=w.tala_officer)
    with pytest.raises(DomainError, match="outside your region"):
        issue_record(office=w.tala_office, recipient=w.hsu_partner, date=DAY, lines=[(w.fabric, 1)],
                     by=w.tala_officer)
    with pytest.raises(DomainError):
        receipt_record(office=w.tala_office, supplier=None, date=DAY, lines=[(w.fabric, 1)], by=w.health_expert)


def test_voiding_reverses_the_posting_and_keeps_the_document(received):
    w = received
    document_void(document=w.receipt, by=w.tala_officer, reason="Salah catat")
    w.receipt.refresh_from_db()
    assert w.receipt.is_void and w.receipt.void_reason == "Salah catat"
    assert on_hand(w.fabric, w.store) == 0
    assert w.receipt.voided_posting.reverses == w.receipt.posting
    with pytest.raises(DomainError, match="already void"):
        document_void(document=w.receipt, by=w.tala_officer, reason="Lagi")
    assert Posting.objects.count() == 2


def test_a_receipt_whose_materials_were_issued_cannot_be_voided(received):
    w = received
    issue_record(office=w.tala_office, recipient=w.tala_partner, date=DAY, lines=[(w.fabric, 50)],
                 by=w.tala_officer)
    with pytest.raises(InsufficientStock):
        document_void(document=w.receipt, by=w.tala_officer, reason="Salah catat")
    w.receipt.refresh_from_db()
    assert not w.receipt.is_void and on_hand(w.fabric, w.store) == Decimal("50.5")


def test_a_transfer_moves_goods_between_locations(received):
    w = received
    province_store = location_for(w.province_office)
    transfer_record(office=w.tala_office, source=w.store, destination=province_store, date=DAY,
                    lines=[(w.fabric, Decimal("0.5"))], by=w.tala_officer)
    assert on_hand(w.fabric, province_store) == Decimal("0.5") and on_hand(w.fabric, w.store) == 100
    with pytest.raises(DomainError, match="two different"):
        transfer_record(office=w.tala_office, source=w.store, destination=w.store, date=DAY,
                        lines=[(w.fabric, 1)], by=w.tala_officer)
    with pytest.raises(DomainError, match="out of this location"):
        transfer_record(office=w.tala_office, source=location_for(w.hsu_partner), destination=w.store, date=DAY,
                        lines=[(w.fabric, 1)], by=w.tala_officer)


def test_a_stock_count_posts_the_difference_with_its_reason(received):
    w = received
    adjustment = adjustment_record(location=w.store, item=w.fabric, counted=Decimal("98"), counted_on=DAY,
                                   reason="Kain rusak terkena air", by=w.tala_officer)
    assert adjustment.difference == Decimal("-2.5") and on_hand(w.fabric, w.store) == 98
    assert adjustment.posting.document == adjustment
    with pytest.raises(DomainError, match="nothing to adjust"):
        adjustment_record(location=w.store, item=w.fabric, counted=Decimal("98"), counted_on=DAY, reason="x",
                          by=w.tala_officer)
    with pytest.raises(DomainError, match="reason"):
        adjustment_record(location=w.store, item=w.fabric, counted=Decimal("90"), counted_on=DAY, reason=" ",
                          by=w.tala_officer)
    with pytest.raises(DomainError):
        adjustment_record(location=w.store, item=w.fabric, counted=Decimal("90"), counted_on=DAY, reason="x",
                          by=w.hsu_officer)


ISSUE_FORM = {"date": "2020-06-03", "note": "", "lines-TOTAL_FORMS": "3", "lines-INITIAL_FORMS": "0",
              "lines-MIN_NUM_FORMS": "0", "lines-MAX_NUM_FORMS": "30", "lines-1-item": "", "lines-1-quantity": "",
              "lines-2-item": "", "lines-2-quantity": ""}


def test_the_issue_page_issues_and_links_to_the_document(received):
    w = received
    data = {**ISSUE_FORM, "office": w.tala_office.pk, "partner": w.tala_partner.pk, "lines-0-item": w.fabric.pk,
            "lines-0-quantity": "12,5"}
    response = client_for(w.tala_officer).post(reverse("stock:issue-create"), data)
    document = StockDocument.objects.get(kind="issue")
    assert response.status_code == 302 and response.url == reverse("stock:document-detail", args=[document.pk])
    assert on_hand(w.fabric, location_for(w.tala_partner)) == Decimal("12.5")


def test_the_issue_page_shows_the_shortfall_in_indonesian_and_saves_nothing(received):
    w = received
    data = {**ISSUE_FORM, "office": w.tala_office.pk, "partner": w.tala_partner.pk, "lines-0-item": w.fabric.pk,
            "lines-0-quantity": "500"}
    response = client_for(w.tala_officer).post(reverse("stock:issue-create"), data)
    assert response.status_code == 200
    assert "Stok tidak cukup" in response.content.decode()
    assert not StockDocument.objects.filter(kind="issue").exists()


def test_the_issue_page_wants_exactly_one_recipient(received):
    w = received
    data = {**ISSUE_FORM, "office": w.tala_office.pk, "lines-0-item": w.fabric.pk, "lines-0-quantity": "1"}
    response = client_for(w.tala_officer).post(reverse("stock:issue-create"), data)
    assert response.status_code == 200 and response.context["form"].non_field_errors()


def test_stock_pages_are_scoped_to_the_region(received):
    w = received
    tala = client_for(w.tala_officer).get(reverse("stock:balances"))
    assert [b.location for b in tala.context["page"]] == [w.store]
    hsu = client_for(w.hsu_officer).get(reverse("stock:balances"))
    assert list(hsu.context["page"]) == []
    movements = client_for(w.hsu_officer).get(reverse("stock:movements"), {"location": w.store.pk})
    assert movements.status_code == 200 and list(movements.context["page"]) == []
    assert client_for(w.hsu_officer).get(reverse("stock:document-detail", args=[w.receipt.pk])).status_code == 404


def test_the_movement_list_links_each_movement_to_its_document(received, django_assert_max_num_queries):
    w = received
    client = client_for(w.tala_officer)
    for n in range(5):
        receipt_record(office=w.tala_office, supplier=None, date=DAY, lines=[(w.suit, n + 1)], by=w.tala_officer)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("stock:movements"))
    assert f'href="{w.receipt.get_absolute_url()}"' in response.content.decode()


def test_voiding_through_the_page_needs_a_reason(received):
    w = received
    client = client_for(w.tala_officer)
    client.post(reverse("stock:document-void", args=[w.receipt.pk]), {"reason": ""})
    w.receipt.refresh_from_db()
    assert not w.receipt.is_void
    client.post(reverse("stock:document-void", args=[w.receipt.pk]), {"reason": "Dobel"})
    w.receipt.refresh_from_db()
    assert w.receipt.is_void


def test_check_stock_command_reports_agreement(received, capsys):
    from django.core.management import call_command

    call_command("check_stock")
    assert "agree with the ledger" in capsys.readouterr().out
