"""Rebuilding the summary figures from the documents, for a new installation or a check."""

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Sum

from sigap.dashboards.figures import regency_of
from sigap.dashboards.models import DailyFigure, Measure, MonthlyFigure, RegionStock, handover_dimension

BATCH_SIZE = 5000


def document_entries():
    """Every figure the documents imply, as (day, region_code, item_id, measure, dimension, quantity, amount)."""
    from sigap.handovers.models import HandoverLine, Status as HandoverStatus
    from sigap.market.models import Sale
    from sigap.production.models import Batch
    from sigap.quality.models import Inspection
    from sigap.stock.models import Movement

    for row in Batch.objects.values("produced_on", "region_id", "product_id", "training_id").annotate(
            total=Sum("quantity")).order_by():
        yield (row["produced_on"], row["region_id"], row["product_id"], Measure.PRODUCED,
               row["training_id"] or "", row["total"], 0)
    for row in Inspection.objects.values("inspected_on", "batch__region_id", "batch__product_id").annotate(
            accepted_total=Sum("accepted"), rejected_total=Sum("rejected")).order_by():
        key = (row["inspected_on"], row["batch__region_id"], row["batch__product_id"])
        yield (*key, Measure.ACCEPTED, "", row["accepted_total"], 0)
        yield (*key, Measure.REJECTED, "", row["rejected_total"], 0)
    for row in HandoverLine.objects.exclude(handover__status=HandoverStatus.VOID).values(
            "handover__handed_over_on", "handover__office__region_id", "product_id", "handover__receiver_id",
            "handover__purpose").annotate(total=Sum("quantity")).order_by():
        yield (row["handover__handed_over_on"], row["handover__office__region_id"], row["product_id"],
               Measure.HANDED_OVER, handover_dimension(row["handover__receiver_id"], row["handover__purpose"]),
               row["total"], 0)
    for row in Sale.objects.values("sold_on", "partner__region_id", "product_id", "channel").annotate(
            total=Sum("quantity"), revenue=Sum(F("quantity") * F("unit_price"))).order_by():
        yield (row["sold_on"], row["partner__region_id"], row["product_id"], Measure.SOLD, row["channel"],
               row["total"], row["revenue"])
    movements = Movement.objects.values(
        "posting__occurred_on", "location__region_id", "item_id", "posting__kind", "posting__reverses__kind"
    ).annotate(total=Sum("quantity")).order_by()
    for row in movements:
        kind = row["posting__reverses__kind"] or row["posting__kind"]
        yield (row["posting__occurred_on"], row["location__region_id"], row["item_id"], Measure.STOCK, kind,
               row["total"], 0)


def _totals(entries):
    daily = defaultdict(lambda: [Decimal(0), Decimal(0)])
    monthly = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for day, region_code, item_id, measure, dimension, quantity, amount in entries:
        regency = regency_of(region_code)
        for rows, when in ((daily, day), (monthly, day.replace(day=1))):
            row = rows[(when, regency, item_id, measure, str(dimension))]
            row[0] += Decimal(str(quantity))
            row[1] += Decimal(str(amount))
    return daily, monthly


def _figures(model, date_field, rows):
    for (when, regency, item_id, measure, dimension), (quantity, amount) in rows.items():
        if quantity or amount:
            yield model(**{date_field: when}, region_code=regency, province=regency[:2], item_id=item_id,
                        measure=measure, dimension=dimension, quantity=quantity, amount=amount)


@transaction.atomic
def figures_rebuild() -> tuple[int, int, int]:
    """Replace every summary row by what the documents and the ledger say; returns the rows written."""
    from sigap.stock.models import Balance

    daily, monthly = _totals(document_entries())
    stock = defaultdict(Decimal)
    for row in Balance.objects.values("location__region_id", "item_id").annotate(total=Sum("quantity")).order_by():
        stock[(regency_of(row["location__region_id"]), row["item_id"])] += Decimal(str(row["total"]))
    DailyFigure.objects.all().delete()
    MonthlyFigure.objects.all().delete()
    RegionStock.objects.all().delete()
    DailyFigure.objects.bulk_create(_figures(DailyFigure, "day", daily), batch_size=BATCH_SIZE)
    MonthlyFigure.objects.bulk_create(_figures(MonthlyFigure, "month", monthly), batch_size=BATCH_SIZE)
    RegionStock.objects.bulk_create(
        (RegionStock(region_code=r, province=r[:2], item_id=i, quantity=q) for (r, i), q in stock.items() if q),
        batch_size=BATCH_SIZE)
    return DailyFigure.objects.count(), MonthlyFigure.objects.count(), RegionStock.objects.count()
