"""The market in the API: the public catalogue, partners' listings, buyers' inquiries, sales and revenue.

The catalogue reads are public, as the catalogue pages are. Everything else is for signed-in callers and scoped
like the market pages: a partner user keeps its own business, an office's staff see the partners of its region.

Inquiries through the API come from signed-in callers only (an agency's buyer, say): the public listing page stays
the way for buyers without an account, with its hidden bot field. The same rule as the page's limits them, five an
hour, counted per account rather than per connection.
"""

import datetime

from django import forms
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from sigap.accounts.access import require_officer
from sigap.accounts.models import Role
from sigap.api.forms import FormInvalid, cleaned
from sigap.api.pagination import Page
from sigap.api.schemas import ERRORS, Digits, FilterDate, Input, Number, Quantity, WholeNumber
from sigap.items.models import Item
from sigap.market import selectors, services
from sigap.market.forms import InquiryForm, ListingForm, PartnerChoiceForm, SaleForm, TakeDownForm
from sigap.market.models import BuyerType, Channel, Inquiry, Listing, Sale
from sigap.market.views import _market_user, _require_seller
from sigap.regions.models import in_region

router = Router(tags=["market"])



# --- schemas -----------------------------------------------------------------------------------------------------

class CatalogueListingOut(Schema):
    """What the public catalogue shows of a listing."""

    id: int
    partner_id: int
    partner_name: str = Field(..., alias="partner.name")
    region_code: str = Field(..., alias="partner.region_id", description="The partner's region")
    product: str = Field(..., alias="product.code")
    product_name: str = Field(..., alias="product.name")
    title: str
    description: str
    price: Quantity = Field(..., description="Rupiah per unit")
    min_order: int
    lead_time_days: int
    whatsapp: str
    photo_url: str | None
    thumbnail_url: str | None
    updated_at: datetime.datetime

    @staticmethod
    def resolve_photo_url(listing):
        return listing.photo.url if listing.photo else None

    @staticmethod
    def resolve_thumbnail_url(listing):
        return listing.thumbnail.url if listing.thumbnail else None


class ListingOut(CatalogueListingOut):
    """A listing as its partner and the assisting office see it."""

    is_published: bool
    taken_down: bool
    take_down_reason: str
    created_at: datetime.datetime


class CatalogueFilters(Schema):
    q: str = Field("", max_length=100, description="Part of the title, description or partner's name")
    product: str | None = Field(None, description="A product's code")
    region: str | None = Field(None, max_length=13, description="A region's code: partners in it")
    price_max: Digits | None = None


class ListingFilters(CatalogueFilters):
    partner_id: int | None = None
    is_published: bool | None = None
    taken_down: bool | None = None


class ListingIn(Input):
    partner_id: int | None = Field(None, description="Officers: the partner's id; partner users: their own, or none")
    product: str = Field(..., description="A product's code")
    title: str
    description: str = ""
    price: Number
    min_order: WholeNumber = 1
    lead_time_days: WholeNumber = 3
    whatsapp: str
    is_published: bool = True


class ListingPatch(Input):
    product: str | None = None
    title: str | None = None
    description: str | None = None
    price: Number | None = None
    min_order: WholeNumber | None = None
    lead_time_days: WholeNumber | None = None
    whatsapp: str | None = None
    is_published: bool | None = None


class TakeDownIn(Input):
    reason: str


class InquiryIn(Input):
    name: str
    phone: str
    quantity: WholeNumber
    message: str = ""


class InquirySent(Schema):
    id: int
    listing_id: int
    quantity: int
    created_at: datetime.datetime


class InquiryOut(InquirySent):
    """A buyer's inquiry with the buyer's name and phone: only for the partner and its officers."""

    listing_title: str = Field(..., alias="listing.title")
    partner_id: int = Field(..., alias="listing.partner_id")
    name: str
    phone: str
    message: str
    answered_at: datetime.datetime | None


class InquiryFilters(Schema):
    listing_id: int | None = None
    answered: bool | None = None


class SaleOut(Schema):
    id: int
    partner_id: int
    partner_name: str = Field(..., alias="partner.name")
    product: str = Field(..., alias="product.code")
    sold_on: datetime.date
    quantity: int
    unit_price: Quantity
    amount: Quantity
    channel: Channel
    marketplace: str
    buyer_type: BuyerType
    created_at: datetime.datetime


class SaleFilters(Schema):
    sold_from: FilterDate | None = None
    sold_to: FilterDate | None = None
    product: str | None = Field(None, description="A product's code")
    channel: Channel | None = None
    region: str | None = Field(None, max_length=13, description="A region's code: sales of partners in it")
    partner_id: int | None = None


class SaleIn(Input):
    partner_id: int | None = Field(None, description="Officers: the partner's id; partner users: their own, or none")
    product: str = Field(..., description="A product's code")
    sold_on: datetime.date
    quantity: WholeNumber
    unit_price: Number
    channel: str = Field(..., description=", ".join(Channel.values))
    marketplace: str = ""
    buyer_type: str = Field(..., description=", ".join(BuyerType.values))


class Revenue(Schema):
    revenue: Quantity
    units: int


class ChannelRevenue(Revenue):
    channel: str
    label: str


class ProductRevenue(Revenue):
    product: str
    name: str


class PartnerRevenue(Revenue):
    partner_id: int
    name: str


class MonthRevenue(Revenue):
    month: str = Field(..., description="YYYY-MM")


class RevenueOut(Schema):
    total: Revenue
    by_channel: list[ChannelRevenue]
    by_product: list[ProductRevenue]
    by_partner: list[PartnerRevenue]
    by_month: list[MonthRevenue]


# --- helpers -----------------------------------------------------------------------------------------------------

def _product_choice(code: str | None):
    """A product code as the forms' product field takes it: its id, or the code itself when no item has it, so
    that the form refuses it as a choice that does not exist."""
    if code is None:
        return None
    return Item.objects.filter(code=code).values_list("pk", flat=True).first() or code


def _filtered(listings, filters: CatalogueFilters):
    if filters.q.strip():
        listings = listings.search(filters.q)
    if filters.product:
        listings = listings.filter(product__code=filters.product)
    if filters.region:
        listings = listings.filter(in_region(filters.region, "partner__region"))
    if filters.price_max is not None:
        listings = listings.filter(price__lte=filters.price_max)
    return listings


def _invalid_partner() -> FormInvalid:
    return FormInvalid({"partner_id": [str(forms.ModelChoiceField.default_error_messages["invalid_choice"])]})


def _checked(*checks) -> list[dict]:
    """Every form's cleaned data, or one FormInvalid with all their messages (as a page shows both forms')."""
    errors, results = {}, []
    for form, names in checks:
        try:
            results.append(cleaned(form, names))
        except FormInvalid as invalid:
            for field, messages in invalid.errors.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise FormInvalid(errors)
    return results


# --- the public catalogue ----------------------------------------------------------------------------------------

def _catalogue():
    return Listing.objects.published().select_related("partner", "product")


@router.get("/catalogue", auth=None, response={200: list[CatalogueListingOut], **ERRORS})
@paginate(Page)
def catalogue(request, filters: CatalogueFilters = Query(...)):
    """Public: the listings the catalogue shows, newest first; search, and filter by product, region, price."""
    return _filtered(_catalogue(), filters).order_by("-updated_at", "pk")


@router.get("/catalogue/{listing_id}", auth=None, response={200: CatalogueListingOut, **ERRORS})
def catalogue_listing(request, listing_id: int):
    """Public: one listing of the catalogue."""
    return get_object_or_404(_catalogue(), pk=listing_id)


@router.post("/catalogue/{listing_id}/inquiries", response={201: InquirySent, **ERRORS})
def inquiry_send(request, listing_id: int, payload: InquiryIn):
    """Ask a partner about a listing of the catalogue (signed-in callers; per account at most five an hour for one
    buyer's phone number and thirty in all)."""
    listing = get_object_or_404(_catalogue(), pk=listing_id)
    data = cleaned(InquiryForm(payload.dict()))
    inquiry = services.inquiry_send(listing=listing, address=f"user:{request.user.pk}", name=data["name"],
                                    phone=data["phone"], quantity=data["quantity"], message=data["message"])
    return Status(201, inquiry)


# --- listings ----------------------------------------------------------------------------------------------------

def _listings(request):
    _market_user(request.user)
    return Listing.objects.visible_to(request.user).select_related("partner", "product")


@router.get("/listings", response={200: list[ListingOut], **ERRORS})
@paginate(Page)
def listing_list(request, filters: ListingFilters = Query(...)):
    """The listings the caller keeps or oversees, shown or not; filter by partner, product, region, state."""
    listings = _filtered(_listings(request), filters)
    if filters.partner_id is not None:
        listings = listings.filter(partner_id=filters.partner_id)
    if filters.is_published is not None:
        listings = listings.filter(is_published=filters.is_published)
    if filters.taken_down is not None:
        listings = listings.filter(taken_down=filters.taken_down)
    return listings.order_by("-updated_at", "-pk")


@router.get("/listings/{listing_id}", response={200: ListingOut, **ERRORS})
def listing_detail(request, listing_id: int):
    return get_object_or_404(_listings(request), pk=listing_id)


def _listing_form(payload: dict, listing: Listing | None) -> ListingForm:
    data = {name: getattr(listing, name) for name in services.LISTING_FIELDS if name != "product"} if listing else {}
    if listing:
        data["product"] = listing.product_id
    data.update({name: value for name, value in payload.items() if value is not None and name != "partner_id"})
    if "product" in payload and payload["product"] is not None:
        data["product"] = _product_choice(payload["product"])
    return ListingForm(data, instance=listing)


def _saved_listing(request, *, partner, listing: Listing | None, form_data: dict) -> Listing:
    data = dict(form_data)
    data.pop("photo", None)  # photos are uploaded on the listing page
    saved = services.listing_save(by=request.user, partner=partner, listing=listing, **data)
    return _listings(request).get(pk=saved.pk)


@router.post("/listings", response={201: ListingOut, **ERRORS})
def listing_create(request, payload: ListingIn):
    """Put a product in the catalogue: a partner user for its business, an officer for a partner of its region."""
    _market_user(request.user)
    _require_seller(request.user)
    body = payload.dict()
    form = _listing_form(body, None)
    if request.user.role == Role.PARTNER:
        if body["partner_id"] not in (None, request.user.partner_id):
            raise _invalid_partner()
        (data,) = _checked((form, None))
        partner = request.user.partner
    else:
        chooser = PartnerChoiceForm({"partner": body["partner_id"]}, user=request.user)
        data, chosen = _checked((form, None), (chooser, {"partner": "partner_id"}))
        partner = chosen["partner"]
    return Status(201, _saved_listing(request, partner=partner, listing=None, form_data=data))


@router.patch("/listings/{listing_id}", response={200: ListingOut, **ERRORS})
def listing_update(request, listing_id: int, payload: ListingPatch):
    """Change a listing; only the fields sent change."""
    listing = get_object_or_404(_listings(request), pk=listing_id)
    _require_seller(request.user)
    data = cleaned(_listing_form(payload.dict(exclude_unset=True), listing))
    # The form has already set its values on ``listing``; the service starts from the stored listing.
    return _saved_listing(request, partner=listing.partner, listing=Listing.objects.get(pk=listing.pk),
                          form_data=data)


def _office_listing(request, listing_id: int) -> Listing:
    """A listing the caller oversees, for the assisting office's actions (a partner's own user may not)."""
    listing = get_object_or_404(Listing.objects.visible_to(request.user).select_related("partner", "product"),
                                pk=listing_id)
    require_officer(request.user)
    return listing


@router.post("/listings/{listing_id}/take-down", response={200: ListingOut, **ERRORS})
def listing_take_down(request, listing_id: int, payload: TakeDownIn):
    """The assisting office takes a listing off the catalogue, with the reason the partner will see."""
    listing = _office_listing(request, listing_id)
    reason = cleaned(TakeDownForm(payload.dict()))["reason"]
    services.listing_take_down(listing=listing, by=request.user, reason=reason)
    return _listings(request).get(pk=listing.pk)


@router.post("/listings/{listing_id}/restore", response={200: ListingOut, **ERRORS})
def listing_restore(request, listing_id: int):
    """The assisting office puts a listing it took down back in the catalogue."""
    listing = _office_listing(request, listing_id)
    services.listing_restore(listing=listing, by=request.user)
    return _listings(request).get(pk=listing.pk)


# --- inquiries ---------------------------------------------------------------------------------------------------

def _inquiries(request):
    _require_seller(request.user)
    return Inquiry.objects.visible_to(request.user).select_related("listing")


@router.get("/inquiries", response={200: list[InquiryOut], **ERRORS})
@paginate(Page)
def inquiry_list(request, filters: InquiryFilters = Query(...)):
    """Buyers' inquiries with their names and phones: for the partner and the officers of its region only."""
    inquiries = _inquiries(request)
    if filters.listing_id is not None:
        inquiries = inquiries.filter(listing_id=filters.listing_id)
    if filters.answered is not None:
        inquiries = inquiries.filter(answered_at__isnull=not filters.answered)
    return inquiries.order_by("-created_at", "-pk")


@router.post("/inquiries/{inquiry_id}/answered", response={200: InquiryOut, **ERRORS})
def inquiry_answered(request, inquiry_id: int):
    """Mark that the buyer was answered (the partner, or an officer of its region)."""
    inquiry = get_object_or_404(Inquiry.objects.visible_to(request.user).select_related("listing"), pk=inquiry_id)
    return services.inquiry_mark_answered(inquiry=inquiry, by=request.user)


# --- sales -------------------------------------------------------------------------------------------------------

def _sales(request, filters: SaleFilters):
    _market_user(request.user)
    sales = Sale.objects.visible_to(request.user)
    if filters.sold_from:
        sales = sales.filter(sold_on__gte=filters.sold_from)
    if filters.sold_to:
        sales = sales.filter(sold_on__lte=filters.sold_to)
    if filters.product:
        sales = sales.filter(product__code=filters.product)
    if filters.channel:
        sales = sales.filter(channel=filters.channel)
    if filters.region:
        sales = sales.filter(in_region(filters.region, "partner__region"))
    if filters.partner_id is not None:
        sales = sales.filter(partner_id=filters.partner_id)
    return sales


@router.get("/sales", response={200: list[SaleOut], **ERRORS})
@paginate(Page)
def sale_list(request, filters: SaleFilters = Query(...)):
    """The sales the caller may see, newest first; filter by date, product, channel, region, partner."""
    return _sales(request, filters).select_related("partner", "product").order_by("-sold_on", "-pk")


@router.get("/sales/revenue", response={200: RevenueOut, **ERRORS})
def sale_revenue(request, filters: SaleFilters = Query(...)):
    """Revenue and units of the same sales: in total, by channel, product, partner and month."""
    sales = _sales(request, filters)
    total = selectors.revenue_total(sales)
    return {
        "total": {"revenue": total["revenue"] or 0, "units": total["units"] or 0},
        "by_channel": [{"channel": row["channel"], "revenue": row["revenue"], "units": row["units"],
                        "label": str(Channel(row["channel"]).label) if row["channel"] in Channel.values
                        else row["channel"]}
                       for row in selectors.revenue_by(sales, "channel")],
        "by_product": [{"product": row["product__code"], "name": row["product__name"], "revenue": row["revenue"],
                        "units": row["units"]}
                       for row in selectors.revenue_by(sales, "product__code", "product__name")],
        "by_partner": [{"partner_id": row["partner_id"], "name": row["partner__name"], "revenue": row["revenue"],
                        "units": row["units"]}
                       for row in selectors.revenue_by(sales, "partner_id", "partner__name")],
        "by_month": [{"month": row["month"].strftime("%Y-%m"), "revenue": row["revenue"], "units": row["units"]}
                     for row in selectors.revenue_by_month(sales)],
    }


@router.post("/sales", response={201: SaleOut, **ERRORS})
def sale_create(request, payload: SaleIn):
    """Record a sale: the goods leave the partner's workshop through the stock ledger. More than it holds is a 409
    that names the shortfall, and nothing is written."""
    _market_user(request.user)
    _require_seller(request.user)
    body = payload.dict()
    if request.user.role == Role.PARTNER and body["partner_id"] is None:
        body["partner_id"] = request.user.partner_id
    body["partner"] = body.pop("partner_id")
    body["product"] = _product_choice(body["product"])
    data = cleaned(SaleForm(body, user=request.user), {"partner": "partner_id"})
    sale = services.sale_record(by=request.user, **data)
    return Status(201, Sale.objects.select_related("partner", "product").get(pk=sale.pk))
