from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _, ngettext
from django.views.decorators.http import require_http_methods

from sigap.accounts.access import require_officer
from sigap.accounts.models import Role
from sigap.items.models import Item
from sigap.lib.errors import DomainError, show_on_form
from sigap.lib.export import export_response, requested_format
from sigap.lib.spreadsheet import CodeList, import_page, read_only_label, template_response
from sigap.partners.models import Partner
from sigap.production.forms import PRODUCTION_IMPORT_COLUMNS, BatchFilterForm, BatchForm
from sigap.production.models import Batch
from sigap.production.services import production_import, production_record
from sigap.stock.models import Movement

PAGE_SIZE = 25
REPORTERS = {Role.ADMIN, Role.PROVINCIAL_OFFICER, Role.DISTRICT_OFFICER, Role.INSTRUCTOR, Role.PARTNER}


def _may_report(user) -> bool:
    return user.is_superuser or user.role in REPORTERS


def _require_batch_reader(user):
    """Office staff read their region's production reports, a partner user its own; the API asks the same."""
    if not (user.has_region_scope or user.partner_id):
        raise PermissionDenied


def _listed_batches(request):
    """The batches the list shows, through its filters; the export starts from the same."""
    _require_batch_reader(request.user)
    filters = BatchFilterForm(request.GET or None)
    return filters, filters.apply(Batch.objects.visible_to(request.user))


@login_required
def batch_list(request):
    filters, batches = _listed_batches(request)
    batches = batches.select_related("product", "producer_partner", "producer_person", "training", "inspection")
    page = Paginator(batches, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "production/batch_list.html", {
        "filters": filters, "page": page, "can_create": _may_report(request.user),
    })


@login_required
def batch_export(request):
    """The batch list with the current filters, with what inspection accepted of each."""
    _filters, batches = _listed_batches(request)
    batches = batches.select_related("product", "producer_partner", "producer_person", "training", "inspection")
    with_nik = request.user.can_see_nik
    header = [str(column.label) for column in PRODUCTION_IMPORT_COLUMNS if with_nik or column.key != "person_nik"]
    header += [read_only_label(label) for label in (_("Producer"), _("Product"), _("Accepted"), _("Rejected"),
                                                    _("Status"), _("Training"))]

    def rows():
        """The import template's columns (an edited export imports back), then read-only ones."""
        for batch in batches.order_by("-produced_on", "-pk").iterator(chunk_size=1000):
            inspection = getattr(batch, "inspection", None)
            partner, person = batch.producer_partner, batch.producer_person
            row = [batch.code, partner.nib if partner else ""]
            row += [person.nik if person else ""] if with_nik else []
            row += [batch.product.code, batch.quantity, batch.produced_on, batch.note,
                    batch.producer.name if batch.producer else "", batch.product.name,
                    inspection.accepted if inspection else None, inspection.rejected if inspection else None,
                    batch.get_status_display(), batch.training.title if batch.training else ""]
            yield row

    return export_response(requested_format(request), "produksi", header, rows(), sheet=_("Production reports"))


@login_required
def batch_detail(request, pk):
    batch = get_object_or_404(
        Batch.objects.visible_to(request.user).select_related(
            "product", "producer_partner", "producer_person", "training", "reported_by", "location"),
        pk=pk,
    )
    inspection = getattr(batch, "inspection", None)
    movements = (
        Movement.objects.filter(posting_id=inspection.posting_id).select_related("item", "location").order_by("pk")
        if inspection and inspection.posting_id else []
    )
    return render(request, "production/batch_detail.html", {
        "batch": batch, "inspection": inspection, "movements": movements,
        "lines": batch.lines.select_related("person") if batch.is_class_batch else [],
        "can_inspect": request.user.role == Role.HEALTH_EXPERT and batch.status == "awaiting",
    })


@login_required
@require_http_methods(["GET", "POST"])
def batch_create(request):
    if not _may_report(request.user):
        raise PermissionDenied
    partner = request.GET.get("partner", "")  # from a partner's page: "register production" for that partner
    form = BatchForm(request.POST or None, user=request.user,
                     initial={"partner": partner} if partner.isdigit() else None)
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


@login_required
@require_http_methods(["GET", "POST"])
def batch_import(request):
    """Production reports from an Excel file, all or none; the problems of every row are listed when there are
    any. Officers only: partners and instructors report batch by batch."""
    require_officer(request.user)
    return import_page(
        request, title=_("Import production reports"), columns=PRODUCTION_IMPORT_COLUMNS, run=production_import,
        done=lambda count: ngettext("%(count)s batch recorded; it now awaits inspection.",
                                    "%(count)s batches recorded; they now await inspection.", count) % {"count": count},
        template_url=reverse("production:import-template"), back_url=reverse("production:list"),
        confirm_duplicates=True)


@login_required
def batch_import_template(request):
    """The Excel template, with the products and the officer's active partners."""
    require_officer(request.user)
    return template_response("impor-produksi", PRODUCTION_IMPORT_COLUMNS, title=_("Production reports"), lists=[
        CodeList(_("Products"), [_("Code"), _("Name")], Item.objects.products().active().values_list("code", "name"),
                 column="product"),
        CodeList(_("IKM partners"), [_("NIB"), _("Name")],
                 Partner.objects.visible_to(request.user).active().order_by("name").values_list("nib", "name"),
                 column="partner_nib"),
    ])
