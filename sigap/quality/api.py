"""Inspections in the API: what health experts found, each product's checklist, and recording an inspection of a
batch through the inspection form and ``inspection_record`` (only the accepted units enter stock)."""

import datetime

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from sigap.accounts.access import require_region_scope
from sigap.api.forms import FormInvalid, cleaned_with
from sigap.api.pagination import Page
from sigap.api.schemas import ERRORS, FilterDate, Input, WholeNumber
from sigap.items.models import Item
from sigap.production.models import Batch
from sigap.quality.forms import InspectionForm
from sigap.quality.models import Criterion, Inspection
from sigap.quality.services import inspection_record
from sigap.quality.views import _require_inspector
from sigap.regions.models import in_region

router = Router(tags=["inspections"])


class ResultOut(Schema):
    criterion_id: int
    criterion: str = Field(..., alias="criterion_text", description="The point as it read when inspected")
    passed: bool
    note: str


class InspectionOut(Schema):
    id: int
    batch_id: int
    batch_code: str = Field(..., alias="batch.code")
    product: str = Field(..., alias="batch.product.code")
    region_code: str = Field(..., alias="batch.region_id")
    inspector: str
    inspected_on: datetime.date
    sample_size: int
    accepted: int
    rejected: int
    reject_reason: str
    notes: str
    photo_url: str | None
    posting_id: int | None
    results: list[ResultOut]

    @staticmethod
    def resolve_inspector(inspection):
        return str(inspection.inspector)

    @staticmethod
    def resolve_photo_url(inspection, context):
        if not inspection.photo:
            return None
        return context["request"].build_absolute_uri(reverse("quality:photo", args=[inspection.pk]))

    @staticmethod
    def resolve_results(inspection):
        return list(inspection.results.all())


class CriterionOut(Schema):
    id: int
    text: str
    reference: str
    position: int


class InspectionFilters(Schema):
    region: str | None = Field(None, description="A region code: batches made there or in a region below it.")
    product: str | None = Field(None, description="A product code.")
    batch_id: int | None = None
    date_from: FilterDate | None = Field(None, description="Inspected on or after.")
    date_to: FilterDate | None = Field(None, description="Inspected on or before.")


def _visible(request):
    return Inspection.objects.visible_to(request.user).select_related(
        "batch__product", "inspector").prefetch_related("results")


@router.get("", response={200: list[InspectionOut], **ERRORS})
@paginate(Page)
def inspection_list(request, filters: InspectionFilters = Query(...)):
    """Inspections of the region's batches, newest first (for office staff and health experts, as the work list
    and its export)."""
    require_region_scope(request.user)
    inspections = _visible(request)
    if filters.region:
        inspections = inspections.filter(in_region(filters.region, "batch__region"))
    if filters.product:
        inspections = inspections.filter(batch__product__code=filters.product)
    if filters.batch_id:
        inspections = inspections.filter(batch_id=filters.batch_id)
    if filters.date_from:
        inspections = inspections.filter(inspected_on__gte=filters.date_from)
    if filters.date_to:
        inspections = inspections.filter(inspected_on__lte=filters.date_to)
    return inspections.order_by("-inspected_on", "-pk")


@router.get("/checklists/{product}", response={200: list[CriterionOut], **ERRORS})
def checklist(request, product: str):
    """The points in use of a product's checklist (by product code), in order: an inspection answers each."""
    require_region_scope(request.user)
    item = get_object_or_404(Item.objects.products(), code=product)
    return Criterion.objects.filter(product=item, is_active=True).order_by("position", "pk")


@router.get("/{inspection_id}", response={200: InspectionOut, **ERRORS})
def inspection_detail(request, inspection_id: int):
    return get_object_or_404(_visible(request), pk=inspection_id)


class ResultIn(Input):
    criterion_id: int
    passed: bool
    note: str = ""


class InspectionIn(Input):
    batch_id: int
    inspected_on: datetime.date
    sample_size: WholeNumber
    accepted: WholeNumber
    rejected: WholeNumber
    reject_reason: str = Field("", description="Needed when some units are rejected.")
    notes: str = ""
    results: list[ResultIn] = Field([], description="One answer for every point of the product's checklist.")


def _answers(checklist: list[Criterion], results: list[ResultIn]) -> tuple[dict, dict]:
    """The inspection form's checklist fields from the answers, and the API's name for each of those fields."""
    criteria = {c.pk for c in checklist}
    data, names, errors = {}, {}, {}
    for n, result in enumerate(results):
        if result.criterion_id not in criteria:
            errors[f"results.{n}.criterion_id"] = [_("This is not a point of the product's checklist.")]
        elif f"criterion_{result.criterion_id}" in data:
            errors[f"results.{n}.criterion_id"] = [_("Answer each point of the checklist once.")]
        else:
            data[f"criterion_{result.criterion_id}"] = "pass" if result.passed else "fail"
            data[f"criterion_{result.criterion_id}_note"] = result.note
            names[f"criterion_{result.criterion_id}_note"] = f"results.{n}.note"
    for criterion in criteria:
        names.setdefault(f"criterion_{criterion}", "results")
    if errors:
        raise FormInvalid(errors)
    return data, names


@router.post("", response={201: InspectionOut, **ERRORS})
def inspection_create(request, payload: InspectionIn):
    """A health expert records the inspection of a batch of their region (JSON: no photo). Another region's batch
    answers 404, as on the inspection page."""
    batch = get_object_or_404(Batch.objects.visible_to(request.user).select_related("product", "training"),
                              pk=payload.batch_id)
    _require_inspector(request.user)
    answers, names = _answers(InspectionForm(batch=batch).criteria, payload.results)
    form = InspectionForm(payload.dict(exclude={"batch_id", "results"}) | answers, batch=batch)
    data = cleaned_with(form, names)
    inspection = inspection_record(
        batch=batch, by=request.user, inspected_on=data["inspected_on"], sample_size=data["sample_size"],
        accepted=data["accepted"], rejected=data["rejected"], reject_reason=data["reject_reason"],
        notes=data["notes"], photo=None, results=form.results(), line_rejections=form.line_rejections(),
    )
    return Status(201, _visible(request).get(pk=inspection.pk))
