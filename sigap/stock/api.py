"""Stock in the API: balances, the ledger's movements and stock documents, scoped as the stock pages are;
receipts and issues go through the pages' forms and services, so an overdraw is refused by the ledger (409)."""

import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from sigap.accounts.access import require_officer
from sigap.api.forms import cleaned_with, field_names, formset_data, formset_errors, item_choices
from sigap.api.pagination import Page
from sigap.api.schemas import ERRORS, REGION_CODE, FilterDate, Input, Number, Overdraw, Quantity
from sigap.regions.models import in_region
from sigap.stock import services
from sigap.stock.forms import IssueForm, LineFormSet, ReceiptForm, TransferForm
from sigap.stock.models import Balance, DocumentKind, Location, Movement, PostingKind, StockDocument
from sigap.stock.views import _require_reader

router = Router(tags=["stock"])


class BalanceOut(Schema):
    item: str = Field(..., alias="item.code")
    item_name: str = Field(..., alias="item.name")
    unit: str = Field(..., alias="item.unit")
    location_id: int
    location: str = Field(..., alias="location.name")
    location_kind: str = Field(..., alias="location.kind")
    region_code: str = Field(..., alias="location.region_id")
    quantity: Quantity


class MovementOut(Schema):
    id: int
    posting_id: int
    kind: str = Field(..., alias="posting.kind")
    date: datetime.date = Field(..., alias="posting.occurred_on")
    posted_at: datetime.datetime = Field(..., alias="posting.created_at")
    item: str = Field(..., alias="item.code")
    location_id: int
    location: str = Field(..., alias="location.name")
    quantity: Quantity
    balance_after: Quantity
    note: str = Field(..., alias="posting.note")
    reverses_posting_id: int | None = Field(None, alias="posting.reverses_id")


class DocumentLineOut(Schema):
    item: str = Field(..., alias="item.code")
    quantity: Quantity


class DocumentOut(Schema):
    id: int
    number: str
    kind: str
    office_id: int
    date: datetime.date
    reference: str
    supplier_id: int | None
    source_id: int | None
    destination_id: int
    destination: str = Field(..., alias="destination.name")
    note: str
    is_void: bool
    void_reason: str
    created_at: datetime.datetime
    lines: list[DocumentLineOut]

    @staticmethod
    def resolve_lines(document):
        return list(document.lines.all())


class StockFilters(Schema):
    region: str | None = Field(None, description="A region code: its balances and those of the regions below it.")
    item: str | None = Field(None, description="An item code.")
    location: int | None = Field(None, description="A location id.")


class MovementFilters(StockFilters):
    kind: PostingKind | None = None
    date_from: FilterDate | None = None
    date_to: FilterDate | None = None


class DocumentFilters(Schema):
    region: str | None = Field(None, description="The office's region code (or a region above it).")
    kind: DocumentKind | None = None
    item: str | None = Field(None, description="Documents with a line of this item code.")
    date_from: FilterDate | None = None
    date_to: FilterDate | None = None


def _at_visible_locations(request, model):
    _require_reader(request.user)
    return model.objects.filter(location__in=Location.objects.visible_to(request.user))


def _filtered(rows, filters: StockFilters):
    if filters.region:
        rows = rows.filter(in_region(filters.region, "location__region"))
    if filters.item:
        rows = rows.filter(item__code=filters.item)
    if filters.location:
        rows = rows.filter(location_id=filters.location)
    return rows


@router.get("/balances", response={200: list[BalanceOut], **ERRORS})
@paginate(Page)
def balance_list(request, filters: StockFilters = Query(...)):
    """What is on hand at the locations the caller sees (nothing-on-hand rows left out), by location and item."""
    balances = _filtered(_at_visible_locations(request, Balance), filters).exclude(quantity=0)
    return balances.select_related("item", "location").order_by("location__name", "item__name", "pk")


@router.get("/movements", response={200: list[MovementOut], **ERRORS})
@paginate(Page)
def movement_list(request, filters: MovementFilters = Query(...)):
    """The ledger's movements at the locations the caller sees, newest first; dates are the documents' dates."""
    movements = _filtered(_at_visible_locations(request, Movement), filters)
    if filters.kind:
        movements = movements.filter(posting__kind=filters.kind)
    if filters.date_from:
        movements = movements.filter(posting__occurred_on__gte=filters.date_from)
    if filters.date_to:
        movements = movements.filter(posting__occurred_on__lte=filters.date_to)
    return movements.select_related("item", "location", "posting").order_by("-pk")


def _documents(request):
    return StockDocument.objects.visible_to(request.user).select_related("destination").prefetch_related(
        "lines__item")


@router.get("/documents", response={200: list[DocumentOut], **ERRORS})
@paginate(Page)
def document_list(request, filters: DocumentFilters = Query(...)):
    """Receipts, issues and transfers the caller sees, newest first."""
    _require_reader(request.user)
    documents = _documents(request)
    if filters.region:
        documents = documents.filter(in_region(filters.region, "office__region"))
    if filters.kind:
        documents = documents.filter(kind=filters.kind)
    if filters.item:
        documents = documents.filter(pk__in=StockDocument.objects.filter(lines__item__code=filters.item).values("pk"))
    if filters.date_from:
        documents = documents.filter(date__gte=filters.date_from)
    if filters.date_to:
        documents = documents.filter(date__lte=filters.date_to)
    return documents.order_by("-date", "-pk")


@router.get("/documents/{document_id}", response={200: DocumentOut, **ERRORS})
def document_detail(request, document_id: int):
    return get_object_or_404(_documents(request), pk=document_id)


class LineIn(Input):
    item: str = Field(..., description="The item's code.")
    quantity: Number


class StockReceiptIn(Input):
    office_id: int
    supplier_id: int | None = None
    date: datetime.date
    reference: str = ""
    note: str = ""
    lines: list[LineIn]


class IssueIn(Input):
    office_id: int
    partner_id: int | None = Field(None, description="Issue to an IKM partner's workshop…")
    person_id: int | None = Field(None, description="…or to a participant's home (one of the two).")
    date: datetime.date
    note: str = ""
    lines: list[LineIn]


class LocationOut(Schema):
    id: int
    kind: str
    name: str
    region_code: str = Field(..., alias="region_id")
    organisation_id: int | None
    partner_id: int | None
    person_id: int | None


class LocationFilters(Schema):
    kind: str | None = None
    region: str | None = Field(None, pattern=REGION_CODE)


@router.get("/locations", response={200: list[LocationOut], **ERRORS})
@paginate(Page)
def location_list(request, filters: LocationFilters = Query(...)):
    """Where stock can be: office stores, partners' workshops, participants' homes the caller may see."""
    _require_reader(request.user)
    locations = Location.objects.visible_to(request.user)
    if filters.kind:
        locations = locations.filter(kind=filters.kind)
    if filters.region:
        locations = locations.filter(in_region(filters.region))
    return locations.order_by("region_id", "name", "pk")


class TransferIn(Input):
    office_id: int
    source_id: int = Field(..., description="The location the goods leave (see GET /stock/balances).")
    destination_id: int = Field(..., description="The location they go to, e.g. the office's store.")
    date: datetime.date
    note: str = ""
    lines: list[LineIn]


NAMES = {"office": "office_id", "supplier": "supplier_id", "partner": "partner_id", "person": "person_id",
         "source": "source_id", "destination": "destination_id"}


def _lines(lines: list[LineIn]):
    """The page's line formset filled from the payload; quantities go in as numbers, so no locale reads them."""
    keys = item_choices({line.item for line in lines})
    return LineFormSet(formset_data([{"item": keys[line.item], "quantity": line.quantity} for line in lines]),
                       prefix="lines")


def _form_data(payload: Input) -> dict:
    data = payload.dict(exclude={"lines"})
    for name, api_name in NAMES.items():
        if api_name in data:
            data[name] = data.pop(api_name)
    return data


@router.post("/receipts", response={201: DocumentOut, **ERRORS})
def receipt_create(request, payload: StockReceiptIn):
    """Record materials received into an office's store (officers, for an industry office of their region)."""
    require_officer(request.user)
    form = ReceiptForm(_form_data(payload), user=request.user)
    lines = _lines(payload.lines)
    data = cleaned_with(form, NAMES, formset_errors(lines))
    with field_names(NAMES):
        document = services.receipt_record(office=data["office"], supplier=data["supplier"], date=data["date"],
                                           reference=data["reference"], note=data["note"], lines=lines.lines(),
                                           by=request.user)
    return Status(201, _documents(request).get(pk=document.pk))


@router.post("/issues", response={201: DocumentOut, **ERRORS, 409: Overdraw})
def issue_create(request, payload: IssueIn):
    """Issue materials from an office's store to a partner or a participant. More than the store holds is refused
    with 409 and the shortfall per item; nothing is written."""
    require_officer(request.user)
    form = IssueForm(_form_data(payload), user=request.user)
    lines = _lines(payload.lines)
    data = cleaned_with(form, NAMES, formset_errors(lines))
    recipient_field = "partner_id" if data.get("partner") else "person_id"
    with field_names(NAMES | {"recipient": recipient_field}):
        document = services.issue_record(office=data["office"], recipient=data["recipient"], date=data["date"],
                                         note=data["note"], lines=lines.lines(), by=request.user)
    return Status(201, _documents(request).get(pk=document.pk))


@router.post("/transfers", response={201: DocumentOut, **ERRORS, 409: Overdraw})
def transfer_create(request, payload: TransferIn):
    """Move goods between two locations, e.g. finished suits from a partner's workshop to the office's store
    before a handover. More than the source holds is refused with 409; nothing is written."""
    require_officer(request.user)
    form = TransferForm(_form_data(payload), user=request.user)
    lines = _lines(payload.lines)
    data = cleaned_with(form, NAMES, formset_errors(lines))
    with field_names(NAMES):
        document = services.transfer_record(office=data["office"], source=data["source"],
                                            destination=data["destination"], date=data["date"], note=data["note"],
                                            lines=lines.lines(), by=request.user)
    return Status(201, _documents(request).get(pk=document.pk))
