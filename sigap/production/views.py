from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sigap.accounts.models import Role
from sigap.lib.errors import DomainError, show_on_form
from sigap.production.forms import BatchFilterForm, BatchForm
from sigap.production.models import Batch
from sigap.production.services import production_record
from sigap.stock.models import Movement

PAGE_SIZE = 25
REPORTERS = {Role.ADMIN, Role.PROVINCIAL_OFFICER, Role.DISTRICT_OFFICER, Role.INSTRUCTOR, Role.PARTNER}


def _may_report(user) -> bool:
    return user.is_superuser or user.role in REPORTERS


@login_required
def batch_list(request):
    if not (request.user.has_region_scope or request.user.partner_id):
        raise PermissionDenied
    filters = BatchFilterForm(request.GET or None)
    batches = Batch.objects.visible_to(request.user)
    if filters.is_valid():
        if filters.cleaned_data["status"]:
            batches = batches.filter(status=filters.cleaned_data["status"])
        if filters.cleaned_data["product"]:
            batches = batches.filter(product=filters.cleaned_data["product"])
    batches = batches.select_related("product", "producer_partner", "producer_person", "inspection")
    page = Paginator(batches, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "production/batch_list.html", {
        "filters": filters, "page": page, "can_create": _may_report(request.user),
    })


@login_required
def batch_detail(request, pk):
    batch = get_object_or_404(
        Batch.objects.visible_to(request.user).select_related(
            "product", "producer_partner", "producer_person", "reported_by", "location"),
        pk=pk,
    )
    inspection = getattr(batch, "inspection", None)
    movements = (
        Movement.objects.filter(posting_id=inspection.posting_id).select_related("item", "location").order_by("pk")
        if inspection and inspection.posting_id else []
    )
    return render(request, "production/batch_detail.html", {
        "batch": batch, "inspection": inspection, "movements": movements,
        "can_inspect": request.user.role == Role.HEALTH_EXPERT and batch.status == "awaiting",
    })


@login_required
@require_http_methods(["GET", "POST"])
def batch_create(request):
    if not _may_report(request.user):
        raise PermissionDenied
    form = BatchForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            batch = production_record(producer=data["producer"], product=data["product"], quantity=data["quantity"],
                                      produced_on=data["produced_on"], code=data["code"], note=data["note"],
                                      by=request.user)
        except DomainError as error:
            show_on_form(form, error, aliases={"producer": "partner"})
        else:
            messages.success(request, _("Batch %(code)s recorded; it now awaits inspection.") % {"code": batch.code})
            return redirect("production:detail", pk=batch.pk)
    return render(request, "production/batch_form.html", {"form": form})
