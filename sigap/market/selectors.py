"""Revenue figures: per partner, product, channel and month, from the sales a user may see."""

from django.db.models import DecimalField, ExpressionWrapper, F, Sum
from django.db.models.functions import TruncMonth

AMOUNT = ExpressionWrapper(F("unit_price") * F("quantity"), output_field=DecimalField(max_digits=20, decimal_places=0))


def revenue_by(sales, *fields):
    """Rows of {field…, "revenue", "units"}, largest revenue first."""
    return list(sales.values(*fields).annotate(revenue=Sum(AMOUNT), units=Sum("quantity")).order_by("-revenue",
                                                                                                    *fields))


def revenue_by_month(sales):
    return list(sales.annotate(month=TruncMonth("sold_on")).values("month")
                .annotate(revenue=Sum(AMOUNT), units=Sum("quantity")).order_by("month"))


def revenue_total(sales):
    return sales.aggregate(revenue=Sum(AMOUNT), units=Sum("quantity"))
