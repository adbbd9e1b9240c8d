"""Items in the API: office staff read them with their bills of materials; administrators and provincial officers
keep them through the item pages' forms and services, with the same refusals."""

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import client_for
from sigap.items.models import Component, Item
from sigap.items.services import bom_replace

URL = "/api/v1/items"


def send(user, method, path, body=None):
    client = client_for(user)
    return getattr(client, method)(path, data=json.dumps(body) if body is not None else None,
                                   content_type="application/json")


def test_office_staff_read_an_item_with_its_bill_of_materials(world):
    bom_replace(product=world.suit, lines=[(world.fabric, Decimal("2.5"))], by=world.province_officer)
    response = client_for(world.instructor).get(f"{URL}/{world.suit.pk}")
    assert response.status_code == 200
    assert response.json() == {
        "id": world.suit.pk, "code": "baju-hazmat", "name": "Baju hazmat", "kind": "product", "unit": "pcs",
        "description": "", "is_active": True,
        "components": [{"material": "kain-sasirangan", "material_id": world.fabric.pk, "name": "Kain sasirangan",
                        "unit": "m", "quantity": "2.5"}]}


@pytest.mark.parametrize("who", ["partner_user", "agency_user"])
def test_partner_and_agency_users_may_not_read_items(world, who):
    user = getattr(world, who)
    assert client_for(user).get(URL).status_code == 403
    assert client_for(user).get(f"{URL}/{world.suit.pk}").status_code == 403


def test_the_list_filters_by_kind_activity_and_name(world):
    world.mask.is_active = False
    world.mask.save()
    client = client_for(world.health_expert)
    assert [i["code"] for i in client.get(URL, {"kind": "product"}).json()["items"]] == ["baju-hazmat",
                                                                                          "masker-kain-3-lapis"]
    assert [i["code"] for i in client.get(URL, {"active": "false"}).json()["items"]] == ["masker-kain-3-lapis"]
    assert [i["code"] for i in client.get(URL, {"q": "SASIR"}).json()["items"]] == ["kain-sasirangan"]


def test_the_list_costs_the_same_queries_for_few_or_many_items(world):
    client = client_for(world.tala_officer)
    bom_replace(product=world.suit, lines=[(world.fabric, Decimal(2))], by=world.province_officer)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, {"limit": 100}).status_code == 200
        return len(captured)

    few = queries()
    for n in range(10):
        product = Item.objects.create(code=f"produk-{n}", name=f"Produk {n}", kind="product", unit="pcs")
        bom_replace(product=product, lines=[(world.fabric, Decimal(1))], by=world.province_officer)
    assert queries() == few


def test_a_provincial_officer_adds_an_item_through_the_item_form(world):
    response = send(world.province_officer, "post", URL, {"code": "masker-n95", "name": "Masker N95", "kind": "product",
                                                     "unit": "pcs"})
    assert response.status_code == 201
    item = Item.objects.get(code="masker-n95")
    assert response.json()["id"] == item.pk and item.is_active and item.kind == "product"


@pytest.mark.parametrize("body, field", [
    pytest.param({"code": "baju-hazmat"}, "code", id="code-taken"),
    pytest.param({"code": "bukan slug!"}, "code", id="code-not-a-slug"),
    pytest.param({"unit": "furlong"}, "unit", id="unknown-unit"),
    pytest.param({"kind": "service"}, "kind", id="unknown-kind"),
    pytest.param({"name": ""}, "name", id="empty-name"),
    pytest.param({"colour": "red"}, "colour", id="unknown-field"),
])
def test_a_bad_item_is_refused_naming_the_field_and_nothing_is_saved(world, body, field):
    before = Item.objects.count()
    response = send(world.province_officer, "post", URL, {"code": "masker-n95", "name": "Masker N95", "kind": "product",
                                                      "unit": "pcs", **body})
    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]
    assert Item.objects.count() == before


@pytest.mark.parametrize("who", ["instructor", "health_expert", "partner_user", "agency_user"])
def test_only_administrators_and_provincial_officers_add_or_change_items(world, who):
    user = getattr(world, who)
    assert send(user, "post", URL, {"code": "x-1", "name": "X", "kind": "product", "unit": "pcs"}).status_code == 403
    assert send(user, "patch", f"{URL}/{world.suit.pk}", {"name": "Diubah"}).status_code == 403
    assert send(user, "put", f"{URL}/{world.suit.pk}/components", {"components": []}).status_code == 403
    assert not Item.objects.filter(code="x-1").exists()
    world.suit.refresh_from_db()
    assert world.suit.name == "Baju hazmat"


def test_a_change_keeps_the_fields_not_sent(world):
    response = send(world.province_officer, "patch", f"{URL}/{world.suit.pk}", {"description": "Coverall APD"})
    assert response.status_code == 200
    world.suit.refresh_from_db()
    assert (world.suit.description, world.suit.name, world.suit.code, world.suit.unit) == (
        "Coverall APD", "Baju hazmat", "baju-hazmat", "pcs")
    refused = send(world.province_officer, "patch", f"{URL}/{world.suit.pk}", {"code": "masker-kain-3-lapis"})
    assert refused.status_code == 422 and list(refused.json()["errors"]) == ["code"]
    assert send(world.province_officer, "patch", f"{URL}/99999", {"name": "X"}).status_code == 404


def test_a_provincial_officer_replaces_a_bill_of_materials(world):
    bom_replace(product=world.suit, lines=[(world.mask, Decimal(1))], by=world.province_officer)
    response = send(world.province_officer, "put", f"{URL}/{world.suit.pk}/components",
                    {"components": [{"material": "kain-sasirangan", "quantity": 2.75}]})
    assert response.status_code == 200
    assert [(c["material"], c["quantity"]) for c in response.json()["components"]] == [("kain-sasirangan", "2.75")]
    assert list(world.suit.components.values_list("material__code", "quantity")) == [
        ("kain-sasirangan", Decimal("2.75"))]


@pytest.mark.parametrize("components, field, status", [
    pytest.param([{"material": "kain-batik", "quantity": 1}], "components.0.material", 422, id="unknown-material"),
    pytest.param([{"material": "kain-sasirangan", "quantity": 0}], "components.0.quantity", 422, id="quantity-0"),
    pytest.param([{"material": "kain-sasirangan"}], "components.0.quantity", 422, id="quantity-missing"),
    pytest.param([{"material": "kain-sasirangan", "quantity": 1, "unit": "m"}], "components.0.unit", 422,
                 id="unknown-field"),
    pytest.param([{"material": "baju-hazmat", "quantity": 1}], None, 400, id="made-from-itself"),
    pytest.param([{"material": "kain-sasirangan", "quantity": 1}] * 2, None, 400, id="listed-twice"),
])
def test_a_bad_bill_of_materials_is_refused_and_the_old_one_stays(world, components, field, status):
    bom_replace(product=world.suit, lines=[(world.fabric, Decimal(2))], by=world.province_officer)
    response = send(world.province_officer, "put", f"{URL}/{world.suit.pk}/components", {"components": components})
    assert response.status_code == status
    assert list(response.json()["errors"]) == ([field] if field else [])
    assert list(Component.objects.values_list("product__code", "material__code", "quantity")) == [
        ("baju-hazmat", "kain-sasirangan", Decimal(2))]


def test_a_raw_material_has_no_bill_of_materials(world):
    response = send(world.province_officer, "put", f"{URL}/{world.fabric.pk}/components",
                    {"components": [{"material": "baju-hazmat", "quantity": 1}]})
    assert response.status_code == 404
    assert not Component.objects.exists()
