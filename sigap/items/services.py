from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from sigap.items.models import Component, Item, Kind
from sigap.lib.errors import DomainError


def check_master_data_keeper(by) -> None:
    """Items, bills of materials and checklists are shared by every district, so only administrators and
    provincial officers change them (a district officer's change would rewrite every other district's records)."""
    if not by.can_keep_master_data:
        raise DomainError(_("Only the provincial office and administrators change the items, bills of materials "
                            "and checklists that every district shares."))


@transaction.atomic
def item_save(*, by, item: Item | None = None, **fields) -> Item:
    """Create or change a raw material or product (administrators and provincial officers), kept in its history
    with who made the change. Documents already issued keep the name and unit they were issued with."""
    check_master_data_keeper(by)
    item = item or Item()
    for name, value in fields.items():
        setattr(item, name, value)
    item.full_clean()
    item._history_user = by
    item.save()
    return item


@transaction.atomic
def bom_replace(*, product: Item, lines: list[tuple[Item, Decimal]], by) -> list[Component]:
    """Set a product's bill of materials. A line may be a material or, for a kit, another product, but never
    the product itself or a product that is made from this one. Administrators and provincial officers only; each
    line added, changed or removed is kept in its history with who did it."""
    check_master_data_keeper(by)
    if product.kind != Kind.PRODUCT:
        raise DomainError(_("Only products have a bill of materials."))
    seen = set()
    for material, quantity in lines:
        if material.pk == product.pk:
            raise DomainError(_("A product cannot be made from itself."))
        if material.pk in seen:
            raise DomainError(_("%(item)s is listed twice.") % {"item": material.name})
        if material.kind == Kind.PRODUCT and Component.objects.filter(product=material, material=product).exists():
            raise DomainError(_("%(item)s is itself made from %(product)s.") % {"item": material.name,
                                                                                 "product": product.name})
        if quantity <= 0:
            raise DomainError(_("Quantities must be more than zero."))
        seen.add(material.pk)
    current = {c.material_id: c for c in product.components.select_for_update()}
    kept = []
    for material, quantity in lines:
        component = current.pop(material.pk, None) or Component(product=product, material=material)
        if component.pk is None or component.quantity != quantity:
            component.quantity = quantity
            component._history_user = by
            component.save()
        kept.append(component)
    for component in current.values():
        component._history_user = by
        component.delete()
    return kept
