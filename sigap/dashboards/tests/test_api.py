"""The dashboard in the API: the page's figures as JSON, for the caller's area and with the page's selection
rules (a region outside the caller's area is a 404), except that a filter that makes no sense is a 422."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from conftest import client_for
from sigap.dashboards.tests.test_pages import _activity
from sigap.market.services import sale_record

URL = "/api/v1/dashboard"


@pytest.fixture
def active(world):
    _activity(world, partners=1, month=5)
    sale_record(partner=world.tala_partner, product=world.suit, sold_on=datetime.date(2020, 5, 20), quantity=4,
                unit_price=Decimal(185000), channel="marketplace", buyer_type="health", by=world.tala_officer)
    return world


def _numbers(values) -> list[Decimal]:
    return [Decimal(value) for value in values]


def _same_as_the_page(user, query: dict):
    """The API's figures and the page's board for the same user and filters, compared figure by figure."""
    api = client_for(user).get(URL, query)
    assert api.status_code == 200, api.content
    figures = api.json()
    page_query = {**query}
    if "product" in query:
        from sigap.items.models import Item

        page_query["product"] = Item.objects.get(code=query["product"]).pk
    board = client_for(user).get(reverse("dashboards:show"), page_query).context["board"]

    assert figures["area"]["code"] == board.area.code
    assert figures["period"]["months"] == [m.strftime("%Y-%m") for m in board.period.months]
    assert {k: Decimal(v) for k, v in figures["totals"].items()} == {
        m: board.totals[m] for m in ["produced", "accepted", "rejected", "handed_over", "sold"]}
    assert figures["acceptance_rate"] == board.acceptance_rate
    assert Decimal(figures["revenue"]) == board.revenue
    assert (figures["active_partners"], figures["new_partners"], figures["participants"]) == (
        board.active_partners, board.new_partners, board.participants)
    assert figures["open_requests"] == len(board.open_requests)
    assert [(row["product"], Decimal(row["produced"]), Decimal(row["handed_over"]), Decimal(row["sold"]))
            for row in figures["by_product"]] == [
        (item.code, m.get("produced", 0), m.get("handed_over", 0), m.get("sold", 0)) for item, m in board.product_rows]
    assert [(row["product"], _numbers(row["quantities"])) for row in figures["produced_by_month"]] == [
        (board.products[pk].code, values) for pk, values in board.produced_by_month.items()]
    assert [(p["code"], p["name"], Decimal(p["produced"]), Decimal(p["accepted"]), Decimal(p["handed_over"]),
             Decimal(p["sold"])) for p in figures["parts"]] == [
        (p.code, p.name, p.produced, p.accepted, p.handed_over, p.sold) for p in board.parts]
    assert [(r["organisation_id"], Decimal(r["quantity"])) for r in figures["handovers_by_receiver"]] == [
        (receiver.pk, quantity) for receiver, quantity in board.handed_over_to]
    assert [(r["label"], Decimal(r["quantity"]), Decimal(r["amount"])) for r in figures["sales_by_channel"]] == [
        (str(label), quantity, amount) for label, quantity, amount in board.sales_by_channel]
    assert [(s["item"], Decimal(s["quantity"])) for s in figures["stock"]] == [
        (item.code, quantity) for item, quantity in board.stock]
    assert [(t["id"], t["target"], Decimal(t["output"]), t["participants"]) for t in figures["trainings"]] == [
        (t.pk, t.target, t.output, t.participant_count) for t in board.trainings]
    assert [(p["programme_id"], p["product"], p["target"], Decimal(p["output"])) for p in figures["programmes"]] == [
        (p["programme"].pk, p["product"].code, p["target"], p["output"]) for p in board.programmes]
    assert [(r["month"], r["active"], r["new"]) for r in figures["partners_by_month"]] == [
        (r["month"].strftime("%Y-%m"), r["active"], r["new"]) for r in board.partners_by_month]
    return figures


def test_a_district_officer_gets_the_figures_of_the_district_page(active):
    figures = _same_as_the_page(active.tala_officer, {"start": "2020-01", "end": "2020-12"})
    assert figures["area"] == {"code": "63.01", "name": "Kabupaten Tanah Laut", "level": "regency"}
    assert figures["totals"] == {"produced": "20", "accepted": "18", "rejected": "2", "handed_over": "10",
                                 "sold": "4"}
    assert figures["sales_by_channel"][0]["channel"] == "marketplace"
    assert figures["revenue"] == "740000" and figures["parts"] == []
    assert [r["name"] for r in figures["handovers_by_receiver"]] == [active.gtpp_tala.name]


def test_a_provincial_officer_gets_a_row_per_regency_and_drills_into_one(active):
    figures = _same_as_the_page(active.province_officer, {"start": "2020-01", "end": "2020-12"})
    assert figures["totals"]["produced"] == "40" and len(figures["parts"]) == 13
    drilled = _same_as_the_page(active.province_officer, {"region": "63.08", "product": "masker-kain-3-lapis"})
    assert drilled["area"]["code"] == "63.08" and drilled["product"] == "masker-kain-3-lapis"
    assert drilled["period"]["end"] == "2020-05"  # the last month with activity, as the page takes it


def test_an_administrator_gets_the_country_with_a_row_per_province(active):
    figures = _same_as_the_page(active.admin, {"start": "2020-05", "end": "2020-05"})
    assert figures["area"]["level"] == "country"
    assert {part["code"] for part in figures["parts"]} == {"31", "63", "64"}


@pytest.mark.parametrize("who, region", [("tala_officer", "63.08"), ("tala_officer", "63"),
                                         ("province_officer", "64.01"), ("outsider", "63.01"),
                                         ("province_officer", "63.99")])
def test_an_area_outside_the_callers_own_is_not_found(active, who, region):
    response = client_for(getattr(active, who)).get(URL, {"region": region})
    assert response.status_code == 404
    assert "produced" not in response.content.decode()


@pytest.mark.parametrize("who, status", [("partner_user", 403), ("agency_user", 403), (None, 401)])
def test_callers_without_an_area_may_not_read_the_dashboard(active, who, status):
    user = getattr(active, who) if who else None
    assert client_for(user).get(URL, {"start": "nonsense"}).status_code == status


@pytest.mark.parametrize("query, fields", [
    ({"start": "2020-13"}, ["start"]),
    ({"end": "June"}, ["end"]),
    ({"start": "2020-06", "end": "2020-01"}, ["end"]),
    ({"region": "6"}, ["region"]),
    ({"product": "kain-sasirangan"}, ["product"]),
    ({"product": "tidak-ada", "start": "x"}, ["start", "product"]),
])
def test_a_filter_that_makes_no_sense_is_refused_naming_it(active, query, fields):
    response = client_for(active.province_officer).get(URL, query)
    assert response.status_code == 422
    assert sorted(response.json()["errors"]) == sorted(fields)


def test_a_period_longer_than_five_years_is_cut_with_a_warning(active):
    response = client_for(active.province_officer).get(URL, {"start": "2010-01", "end": "2020-12"})
    figures = response.json()
    assert len(figures["period"]["months"]) == 60 and figures["period"]["start"] == "2016-01"
    with translation.override("id"):  # the API answers in SIGAP's default language, as the pages do
        assert figures["warnings"] == [gettext("A dashboard covers at most five years; the first months were "
                                               "left out.")]


def test_the_dashboard_costs_the_same_queries_for_one_or_many_months_of_activity(world):
    client = client_for(world.province_officer)
    _activity(world, partners=1, month=3)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, {"start": "2020-01", "end": "2020-12"}).status_code == 200
        return len(captured)

    few = queries()
    for month in (4, 6, 7):
        _activity(world, partners=2, month=month)
    assert queries() == few
