from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sigap.accounts.access import require_master_data_keeper, require_region_scope
from sigap.accounts.models import Role
from sigap.items.models import Item
from sigap.lib.errors import DomainError, show_on_form
from sigap.lib.export import export_response, requested_format
from sigap.lib.files import private_file_response
from sigap.production.models import Batch
from sigap.quality.forms import CriterionFormSet, InspectionForm
from sigap.quality.models import Inspection
from sigap.quality.services import checklist_save, inspection_record


def _require_inspector(user):
    """Only health experts inspect; the API asks the same."""
    if user.role != Role.HEALTH_EXPERT:
        raise PermissionDenied


@login_required
def worklist(request):
    """The health expert's work list: batches of their region waiting for inspection, oldest first."""
    require_region_scope(request.user)
    batches = (Batch.objects.visible_to(request.user).awaiting_inspection()
               .select_related("product", "producer_partner", "producer_person", "training")
               .order_by("produced_on", "pk"))
    return render(request, "quality/worklist.html", {"batches": batches})


@login_required
def inspection_export(request):
    """Every inspection of the region's batches, newest first, for the same readers as the work list."""
    require_region_scope(request.user)
    inspections = Inspection.objects.visible_to(request.user).select_related(
        "batch__product", "batch__producer_partner", "batch__producer_person", "batch__training", "inspector"
    ).order_by("-inspected_on", "-pk")
    header = [_("Batch code"), _("Product"), _("Producer"), _("Date produced"), _("Quantity"), _("Date inspected"),
              _("Inspector"), _("Sample size"), _("Accepted"), _("Rejected"), _("Reason for rejects"), _("Notes")]

    def rows():
        for inspection in inspections.iterator(chunk_size=1000):
            batch = inspection.batch
            yield [batch.code, batch.product.name, batch.producer.name, batch.produced_on.isoformat(), batch.quantity,
                   inspection.inspected_on.isoformat(), str(inspection.inspector), inspection.sample_size,
                   inspection.accepted, inspection.rejected, inspection.reject_reason, inspection.notes]

    return export_response(requested_format(request), "pemeriksaan", header, rows())


@login_required
@require_http_methods(["GET", "POST"])
def inspect(request, batch_pk):
    batch = get_object_or_404(Batch.objects.visible_to(request.user).select_related("product", "training"),
                              pk=batch_pk)
    _require_inspector(request.user)
    if batch.status != "awaiting":
        messages.info(request, _("This batch has already been inspected."))
        return redirect("production:detail", pk=batch.pk)
    form = InspectionForm(request.POST or None, request.FILES or None, batch=batch)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inspection = inspection_record(
                batch=batch, by=request.user, inspected_on=data["inspected_on"], sample_size=data["sample_size"],
                accepted=data["accepted"], rejected=data["rejected"], reject_reason=data["reject_reason"],
                notes=data["notes"], photo=data["photo"], results=form.results(),
                line_rejections=form.line_rejections(),
            )
        except DomainError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("Inspection recorded: %(accepted)s accepted into stock.")
                             % {"accepted": inspection.accepted})
            return redirect("quality:detail", pk=inspection.pk)
    return render(request, "quality/inspection_form.html", {"form": form, "batch": batch})


@login_required
def inspection_detail(request, pk):
    inspection = get_object_or_404(
        Inspection.objects.visible_to(request.user).select_related("batch__product", "inspector"), pk=pk
    )
    return render(request, "quality/inspection_detail.html", {
        "inspection": inspection, "results": inspection.results.all(),
    })


@login_required
def inspection_photo(request, pk):
    """An inspection's photo, for the readers of the inspection only, whatever name it was stored under."""
    inspection = get_object_or_404(Inspection.objects.visible_to(request.user).exclude(photo=""), pk=pk)
    suffix = PurePosixPath(inspection.photo.name).suffix.lower()
    return private_file_response(inspection.photo, filename=f"inspection-{inspection.pk}{suffix}")


@login_required
@require_http_methods(["GET", "POST"])
def criteria_edit(request, item_pk):
    """Administrators and provincial officers keep each product's checklist, which every district inspects by."""
    require_master_data_keeper(request.user)
    product = get_object_or_404(Item.objects.products(), pk=item_pk)
    formset = CriterionFormSet(request.POST or None, instance=product)
    if request.method == "POST" and formset.is_valid():
        try:
            checklist_save(product=product, points=formset.save(commit=False), by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Checklist for %(product)s saved.") % {"product": product.name})
            return redirect("items:detail", pk=product.pk)
    return render(request, "quality/criteria_form.html", {"formset": formset, "product": product})
