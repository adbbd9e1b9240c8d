"""Items and bills of materials are master data every district shares: only administrators and provincial
officers change them, through the pages, the API and the services, and every change is kept with who made it."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import client_for
from sigap.items.models import Component, Item
from sigap.items.services import bom_replace, item_save
from sigap.lib.errors import DomainError

URL = "/api/v1/items"
DISTRICT_OFFICERS = ["hsu_officer", "tala_officer", "outsider"]


def send(user, method, path, body=None):
    return getattr(client_for(user), method)(path, data=json.dumps(body) if body is not None else None,
                                             content_type="application/json")


def master_data():
    """Everything a change to the items could touch, history included."""
    return (list(Item.objects.order_by("pk").values_list("code", "name", "unit", "description", "is_active")),
            list(Component.objects.order_by("pk").values_list("product", "material", "quantity")),
            Item.history.count(), Component.history.count())


@pytest.fixture
def suit_bom(world):
    bom_replace(product=world.suit, lines=[(world.fabric, Decimal("2.5"))], by=world.province_officer)
    return world


@pytest.mark.security
@pytest.mark.parametrize("who", DISTRICT_OFFICERS)
def test_a_district_officer_may_not_create_rename_delete_or_reshape_an_item_through_the_api(suit_bom, who):
    w = suit_bom
    user = getattr(w, who)
    before = master_data()
    assert send(user, "get", f"{URL}/{w.suit.pk}").status_code == 200  # reading stays open to office staff
    assert send(user, "patch", f"{URL}/{w.suit.pk}", {"name": "Baju hazmat HSU"}).status_code == 403
    assert send(user, "post", URL, {"code": "masker-n95", "name": "Masker N95", "kind": "product",
                                    "unit": "pcs"}).status_code == 403
    assert send(user, "delete", f"{URL}/{w.suit.pk}").status_code == 405
    assert send(user, "put", f"{URL}/{w.suit.pk}/components",
                {"components": [{"material": w.fabric.code, "quantity": 9}]}).status_code == 403
    assert send(user, "patch", f"{URL}/99999", {"name": "X"}).status_code == 403
    assert master_data() == before


@pytest.mark.security
@pytest.mark.parametrize("who", ["hsu_officer", "tala_officer"])
def test_a_district_officer_may_not_open_or_post_the_item_and_bill_of_materials_pages(suit_bom, who):
    w = suit_bom
    client = client_for(getattr(w, who))
    before = master_data()
    pages = [reverse("items:create"), reverse("items:edit", args=[w.suit.pk]), reverse("items:bom", args=[w.suit.pk])]
    for url in pages:
        assert client.get(url).status_code == 403
    assert client.post(pages[0], {"name": "Masker N95", "code": "masker-n95", "kind": "product",
                                  "unit": "pcs", "is_active": "on"}).status_code == 403
    assert client.post(pages[1], {"name": "Baju hazmat HSU", "code": "baju-hazmat", "kind": "product",
                                  "unit": "pcs", "is_active": "on"}).status_code == 403
    assert client.post(pages[2], {"bom-TOTAL_FORMS": "1", "bom-INITIAL_FORMS": "0", "bom-MIN_NUM_FORMS": "0",
                                  "bom-MAX_NUM_FORMS": "30", "bom-0-material": w.fabric.pk,
                                  "bom-0-quantity": "9"}).status_code == 403
    assert master_data() == before


@pytest.mark.security
def test_district_officers_read_items_without_links_to_change_them(suit_bom):
    w = suit_bom
    for user, offered in [(w.hsu_officer, False), (w.tala_officer, False), (w.province_officer, True),
                          (w.admin, True)]:
        listing = client_for(user).get(reverse("items:list")).content.decode()
        detail = client_for(user).get(reverse("items:detail", args=[w.suit.pk])).content.decode()
        assert (reverse("items:create") in listing) is offered
        for url in [reverse("items:edit", args=[w.suit.pk]), reverse("items:bom", args=[w.suit.pk]),
                    reverse("quality:criteria", args=[w.suit.pk])]:
            assert (url in detail) is offered


@pytest.mark.security
@pytest.mark.parametrize("who", ["tala_officer", "instructor", "health_expert"])
def test_the_services_refuse_anyone_but_administrators_and_provincial_officers(suit_bom, who):
    w = suit_bom
    user = getattr(w, who)
    before = master_data()
    with pytest.raises(DomainError, match="provincial"):
        item_save(by=user, item=w.suit, name="Baju hazmat Tala")
    with pytest.raises(DomainError, match="provincial"):
        item_save(by=user, code="masker-n95", name="Masker N95", kind="product", unit="pcs")
    with pytest.raises(DomainError, match="provincial"):
        bom_replace(product=w.suit, lines=[(w.fabric, Decimal(9))], by=user)
    w.suit.refresh_from_db()
    assert master_data() == before


@pytest.mark.security
def test_a_province_officer_renames_a_product_and_the_history_keeps_who_and_the_old_name(suit_bom):
    w = suit_bom
    response = send(w.province_officer, "patch", f"{URL}/{w.suit.pk}", {"name": "Coverall medis", "unit": "set"})
    assert response.status_code == 200 and response.json()["name"] == "Coverall medis"
    w.suit.refresh_from_db()
    assert (w.suit.name, w.suit.unit) == ("Coverall medis", "set")
    last, previous = w.suit.history.order_by("-history_date", "-history_id")[:2]
    assert (last.history_type, last.history_user, last.name, last.unit) == ("~", w.province_officer,
                                                                            "Coverall medis", "set")
    assert (previous.name, previous.unit) == ("Baju hazmat", "pcs")


@pytest.mark.security
def test_an_administrator_adds_an_item_on_the_page_and_the_history_keeps_who(world):
    response = client_for(world.admin).post(reverse("items:create"), {
        "name": "Masker N95", "code": "masker-n95", "kind": "product", "unit": "pcs", "description": "",
        "is_active": "on"})
    item = Item.objects.get(code="masker-n95")
    assert response.status_code == 302 and response.url == reverse("items:detail", args=[item.pk])
    (created,) = item.history.all()
    assert (created.history_type, created.history_user) == ("+", world.admin)


@pytest.mark.security
def test_each_change_to_a_bill_of_materials_is_kept_with_who_made_it(suit_bom):
    w = suit_bom
    (first,) = Component.history.all()
    assert (first.history_type, first.history_user, first.quantity) == ("+", w.province_officer, Decimal("2.5"))
    lining = Item.objects.create(code="kain-spunbond", name="Kain spunbond", kind="material", unit="m")
    response = send(w.admin, "put", f"{URL}/{w.suit.pk}/components",
                    {"components": [{"material": w.fabric.code, "quantity": 2.75},
                                    {"material": lining.code, "quantity": 1}]})
    assert response.status_code == 200
    changes = {(h.material_id, h.history_type, h.quantity) for h in Component.history.filter(history_user=w.admin)}
    assert changes == {(w.fabric.pk, "~", Decimal("2.75")), (lining.pk, "+", Decimal(1))}
    client_for(w.province_officer).post(reverse("items:bom", args=[w.suit.pk]), {
        "bom-TOTAL_FORMS": "1", "bom-INITIAL_FORMS": "0", "bom-MIN_NUM_FORMS": "0", "bom-MAX_NUM_FORMS": "30",
        "bom-0-material": lining.pk, "bom-0-quantity": "1"})
    removed = Component.history.get(history_type="-")
    assert (removed.material_id, removed.quantity, removed.history_user) == (w.fabric.pk, Decimal("2.75"),
                                                                            w.province_officer)
    assert list(w.suit.components.values_list("material", "quantity")) == [(lining.pk, Decimal(1))]
