"""No dead end when a handover is refused for stock still at a partner's workshop: the page offers to move it into
the store and hand it over in one confirmed step, posted all or nothing."""

import datetime

import pytest
from django.urls import reverse

from conftest import client_for
from sigap.handovers.models import Handover, Sequence
from sigap.handovers.services import handover_create_gathered, handover_gathering_plan, plan_key
from sigap.handovers.tests.test_pages import form_data
from sigap.lib.errors import DomainError
from sigap.stock.ledger import on_hand
from sigap.stock.models import DocumentKind, Posting, StockDocument
from sigap.stock.services import location_for_office, location_for_partner, receipt_record, transfer_record

DAY = datetime.date(2020, 6, 15)

pytestmark = pytest.mark.security


@pytest.fixture
def at_workshop(world):
    """20 suits in Tala's store, 80 more still at the Tala partner's workshop."""
    receipt_record(office=world.tala_office, supplier=world.province_office, date=datetime.date(2020, 6, 1),
                   lines=[(world.suit, 100)], by=world.tala_officer)
    world.store = location_for_office(world.tala_office)
    world.workshop = location_for_partner(world.tala_partner)
    transfer_record(office=world.tala_office, source=world.store, destination=world.workshop,
                    date=datetime.date(2020, 6, 2), lines=[(world.suit, 80)], by=world.tala_officer)
    return world


def _fields(w, **changes):
    fields = {"office": w.tala_office, "receiver": w.gtpp_tala, "giver_name": "Masturi",
              "giver_position": "Kepala Dinas", "receiver_name": "H. Dahnial Kifli",
              "receiver_position": "Sekretaris Daerah", "purpose": "use", "handed_over_on": DAY,
              "place": "Pelaihari", "lines": [(w.suit, 50, None)], "by": w.tala_officer}
    fields.update(changes)
    return fields


def test_the_plan_takes_what_the_store_lacks_from_the_workshop(at_workshop):
    w = at_workshop
    moves = handover_gathering_plan(office=w.tala_office, lines=[(w.suit, 50, None)], by=w.tala_officer)
    assert [(m.source, m.product, m.quantity) for m in moves] == [(w.workshop, w.suit, 30)]
    assert handover_gathering_plan(office=w.tala_office, lines=[(w.suit, 20, None)], by=w.tala_officer) == []
    assert handover_gathering_plan(office=w.tala_office, lines=[(w.suit, 101, None)], by=w.tala_officer) is None


def test_the_plan_never_takes_from_another_districts_workshop(at_workshop):
    w = at_workshop
    receipt_record(office=w.hsu_office, date=DAY, supplier=None, lines=[(w.suit, 500)], by=w.hsu_officer)
    transfer_record(office=w.hsu_office, source=location_for_office(w.hsu_office),
                    destination=location_for_partner(w.hsu_partner), date=DAY, lines=[(w.suit, 500)],
                    by=w.hsu_officer)
    assert handover_gathering_plan(office=w.tala_office, lines=[(w.suit, 150, None)], by=w.tala_officer) is None
    assert handover_gathering_plan(office=w.tala_office, lines=[(w.suit, 150, None)],
                                   by=w.province_officer) is None


def test_it_moves_the_goods_and_hands_them_over_in_one_step(at_workshop):
    w = at_workshop
    plan = plan_key(handover_gathering_plan(office=w.tala_office, lines=[(w.suit, 50, None)], by=w.tala_officer))
    handover = handover_create_gathered(confirmed_plan=plan, **_fields(w))
    transfer = StockDocument.objects.get(kind=DocumentKind.TRANSFER, destination=w.store, source=None)
    assert [(line.source, line.item, line.quantity) for line in transfer.lines.all()] == [(w.workshop, w.suit, 30)]
    assert handover.number == "001/BAST/DISNAKERIND-TALA/VI/2020"
    assert on_hand(w.suit, w.store) == 0
    assert on_hand(w.suit, w.workshop) == 50


def test_if_the_handover_part_fails_no_transfer_stays_and_no_number_is_used(at_workshop):
    w = at_workshop
    plan = plan_key(handover_gathering_plan(office=w.tala_office, lines=[(w.suit, 50, None)], by=w.tala_officer))
    postings = Posting.objects.count()
    with pytest.raises(DomainError, match="A NIP is 18 digits"):
        handover_create_gathered(confirmed_plan=plan, **_fields(w, receiver_nip="123"))
    assert Posting.objects.count() == postings
    assert not StockDocument.objects.filter(source=None, kind=DocumentKind.TRANSFER).exists()
    assert not Handover.objects.exists()
    assert not Sequence.objects.filter(last__gt=0).exists()
    assert on_hand(w.suit, w.store) == 20
    assert on_hand(w.suit, w.workshop) == 80


def test_it_refuses_a_plan_other_than_the_one_confirmed(at_workshop):
    w = at_workshop
    with pytest.raises(DomainError, match="Stock has changed"):
        handover_create_gathered(confirmed_plan=f"{w.workshop.pk}:{w.suit.pk}:80", **_fields(w))
    assert not Handover.objects.exists()
    assert on_hand(w.suit, w.workshop) == 80


def test_it_refuses_when_the_region_does_not_hold_enough(at_workshop):
    w = at_workshop
    with pytest.raises(DomainError, match="does not hold enough"):
        handover_create_gathered(confirmed_plan="", **_fields(w, lines=[(w.suit, 101, None)]))
    assert not Handover.objects.exists()


def test_it_refuses_another_districts_officer(at_workshop):
    w = at_workshop
    with pytest.raises(DomainError):
        handover_create_gathered(confirmed_plan="", **_fields(w, by=w.hsu_officer))
    assert on_hand(w.suit, w.workshop) == 80


def test_the_refused_form_offers_the_transfer_with_the_values_kept(at_workshop):
    w = at_workshop
    response = client_for(w.tala_officer).post(reverse("handovers:create"), form_data(w))
    page = response.content.decode()
    assert response.status_code == 200
    assert reverse("handovers:gather") in page
    assert "Pindahkan" in page
    assert 'value="H. Dahnial Kifli"' in page
    assert not Handover.objects.exists()


def test_the_confirmation_page_lists_the_transfer_and_posts_nothing(at_workshop):
    w = at_workshop
    response = client_for(w.tala_officer).post(reverse("handovers:gather"), form_data(w))
    page = response.content.decode()
    assert response.status_code == 200
    assert w.tala_partner.name in page and ">30<" in page
    assert 'name="plan"' in page and f"{w.workshop.pk}:{w.suit.pk}:30" in page
    assert 'name="receiver_name" value="H. Dahnial Kifli"' in page
    assert not Handover.objects.exists()
    assert on_hand(w.suit, w.workshop) == 80


def test_confirming_moves_and_hands_over(at_workshop):
    w = at_workshop
    data = form_data(w, plan=f"{w.workshop.pk}:{w.suit.pk}:30", confirm="1")
    response = client_for(w.tala_officer).post(reverse("handovers:gather"), data)
    handover = Handover.objects.get()
    assert response.status_code == 302 and response["Location"] == handover.get_absolute_url()
    assert on_hand(w.suit, w.workshop) == 50 and on_hand(w.suit, w.store) == 0


def test_a_refused_confirmation_keeps_the_values_and_writes_nothing(at_workshop):
    w = at_workshop
    data = form_data(w, plan=f"{w.workshop.pk}:{w.suit.pk}:29", confirm="1")
    response = client_for(w.tala_officer).post(reverse("handovers:gather"), data)
    assert response.status_code == 200
    assert "Stok berubah" in response.content.decode() or "berubah" in response.content.decode()
    assert not Handover.objects.exists() and on_hand(w.suit, w.workshop) == 80


def test_back_shows_the_form_again_and_records_nothing(at_workshop):
    w = at_workshop
    receipt_record(office=w.tala_office, supplier=None, date=DAY, lines=[(w.suit, 100)], by=w.tala_officer)
    response = client_for(w.tala_officer).post(reverse("handovers:create"), form_data(w, back="1"))
    assert response.status_code == 200 and not Handover.objects.exists()


@pytest.mark.parametrize("username, status", [("hsu_officer", 200), ("instructor", 403), ("partner_user", 403),
                                              ("agency_user", 403)])
def test_other_roles_and_districts_cannot_gather(at_workshop, username, status):
    w = at_workshop
    data = form_data(w, plan=f"{w.workshop.pk}:{w.suit.pk}:30", confirm="1")
    response = client_for(getattr(w, username)).post(reverse("handovers:gather"), data)
    assert response.status_code == status
    assert not Handover.objects.exists() and on_hand(w.suit, w.workshop) == 80


def test_bad_input_is_shown_on_the_form(at_workshop):
    w = at_workshop
    response = client_for(w.tala_officer).post(reverse("handovers:gather"), form_data(w, **{"lines-0-quantity": "x"}))
    assert response.status_code == 200 and not Handover.objects.exists()
    assert on_hand(w.suit, w.workshop) == 80


def test_the_page_refuses_get(at_workshop):
    assert client_for(at_workshop.tala_officer).get(reverse("handovers:gather")).status_code == 405
