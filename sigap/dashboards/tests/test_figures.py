"""The dashboards' figures against the documents they summarise.

A Hypothesis test drives random production, inspections, handovers (some voided) and sales through the services,
then compares every dashboard figure with a sum computed directly from the documents, for each district, the
province and the country, and checks that rebuilding the figures from the documents gives the same rows.
"""

import datetime
from collections import defaultdict
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from django.db import transaction

from sigap.dashboards.models import DailyFigure, Measure, MonthlyFigure, RegionStock
from sigap.dashboards.selectors import Area, Period, dashboard
from sigap.dashboards.services import figures_rebuild
from sigap.handovers.models import HandoverLine, Status as HandoverStatus
from sigap.handovers.services import handover_create, handover_void
from sigap.lib.errors import DomainError
from sigap.market.models import Sale
from sigap.market.services import sale_record
from sigap.production.models import Batch
from sigap.production.services import production_record
from sigap.quality.models import Inspection
from sigap.quality.services import inspection_record
from sigap.regions.models import code_within
from sigap.stock.models import Balance

START = datetime.date(2020, 3, 1)
YEAR = Period(datetime.date(2020, 1, 1), datetime.date(2020, 12, 1))
AREAS = [Area("63.01"), Area("63.08"), Area("63"), Area(None)]

operations = st.lists(
    st.one_of(
        st.tuples(st.just("produce"), st.sampled_from(["tala", "hsu"]), st.sampled_from(["suit", "mask"]),
                  st.integers(1, 40), st.integers(0, 200)),
        st.tuples(st.just("inspect"), st.integers(0, 5), st.integers(0, 100), st.integers(0, 30)),
        st.tuples(st.just("hand_over"), st.sampled_from(["tala", "hsu"]), st.sampled_from(["suit", "mask"]),
                  st.integers(1, 30), st.sampled_from(["gtpp", "province"]), st.integers(0, 200)),
        st.tuples(st.just("void"), st.integers(0, 5)),
        st.tuples(st.just("sell"), st.sampled_from(["tala", "hsu"]), st.sampled_from(["suit", "mask"]),
                  st.integers(1, 10), st.sampled_from(["offline", "marketplace"]), st.integers(1000, 90000),
                  st.integers(0, 200)),
    ),
    max_size=14,
)


def _apply(w, step):
    officers = {"tala": w.tala_officer, "hsu": w.hsu_officer}
    offices = {"tala": w.tala_office, "hsu": w.hsu_office}
    partners = {"tala": w.tala_partner, "hsu": w.hsu_partner}
    products = {"suit": w.suit, "mask": w.mask}
    kind = step[0]
    if kind == "produce":
        _kind, who, product, quantity, day = step
        production_record(producer=partners[who], product=products[product], quantity=quantity,
                          produced_on=START + datetime.timedelta(days=day), by=officers[who])
    elif kind == "inspect":
        _kind, index, accepted_percent, delay = step
        waiting = list(Batch.objects.awaiting_inspection().order_by("pk"))
        if not waiting:
            return
        batch = waiting[index % len(waiting)]
        accepted = batch.quantity * accepted_percent // 100
        inspection_record(batch=batch, by=w.health_expert, inspected_on=batch.produced_on + datetime.timedelta(days=delay),
                          sample_size=1, accepted=accepted, rejected=batch.quantity - accepted, results=[],
                          reject_reason="Jahitan lepas" if accepted < batch.quantity else "")
    elif kind == "hand_over":
        _kind, who, product, quantity, receiver, day = step
        handover_create(office=offices[who], receiver={"gtpp": w.gtpp_tala, "province": w.province_office}[receiver],
                        giver_name="Kepala Dinas", giver_position="Kepala Dinas", receiver_name="Penerima",
                        receiver_position="Sekretaris", purpose="use", place="Pelaihari",
                        handed_over_on=START + datetime.timedelta(days=day),
                        lines=[(products[product], quantity, None)], by=officers[who])
    elif kind == "void":
        from sigap.handovers.models import Handover

        live = list(Handover.objects.exclude(status=HandoverStatus.VOID).order_by("pk"))
        if live:
            handover = live[step[1] % len(live)]
            handover_void(handover=handover, by=w.province_officer, reason="Salah catat")
    elif kind == "sell":
        _kind, who, product, quantity, channel, price, day = step
        sale_record(partner=partners[who], product=products[product], quantity=quantity, unit_price=D(price),
                    channel=channel, buyer_type="public", sold_on=START + datetime.timedelta(days=day),
                    by=officers[who])


def _stock_the_stores(w):
    from sigap.stock.services import receipt_record

    for office, officer in ((w.tala_office, w.tala_officer), (w.hsu_office, w.hsu_officer)):
        receipt_record(office=office, supplier=w.province_office, date=START, lines=[(w.suit, 60), (w.mask, 60)],
                       by=officer)


def _in(area, code):
    return code_within(code, area.code)


def _within(area, period, day):
    return period.first <= day <= period.end


def _expected(area: Area, period: Period):
    """The dashboard's figures, summed straight from the documents."""
    totals = defaultdict(D)
    handed_to = defaultdict(D)
    sold = defaultdict(lambda: [D(0), D(0)])
    for batch in Batch.objects.all():
        if _in(area, batch.region_id) and _within(area, period, batch.produced_on):
            totals[Measure.PRODUCED] += batch.quantity
    for inspection in Inspection.objects.select_related("batch"):
        if _in(area, inspection.batch.region_id) and _within(area, period, inspection.inspected_on):
            totals[Measure.ACCEPTED] += inspection.accepted
            totals[Measure.REJECTED] += inspection.rejected
    for line in HandoverLine.objects.select_related("handover__office", "handover__receiver"):
        handover = line.handover
        if (handover.status != HandoverStatus.VOID and _in(area, handover.office.region_id)
                and _within(area, period, handover.handed_over_on)):
            totals[Measure.HANDED_OVER] += line.quantity
            handed_to[handover.receiver.name] += line.quantity
    for sale in Sale.objects.select_related("partner"):
        if _in(area, sale.partner.region_id) and _within(area, period, sale.sold_on):
            totals[Measure.SOLD] += sale.quantity
            sold[sale.channel][0] += sale.quantity
            sold[sale.channel][1] += sale.quantity * sale.unit_price
    stock = defaultdict(D)
    for balance in Balance.objects.select_related("location", "item"):
        if _in(area, balance.location.region_id) and balance.quantity:
            stock[balance.item.name] += balance.quantity
    return totals, handed_to, sold, stock


def _snapshot(model, date_field):
    """The figures, leaving out rows a void brought back to zero (a rebuild does not write them)."""
    return sorted(
        (str(row[date_field]), row["region_code"], row["item_id"], row["measure"], row["dimension"],
         D(str(row["quantity"])).normalize(), D(str(row["amount"])).normalize())
        for row in model.objects.values(date_field, "region_code", "item_id", "measure", "dimension", "quantity",
                                        "amount")
        if row["quantity"] or row["amount"]
    )


@pytest.mark.django_db(transaction=False)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(steps=operations, first_month=st.integers(1, 12), months=st.integers(1, 12))
def test_every_dashboard_figure_equals_the_sum_of_its_documents(world, steps, first_month, months):
    savepoint = transaction.savepoint()
    try:
        _stock_the_stores(world)
        for step in steps:
            try:
                with transaction.atomic():
                    _apply(world, step)
            except DomainError:
                pass  # refused (not enough stock, already void…): nothing was written, which is checked below
        last = datetime.date(2020, min(12, first_month + months - 1), 1)
        for period in (YEAR, Period(datetime.date(2020, first_month, 1), last)):
            for area in AREAS:
                board = dashboard(area=area, period=period)
                totals, handed_to, sold, stock = _expected(area, period)
                for measure in (Measure.PRODUCED, Measure.ACCEPTED, Measure.REJECTED, Measure.HANDED_OVER,
                                Measure.SOLD):
                    assert board.totals[measure] == totals[measure], (area, period, measure)
                assert {r.name: q for r, q in board.handed_over_to} == {k: v for k, v in handed_to.items() if v}
                assert {label: (q, a) for label, q, a in board.sales_by_channel} == {
                    str(dict(Sale._meta.get_field("channel").choices)[c]): tuple(v) for c, v in sold.items()}
                assert {item.name: q for item, q in board.stock} == dict(stock)
        incremental = (_snapshot(DailyFigure, "day"), _snapshot(MonthlyFigure, "month"),
                       sorted(RegionStock.objects.filter(quantity__gt=0).values_list("region_code", "item_id",
                                                                                    "quantity")))
        figures_rebuild()
        rebuilt = (_snapshot(DailyFigure, "day"), _snapshot(MonthlyFigure, "month"),
                   sorted(RegionStock.objects.filter(quantity__gt=0).values_list("region_code", "item_id",
                                                                                "quantity")))
        assert incremental == rebuilt
    finally:
        transaction.savepoint_rollback(savepoint)
