from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from sigap.items.models import Component, Item, Kind
from sigap.lib.errors import DomainError


def _check_officer(by):
    if not by.is_officer:
        raise DomainError(_("Only industry office staff keep the list of items."))


@transaction.atomic
def item_save(*, by, item: Item | None = None, **fields) -> Item:
    """Create or change a raw material or product."""
    _check_officer(by)
    item = item or Item()
    for name, value in fields.items():
        setattr(item, name, value)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def bom_replace(*, product: Item, lines: list[tuple[Item, Decimal]], by) -> list[Component]:
    """Set a product's bill of materials. A line may be a material or, for a kit, another product, but never
    the product itself or a product that is made from this one."""
    _check_officer(by)
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
    product.components.all().delete()
    return Component.objects.bulk_create(
        [Component(product=product, material=material, quantity=quantity) for material, quantity in lines]
    )
