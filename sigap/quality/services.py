import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from sigap.accounts.models import Role
from sigap.dashboards import figures
from sigap.dashboards.models import Measure
from sigap.items.models import Item, Kind
from sigap.items.services import check_master_data_keeper
from sigap.lib.dates import check_document_date
from sigap.lib.errors import DomainError
from sigap.lib.files import random_name
from sigap.lib.images import check_image, resized_jpeg
from sigap.production.models import Batch, BatchLine, Status
from sigap.quality.models import CheckResult, Criterion, Inspection
from sigap.stock import ledger
from sigap.stock.models import PostingKind

PHOTO_LONGEST = 1600  # pixels on the long side: enough to see a seam or a label


def _consumption(product: Item, location, units: int) -> list[ledger.Line]:
    """Materials the inspected units used, by the bill of materials, taken from what the producer holds.

    What the producer does not hold (own materials) is not taken; the yield report shows the difference.
    """
    lines = []
    for component in product.components.select_related("material"):
        needed = component.quantity * units
        available = ledger.on_hand(component.material, location)
        used = min(needed, available)
        if used > 0:
            lines.append(ledger.Line(component.material, location, -used))
    return lines


def _line_rejections(batch: Batch, rejected: int, line_rejections: dict[int, int] | None) -> dict:
    """Each line of a class's batch with its rejected units: as given per line (they must add up to the batch's
    rejects), or none rejected when the batch has no rejects at all."""
    lines = list(batch.lines.select_related("person", "location"))
    if line_rejections is None:
        if rejected:
            raise DomainError(_("Say whose units were rejected: give the rejects of each participant."),
                              field="rejected")
        return {line: 0 for line in lines}
    if set(line_rejections) != {line.pk for line in lines}:
        raise DomainError(_("Give the rejects of every participant of this batch."), field="rejected")
    for line in lines:
        if not 0 <= line_rejections[line.pk] <= line.quantity:
            raise DomainError(_("%(name)s's rejects must be between 0 and the %(quantity)s made.")
                              % {"name": line.person.name, "quantity": line.quantity}, field="rejected")
    if sum(line_rejections.values()) != rejected:
        raise DomainError(_("The participants' rejects add up to %(total)s, not %(rejected)s.")
                          % {"total": sum(line_rejections.values()), "rejected": rejected}, field="rejected")
    return {line: line_rejections[line.pk] for line in lines}


@transaction.atomic
def inspection_record(*, batch: Batch, by, inspected_on: datetime.date, sample_size: int, accepted: int,
                      rejected: int, results: list[tuple[Criterion, bool, str]], reject_reason: str = "",
                      notes: str = "", photo=None, line_rejections: dict[int, int] | None = None) -> Inspection:
    """A health expert inspects a batch against its product's checklist. Every produced unit is either
    accepted or rejected; only the accepted ones enter stock, at the producer's location. A class's day batch
    says whose units were rejected (``line_rejections``, line id to rejects): each participant's accepted units
    enter stock at their home. A photo is checked and re-encoded without its metadata."""
    if by.role != Role.HEALTH_EXPERT:
        raise DomainError(_("Only a health expert inspects production."))
    batch = Batch.objects.select_for_update().get(pk=batch.pk)
    if not Batch.objects.visible_to(by).filter(pk=batch.pk).exists():
        raise DomainError(_("This batch is outside your region."))
    if batch.status != Status.AWAITING_INSPECTION:
        raise DomainError(_("This batch has already been inspected."))
    if accepted < 0 or rejected < 0:
        raise DomainError(_("Quantities cannot be negative."), field="accepted")
    if accepted + rejected != batch.quantity:
        raise DomainError(
            _("Accepted and rejected must add up to the %(quantity)s produced.") % {"quantity": batch.quantity},
            field="accepted",
        )
    if not 1 <= sample_size <= batch.quantity:
        raise DomainError(_("The sample must be between 1 and the quantity produced."), field="sample_size")
    if rejected and not reject_reason.strip():
        raise DomainError(_("Give the reason for the rejects."), field="reject_reason")
    per_line = _line_rejections(batch, rejected, line_rejections) if batch.is_class_batch else None
    check_document_date(inspected_on, field="inspected_on")
    if inspected_on < batch.produced_on:
        raise DomainError(_("A batch cannot be inspected before it was produced."), field="inspected_on")
    expected = set(Criterion.objects.filter(product=batch.product, is_active=True).values_list("pk", flat=True))
    answered = {criterion.pk for criterion, _passed, _note in results}
    if answered != expected:
        raise DomainError(_("Answer every point of the checklist."))
    if photo:
        check_image(photo)
        # Re-encoded as the catalogue's photos are: a phone's EXIF (its model, the place) does not survive; stored
        # under a random name, so its path cannot be guessed.
        photo = ContentFile(resized_jpeg(photo, longest=PHOTO_LONGEST), name=random_name(suffix=".jpg"))

    inspection = Inspection.objects.create(
        batch=batch, inspector=by, inspected_on=inspected_on, sample_size=sample_size, accepted=accepted,
        rejected=rejected, reject_reason=reject_reason.strip(), notes=notes, photo=photo or "",
    )
    CheckResult.objects.bulk_create(
        [CheckResult(inspection=inspection, criterion=c, criterion_text=c.text, passed=passed, note=note)
         for c, passed, note in results]
    )
    if per_line is None:
        lines = _consumption(batch.product, batch.location, accepted + rejected)
        if accepted:
            lines.insert(0, ledger.Line(batch.product, batch.location, Decimal(accepted)))
    else:
        lines = []
        for line, line_rejected in per_line.items():
            if line.quantity > line_rejected:
                lines.append(ledger.Line(batch.product, line.location, Decimal(line.quantity - line_rejected)))
            lines.extend(_consumption(batch.product, line.location, line.quantity))
            line.rejected = line_rejected
        BatchLine.objects.bulk_update(per_line, ["rejected"])
    if lines:
        inspection.posting = ledger.post(kind=PostingKind.PRODUCTION, lines=lines, by=by, document=inspection,
                                         on=inspected_on,
                                         note=batch.code)
        inspection.save(update_fields=["posting"])
    figures.record([(batch.region_id, batch.product_id, Measure.ACCEPTED, "", accepted, 0),
                    (batch.region_id, batch.product_id, Measure.REJECTED, "", rejected, 0)], day=inspected_on)
    batch.status = Status.INSPECTED
    batch.save(update_fields=["status"])
    return inspection


@transaction.atomic
def checklist_save(*, product: Item, points: list[Criterion], by) -> list[Criterion]:
    """Add or change points of a product's checklist (administrators and provincial officers: every district's
    health experts inspect by it). Each change is kept in the point's history with who made it; inspections
    already recorded keep the text they were judged against."""
    check_master_data_keeper(by)
    if product.kind != Kind.PRODUCT:
        raise DomainError(_("Only products have an inspection checklist."))
    for point in points:
        if point.pk is not None and point.product_id != product.pk:
            raise DomainError(_("This point belongs to another product's checklist."))
        point.product = product
        point.full_clean()
        point._history_user = by
        point.save()
    return points
