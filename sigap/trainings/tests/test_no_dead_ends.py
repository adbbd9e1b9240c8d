"""No dead ends for kits and output: a kit the store cannot cover links to the receipt form with what is missing,
may be issued in part with what is still owed shown per participant (pages and API), and the output left at the
participants' homes is collected into the store as one transfer."""

import datetime
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import client_for
from sigap.lib.errors import DomainError
from sigap.stock.ledger import InsufficientStock, audit, on_hand
from sigap.stock.models import DocumentKind, Movement, StockDocument
from sigap.stock.services import issue_record, location_for, receipt_record
from sigap.trainings.models import Enrolment
from sigap.trainings.services import kit_issue, kit_owed, kits_owed, output_collect

DAY = datetime.date(2020, 5, 17)

pytestmark = pytest.mark.security




def _written():
    return StockDocument.objects.count(), Movement.objects.count()


# --- kits in part ---------------------------------------------------------------------------------------------

def test_a_kit_the_store_cannot_cover_is_issued_in_part_and_the_rest_stays_owed(short):
    w = short
    _fahri, siti, _rahmat = w.enrolments
    with pytest.raises(InsufficientStock):
        kit_issue(enrolment=siti, office=w.hsu_office, date=DAY, by=w.hsu_officer)
    document = kit_issue(enrolment=siti, office=w.hsu_office, date=DAY, by=w.hsu_officer, partial=True)
    assert {(line.item, line.quantity) for line in document.lines.all()} == {
        (w.fabric, Decimal("1")), (w.elastic, Decimal("12.5"))}
    siti.refresh_from_db()
    assert siti.kit is None
    assert kit_owed(siti) == [(w.fabric, Decimal("0.5"))]
    assert [(e.person.name, owed) for e, owed in kits_owed(w.training)] == [
        ("Muhammad Fahri", [(w.fabric, Decimal("1.2")), (w.elastic, Decimal("10"))]),
        ("Rahmat Hidayat", [(w.fabric, Decimal("0.9")), (w.elastic, Decimal("7.5"))]),
        ("Siti Nurhaliza", [(w.fabric, Decimal("0.5"))])]
    assert on_hand(w.fabric, w.store) == 0
    assert audit() == []


def test_the_rest_of_a_kit_completes_it(short):
    w = short
    siti = w.enrolments[1]
    kit_issue(enrolment=siti, office=w.hsu_office, date=DAY, by=w.hsu_officer, partial=True)
    receipt_record(office=w.hsu_office, supplier=None, date=DAY, lines=[(w.fabric, 5)], by=w.hsu_officer)
    last = kit_issue(enrolment=siti, office=w.hsu_office, date=DAY, by=w.hsu_officer)
    assert [(line.item, line.quantity) for line in last.lines.all()] == [(w.fabric, Decimal("0.5"))]
    assert Enrolment.objects.get(pk=siti.pk).kit == last
    assert on_hand(w.fabric, location_for(siti.person)) == Decimal("1.5")
    with pytest.raises(DomainError, match="already issued"):
        kit_issue(enrolment=siti, office=w.hsu_office, date=DAY, by=w.hsu_officer, partial=True)


def test_a_part_needs_something_in_the_store(short):
    w = short
    kit_issue(enrolment=w.enrolments[1], office=w.hsu_office, date=DAY, by=w.hsu_officer, partial=True)
    written = _written()
    with pytest.raises(DomainError, match="holds none of the materials"):
        kit_issue(enrolment=w.enrolments[1], office=w.hsu_office, date=DAY, by=w.hsu_officer, partial=True)
    assert _written() == written


@pytest.mark.parametrize("who", ["tala_officer", "instructor", "partner_user"])
def test_a_part_of_a_kit_is_refused_to_other_districts_and_roles(short, who):
    w = short
    written = _written()
    with pytest.raises(DomainError):
        kit_issue(enrolment=w.enrolments[1], office=w.hsu_office, date=DAY, by=getattr(w, who), partial=True)
    assert _written() == written


def test_the_kit_page_links_to_the_receipt_form_with_the_missing_material(short):
    w = short
    siti = w.enrolments[1]
    url = reverse("trainings:kit", args=[w.training.pk, siti.pk])
    response = client_for(w.hsu_officer).post(url, {"office": w.hsu_office.pk, "date": "2020-05-17"})
    page = response.content.decode()
    assert response.status_code == 200
    receipt = f'{reverse("stock:receipt-create")}?office={w.hsu_office.pk}&amp;item={w.fabric.pk}&amp;quantity=0.5'
    assert receipt in page
    assert "Serahkan yang tersedia di gudang" in page
    assert Enrolment.objects.get(pk=siti.pk).kit is None and on_hand(w.fabric, location_for(siti.person)) == 0

    form = client_for(w.hsu_officer).get(receipt.replace("&amp;", "&")).content.decode()
    assert f'<option value="{w.fabric.pk}" selected>' in form
    assert 'name="lines-0-quantity" value="0,5"' in form or 'name="lines-0-quantity" value="0.5"' in form


def test_the_receipt_form_ignores_a_malformed_prefill(short):
    w = short
    response = client_for(w.hsu_officer).get(reverse("stock:receipt-create") + "?item=x&quantity=NaN&office=-1")
    assert response.status_code == 200


def test_the_kit_page_issues_the_part_and_says_what_is_still_owed_to_whom(short):
    w = short
    siti = w.enrolments[1]
    url = reverse("trainings:kit", args=[w.training.pk, siti.pk])
    response = client_for(w.hsu_officer).post(url, {"office": w.hsu_office.pk, "date": "2020-05-17",
                                                    "partial": "1"}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == url
    assert "Paket bahan yang masih terutang, per peserta" in page
    assert "Siti Nurhaliza" in page and "Rahmat Hidayat" in page
    assert on_hand(w.fabric, location_for(siti.person)) == 1


@pytest.mark.parametrize("who, status", [("tala_officer", 404), ("instructor", 404), ("partner_user", 404)])
def test_the_kit_page_is_refused_to_other_districts_and_roles(short, who, status):
    w = short
    url = reverse("trainings:kit", args=[w.training.pk, w.enrolments[1].pk])
    written = _written()
    response = client_for(getattr(w, who)).post(url, {"office": w.hsu_office.pk, "date": "2020-05-17",
                                                      "partial": "1"})
    assert response.status_code in (status, 403)
    assert _written() == written


# --- kits through the API -------------------------------------------------------------------------------------

def _kit_call(w, user, **body):
    body = {"enrolment_id": w.enrolments[1].pk, "office_id": w.hsu_office.pk, "date": "2020-05-17", **body}
    return client_for(user).post(f"/api/v1/trainings/{w.training.pk}/kits", json.dumps(body),
                                 content_type="application/json")


def test_the_api_refuses_an_overdrawn_kit_with_409_and_the_shortfall(short):
    w = short
    written = _written()
    response = _kit_call(w, w.hsu_officer)
    assert response.status_code == 409
    assert response.json()["shortfall"] == [{"item": w.fabric.code, "location": w.store.name, "available": "1",
                                             "requested": "1.5", "missing": "0.5"}]
    assert _written() == written


def test_the_api_issues_the_part_the_store_covers(short):
    w = short
    response = _kit_call(w, w.hsu_officer, partial=True)
    assert response.status_code == 201
    body = response.json()
    assert body["complete"] is False
    assert body["owed"] == [{"item": w.fabric.code, "quantity": "0.5"}]
    assert {line["item"]: line["quantity"] for line in body["lines"]} == {w.fabric.code: "1", w.elastic.code: "12.5"}


def test_the_api_issues_a_whole_kit(short):
    w = short
    response = _kit_call(w, w.hsu_officer, enrolment_id=w.enrolments[2].pk)
    assert response.status_code == 201 and response.json()["complete"] is True
    assert Enrolment.objects.get(pk=w.enrolments[2].pk).kit_id == response.json()["document_id"]


@pytest.mark.parametrize("who, status", [("tala_officer", 404), ("instructor", 404), ("partner_user", 404)])
def test_the_api_refuses_other_districts_and_roles(short, who, status):
    w = short
    written = _written()
    assert _kit_call(w, getattr(w, who), partial=True).status_code in (status, 403)
    assert _written() == written


def test_the_api_refuses_bad_input(short):
    w = short
    assert _kit_call(w, w.hsu_officer, enrolment_id=999999).status_code == 422
    assert _kit_call(w, w.hsu_officer, office_id=w.tala_office.pk).status_code == 422
    assert _kit_call(w, w.hsu_officer, date="kemarin").status_code == 422
    assert _kit_call(w, w.hsu_officer, partial="ya").status_code == 422


# --- collecting the output --------------------------------------------------------------------------------------

@pytest.fixture
def output_at_homes(training):
    """Fahri holds 12 masks at home, Siti 8, Rahmat none."""
    w = training
    receipt_record(office=w.hsu_office, supplier=None, date=DAY, lines=[(w.mask, 20)], by=w.hsu_officer)
    fahri, siti, _rahmat = w.enrolments
    issue_record(office=w.hsu_office, recipient=fahri.person, date=DAY, lines=[(w.mask, 12)], by=w.hsu_officer)
    issue_record(office=w.hsu_office, recipient=siti.person, date=DAY, lines=[(w.mask, 8)], by=w.hsu_officer)
    w.store = location_for(w.hsu_office)
    return w


def test_the_output_at_the_homes_is_collected_as_one_transfer_a_line_per_home(output_at_homes):
    w = output_at_homes
    fahri, siti, _rahmat = w.enrolments
    document = output_collect(training=w.training, office=w.hsu_office, date=DAY, by=w.hsu_officer)
    assert document.kind == DocumentKind.TRANSFER and document.destination == w.store and document.source is None
    assert [(line.source, line.quantity) for line in document.lines.all()] == [
        (location_for(fahri.person), 12), (location_for(siti.person), 8)]
    assert on_hand(w.mask, w.store) == 20 and on_hand(w.mask, location_for(fahri.person)) == 0
    with pytest.raises(DomainError, match="at the participants' homes"):
        output_collect(training=w.training, office=w.hsu_office, date=DAY, by=w.hsu_officer)
    assert audit() == []


@pytest.mark.parametrize("who", ["tala_officer", "instructor", "partner_user", "province_officer"])
def test_collecting_is_refused_to_other_districts_and_roles(output_at_homes, who):
    w = output_at_homes
    written = _written()
    office = w.province_office if who == "province_officer" else w.hsu_office
    if who == "province_officer":
        # a provincial officer may collect, into the province's store
        output_collect(training=w.training, office=office, date=DAY, by=w.province_officer)
        return
    with pytest.raises(DomainError):
        output_collect(training=w.training, office=office, date=DAY, by=getattr(w, who))
    assert _written() == written


def test_collecting_refuses_a_bad_date_and_writes_nothing(output_at_homes):
    w = output_at_homes
    written = _written()
    with pytest.raises(DomainError):
        output_collect(training=w.training, office=w.hsu_office, date=datetime.date(1990, 1, 1), by=w.hsu_officer)
    assert _written() == written


def test_the_collect_page_lists_the_homes_and_collects(output_at_homes):
    w = output_at_homes
    url = reverse("trainings:collect", args=[w.training.pk])
    client = client_for(w.hsu_officer)
    page = client.get(url).content.decode()
    assert "Muhammad Fahri" in page and "Siti Nurhaliza" in page
    response = client.post(url, {"office": w.hsu_office.pk, "date": "2020-05-17"})
    document = StockDocument.objects.get(kind=DocumentKind.TRANSFER, source=None)
    assert response.status_code == 302 and response["Location"] == document.get_absolute_url()
    assert on_hand(w.mask, w.store) == 20
    assert reverse("trainings:collect", args=[w.training.pk]) in client.get(
        reverse("trainings:detail", args=[w.training.pk])).content.decode()


@pytest.mark.parametrize("who", ["tala_officer", "instructor", "partner_user"])
def test_the_collect_page_is_refused_to_other_districts_and_roles(output_at_homes, who):
    w = output_at_homes
    written = _written()
    response = client_for(getattr(w, who)).post(reverse("trainings:collect", args=[w.training.pk]),
                                                {"office": w.hsu_office.pk, "date": "2020-05-17"})
    assert response.status_code in (403, 404)
    assert _written() == written


def test_the_collect_page_shows_bad_input_on_the_form(output_at_homes):
    w = output_at_homes
    response = client_for(w.hsu_officer).post(reverse("trainings:collect", args=[w.training.pk]),
                                              {"office": w.hsu_office.pk, "date": "kemarin"})
    assert response.status_code == 200 and not StockDocument.objects.filter(kind=DocumentKind.TRANSFER).exists()
