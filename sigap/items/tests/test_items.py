from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import client_for
from sigap.items.models import Component, Item
from sigap.items.services import bom_replace
from sigap.lib.errors import DomainError


def test_a_provincial_officer_sets_a_bill_of_materials(world):
    bom_replace(product=world.suit, lines=[(world.fabric, Decimal("3.5"))], by=world.province_officer)
    assert list(world.suit.components.values_list("material__code", "quantity")) == [("kain-sasirangan", Decimal("3.5"))]


def test_a_kit_is_made_of_products_but_never_of_itself_or_in_a_loop(world):
    kit = Item.objects.create(code="set-apd", name="Set APD", kind="product", unit="set")
    bom_replace(product=kit, lines=[(world.suit, 1), (world.mask, 2)], by=world.province_officer)
    with pytest.raises(DomainError, match="itself"):
        bom_replace(product=kit, lines=[(kit, 1)], by=world.province_officer)
    with pytest.raises(DomainError, match="made from"):
        bom_replace(product=world.suit, lines=[(kit, 1)], by=world.province_officer)
    assert kit.components.count() == 2


def test_only_administrators_and_provincial_officers_change_items(world):
    with pytest.raises(DomainError):
        bom_replace(product=world.suit, lines=[(world.fabric, 1)], by=world.health_expert)
    assert not Component.objects.exists()


def test_the_bill_of_materials_page_saves_and_refuses_bad_quantities(world):
    client = client_for(world.province_officer)
    data = {"bom-TOTAL_FORMS": "1", "bom-INITIAL_FORMS": "0", "bom-MIN_NUM_FORMS": "0", "bom-MAX_NUM_FORMS": "30",
            "bom-0-material": world.fabric.pk, "bom-0-quantity": "-1"}
    response = client.post(reverse("items:bom", args=[world.suit.pk]), data)
    assert response.status_code == 200 and not Component.objects.exists()
    data["bom-0-quantity"] = "3,5"
    response = client.post(reverse("items:bom", args=[world.suit.pk]), data)
    assert response.status_code == 302
    assert Component.objects.get().quantity == Decimal("3.5")


def test_the_checklist_page_adds_criteria(world):
    client = client_for(world.province_officer)
    data = {"criteria-TOTAL_FORMS": "1", "criteria-INITIAL_FORMS": "0", "criteria-MIN_NUM_FORMS": "0",
            "criteria-MAX_NUM_FORMS": "40", "criteria-0-text": "Jahitan dilakban", "criteria-0-reference": "",
            "criteria-0-position": "1", "criteria-0-is_active": "on"}
    response = client.post(reverse("quality:criteria", args=[world.suit.pk]), data)
    assert response.status_code == 302
    assert list(world.suit.criteria.values_list("text", flat=True)) == ["Jahitan dilakban"]
