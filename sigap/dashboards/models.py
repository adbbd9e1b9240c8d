"""Summary figures the dashboards, the briefing and the open data read instead of the documents.

Every service that posts a document adds its quantities here in the same transaction (``figures.record``), so
a dashboard reads a few hundred rows whatever the length of the history. ``manage.py refresh_figures``
rebuilds them from the documents.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

QUANTITY = {"max_digits": 16, "decimal_places": 3}


class Measure(models.TextChoices):
    PRODUCED = "produced", _("Produced")  # dimension: the training's id, or "" for partners' own production
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    HANDED_OVER = "handed_over", _("Handed over")  # dimension: the receiving organisation's id and the purpose
    SOLD = "sold", _("Sold")  # dimension: the sales channel; amount: revenue in rupiah
    STOCK = "stock", _("Stock movement")  # dimension: the kind of ledger posting


def handover_dimension(receiver_id: int, purpose: str) -> str:
    return f"{receiver_id}/{purpose}"


def parse_handover_dimension(dimension: str) -> tuple[int, str]:
    receiver_id, _slash, purpose = dimension.partition("/")
    return int(receiver_id), purpose


class Figure(models.Model):
    region_code = models.CharField(max_length=5)  # the regency or city ("63.01"), or a province ("63")
    province = models.CharField(max_length=2)
    item = models.ForeignKey("items.Item", on_delete=models.PROTECT, related_name="+")
    measure = models.CharField(max_length=12, choices=Measure.choices)
    dimension = models.CharField(max_length=20, blank=True)
    quantity = models.DecimalField(default=0, **QUANTITY)
    amount = models.DecimalField(default=0, max_digits=18, decimal_places=0)

    class Meta:
        abstract = True


class DailyFigure(Figure):
    """What happened on one day in one regency to one product, by measure."""

    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "region_code", "item", "measure", "dimension"],
                                               name="one_daily_figure")]
        indexes = [models.Index(fields=["province", "day"]), models.Index(fields=["region_code", "day"])]


class MonthlyFigure(Figure):
    """The same by month (``month`` is its first day): what the dashboards chart."""

    month = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["month", "region_code", "item", "measure", "dimension"],
                                               name="one_monthly_figure")]
        indexes = [models.Index(fields=["province", "month"]), models.Index(fields=["region_code", "month"]),
                   # A province's dashboard reads some measures of its months: without the stock movements, which
                   # are nearly half the rows, and for production alone. The columns it sums and groups by ride
                   # in the index (PostgreSQL), so the rows are read from the index alone: 11 ms -> 4 ms for a
                   # province's year on the national benchmark database.
                   models.Index(fields=["province", "measure", "month"], name="monthly_province_measure",
                                include=["item", "region_code", "dimension", "quantity", "amount"])]


class RegionStock(models.Model):
    """What is on hand of one item in one regency, all locations together."""

    region_code = models.CharField(max_length=5)
    province = models.CharField(max_length=2, db_index=True)
    item = models.ForeignKey("items.Item", on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(default=0, **QUANTITY)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region_code", "item"], name="one_region_stock")]
