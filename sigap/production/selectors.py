"""Material yield: what producers received against what their accepted output should have used."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Q, Sum

from sigap.items.models import Component
from sigap.production.models import BatchLine
from sigap.quality.models import Inspection
from sigap.stock.models import Balance, Location, Movement, PostingKind

TOLERANCE = Decimal("0.10")  # more than 10 % of what was issued unaccounted for is flagged


@dataclass
class YieldRow:
    location: Location
    material: object
    issued: Decimal
    expected: Decimal
    on_hand: Decimal

    @property
    def unaccounted(self) -> Decimal:
        return self.issued - self.expected - self.on_hand

    @property
    def flagged(self) -> bool:
        return self.issued > 0 and self.unaccounted > self.issued * TOLERANCE


def material_yield(locations) -> list[YieldRow]:
    """One row per producer location and material, in six queries whatever the number of producers."""
    locations = {loc.pk: loc for loc in locations.exclude(kind="office_store").select_related("region")}
    issued = defaultdict(Decimal)
    for row in (
        Movement.objects.filter(location_id__in=locations)
        .filter(Q(posting__kind=PostingKind.ISSUE) | Q(posting__kind=PostingKind.REVERSAL,
                                                       posting__reverses__kind=PostingKind.ISSUE))
        .values("location_id", "item_id").annotate(total=Sum("quantity")).order_by()
    ):
        issued[(row["location_id"], row["item_id"])] += row["total"]
    bom = defaultdict(list)
    for component in Component.objects.select_related("material"):
        bom[component.product_id].append(component)
    expected = defaultdict(Decimal)
    materials = {}
    for row in (
        Inspection.objects.filter(batch__location_id__in=locations)
        .values("batch__location_id", "batch__product_id").annotate(accepted=Sum("accepted")).order_by()
    ):
        for component in bom[row["batch__product_id"]]:
            expected[(row["batch__location_id"], component.material_id)] += component.quantity * row["accepted"]
            materials[component.material_id] = component.material
    # A class's day batch: each participant's accepted units, at their home.
    for row in (
        BatchLine.objects.filter(location_id__in=locations, rejected__isnull=False)
        .values("location_id", "batch__product_id").annotate(accepted=Sum(F("quantity") - F("rejected"))).order_by()
    ):
        for component in bom[row["batch__product_id"]]:
            expected[(row["location_id"], component.material_id)] += component.quantity * row["accepted"]
            materials[component.material_id] = component.material
    keys = set(issued) | set(expected)
    on_hand = {
        (b.location_id, b.item_id): b.quantity
        for b in Balance.objects.filter(location_id__in=locations, item_id__in={k[1] for k in keys})
    }
    from sigap.items.models import Item

    missing = {k[1] for k in keys} - materials.keys()
    materials.update({item.pk: item for item in Item.objects.filter(pk__in=missing)})
    rows = [
        YieldRow(locations[loc], materials[item], issued.get((loc, item), Decimal(0)),
                 expected.get((loc, item), Decimal(0)), on_hand.get((loc, item), Decimal(0)))
        for loc, item in keys
    ]
    return sorted(rows, key=lambda r: (r.location.name, r.material.name))
