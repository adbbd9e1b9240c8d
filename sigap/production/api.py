"""Production reports in the API: batches as the production pages show them, reported through the batch form and
``production_record`` (a batch is not stock until a health expert has accepted it)."""

import datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from sigap.api.forms import FormInvalid, cleaned_with, field_names, item_choices
from sigap.api.pagination import Page
from sigap.api.schemas import ERRORS, FilterDate, Input, WholeNumber
from sigap.production.forms import BatchForm
from sigap.production.models import Batch, Status as BatchStatus
from sigap.production.services import production_record
from sigap.production.views import _may_report, _require_batch_reader
from sigap.regions.models import in_region

router = Router(tags=["production"])


class InspectionSummary(Schema):
    id: int
    inspected_on: datetime.date
    accepted: int
    rejected: int


class BatchOut(Schema):
    id: int
    code: str
    product: str = Field(..., alias="product.code")
    quantity: int
    produced_on: datetime.date
    producer_partner_id: int | None
    producer_person_id: int | None
    producer: str
    region_code: str = Field(..., alias="region_id")
    location_id: int
    training_id: int | None
    status: str
    note: str
    reported_at: datetime.datetime
    inspection: InspectionSummary | None

    @staticmethod
    def resolve_producer(batch):
        return batch.producer.name

    @staticmethod
    def resolve_inspection(batch):
        return getattr(batch, "inspection", None)


class BatchFilters(Schema):
    region: str | None = Field(None, description="A region code: batches made there or in a region below it.")
    product: str | None = Field(None, description="A product code.")
    status: BatchStatus | None = None
    date_from: FilterDate | None = Field(None, description="Produced on or after.")
    date_to: FilterDate | None = Field(None, description="Produced on or before.")


def _visible(request):
    return Batch.objects.visible_to(request.user).select_related(
        "product", "producer_partner", "producer_person", "training", "inspection")


@router.get("/batches", response={200: list[BatchOut], **ERRORS})
@paginate(Page)
def batch_list(request, filters: BatchFilters = Query(...)):
    """Production reports the caller sees (a partner user its own), newest first."""
    _require_batch_reader(request.user)
    batches = _visible(request)
    if filters.region:
        batches = batches.filter(in_region(filters.region))
    if filters.product:
        batches = batches.filter(product__code=filters.product)
    if filters.status:
        batches = batches.filter(status=filters.status)
    if filters.date_from:
        batches = batches.filter(produced_on__gte=filters.date_from)
    if filters.date_to:
        batches = batches.filter(produced_on__lte=filters.date_to)
    return batches.order_by("-produced_on", "-pk")


@router.get("/batches/{batch_id}", response={200: BatchOut, **ERRORS})
def batch_detail(request, batch_id: int):
    return get_object_or_404(_visible(request), pk=batch_id)


class BatchIn(Input):
    partner_id: int | None = Field(None, description="Made by an IKM partner…")
    person_id: int | None = Field(None, description="…or by a participant (one of the two; a partner user reports "
                                                    "its own production).")
    product: str = Field(..., description="The product's code.")
    quantity: WholeNumber
    produced_on: datetime.date
    code: str = Field("", description="Leave empty to number the batch automatically.")
    note: str = ""


NAMES = {"partner": "partner_id", "person": "person_id", "producer": "partner_id"}


@router.post("/batches", response={201: BatchOut, **ERRORS})
def batch_create(request, payload: BatchIn):
    """Report a batch; it waits for inspection. Officers and instructors report for producers of their region."""
    if not _may_report(request.user):
        raise PermissionDenied
    data = payload.dict()
    data["partner"], data["person"] = data.pop("partner_id"), data.pop("person_id")
    data["product"] = item_choices([payload.product])[payload.product]
    form = BatchForm(data, user=request.user)
    if "person" not in form.fields and payload.person_id is not None:  # the partner's form has no participant
        raise FormInvalid({"person_id": [_("A partner reports only its own production.")]})
    data = cleaned_with(form, NAMES)
    with field_names(NAMES):
        batch = production_record(producer=data["producer"], product=data["product"], quantity=data["quantity"],
                                  produced_on=data["produced_on"], code=data["code"], note=data["note"],
                                  by=request.user)
    return Status(201, _visible(request).get(pk=batch.pk))
