"""IKM partners in the API: the registry as the partner pages show it, scoped the same way."""

import datetime

from django.db import transaction
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from sigap.accounts.access import require_officer
from sigap.api.forms import FormInvalid, cleaned, formset_data, formset_errors, item_choices
from sigap.api.pagination import Page
from sigap.api.schemas import ERRORS, FilterDate, Input, WholeNumber
from sigap.lib.phone import display_phone, mask_phone
from sigap.partners.forms import PartnerForm, PartnerProductFormSet
from sigap.partners.models import Partner
from sigap.partners.services import partner_create, partner_update
from sigap.partners.views import _require_partner_reader
from sigap.regions.models import in_region

router = Router(tags=["partners"])


class Capability(Schema):
    product: str
    weekly_capacity: int


class PartnerOut(Schema):
    id: int
    name: str
    nib: str
    owner_name: str
    address: str
    region_code: str = Field(..., alias="region_id")
    phone: str
    sector: str
    status: str
    assisting_office_id: int
    joined_on: datetime.date
    left_on: datetime.date | None
    products: list[Capability]

    @staticmethod
    def resolve_phone(partner, context):
        user = context["request"].user
        may_see = user.can_see_phone or user.partner_id == partner.pk
        return display_phone(partner.phone) if may_see else mask_phone(partner.phone)

    @staticmethod
    def resolve_products(partner):
        return [{"product": c.item.code, "weekly_capacity": c.weekly_capacity} for c in partner.capabilities.all()]


class PartnerFilters(Schema):
    q: str = ""
    region: str | None = None
    product: str | None = None
    status: str | None = None
    joined_from: FilterDate | None = None
    joined_to: FilterDate | None = None


class CapabilityIn(Input):
    product: str
    weekly_capacity: WholeNumber


class PartnerIn(Input):
    name: str
    nib: str
    owner_name: str
    address: str
    region_code: str
    phone: str = ""
    sector: str
    assisting_office_id: int
    joined_on: datetime.date
    status: str = "active"
    products: list[CapabilityIn] = []


class PartnerPatch(Input):
    name: str | None = None
    owner_name: str | None = None
    address: str | None = None
    region_code: str | None = None
    phone: str | None = None
    sector: str | None = None
    assisting_office_id: int | None = None
    status: str | None = None
    products: list[CapabilityIn] | None = None


def _visible(request):
    _require_partner_reader(request.user)
    return Partner.objects.visible_to(request.user).prefetch_related("capabilities__item")


@router.get("", response={200: list[PartnerOut], **ERRORS})
@paginate(Page)
def partner_list(request, filters: PartnerFilters = Query(...)):
    """Partners the caller may see, by name; filter by region code (prefix), product code, status, date joined."""
    partners = _visible(request).search(filters.q)
    if filters.region:
        partners = partners.filter(in_region(filters.region))
    if filters.product:
        partners = partners.filter(capabilities__item__code=filters.product)
    if filters.status:
        partners = partners.filter(status=filters.status)
    if filters.joined_from:
        partners = partners.filter(joined_on__gte=filters.joined_from)
    if filters.joined_to:
        partners = partners.filter(joined_on__lte=filters.joined_to)
    return partners.order_by("name", "pk").distinct()


@router.get("/{partner_id}", response={200: PartnerOut, **ERRORS})
def partner_detail(request, partner_id: int):
    return get_object_or_404(_visible(request), pk=partner_id)


def _form_data(payload: dict, partner: Partner | None) -> dict:
    """The partner form's fields from a payload, starting from the partner's current values on a change."""
    data = {}
    if partner is not None:
        data = {"name": partner.name, "nib": partner.nib, "owner_name": partner.owner_name,
                "address": partner.address, "phone": partner.phone, "sector": partner.sector,
                "assisting_office": partner.assisting_office_id, "joined_on": partner.joined_on,
                "status": partner.status, "region_code": partner.region_id}
    data.update({k: v for k, v in payload.items() if v is not None and k != "products"})
    if "assisting_office_id" in data:
        data["assisting_office"] = data.pop("assisting_office_id")
    region = data.pop("region_code", "") or ""
    level = region.count(".")
    data["district"] = region if level == 2 else region.rsplit(".", 1)[0] if level == 3 else region
    data["village"] = region if level == 3 else ""
    return data


def _products(items: list | None):
    """The products a partner makes, through the page's formset; None leaves them as they are."""
    if items is None:
        return None
    codes = item_choices([item["product"] for item in items])
    formset = PartnerProductFormSet(formset_data([{"item": codes[item["product"]],
                                                   "weekly_capacity": item["weekly_capacity"]} for item in items],
                                                 prefix="products"), prefix="products")
    errors = formset_errors(formset, prefix="products", names={"item": "product"})
    if errors:
        raise FormInvalid(errors)
    return [(f.cleaned_data["item"], f.cleaned_data["weekly_capacity"]) for f in formset.forms if f.cleaned_data]


FIELD_NAMES = {"assisting_office": "assisting_office_id", "district": "region_code", "village": "region_code",
               "region": "region_code"}


def _fields(form) -> dict:
    return {name: value for name, value in cleaned(form, FIELD_NAMES).items() if name not in {"district", "village"}}


@router.post("", response={201: PartnerOut, **ERRORS})
def partner_create_op(request, payload: PartnerIn):
    """Register a partner: the same checks as the registration page (officers, in their region)."""
    
    require_officer(request.user)
    body = payload.dict()
    form = PartnerForm(_form_data(body, None), user=request.user)
    products = _products(body["products"])
    with transaction.atomic():
        partner = partner_create(by=request.user, products=products or [], **_fields(form))
    return Status(201, _visible(request).get(pk=partner.pk))


@router.patch("/{partner_id}", response={200: PartnerOut, **ERRORS})
def partner_update_op(request, partner_id: int, payload: PartnerPatch):
    """Change a partner; only the fields sent change (the NIB and date joined stay)."""
    partner = get_object_or_404(Partner.objects.editable_by(request.user), pk=partner_id)
    body = payload.dict(exclude_unset=True)
    form = PartnerForm(_form_data(body, partner), instance=partner, user=request.user)
    products = _products(body.get("products"))
    with transaction.atomic():
        partner_update(partner=partner, by=request.user, products=products, **_fields(form))
    return _visible(request).get(pk=partner.pk)
