"""Open data: what the public may know of where the equipment came from and where it went, without personal data.

Monthly figures come from the dashboards' summary rows; the handover list from the certificates, leaving out
signatories and their identity numbers.
"""

from collections.abc import Iterator

from sigap.dashboards.models import Measure, MonthlyFigure, parse_handover_dimension
from sigap.organisations.models import Kind

MONTHLY_FIELDS = ["month", "province_code", "regency_code", "regency", "product_code", "product", "unit",
                  "produced", "accepted", "handed_over"] + [f"handed_over_{kind}" for kind in Kind.values]


def _number(value):
    value = value.normalize()
    return int(value) if value == value.to_integral() else float(value)


def monthly_rows() -> Iterator[dict]:
    """One row per month, regency and product: produced, accepted, and handed over in total and by the kind of
    organisation that received it. Streams the figures in order, so memory stays flat."""
    from decimal import Decimal

    from sigap.items.models import Item
    from sigap.organisations.models import Organisation
    from sigap.regions.models import Level, Region

    names = dict(Region.objects.filter(level__lte=Level.REGENCY).values_list("code", "name"))
    items = {item.pk: item for item in Item.objects.all()}
    kinds = dict(Organisation.objects.values_list("pk", "kind"))
    figures = (MonthlyFigure.objects.filter(measure__in=[Measure.PRODUCED, Measure.ACCEPTED, Measure.HANDED_OVER])
               .values_list("month", "region_code", "item_id", "measure", "dimension", "quantity")
               .order_by("month", "region_code", "item_id"))
    key, row = None, None
    for month, region_code, item_id, measure, dimension, quantity in figures.iterator(chunk_size=5000):
        if (month, region_code, item_id) != key:
            if row is not None and any(row[f] for f in ("produced", "accepted", "handed_over")):
                yield row
            key = (month, region_code, item_id)
            item = items[item_id]
            row = {"month": month.isoformat()[:7], "province_code": region_code[:2], "regency_code": region_code,
                   "regency": names.get(region_code, ""), "product_code": item.code, "product": item.name,
                   "unit": item.unit, "produced": 0, "accepted": 0, "handed_over": 0,
                   **{f"handed_over_{kind}": 0 for kind in Kind.values}}
        quantity = _number(Decimal(str(quantity)))
        if measure == Measure.HANDED_OVER:
            receiver_id, _purpose = parse_handover_dimension(dimension)
            row["handed_over"] += quantity
            row[f"handed_over_{kinds.get(receiver_id, Kind.OTHER)}"] += quantity
        else:
            row[measure] += quantity
    if row is not None and any(row[f] for f in ("produced", "accepted", "handed_over")):
        yield row


HANDOVER_FIELDS = ["date", "certificate_number", "giver_office", "giver_regency_code", "receiver", "receiver_kind",
                   "product_code", "product", "quantity", "status"]


def handover_rows() -> Iterator[list]:
    """One row per product handed over: when, under which certificate, from which office to whom, and whether
    it stands or was voided."""
    from sigap.handovers.models import HandoverLine

    lines = (HandoverLine.objects.select_related("handover__office", "handover__receiver", "product")
             .order_by("handover__handed_over_on", "handover__pk", "pk"))
    for line in lines.iterator(chunk_size=2000):
        handover = line.handover
        yield [handover.handed_over_on.isoformat(), handover.number, handover.office.name,
               handover.office.region_id[:5], handover.receiver.name, handover.receiver.kind, line.product.code,
               line.product_name, line.quantity, handover.status]
