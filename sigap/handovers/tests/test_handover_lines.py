"""The handover page takes as many lines as the certificate needs, like the stock documents' pages."""

import pytest
from django.urls import reverse

from conftest import client_for
from sigap.handovers.models import Handover, Sequence
from sigap.handovers.tests.test_pages import DAY, form_data
from sigap.items.models import Item
from sigap.stock.ledger import on_hand
from sigap.stock.services import location_for_office, receipt_record


@pytest.fixture
def products(world):
    world.products = Item.objects.bulk_create([
        Item(code=f"apd-{n:02d}", name=f"APD {n:02d}", kind="product", unit="pcs") for n in range(12)])
    receipt_record(office=world.tala_office, supplier=None, date=DAY.replace(day=1),
                   lines=[(product, 100) for product in world.products], by=world.tala_officer)
    return world


def lines_data(w, rows, **changes):
    data = form_data(w, **{"lines-TOTAL_FORMS": str(len(rows)), "lines-MAX_NUM_FORMS": "200"})
    for key in [k for k in data if k.startswith("lines-") and k.split("-")[1].isdigit()]:
        del data[key]
    for n, (product, quantity) in enumerate(rows):
        data.update({f"lines-{n}-product": product.pk if product else "", f"lines-{n}-quantity": quantity,
                     f"lines-{n}-batch": ""})
    data.update(changes)
    return data


def test_a_handover_of_twelve_lines_is_recorded_through_the_page(products):
    w = products
    client = client_for(w.tala_officer)
    page = client.get(reverse("handovers:create")).content.decode()
    assert 'name="add_line"' in page and "<template data-lines-empty>" in page
    rows = [(product, str(n + 1)) for n, product in enumerate(w.products)] + [(None, "")]
    response = client.post(reverse("handovers:create"), lines_data(w, rows))
    handover = Handover.objects.get()
    assert response.status_code == 302 and response.url == reverse("handovers:detail", args=[handover.pk])
    assert list(handover.lines.order_by("pk").values_list("product_name", "quantity")) == [
        (product.name, n + 1) for n, product in enumerate(w.products)]
    store = location_for_office(w.tala_office)
    assert [on_hand(product, store) for product in w.products] == [99 - n for n in range(12)]


def test_tambah_baris_keeps_the_handover_as_typed_and_uses_no_number(products):
    w = products
    rows = [(w.products[0], "5"), (w.products[1], "")]
    response = client_for(w.tala_officer).post(reverse("handovers:create"),
                                               lines_data(w, rows, add_line="1", place="Pelaihari, Balai Desa"))
    assert response.status_code == 200
    assert not Handover.objects.exists() and not Sequence.objects.exists()
    lines = response.context["lines"]
    assert lines.total_form_count() == 3
    assert [f["product"].value() for f in lines][:2] == [str(w.products[0].pk), str(w.products[1].pk)]
    html = response.content.decode()
    assert 'value="Pelaihari, Balai Desa"' in html and 'name="lines-2-quantity"' in html
    assert '<span class="error">' not in html


def test_a_half_filled_handover_line_is_told_on_that_line(products):
    w = products
    rows = [(w.products[0], "5"), (None, ""), (None, "3")]
    response = client_for(w.tala_officer).post(reverse("handovers:create"), lines_data(w, rows))
    assert response.status_code == 200 and not Handover.objects.exists()
    assert [sorted(f.errors) for f in response.context["lines"].forms] == [[], [], ["product"]]


def test_tambah_baris_on_the_handover_page_is_for_officers_only(products):
    w = products
    data = lines_data(w, [(w.products[0], "5")], add_line="1")
    for user in (w.agency_user, w.partner_user, w.instructor):
        assert client_for(user).post(reverse("handovers:create"), data).status_code == 403
    assert not Handover.objects.exists()
