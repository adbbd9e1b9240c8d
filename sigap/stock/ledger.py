"""The stock ledger: the one place where stock changes.

Every business document (receipt, issue, accepted production, transfer, handover, sale, adjustment) calls
``post()`` with signed lines. A posting is all-or-nothing: if any balance would go below zero, nothing is
written and ``InsufficientStock`` says what is short. Corrections are ``reverse()``: a new posting with the
opposite movements. Balances are locked in one fixed order (item, then location) before they change, so two
postings that touch the same balances queue instead of deadlocking, and none can oversell.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from sigap.dashboards import figures
from sigap.dashboards.models import Measure
from sigap.items.models import Item
from sigap.lib.errors import DomainError
from sigap.stock.models import Balance, Location, Movement, Posting, PostingKind


STEP = Decimal("0.001")  # the precision Movement and Balance keep
LIMIT = Decimal("100000000000")  # 14 digits with 3 decimals


@dataclass(frozen=True)
class Line:
    item: Item
    location: Location
    quantity: Decimal


@dataclass(frozen=True)
class Shortfall:
    item: Item
    location: Location
    available: Decimal
    requested: Decimal

    @property
    def missing(self) -> Decimal:
        return self.requested - self.available


class LedgerError(DomainError):
    pass


class InsufficientStock(LedgerError):
    def __init__(self, shortfalls: list[Shortfall]):
        self.shortfalls = shortfalls
        parts = [
            _("%(item)s at %(location)s: %(available)s on hand, %(requested)s needed") % {
                "item": s.item.name, "location": s.location.name,
                "available": number_format(s.available.normalize()), "requested": number_format(s.requested.normalize()),
            }
            for s in shortfalls
        ]
        super().__init__(_("Not enough stock. %(details)s.") % {"details": "; ".join(parts)})


def _lock_balances(keys: list[tuple[int, int]]) -> dict[tuple[int, int], list]:
    """Create missing balance rows, then lock them all in (item, location) order; returns [id, quantity] per key.

    Plain SQL because this runs for every posting: the ORM's query building cost more than the database.
    """
    table = connection.ops.quote_name(Balance._meta.db_table)
    params = [value for key in keys for value in key]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (item_id, location_id, quantity) VALUES {', '.join(['(%s, %s, 0)'] * len(keys))} "
            f"ON CONFLICT (item_id, location_id) DO NOTHING",
            params,
        )
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""  # SQLite locks the database
        cursor.execute(
            f"SELECT id, item_id, location_id, quantity FROM {table} "
            f"WHERE {' OR '.join(['(item_id = %s AND location_id = %s)'] * len(keys))} "
            f"ORDER BY item_id, location_id{lock}",
            params,
        )
        # SQLite hands decimals back as floats: bring them back to the ledger's precision.
        return {(item, location): [pk, Decimal(str(quantity)).quantize(STEP)]
                for pk, item, location, quantity in cursor.fetchall()}


def _insert(model, rows: list[dict], *, returning_id: bool = False) -> int | None:
    """Insert rows of a ledger model in one statement, each value prepared by its model field as the ORM would.

    Plain SQL for the same reason as the balances: save() and bulk_create() cost more than the database here.
    """
    fields = {name: model._meta.get_field(name) for name in rows[0]}  # attnames: "posting_id", not "posting"
    table, quote = connection.ops.quote_name(model._meta.db_table), connection.ops.quote_name
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(quote(field.column) for field in fields.values())}) "
            f"VALUES {', '.join([row] * len(rows))}" + (" RETURNING id" if returning_id else ""),
            [field.get_db_prep_save(values[name], connection) for values in rows for name, field in fields.items()],
        )
        return cursor.fetchone()[0] if returning_id else None


def _save_balances(balances) -> None:
    """Every balance of a posting in one statement (VALUES columns are column1, column2 in both databases)."""
    table = connection.ops.quote_name(Balance._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET quantity = v.column2 FROM (VALUES {', '.join(['(%s, %s)'] * len(balances))}) AS v "
            f"WHERE {table}.id = v.column1",
            [value for pk, quantity in balances.values() for value in (pk, quantity)],
        )


def post(*, kind: str, lines: list[Line], by, document=None, note: str = "", reverses: Posting | None = None,
         on: datetime.date | None = None) -> Posting:
    """Post signed lines as one posting, dated ``on`` (the document's date; today if not given). Refuses zero
    quantities and any balance going negative. The dashboards' figures move in the same transaction."""
    if not lines:
        raise LedgerError(_("A posting needs at least one line."))
    deltas: dict[tuple[int, int], Decimal] = {}
    objects = {}
    for line in lines:
        quantity = Decimal(line.quantity)
        if not quantity.is_finite():
            raise LedgerError(_("Quantities must be numbers."))
        if quantity == 0:
            raise LedgerError(_("Quantities must not be zero."))
        if abs(quantity) >= LIMIT or quantity != quantity.quantize(STEP):
            raise LedgerError(_("Quantities are kept to three decimals and below one hundred billion."))
        key = (line.item.pk, line.location.pk)
        if key in deltas:
            # One line per balance keeps every movement's balance_after a real, never-negative figure.
            raise LedgerError(_("A posting lists each item at each location once."))
        deltas[key] = quantity
        objects[key] = line
    keys = sorted(deltas)

    with transaction.atomic():
        if reverses is not None and Posting.objects.filter(reverses=reverses).exists():
            raise LedgerError(_("This posting has already been reversed."))
        # Rows must exist before they can be locked; a row another posting creates first is simply reused.
        balances = _lock_balances(keys)
        shortfalls = [
            Shortfall(objects[k].item, objects[k].location, balances[k][1], -deltas[k])
            for k in keys
            if balances[k][1] + deltas[k] < 0
        ]
        if shortfalls:
            raise InsufficientStock(shortfalls)

        values = {
            "kind": kind, "created_at": timezone.now(), "occurred_on": on or timezone.localdate(),
            "created_by_id": by.pk, "note": note[:255], "reverses_id": reverses.pk if reverses is not None else None,
            "document_type_id": ContentType.objects.get_for_model(document).pk if document is not None else None,
            "document_id": document.pk if document is not None else None,
        }
        values["id"] = _insert(Posting, [values], returning_id=True)
        fields = Posting._meta.concrete_fields
        posting = Posting.from_db(connection.alias, [f.attname for f in fields], [values[f.attname] for f in fields])
        movements = []
        for line in lines:
            balance = balances[(line.item.pk, line.location.pk)]
            balance[1] += Decimal(line.quantity)
            movements.append({"posting_id": posting.pk, "item_id": line.item.pk, "location_id": line.location.pk,
                              "quantity": Decimal(line.quantity), "balance_after": balance[1]})
        _insert(Movement, movements)
        _save_balances(balances)
        # A reversal counts against the kind of movement it undoes.
        movement_kind = reverses.kind if reverses is not None else kind
        figures.record([(line.location.region_id, line.item.pk, Measure.STOCK, movement_kind, line.quantity, 0)
                        for line in lines], day=posting.occurred_on)
        figures.record_stock([(line.location.region_id, line.item.pk, line.quantity) for line in lines])
    return posting


def reverse(*, posting: Posting, by, note: str = "", document=None) -> Posting:
    """Undo a posting with the opposite movements; refused if it was already reversed or is a reversal,
    or if what it brought in has since left (the reversal would make a balance negative)."""
    with transaction.atomic():
        posting = Posting.objects.select_for_update().get(pk=posting.pk)
        if posting.kind == PostingKind.REVERSAL:
            raise LedgerError(_("A reversal cannot be reversed; record the document again instead."))
        if Posting.objects.filter(reverses=posting).exists():
            raise LedgerError(_("This posting has already been reversed."))
        lines = [
            Line(item=m.item, location=m.location, quantity=-m.quantity)
            for m in posting.movements.select_related("item", "location").order_by("pk")
        ]
        return post(kind=PostingKind.REVERSAL, lines=lines, by=by, note=note, reverses=posting,
                    document=document if document is not None else posting.document)


def on_hand(item: Item, location: Location) -> Decimal:
    """What is on hand now: one indexed row, whatever the length of the history."""
    value = Balance.objects.filter(item=item, location=location).values_list("quantity", flat=True).first()
    return value if value is not None else Decimal(0)


@dataclass(frozen=True)
class Mismatch:
    item_id: int
    location_id: int
    balance: Decimal
    movements: Decimal


def audit() -> list[Mismatch]:
    """Every (item, location) whose kept balance differs from the sum of its movements."""
    # SQLite adds decimals as floating point, so round the sums back to the ledger's precision.
    sums = {
        (row["item_id"], row["location_id"]): Decimal(row["total"]).quantize(STEP)
        for row in Movement.objects.values("item_id", "location_id").annotate(total=Sum("quantity")).order_by()
    }
    kept = {(b.item_id, b.location_id): b.quantity for b in Balance.objects.all()}
    mismatches = []
    for key in sorted(sums.keys() | kept.keys()):
        balance, total = kept.get(key, Decimal(0)), sums.get(key, Decimal(0))
        if balance != total:
            mismatches.append(Mismatch(key[0], key[1], balance, total))
    return mismatches
