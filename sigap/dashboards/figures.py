"""Keeping the summary figures: one upsert per table, in the caller's transaction.

Quantities are added, never set, so two postings of the same day and regency both count. Keys are sorted so
two transactions touching the same rows lock them in the same order.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import connection

from sigap.dashboards.models import DailyFigure, MonthlyFigure, RegionStock


def regency_of(region_code: str) -> str:
    """The regency or city a region belongs to ("63.01.03.1004" → "63.01"); a province stays itself."""
    return region_code[:5]


def _upsert(model, key_fields: list[str], rows: dict[tuple, tuple[Decimal, Decimal]], *, with_amount=True):
    table = connection.ops.quote_name(model._meta.db_table)
    value_fields = ["quantity", "amount"] if with_amount else ["quantity"]
    columns = key_fields + ["province"] + value_fields
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    params = []
    for key in sorted(rows):
        quantity, amount = rows[key]
        region_code = key[key_fields.index("region_code")]
        params.extend([*key, region_code[:2], quantity] + ([amount] if with_amount else []))
    conflict = ", ".join(key_fields)
    updates = ", ".join(f"{f} = {table}.{f} + excluded.{f}" for f in value_fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([placeholders] * len(rows))} "
            f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}",
            params,
        )


def record(entries: list[tuple], *, day: datetime.date) -> None:
    """Add ``(region_code, item_id, measure, dimension, quantity, amount)`` entries to the day's and the month's
    figures."""
    daily: dict[tuple, list] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    monthly: dict[tuple, list] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    month = day.replace(day=1)
    for region_code, item_id, measure, dimension, quantity, amount in entries:
        if not quantity and not amount:
            continue
        regency = regency_of(region_code)
        for rows, when in ((daily, day), (monthly, month)):
            row = rows[(when, regency, item_id, measure, str(dimension))]
            row[0] += Decimal(quantity)
            row[1] += Decimal(amount)
    if not daily:
        return
    fields = ["region_code", "item_id", "measure", "dimension"]
    _upsert(DailyFigure, ["day", *fields], daily)
    _upsert(MonthlyFigure, ["month", *fields], monthly)


def record_stock(changes: list[tuple[str, int, Decimal]]) -> None:
    """Add ``(region_code, item_id, quantity)`` changes to each regency's stock on hand."""
    rows: dict[tuple, list] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for region_code, item_id, quantity in changes:
        rows[(regency_of(region_code), item_id)][0] += Decimal(quantity)
    if rows:
        _upsert(RegionStock, ["region_code", "item_id"], rows, with_amount=False)
