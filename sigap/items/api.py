"""Items in the API: raw materials and products with their bills of materials, read by office staff and kept by
administrators and provincial officers (master data every district shares) through the item pages' forms and
services."""

from decimal import Decimal

from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from sigap.accounts.access import require_master_data_keeper, require_region_scope
from sigap.api.forms import FormInvalid, cleaned
from sigap.api.pagination import Page
from sigap.api.schemas import ERRORS, Input, Number, Quantity
from sigap.items.forms import ComponentFormSet, ItemForm
from sigap.items.models import Item, Kind, Unit
from sigap.items.services import bom_replace, item_save

router = Router(tags=["items"])

# Quantities as exact decimal strings without trailing zeros ("0.5", not "0.5000").


class ComponentOut(Schema):
    material: str = Field(..., alias="material.code", description="The material's (or, for a kit, the product's) code")
    material_id: int
    name: str = Field(..., alias="material.name")
    unit: str = Field(..., alias="material.unit")
    quantity: Quantity = Field(..., description="How much one unit of the product consumes")


class ItemOut(Schema):
    id: int
    code: str
    name: str
    kind: Kind
    unit: Unit
    description: str
    is_active: bool
    components: list[ComponentOut] = Field(..., description="The bill of materials (products only)")

    @staticmethod
    def resolve_components(item):
        return list(item.components.all())


class ItemFilters(Schema):
    q: str = Field("", max_length=100, description="Part of the name or code")
    kind: Kind | None = None
    active: bool | None = None


class ItemIn(Input):
    code: str
    name: str
    kind: Kind
    unit: Unit
    description: str = ""
    is_active: bool = True


class ItemPatch(Input):
    code: str | None = None
    name: str | None = None
    kind: Kind | None = None
    unit: Unit | None = None
    description: str | None = None
    is_active: bool | None = None


class ComponentIn(Input):
    material: str = Field(..., description="The material's (or product's) code")
    quantity: Number = Field(..., description="How much one unit of the product consumes")


class BillOfMaterialsIn(Input):
    components: list[ComponentIn]


def _items():
    return Item.objects.prefetch_related("components__material")


@router.get("", response={200: list[ItemOut], **ERRORS})
@paginate(Page)
def item_list(request, filters: ItemFilters = Query(...)):
    """Materials and products (office staff), with their bills of materials; filter by kind, active, name."""
    require_region_scope(request.user)
    items = _items()
    if filters.q.strip():
        text = filters.q.strip()
        items = items.filter(Q(name__icontains=text) | Q(code__icontains=text))
    if filters.kind:
        items = items.filter(kind=filters.kind)
    if filters.active is not None:
        items = items.filter(is_active=filters.active)
    return items.order_by("kind", "name", "pk")


@router.get("/{item_id}", response={200: ItemOut, **ERRORS})
def item_detail(request, item_id: int):
    require_region_scope(request.user)
    return get_object_or_404(_items(), pk=item_id)


def _save(request, item: Item | None, payload: dict) -> Item:
    """The item page's form filled from the payload (over the item's current values on a change), then
    ``item_save``."""
    data = {name: getattr(item, name) for name in ItemForm.Meta.fields} if item else {}
    data.update({name: value for name, value in payload.items() if value is not None})
    return item_save(by=request.user, item=item, **cleaned(ItemForm(data, instance=item)))


@router.post("", response={201: ItemOut, **ERRORS})
def item_create(request, payload: ItemIn):
    """Add a raw material or product (administrators and provincial officers), as the item page does."""
    require_master_data_keeper(request.user)
    item = _save(request, None, payload.dict())
    return Status(201, _items().get(pk=item.pk))


@router.patch("/{item_id}", response={200: ItemOut, **ERRORS})
def item_update(request, item_id: int, payload: ItemPatch):
    """Change an item (administrators and provincial officers); only the fields sent change. Certificates
    already issued keep the name and unit they were issued with."""
    require_master_data_keeper(request.user)
    item = get_object_or_404(Item, pk=item_id)
    _save(request, item, payload.dict(exclude_unset=True))
    return _items().get(pk=item.pk)


def _lines(components: list[dict]) -> list[tuple[Item, Decimal]]:
    """The bill of materials page's formset filled from the payload: its fields, limits and messages."""
    codes = dict(Item.objects.filter(code__in=[c["material"] for c in components]).values_list("code", "pk"))
    data = {"bom-TOTAL_FORMS": len(components), "bom-INITIAL_FORMS": 0}
    for n, component in enumerate(components):
        # An unknown code stays as it is, so that the form refuses it as a choice that does not exist.
        data[f"bom-{n}-material"] = codes.get(component["material"], component["material"])
        data[f"bom-{n}-quantity"] = component["quantity"]
    formset = ComponentFormSet(data, prefix="bom")
    if not formset.is_valid():
        errors: dict[str, list[str]] = {}
        for n, form_errors in enumerate(formset.errors):
            for field, messages in form_errors.items():
                errors[f"components.{n}.{field}"] = [str(m) for m in messages]
        for message in formset.non_form_errors():
            errors.setdefault("components", []).append(str(message))
        raise FormInvalid(errors)
    return [(f.cleaned_data["material"], f.cleaned_data["quantity"]) for f in formset.forms if f.cleaned_data]


@router.put("/{item_id}/components", response={200: ItemOut, **ERRORS})
def bom_update(request, item_id: int, payload: BillOfMaterialsIn):
    """Replace a product's bill of materials (administrators and provincial officers); an empty list clears
    it."""
    require_master_data_keeper(request.user)
    product = get_object_or_404(Item.objects.products(), pk=item_id)
    bom_replace(product=product, lines=_lines(payload.dict()["components"]), by=request.user)
    return _items().get(pk=product.pk)
