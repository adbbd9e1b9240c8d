"""Handovers (BAST), agencies' requests, allocations and production orders in the API, scoped and checked as the
handover pages are: writes fill the pages' forms and call the same services, so goods leave stock only through
the ledger (a handover larger than the store holds is 409 with the shortfall) and a void is a reversal."""

import datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from sigap.accounts.access import require_officer
from sigap.api.forms import (FormInvalid, cleaned, cleaned_with, field_names, formset_data, formset_errors,
                             item_choices)
from sigap.api.pagination import Page
from sigap.api.schemas import ERRORS, FilterDate, Input, Overdraw, WholeNumber
from sigap.handovers import services
from sigap.handovers.certificate import certificate_pdf
from sigap.handovers.forms import (
    AllocationForm, HandoverForm, HandoverLineFormSet, ReceiptForm, RequestForm, RequestLineFormSet, VoidForm,
)
from sigap.handovers.models import (
    Handover, HandoverLine, ProductionOrder, RequestLine, RequestStatus, Status as HandoverStatus, SupplyRequest,
)
from sigap.handovers.views import (
    _allocation_candidates, _is_receiver, _may_request, _reader, _require_order_reader,
)
from sigap.items.models import Item, Unit
from sigap.lib.pdf import pdf_response
from sigap.regions.models import in_region

router = Router(tags=["handovers"])


# --- output ---

class HandoverLineOut(Schema):
    id: int
    product: str = Field(..., alias="product.code")
    name: str = Field(..., alias="product_name", description="The product's name as the certificate states it")
    unit: Unit = Field(..., alias="product_unit", description="The unit as the certificate states it")
    batch: str | None = Field(None, alias="batch.code")
    quantity: int
    received_quantity: int | None


class HandoverOut(Schema):
    id: int
    number: str
    office_id: int
    office: str = Field(..., alias="office.name")
    giver_name: str
    giver_position: str
    giver_nip: str
    receiver_id: int
    receiver: str = Field(..., alias="receiver.name")
    receiver_name: str
    receiver_position: str
    receiver_nip: str
    purpose: str
    handed_over_on: datetime.date
    place: str
    request_id: int | None
    status: str
    received_at: datetime.datetime | None
    received_note: str
    void_reason: str
    verification_url: str = Field(..., description="The public page the certificate's QR code opens.")
    verification_status: str = Field(..., description="What that page says: genuine, or void.")
    lines: list[HandoverLineOut]

    @staticmethod
    def resolve_verification_url(handover, context):
        return context["request"].build_absolute_uri(handover.get_verification_url())

    @staticmethod
    def resolve_verification_status(handover):
        return "void" if handover.status == HandoverStatus.VOID else "genuine"

    @staticmethod
    def resolve_lines(handover):
        return list(handover.lines.all())


class RequestLineOut(Schema):
    product: str = Field(..., alias="product.code")
    quantity: int


class ProgressOut(Schema):
    product: str = Field(..., alias="line.product.code")
    quantity: int = Field(..., alias="line.quantity")
    handed_over: int
    owed: int


class RequestOut(Schema):
    id: int
    agency_id: int
    agency: str = Field(..., alias="agency.name")
    office_id: int
    office: str = Field(..., alias="office.name")
    needed_by: datetime.date
    note: str
    status: str
    created_at: datetime.datetime
    lines: list[RequestLineOut]

    @staticmethod
    def resolve_lines(supply_request):
        return list(supply_request.lines.all())


class OrderOut(Schema):
    id: int
    request_id: int
    agency: str = Field(..., alias="request.agency.name")
    partner_id: int
    partner: str = Field(..., alias="partner.name")
    product: str = Field(..., alias="product.code")
    quantity: int
    due_on: datetime.date
    created_at: datetime.datetime


class RequestDetailOut(RequestOut):
    progress: list[ProgressOut] = Field(..., description="Each product asked for: handed over so far (void "
                                                         "handovers left out) and still owed.")
    handover_ids: list[int]
    orders: list[OrderOut]

    @staticmethod
    def resolve_progress(supply_request):
        return services.request_progress(supply_request)

    @staticmethod
    def resolve_handover_ids(supply_request):
        return [h.pk for h in supply_request.handovers.all()]

    @staticmethod
    def resolve_orders(supply_request):
        return list(supply_request.orders.select_related("partner", "product", "request__agency"))


class PartnerRef(Schema):
    partner_id: int = Field(..., alias="pk")
    partner: str = Field(..., alias="name")


class ShareOut(Schema):
    partner_id: int = Field(..., alias="key.pk")
    partner: str = Field(..., alias="key.name")
    quantity: int
    weekly_capacity: int
    tier: int = Field(..., description="0 same district, 1 same regency, 2 same province, 3 elsewhere.")
    days_needed: int


class ProposalOut(Schema):
    product: str
    shortfall: int = Field(..., description="What stock and earlier orders do not cover of what is still owed.")
    allocated: int
    unallocated: int = Field(..., description="What the partners cannot make by the date needed.")
    days_needed: int
    shares: list[ShareOut]
    candidates: list[PartnerRef] = Field(..., description="The partners an allocation may go to.")


# --- filters ---

class HandoverFilters(Schema):
    region: str | None = Field(None, description="The giving office's region code (or a region above it).")
    product: str | None = Field(None, description="Handovers with a line of this product code.")
    status: HandoverStatus | None = None
    date_from: FilterDate | None = Field(None, description="Handed over on or after.")
    date_to: FilterDate | None = Field(None, description="Handed over on or before.")


class RequestFilters(Schema):
    region: str | None = Field(None, description="The asked office's region code (or a region above it).")
    product: str | None = Field(None, description="Requests with a line of this product code.")
    status: RequestStatus | None = Field(None, description="Every status when not given.")
    date_from: FilterDate | None = Field(None, description="Needed by on or after.")
    date_to: FilterDate | None = Field(None, description="Needed by on or before.")


class OrderFilters(Schema):
    region: str | None = Field(None, description="The partner's region code (or a region above it).")
    product: str | None = Field(None, description="A product code.")
    request_id: int | None = None
    date_from: FilterDate | None = Field(None, description="Due on or after.")
    date_to: FilterDate | None = Field(None, description="Due on or before.")


def _filtered(rows, filters, *, region: str, day: str):
    """The filters every list shares: a region, a status, a date range (the product is each list's own)."""
    if filters.region:
        rows = rows.filter(in_region(filters.region, region))
    if getattr(filters, "status", None):
        rows = rows.filter(status=filters.status)
    if filters.date_from:
        rows = rows.filter(**{f"{day}__gte": filters.date_from})
    if filters.date_to:
        rows = rows.filter(**{f"{day}__lte": filters.date_to})
    return rows


# --- handovers ---

def _handovers(request):
    return Handover.objects.visible_to(request.user).select_related("office", "receiver").prefetch_related(
        "lines__product", "lines__batch")


@router.get("", response={200: list[HandoverOut], **ERRORS})
@paginate(Page)
def handover_list(request, filters: HandoverFilters = Query(...)):
    """Handovers the caller sees (an agency user those its agency received), newest first."""
    _reader(request.user)
    handovers = _filtered(_handovers(request), filters, region="office__region", day="handed_over_on")
    if filters.product:  # a subquery, so that a handover with two lines of the product is listed once
        handovers = handovers.filter(pk__in=HandoverLine.objects.filter(product__code=filters.product)
                                     .values("handover"))
    return handovers.order_by("-handed_over_on", "-pk")


class HandoverLineIn(Input):
    product: str = Field(..., description="The product's code.")
    quantity: WholeNumber
    batch_id: int | None = None


class HandoverIn(Input):
    office_id: int
    giver_name: str
    giver_position: str
    giver_nip: str = ""
    receiver_id: int
    receiver_name: str
    receiver_position: str
    receiver_nip: str = ""
    purpose: str = Field(..., description="use, distribution or evaluation.")
    handed_over_on: datetime.date
    place: str
    request_id: int | None = Field(None, description="An open request of the receiver that this fulfils.")
    lines: list[HandoverLineIn]


HANDOVER_NAMES = {"office": "office_id", "receiver": "receiver_id", "request": "request_id"}


@router.post("", response={201: HandoverOut, **ERRORS, 409: Overdraw})
def handover_create(request, payload: HandoverIn):
    """Hand goods over from an office's store with a numbered certificate (officers). More than the store holds
    is 409 with the shortfall; nothing is written and no number is used."""
    require_officer(request.user)
    data = payload.dict(exclude={"lines"})
    for name, api_name in HANDOVER_NAMES.items():
        data[name] = data.pop(api_name)
    form = HandoverForm(data, user=request.user)
    keys = item_choices({line.product for line in payload.lines})
    lines = HandoverLineFormSet(
        formset_data([{"product": keys[line.product], "quantity": line.quantity, "batch": line.batch_id}
                      for line in payload.lines]),
        prefix="lines", form_kwargs={"user": request.user})
    fields = cleaned_with(form, HANDOVER_NAMES, formset_errors(lines, names={"batch": "batch_id"}))
    with field_names(HANDOVER_NAMES):
        handover = services.handover_create(by=request.user, lines=lines.lines(), **fields)
    return Status(201, _handovers(request).get(pk=handover.pk))


# --- requests ---

def _requests(request):
    return SupplyRequest.objects.visible_to(request.user).select_related("agency", "office").prefetch_related(
        "lines__product")


@router.get("/requests", response={200: list[RequestOut], **ERRORS})
@paginate(Page)
def request_list(request, filters: RequestFilters = Query(...)):
    """Requests the caller sees (an agency user its own), by the date needed."""
    _reader(request.user)
    requests = _filtered(_requests(request), filters, region="office__region", day="needed_by")
    if filters.product:
        requests = requests.filter(pk__in=RequestLine.objects.filter(product__code=filters.product).values("request"))
    return requests.order_by("needed_by", "pk")


class RequestLineIn(Input):
    product: str = Field(..., description="The product's code.")
    quantity: WholeNumber


class RequestIn(Input):
    agency_id: int = Field(..., description="An agency user asks for its own agency.")
    office_id: int
    needed_by: datetime.date
    note: str = ""
    lines: list[RequestLineIn]


REQUEST_NAMES = {"agency": "agency_id", "office": "office_id"}


@router.post("/requests", response={201: RequestDetailOut, **ERRORS})
def request_create(request, payload: RequestIn):
    """An agency user asks an industry office of its province for products; an officer records a request on an
    agency's behalf."""
    if not _may_request(request.user):
        raise PermissionDenied
    data = payload.dict(exclude={"lines"})
    for name, api_name in REQUEST_NAMES.items():
        data[name] = data.pop(api_name)
    form = RequestForm(data, user=request.user)
    keys = item_choices({line.product for line in payload.lines})
    lines = RequestLineFormSet(formset_data([{"product": keys[line.product], "quantity": line.quantity}
                                             for line in payload.lines]), prefix="lines")
    fields = cleaned_with(form, REQUEST_NAMES, formset_errors(lines))
    with field_names(REQUEST_NAMES):
        supply_request = services.request_create(by=request.user, lines=lines.lines(), **fields)
    return Status(201, _requests(request).get(pk=supply_request.pk))


@router.get("/requests/{request_id}", response={200: RequestDetailOut, **ERRORS})
def request_detail(request, request_id: int):
    return get_object_or_404(_requests(request), pk=request_id)


def _officers_request(request, request_id: int, product: str):
    """The request (404 outside the caller's scope), for officers only, and one of its products by code."""
    supply_request = get_object_or_404(SupplyRequest.objects.visible_to(request.user).select_related(
        "office", "agency"), pk=request_id)
    require_officer(request.user)
    return supply_request, get_object_or_404(Item.objects.products(), code=product)


@router.get("/requests/{request_id}/allocation/{product}", response={200: ProposalOut, **ERRORS})
def allocation_proposal(request, request_id: int, product: str):
    """What stock cannot cover of one product of the request, split among the region's partners that make it,
    nearest first and within their weekly capacity (officers)."""
    supply_request, item = _officers_request(request, request_id, product)
    shortfall, proposal = services.allocation_propose(request=supply_request, product=item,
                                                      as_of=timezone.localdate())
    return {"product": item.code, "shortfall": shortfall, "allocated": proposal.allocated,
            "unallocated": proposal.unallocated, "days_needed": proposal.days_needed, "shares": proposal.shares,
            "candidates": _allocation_candidates(supply_request, item)}


class QuantityIn(Input):
    partner_id: int
    quantity: WholeNumber


class AllocationIn(Input):
    due_on: datetime.date
    quantities: list[QuantityIn] = Field(..., description="Units per partner; partners not listed get none.")


@router.post("/requests/{request_id}/allocation/{product}", response={201: list[OrderOut], **ERRORS})
def allocation_confirm(request, request_id: int, product: str, payload: AllocationIn):
    """Confirm an (adjusted) allocation: production orders the partners see, each within its capacity."""
    supply_request, item = _officers_request(request, request_id, product)
    candidates = _allocation_candidates(supply_request, item)
    prefix = f"p{item.pk}"
    data = {f"{prefix}-due_on": payload.due_on} | {f"{prefix}-partner_{p.pk}": 0 for p in candidates}
    names, errors = {"due_on": "due_on"}, {}
    for n, share in enumerate(payload.quantities):
        field = f"partner_{share.partner_id}"
        if f"{prefix}-{field}" not in data:
            errors[f"quantities.{n}.partner_id"] = [
                _("Not an active partner of this region that makes %(product)s.") % {"product": item.name}]
        data[f"{prefix}-{field}"], names[field] = share.quantity, f"quantities.{n}.quantity"
    if errors:
        raise FormInvalid(errors)
    form = AllocationForm(data, prefix=prefix, shares=[], candidates=candidates)
    cleaned(form, names)
    orders = services.allocation_confirm(request=supply_request, product=item, quantities=form.quantities(),
                                         due_on=form.cleaned_data["due_on"], by=request.user)
    return Status(201, ProductionOrder.objects.filter(pk__in=[o.pk for o in orders]).select_related(
        "partner", "product", "request__agency").order_by("pk"))


# --- production orders ---

@router.get("/orders", response={200: list[OrderOut], **ERRORS})
@paginate(Page)
def order_list(request, filters: OrderFilters = Query(...)):
    """Production orders the caller sees (a partner user its own), by due date."""
    _require_order_reader(request.user)
    orders = _filtered(ProductionOrder.objects.visible_to(request.user), filters, region="partner__region",
                       day="due_on")
    if filters.product:
        orders = orders.filter(product__code=filters.product)
    if filters.request_id:
        orders = orders.filter(request_id=filters.request_id)
    return orders.select_related("partner", "product", "request__agency").order_by("due_on", "pk")


# --- one handover ---

@router.get("/{handover_id}", response={200: HandoverOut, **ERRORS})
def handover_detail(request, handover_id: int):
    return get_object_or_404(_handovers(request), pk=handover_id)


@router.get("/{handover_id}/certificate.pdf", response=ERRORS,
            openapi_extra={"responses": {200: {"description": "The certificate (BAST), in Indonesian.",
                                               "content": {"application/pdf": {"schema": {"type": "string",
                                                                                          "format": "binary"}}}}}})
def certificate(request, handover_id: int):
    """The handover certificate (BAST) as a PDF with its verification QR code."""
    handover = get_object_or_404(Handover.objects.visible_to(request.user).select_related("office", "receiver"),
                                 pk=handover_id)
    pdf = certificate_pdf(handover, verify_url=request.build_absolute_uri(handover.get_verification_url()))
    return pdf_response(pdf, f"BAST-{handover.number.replace('/', '-')}.pdf")


class VoidIn(Input):
    reason: str


@router.post("/{handover_id}/void", response={200: HandoverOut, **ERRORS})
def handover_void(request, handover_id: int, payload: VoidIn):
    """Void a handover (officers of the giving office's region): its goods go back into the store by a reversal;
    the certificate's number stays used and its verification page says void."""
    handover = get_object_or_404(Handover.objects.visible_to(request.user), pk=handover_id)
    require_officer(request.user)
    reason = cleaned(VoidForm(payload.dict()))["reason"]
    services.handover_void(handover=handover, by=request.user, reason=reason)
    return _handovers(request).get(pk=handover.pk)


class ReceivedIn(Input):
    line_id: int
    quantity: WholeNumber


class ReceiptIn(Input):
    lines: list[ReceivedIn] = Field(..., description="What arrived of every line of the handover.")
    note: str = ""


@router.post("/{handover_id}/receipt", response={200: HandoverOut, **ERRORS})
def handover_receipt(request, handover_id: int, payload: ReceiptIn):
    """The receiving agency's user confirms what arrived, once."""
    handover = get_object_or_404(Handover.objects.visible_to(request.user), pk=handover_id)
    if not _is_receiver(request.user, handover):
        raise PermissionDenied
    form_lines = list(handover.lines.all())
    known = {line.pk for line in form_lines}
    data, names, errors = {"note": payload.note}, {}, {}
    for n, line in enumerate(payload.lines):
        if line.line_id not in known:
            errors[f"lines.{n}.line_id"] = [_("This handover has no such line.")]
        data[f"line_{line.line_id}"], names[f"line_{line.line_id}"] = line.quantity, f"lines.{n}.quantity"
    if errors:
        raise FormInvalid(errors)
    form = ReceiptForm(data, lines=form_lines)
    cleaned(form, {f"line_{pk}": "lines" for pk in known} | names)
    services.handover_confirm_receipt(handover=handover, by=request.user, received=form.received(),
                                      note=form.cleaned_data["note"])
    return _handovers(request).get(pk=handover.pk)
