"""The market in the API: the public catalogue, listings kept through the listing form and ``listing_save``, the
office's take-down, buyers' inquiries (signed-in callers, five an hour per account) whose personal data only the
partner and its officers read, and sales through the stock ledger, with their revenue."""

import datetime
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from conftest import client_for
from sigap.market.models import Inquiry, Listing, Sale
from sigap.market.services import listing_take_down, sale_record
from sigap.market.tests.test_market import DAY, give_stock, make_listing
from sigap.stock.ledger import on_hand
from sigap.stock.models import Movement
from sigap.stock.services import location_for_partner

URL = "/api/v1/market"


def send(user, method, path, body=None):
    return getattr(client_for(user), method)(path, data=json.dumps(body) if body is not None else None,
                                             content_type="application/json")


@pytest.fixture
def market(world):
    """A shown listing of each Kalsel partner: Tala's hazmat suit (kept by its own user), HSU's masks."""
    w = world
    w.tala_listing = make_listing(w.partner_user, w.tala_partner, w.suit, "Baju hazmat spunbond")
    w.hsu_listing = make_listing(w.hsu_officer, w.hsu_partner, w.mask, "Masker sasirangan", price=15000,
                                 min_order=10, whatsapp="081351230005")
    return w


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["items"]]


# --- the catalogue -----------------------------------------------------------------------------------------------

def test_the_catalogue_is_public_and_shows_only_shown_listings(market):
    w = market
    hidden = make_listing(w.partner_user, w.tala_partner, w.suit, "Belum siap", is_published=False)
    listing_take_down(listing=w.hsu_listing, by=w.hsu_officer, reason="Foto bukan produk sendiri")
    response = client_for(None).get(f"{URL}/catalogue")
    assert _ids(response) == [w.tala_listing.pk]
    listing = response.json()["items"][0]
    assert listing["price"] == "185000" and listing["whatsapp"] == "+6281251230001"
    assert listing["region_code"] == "63.01.03.1005" and listing["product"] == "baju-hazmat"
    assert "take_down_reason" not in listing
    assert client_for(None).get(f"{URL}/catalogue/{hidden.pk}").status_code == 404
    assert client_for(None).get(f"{URL}/catalogue/{w.hsu_listing.pk}").status_code == 404
    assert client_for(None).get(f"{URL}/catalogue/{w.tala_listing.pk}").json()["title"] == "Baju hazmat spunbond"


@pytest.mark.parametrize("query, titles", [
    ({"q": "masker"}, ["Masker sasirangan"]),
    ({"product": "baju-hazmat"}, ["Baju hazmat spunbond"]),
    ({"region": "63.08"}, ["Masker sasirangan"]),
    ({"price_max": 20000}, ["Masker sasirangan"]),
    ({"region": "64"}, []),
])
def test_the_catalogue_filters(market, query, titles):
    response = client_for(None).get(f"{URL}/catalogue", query)
    assert sorted(row["title"] for row in response.json()["items"]) == titles


# --- listings ----------------------------------------------------------------------------------------------------

def test_each_caller_reads_the_listings_of_its_own_business_or_region(market):
    w = market
    assert sorted(_ids(client_for(w.province_officer).get(f"{URL}/listings"))) == sorted(
        [w.tala_listing.pk, w.hsu_listing.pk])
    assert _ids(client_for(w.partner_user).get(f"{URL}/listings")) == [w.tala_listing.pk]
    assert _ids(client_for(w.hsu_officer).get(f"{URL}/listings")) == [w.hsu_listing.pk]
    assert client_for(w.hsu_officer).get(f"{URL}/listings/{w.tala_listing.pk}").status_code == 404
    assert client_for(w.agency_user).get(f"{URL}/listings").status_code == 403


def test_a_partner_user_puts_a_product_in_the_catalogue(market):
    w = market
    response = send(w.partner_user, "post", f"{URL}/listings", {
        "product": "baju-hazmat", "title": "Hazmat premium", "price": 250000, "min_order": 2,
        "whatsapp": "0812 5123 0001"})
    assert response.status_code == 201, response.content
    listing = Listing.objects.get(title="Hazmat premium")
    assert listing.partner == w.tala_partner and listing.price == 250000 and listing.whatsapp == "+6281251230001"
    assert response.json()["id"] == listing.pk and response.json()["is_published"] is True


def test_an_officer_lists_for_a_partner_of_its_region_only(market):
    w = market
    body = {"product": "masker-kain-3-lapis", "title": "Masker baru", "price": 12000, "whatsapp": "081351230005"}
    assert send(w.hsu_officer, "post", f"{URL}/listings", {**body, "partner_id": w.hsu_partner.pk}).status_code == 201
    refused = send(w.hsu_officer, "post", f"{URL}/listings", {**body, "partner_id": w.tala_partner.pk})
    assert refused.status_code == 422 and list(refused.json()["errors"]) == ["partner_id"]
    missing = send(w.hsu_officer, "post", f"{URL}/listings", body)
    assert missing.status_code == 422 and list(missing.json()["errors"]) == ["partner_id"]
    assert Listing.objects.filter(title="Masker baru").count() == 1


def test_a_partner_user_cannot_list_for_another_business(market):
    w = market
    response = send(w.partner_user, "post", f"{URL}/listings", {
        "partner_id": w.hsu_partner.pk, "product": "baju-hazmat", "title": "Bukan milik saya", "price": 1000,
        "whatsapp": "081251230001"})
    assert response.status_code == 422 and list(response.json()["errors"]) == ["partner_id"]
    assert not Listing.objects.filter(title="Bukan milik saya").exists()


@pytest.mark.parametrize("bad, field, status", [
    pytest.param({"price": 0}, "price", 422, id="price-0"),
    pytest.param({"price": 100000001}, "price", 422, id="price-too-high"),
    pytest.param({"min_order": 0}, "min_order", 422, id="min-order-0"),
    pytest.param({"product": "kain-sasirangan"}, "product", 422, id="raw-material"),
    pytest.param({"product": "tidak-ada"}, "product", 422, id="unknown-product"),
    pytest.param({"title": ""}, "title", 422, id="empty-title"),
    pytest.param({"whatsapp": "0511 3301234"}, "whatsapp", 400, id="landline"),
    pytest.param({"colour": "merah"}, "colour", 422, id="unknown-field"),
])
def test_a_bad_listing_is_refused_naming_the_field_and_nothing_is_saved(market, bad, field, status):
    before = Listing.objects.count()
    response = send(market.partner_user, "post", f"{URL}/listings", {
        "product": "baju-hazmat", "title": "Hazmat", "price": 1000, "whatsapp": "081251230001", **bad})
    assert response.status_code == status, response.content
    assert list(response.json()["errors"]) == [field]
    assert Listing.objects.count() == before


def test_a_change_keeps_the_fields_not_sent(market):
    w = market
    response = send(w.partner_user, "patch", f"{URL}/listings/{w.tala_listing.pk}", {"price": 190000})
    assert response.status_code == 200, response.content
    w.tala_listing.refresh_from_db()
    assert (w.tala_listing.price, w.tala_listing.title, w.tala_listing.min_order) == (190000, "Baju hazmat spunbond", 5)
    refused = send(w.partner_user, "patch", f"{URL}/listings/{w.tala_listing.pk}", {"lead_time_days": 400})
    assert refused.status_code == 422 and list(refused.json()["errors"]) == ["lead_time_days"]
    assert send(w.hsu_officer, "patch", f"{URL}/listings/{w.tala_listing.pk}", {"price": 1}).status_code == 404
    assert send(w.health_expert, "patch", f"{URL}/listings/{w.tala_listing.pk}", {"price": 1}).status_code == 403
    w.tala_listing.refresh_from_db()
    assert w.tala_listing.price == 190000


def test_the_office_takes_a_listing_down_with_a_reason_and_puts_it_back(market):
    w = market
    path = f"{URL}/listings/{w.tala_listing.pk}"
    assert send(w.tala_officer, "post", f"{path}/take-down", {"reason": ""}).status_code == 422
    missing = send(w.tala_officer, "post", f"{path}/take-down", {})
    assert missing.status_code == 422 and list(missing.json()["errors"]) == ["reason"]
    assert send(w.partner_user, "post", f"{path}/take-down", {"reason": "Sendiri"}).status_code == 403
    assert send(w.hsu_officer, "post", f"{path}/take-down", {"reason": "Bukan wilayah"}).status_code == 404
    assert not Listing.objects.get(pk=w.tala_listing.pk).taken_down

    response = send(w.tala_officer, "post", f"{path}/take-down", {"reason": "Foto bukan produk sendiri"})
    assert response.status_code == 200 and response.json()["taken_down"] is True
    seen = client_for(w.partner_user).get(path).json()
    assert seen["take_down_reason"] == "Foto bukan produk sendiri"
    assert client_for(None).get(f"{URL}/catalogue/{w.tala_listing.pk}").status_code == 404

    assert send(w.partner_user, "post", f"{path}/restore").status_code == 403
    assert send(w.tala_officer, "post", f"{path}/restore").json()["taken_down"] is False
    assert client_for(None).get(f"{URL}/catalogue/{w.tala_listing.pk}").status_code == 200


# --- inquiries ---------------------------------------------------------------------------------------------------

def _inquiry(**overrides):
    return {"name": "Apotek Sehat", "phone": "0813 5000 9911", "quantity": 50, "message": "Bisa kirim?", **overrides}


def test_a_signed_in_caller_asks_about_a_listing(market):
    w = market
    response = send(w.agency_user, "post", f"{URL}/catalogue/{w.tala_listing.pk}/inquiries", _inquiry())
    assert response.status_code == 201
    inquiry = Inquiry.objects.get()
    assert (inquiry.listing, inquiry.name, inquiry.phone, inquiry.quantity) == (
        w.tala_listing, "Apotek Sehat", "+6281350009911", 50)
    assert set(response.json()) == {"id", "listing_id", "quantity", "created_at"}


def test_anonymous_callers_ask_on_the_listing_page_not_through_the_api(market):
    response = send(None, "post", f"{URL}/catalogue/{market.tala_listing.pk}/inquiries", _inquiry())
    assert response.status_code == 401
    assert not Inquiry.objects.exists()


def test_one_account_sends_at_most_five_inquiries_an_hour(market):
    w = market
    path = f"{URL}/catalogue/{w.tala_listing.pk}/inquiries"
    assert [send(w.agency_user, "post", path, _inquiry()).status_code for _ in range(6)] == [201] * 5 + [400]
    assert send(w.instructor, "post", path, _inquiry()).status_code == 201  # another account
    assert Inquiry.objects.count() == 6


@pytest.mark.parametrize("bad, field, status", [
    pytest.param({"phone": "12"}, "phone", 400, id="bad-phone"),
    pytest.param({"quantity": 0}, "quantity", 422, id="quantity-0"),
    pytest.param({"name": ""}, "name", 422, id="no-name"),
    pytest.param({"website": "http://spam"}, "website", 422, id="unknown-field"),
])
def test_a_bad_inquiry_is_refused_naming_the_field(market, bad, field, status):
    response = send(market.agency_user, "post", f"{URL}/catalogue/{market.tala_listing.pk}/inquiries",
                    _inquiry(**bad))
    assert response.status_code == status
    assert list(response.json()["errors"]) == [field]
    assert not Inquiry.objects.exists()


def test_an_inquiry_about_a_hidden_listing_is_not_found(market):
    w = market
    listing_take_down(listing=w.tala_listing, by=w.tala_officer, reason="Foto")
    response = send(w.agency_user, "post", f"{URL}/catalogue/{w.tala_listing.pk}/inquiries", _inquiry())
    assert response.status_code == 404
    assert not Inquiry.objects.exists()


def test_only_the_partner_and_its_officers_read_buyers_names_and_phones(market):
    w = market
    inquiry = Inquiry.objects.create(listing=w.tala_listing, name="Apotek Sehat", phone="+6281350009911", quantity=5)
    for who in ["partner_user", "tala_officer", "province_officer", "admin"]:
        rows = client_for(getattr(w, who)).get(f"{URL}/inquiries").json()["items"]
        assert [(r["id"], r["name"], r["phone"]) for r in rows] == [(inquiry.pk, "Apotek Sehat", "+6281350009911")]
    assert client_for(w.hsu_officer).get(f"{URL}/inquiries").json()["items"] == []
    for who in ["instructor", "health_expert", "agency_user"]:
        response = client_for(getattr(w, who)).get(f"{URL}/inquiries")
        assert response.status_code == 403 and "Apotek" not in response.content.decode()
    for response in [client_for(None).get(f"{URL}/catalogue"), client_for(w.health_expert).get(f"{URL}/listings"),
                     client_for(w.agency_user).get(f"{URL}/catalogue/{w.tala_listing.pk}")]:
        assert response.status_code == 200
        assert "Apotek" not in response.content.decode() and "6281350009911" not in response.content.decode()


def test_the_partner_marks_an_inquiry_answered(market):
    w = market
    inquiry = Inquiry.objects.create(listing=w.tala_listing, name="Apotek Sehat", phone="+6281350009911", quantity=5)
    assert send(w.hsu_officer, "post", f"{URL}/inquiries/{inquiry.pk}/answered").status_code == 404
    assert send(w.health_expert, "post", f"{URL}/inquiries/{inquiry.pk}/answered").status_code == 404
    response = send(w.partner_user, "post", f"{URL}/inquiries/{inquiry.pk}/answered")
    assert response.status_code == 200 and response.json()["answered_at"]
    inquiry.refresh_from_db()
    assert inquiry.answered_by == w.partner_user
    unanswered = client_for(w.tala_officer).get(f"{URL}/inquiries", {"answered": "false"}).json()
    assert unanswered["count"] == 0


# --- sales -------------------------------------------------------------------------------------------------------

def _sale(**overrides):
    return {"product": "baju-hazmat", "sold_on": "2020-06-02", "quantity": 3, "unit_price": 185000,
            "channel": "marketplace", "marketplace": "Tokopedia", "buyer_type": "health", **overrides}


def _workshop(w):
    return location_for_partner(w.tala_partner)


def test_a_sale_takes_the_goods_out_of_the_partners_workshop(market):
    w = market
    give_stock(w, w.tala_partner, w.suit, 20, w.partner_user)
    response = send(w.partner_user, "post", f"{URL}/sales", _sale())
    assert response.status_code == 201, response.content
    sale = Sale.objects.get()
    assert (sale.partner, sale.quantity, sale.unit_price, sale.recorded_by) == (w.tala_partner, 3, 185000,
                                                                                 w.partner_user)
    assert response.json()["amount"] == "555000" and response.json()["id"] == sale.pk
    assert on_hand(w.suit, _workshop(w)) == 17


def test_an_oversell_is_a_conflict_naming_the_shortfall_and_nothing_is_written(market):
    w = market
    give_stock(w, w.tala_partner, w.suit, 20, w.partner_user)
    movements = Movement.objects.count()
    response = send(w.tala_officer, "post", f"{URL}/sales", _sale(partner_id=w.tala_partner.pk, quantity=21))
    assert response.status_code == 409
    (shortfall,) = response.json()["shortfall"]
    assert (shortfall["item"], shortfall["location"]) == ("baju-hazmat", w.tala_partner.name)
    assert [Decimal(shortfall[k]) for k in ("available", "requested", "missing")] == [20, 21, 1]
    assert not Sale.objects.exists() and Movement.objects.count() == movements
    assert on_hand(w.suit, _workshop(w)) == 20


@pytest.mark.parametrize("bad, field, status", [
    pytest.param({"quantity": 0}, "quantity", 422, id="quantity-0"),
    pytest.param({"unit_price": 0}, "unit_price", 422, id="price-0"),
    pytest.param({"channel": "door"}, "channel", 422, id="unknown-channel"),
    pytest.param({"buyer_type": "alien"}, "buyer_type", 422, id="unknown-buyer"),
    pytest.param({"product": "kain-sasirangan"}, "product", 422, id="raw-material"),
    pytest.param({"sold_on": "2020-02-30"}, "sold_on", 422, id="no-such-day"),
    pytest.param({"sold_on": "tomorrow"}, "sold_on", 400, id="future-date"),
    pytest.param({"partner_id": 0}, "partner_id", 422, id="not-own-partner"),
    pytest.param({"price": 1}, "price", 422, id="unknown-field"),
])
def test_a_bad_sale_is_refused_naming_the_field_and_nothing_is_written(market, bad, field, status):
    w = market
    give_stock(w, w.tala_partner, w.suit, 20, w.partner_user)
    if bad.get("sold_on") == "tomorrow":
        bad["sold_on"] = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = send(w.partner_user, "post", f"{URL}/sales", _sale(**bad))
    assert response.status_code == status, response.content
    assert list(response.json()["errors"]) == [field]
    assert not Sale.objects.exists() and on_hand(w.suit, _workshop(w)) == 20


def test_an_officer_records_sales_only_for_partners_of_its_region(market):
    w = market
    give_stock(w, w.tala_partner, w.suit, 20, w.tala_officer)
    refused = send(w.hsu_officer, "post", f"{URL}/sales", _sale(partner_id=w.tala_partner.pk))
    assert refused.status_code == 422 and list(refused.json()["errors"]) == ["partner_id"]
    assert send(w.instructor, "post", f"{URL}/sales", _sale(partner_id=w.hsu_partner.pk)).status_code == 403
    assert send(w.agency_user, "post", f"{URL}/sales", _sale(partner_id=w.tala_partner.pk)).status_code == 403
    assert not Sale.objects.exists()
    assert send(w.province_officer, "post", f"{URL}/sales", _sale(partner_id=w.tala_partner.pk)).status_code == 201


@pytest.fixture
def sold(market):
    """Sales of both Kalsel partners over two months and three channels."""
    w = market
    give_stock(w, w.tala_partner, w.suit, 50, w.tala_officer)
    give_stock(w, w.hsu_partner, w.mask, 500, w.hsu_officer)
    for partner, product, day, quantity, price, channel, by in [
        (w.tala_partner, w.suit, DAY, 2, 185000, "offline", w.partner_user),
        (w.tala_partner, w.suit, DAY + datetime.timedelta(days=31), 3, 190000, "marketplace", w.partner_user),
        (w.hsu_partner, w.mask, DAY, 100, 15000, "government", w.hsu_officer),
        (w.hsu_partner, w.mask, DAY + datetime.timedelta(days=40), 50, 14000, "offline", w.hsu_officer),
    ]:
        sale_record(partner=partner, product=product, sold_on=day, quantity=quantity, unit_price=Decimal(price),
                    channel=channel, buyer_type="individual", by=by)
    return w


@pytest.mark.parametrize("query, expected", [
    ({}, [("masker-kain-3-lapis", 50), ("baju-hazmat", 3), ("masker-kain-3-lapis", 100), ("baju-hazmat", 2)]),
    ({"sold_from": "2020-07-01"}, [("masker-kain-3-lapis", 50), ("baju-hazmat", 3)]),
    ({"sold_to": "2020-06-30"}, [("masker-kain-3-lapis", 100), ("baju-hazmat", 2)]),
    ({"product": "baju-hazmat"}, [("baju-hazmat", 3), ("baju-hazmat", 2)]),
    ({"channel": "offline"}, [("masker-kain-3-lapis", 50), ("baju-hazmat", 2)]),
    ({"region": "63.08"}, [("masker-kain-3-lapis", 50), ("masker-kain-3-lapis", 100)]),
    ({"region": "63.01", "sold_from": "2020-06-01", "sold_to": "2020-06-30"}, [("baju-hazmat", 2)]),
])
def test_the_sales_list_filters(sold, query, expected):
    response = client_for(sold.province_officer).get(f"{URL}/sales", query)
    assert [(row["product"], row["quantity"]) for row in response.json()["items"]] == expected


def test_each_caller_reads_only_the_sales_it_may_see(sold):
    w = sold
    for who, products in [("partner_user", {"baju-hazmat"}), ("hsu_officer", {"masker-kain-3-lapis"}),
                          ("outsider", set()), ("instructor", {"masker-kain-3-lapis"})]:
        rows = client_for(getattr(w, who)).get(f"{URL}/sales").json()["items"]
        assert {row["product"] for row in rows} == products, who
    assert client_for(w.agency_user).get(f"{URL}/sales").status_code == 403
    assert client_for(w.agency_user).get(f"{URL}/sales/revenue").status_code == 403


def test_a_bad_filter_is_refused_naming_it(sold):
    response = client_for(sold.tala_officer).get(f"{URL}/sales", {"channel": "door", "sold_from": "kemarin"})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"channel", "sold_from"}


def test_revenue_sums_the_sales_the_caller_may_see_with_the_same_filters(sold):
    w = sold
    revenue = client_for(w.province_officer).get(f"{URL}/sales/revenue").json()
    assert revenue["total"] == {"revenue": str(2 * 185000 + 3 * 190000 + 100 * 15000 + 50 * 14000), "units": 155}
    assert [(row["channel"], row["revenue"]) for row in revenue["by_channel"]] == [
        ("government", "1500000"), ("offline", "1070000"), ("marketplace", "570000")]
    assert [(row["product"], row["units"]) for row in revenue["by_product"]] == [
        ("masker-kain-3-lapis", 150), ("baju-hazmat", 5)]
    assert [(row["partner_id"], row["revenue"]) for row in revenue["by_partner"]] == [
        (w.hsu_partner.pk, "2200000"), (w.tala_partner.pk, "940000")]
    assert [(row["month"], row["units"]) for row in revenue["by_month"]] == [("2020-06", 102), ("2020-07", 53)]

    own = client_for(w.partner_user).get(f"{URL}/sales/revenue", {"sold_from": "2020-07-01"}).json()
    assert own["total"] == {"revenue": "570000", "units": 3}
    nothing = client_for(w.outsider).get(f"{URL}/sales/revenue").json()
    assert nothing["total"] == {"revenue": "0", "units": 0} and nothing["by_month"] == []
