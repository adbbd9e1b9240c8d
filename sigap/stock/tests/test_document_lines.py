"""A stock document's page takes as many lines as the document needs: "Tambah baris" adds one (in the page with
JavaScript, by posting the form without it), blank lines are ignored, a ticked line is removed, and a half-filled
line is told what it lacks on that line."""

from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import client_for
from sigap.items.models import Item
from sigap.lib.lines import MAX_LINES
from sigap.stock.ledger import on_hand
from sigap.stock.models import StockDocument
from sigap.stock.services import location_for

CREATE_PAGES = ["stock:receipt-create", "stock:issue-create", "stock:transfer-create"]


def materials(count):
    return Item.objects.bulk_create([Item(code=f"bahan-{n:03d}", name=f"Bahan {n:03d}", kind="material", unit="m")
                                     for n in range(count)])


def receipt_data(w, rows, total=None, **changes):
    """The receipt page's fields with the given (item, quantity) lines, numbered from 0."""
    data = {"office": w.tala_office.pk, "supplier": "", "date": "2020-06-02", "reference": "027/PERIN/VI/2020",
            "note": "", "lines-TOTAL_FORMS": str(len(rows) if total is None else total), "lines-INITIAL_FORMS": "0",
            "lines-MIN_NUM_FORMS": "0", "lines-MAX_NUM_FORMS": str(MAX_LINES)}
    for n, (item, quantity) in enumerate(rows):
        data[f"lines-{n}-item"] = item.pk if item else ""
        data[f"lines-{n}-quantity"] = quantity
    data.update(changes)
    return data


@pytest.mark.parametrize("url_name", CREATE_PAGES)
def test_each_document_page_offers_tambah_baris_and_an_empty_line_to_copy(world, url_name):
    html = client_for(world.tala_officer).get(reverse(url_name)).content.decode()
    assert 'name="add_line"' in html and "Tambah baris" in html
    assert "<template data-lines-empty>" in html and 'name="lines-__prefix__-quantity"' in html
    assert 'src="/static/sigap/lines.js"' in html and "<script>" not in html  # a page script, none inline
    assert 'name="lines-0-DELETE"' in html and "Hapus baris ini" in html


def test_a_receipt_of_twelve_lines_is_saved_through_the_page(world):
    items = materials(12)
    client = client_for(world.tala_officer)
    assert 'name="add_line"' in client.get(reverse("stock:receipt-create")).content.decode()
    rows = [(item, f"{n + 1},5") for n, item in enumerate(items)] + [(None, ""), (None, "")]
    response = client.post(reverse("stock:receipt-create"), receipt_data(world, rows))
    document = StockDocument.objects.get(kind="receipt")
    assert response.status_code == 302 and response.url == reverse("stock:document-detail", args=[document.pk])
    assert list(document.lines.order_by("pk").values_list("item", "quantity")) == [
        (item.pk, Decimal(f"{n + 1}.5")) for n, item in enumerate(items)]
    store = location_for(world.tala_office)
    assert [on_hand(item, store) for item in items] == [Decimal(f"{n + 1}.5") for n in range(12)]


def test_tambah_baris_without_javascript_keeps_what_was_typed_adds_a_line_and_saves_nothing(world):
    items = materials(3)
    rows = [(items[0], "10"), (items[1], ""), (None, "7,25")]  # a half-filled line is not judged yet
    response = client_for(world.tala_officer).post(reverse("stock:receipt-create"),
                                                   receipt_data(world, rows, add_line="1", date=""))
    assert response.status_code == 200
    assert not StockDocument.objects.exists()
    lines, form = response.context["lines"], response.context["form"]
    assert lines.total_form_count() == 4 and not lines.is_valid()
    assert [f["item"].value() for f in lines] == [str(items[0].pk), str(items[1].pk), "", None]
    assert [f["quantity"].value() for f in lines] == ["10", "", "7,25", None]
    html = response.content.decode()
    assert 'name="lines-TOTAL_FORMS" value="4"' in html and 'name="lines-3-item"' in html
    assert f'<option value="{items[1].pk}" selected>' in html and 'value="027/PERIN/VI/2020"' in html
    assert '<span class="error">' not in html and "invalid" not in html and not form.errors  # nor the empty date


def test_the_pages_lines_end_after_tambah_baris_when_saved(world):
    """The line "Tambah baris" added is saved with the rest once the form is saved."""
    items = materials(4)
    client = client_for(world.tala_officer)
    data = receipt_data(world, [(item, "1") for item in items[:3]], add_line="1")
    added = client.post(reverse("stock:receipt-create"), data).context["lines"]
    data = receipt_data(world, [(item, "1") for item in items], total=added.total_form_count())
    assert client.post(reverse("stock:receipt-create"), data).status_code == 302
    assert StockDocument.objects.get().lines.count() == 4


@pytest.mark.security
def test_a_document_takes_up_to_two_hundred_lines_and_refuses_more_in_words(world):
    items = materials(MAX_LINES + 1)
    client = client_for(world.tala_officer)
    too_many = client.post(reverse("stock:receipt-create"), receipt_data(world, [(i, "1") for i in items]))
    assert too_many.status_code == 200 and not StockDocument.objects.exists()
    assert "paling banyak 200 baris" in too_many.content.decode()
    full = client.post(reverse("stock:receipt-create"),
                       receipt_data(world, [(i, "1") for i in items[:MAX_LINES]], add_line="1"))
    assert full.context["lines"].total_form_count() == MAX_LINES and not StockDocument.objects.exists()
    assert "paling banyak 200 baris" in full.content.decode()
    tampered = client.post(reverse("stock:receipt-create"), {"lines-TOTAL_FORMS": "x", "add_line": "1"})
    assert tampered.status_code == 200 and tampered.context["lines"].total_form_count() == 1
    huge = client.post(reverse("stock:receipt-create"), receipt_data(world, [], total=10**9, add_line="1"))
    assert huge.status_code == 200 and huge.context["lines"].total_form_count() == MAX_LINES
    saved = client.post(reverse("stock:receipt-create"), receipt_data(world, [(i, "1") for i in items[:MAX_LINES]]))
    assert saved.status_code == 302 and StockDocument.objects.get().lines.count() == MAX_LINES


def test_a_half_filled_line_is_told_on_that_line_and_blank_lines_are_ignored(world):
    items = materials(3)
    rows = [(items[0], "1"), (None, ""), (items[1], ""), (None, "4"), (items[0], "2")]
    response = client_for(world.tala_officer).post(reverse("stock:receipt-create"), receipt_data(world, rows))
    assert response.status_code == 200 and not StockDocument.objects.exists()
    forms = response.context["lines"].forms
    assert [sorted(f.errors) for f in forms] == [[], [], ["quantity"], ["item"], []]
    html = response.content.decode()
    assert "Baris 3" in html and "Baris 4" in html and "tidak boleh kosong" in html


def test_an_item_on_two_lines_is_told_on_the_second(world):
    items = materials(1)
    rows = [(items[0], "1"), (items[0], "2")]
    response = client_for(world.tala_officer).post(reverse("stock:receipt-create"), receipt_data(world, rows))
    assert response.status_code == 200 and not StockDocument.objects.exists()
    forms = response.context["lines"].forms
    assert not forms[0].errors and list(forms[1].errors) == ["item"]


def test_a_ticked_line_is_removed_whatever_it_holds(world):
    items = materials(3)
    rows = [(items[0], "1"), (items[1], "abc"), (items[2], "3")]
    data = receipt_data(world, rows, **{"lines-1-DELETE": "on"})
    response = client_for(world.tala_officer).post(reverse("stock:receipt-create"), data)
    assert response.status_code == 302
    document = StockDocument.objects.get()
    assert list(document.lines.order_by("pk").values_list("item", flat=True)) == [items[0].pk, items[2].pk]
    nothing = receipt_data(world, [(items[0], "1")], **{"lines-0-DELETE": "on"})
    refused = client_for(world.tala_officer).post(reverse("stock:receipt-create"), nothing)
    assert refused.status_code == 200 and "Tambahkan minimal satu baris" in refused.content.decode()
    assert StockDocument.objects.count() == 1


def test_tambah_baris_is_for_officers_only(world):
    data = receipt_data(world, [], add_line="1")
    assert client_for(world.partner_user).post(reverse("stock:receipt-create"), data).status_code == 403
    assert client_for(world.instructor).post(reverse("stock:receipt-create"), data).status_code == 403
