import datetime
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.urls import reverse
from django.utils.translation import gettext as _, ngettext
from django.views.decorators.http import require_http_methods

from sigap.accounts.access import require_officer
from sigap.lib.errors import DomainError, show_on_form
from sigap.lib.export import export_response, requested_format
from sigap.lib.history import history_entries
from sigap.lib.phone import display_phone, mask_phone, whatsapp_link
from sigap.lib.spreadsheet import CodeList, import_page, read_only_label, region_code_lists, template_response
from sigap.organisations.models import Organisation
from sigap.partners.forms import PARTNER_IMPORT_COLUMNS, PartnerFilterForm, PartnerForm, PartnerProductFormSet
from sigap.partners.models import Partner, PartnerProduct, Sector, Status
from sigap.regions.models import region_label
from sigap.partners.services import partner_create, partner_update, partners_by_month, partners_import

PAGE_SIZE = 25


def _require_partner_reader(user):
    if not (user.has_region_scope or user.partner_id):
        raise PermissionDenied


@login_required
def partner_list(request):
    _require_partner_reader(request.user)
    filters = PartnerFilterForm(request.GET or None, user=request.user)
    partners = Partner.objects.visible_to(request.user)
    if filters.is_bound:
        partners = filters.apply(partners)
    partners = partners.select_related("region__parent", "assisting_office").prefetch_related("capabilities__item")
    page = Paginator(partners.order_by("name", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filters": filters, "page": page,
        "can_create": request.user.is_officer,
    }
    if request.headers.get("HX-Request"):
        return render(request, "partners/_partner_table.html", context)
    return render(request, "partners/partner_list.html", context)


@login_required
def partner_export(request):
    """The partner list with the current filters, as CSV or Excel; phone numbers only for roles that see them."""
    _require_partner_reader(request.user)
    fmt = requested_format(request)
    filters = PartnerFilterForm(request.GET or None, user=request.user)
    partners = Partner.objects.visible_to(request.user)
    if filters.is_bound:
        partners = filters.apply(partners)
    partners = partners.order_by("name", "pk")
    with_phone = request.user.can_see_phone
    header = [str(column.label) for column in PARTNER_IMPORT_COLUMNS if with_phone or column.key != "phone"]
    header += [read_only_label(label) for label in (_("Village or district"), _("Regency/city"), _("Status"),
                                                    _("Assisting office"), _("Products (per week)"))]
    return export_response(fmt, "mitra-ikm", header, _export_rows(partners, with_phone=with_phone),
                           sheet=_("IKM partners"))


EXPORT_CHUNK = 2000


def _export_rows(partners, *, with_phone: bool):
    """Plain values rather than model instances (a hundred thousand rows in seconds), with the products of each
    chunk of partners in one query. The columns are the import template's (so an edited export imports back),
    then read-only ones."""
    sectors, statuses = dict(Sector.choices), dict(Status.choices)
    values = partners.values_list(
        "pk", "name", "nib", "owner_name", "address", "phone", "region_id", "region__kind", "region__name",
        "region__level", "region__parent__name", "region__parent__parent__name", "sector", "status",
        "assisting_office__code", "assisting_office__name", "joined_on",
    )
    chunk = []
    for row in values.iterator(chunk_size=EXPORT_CHUNK):
        chunk.append(row)
        if len(chunk) == EXPORT_CHUNK:
            yield from _export_chunk(chunk, sectors, statuses, with_phone)
            chunk = []
    yield from _export_chunk(chunk, sectors, statuses, with_phone)


def _export_chunk(chunk, sectors, statuses, with_phone):
    products = defaultdict(list)
    for partner_id, item, capacity in (PartnerProduct.objects.filter(partner_id__in=[row[0] for row in chunk])
                                       .values_list("partner_id", "item__name", "weekly_capacity")
                                       .order_by("partner_id", "item__name")):
        products[partner_id].append(f"{item} {capacity}")
    for (pk, name, nib, owner, address, phone, region, kind, region_name, level, parent_name, grandparent_name,
         sector, status, office_code, office, joined_on) in chunk:
        row = [name, nib, owner, address, region, str(sectors.get(sector, sector)), joined_on, office_code,
               region_label(kind, region_name), (grandparent_name if level == 4 else parent_name) or "",
               str(statuses.get(status, status)), office, "; ".join(products[pk])]
        if with_phone:
            row.insert(3, display_phone(phone))
        yield row


@login_required
def partner_detail(request, pk):
    partner = get_object_or_404(
        Partner.objects.visible_to(request.user).select_related("region__parent__parent", "assisting_office"), pk=pk
    )
    may_see_phone = request.user.can_see_phone or request.user.partner_id == partner.pk
    context = {
        "partner": partner,
        "capabilities": partner.capabilities.select_related("item"),
        "phone": display_phone(partner.phone) if may_see_phone else mask_phone(partner.phone),
        "whatsapp": whatsapp_link(partner.phone) if may_see_phone else "",
        "can_edit": Partner.objects.editable_by(request.user).filter(pk=pk).exists(),
    }
    return render(request, "partners/partner_detail.html", context)


def _save_partner(request, form, formset, partner=None):
    """Runs the service; a refused rule becomes a form error and nothing is saved."""
    products = [
        (f.cleaned_data["item"], f.cleaned_data["weekly_capacity"])
        for f in formset.forms
        if f.cleaned_data and f.cleaned_data.get("item") and not f.cleaned_data.get("DELETE")
    ]
    fields = {name: value for name, value in form.cleaned_data.items() if name not in {"district", "village"}}
    try:
        with transaction.atomic():
            if partner is None:
                return partner_create(by=request.user, products=products, **fields)
            return partner_update(partner=partner, by=request.user, products=products, **fields)
    except DomainError as error:
        show_on_form(form, error)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def partner_create_view(request):
    require_officer(request.user)
    form = PartnerForm(request.POST or None, user=request.user,
                       initial={"joined_on": timezone.localdate(), "assisting_office": request.user.organisation})
    formset = PartnerProductFormSet(request.POST or None, prefix="products")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        partner = _save_partner(request, form, formset)
        if partner is not None:
            messages.success(request, _("Partner %(name)s registered.") % {"name": partner.name})
            return redirect("partners:detail", pk=partner.pk)
    return render(request, "partners/partner_form.html", {"form": form, "formset": formset})


@login_required
@require_http_methods(["GET", "POST"])
def partner_edit(request, pk):
    partner = get_object_or_404(Partner.objects.editable_by(request.user), pk=pk)
    form = PartnerForm(request.POST or None, instance=partner, user=request.user)
    formset = PartnerProductFormSet(request.POST or None, instance=partner, prefix="products")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        # The model form has already copied the posted values onto the instance; the service re-reads it.
        saved = _save_partner(request, form, formset, partner=Partner.objects.get(pk=pk))
        if saved is not None:
            messages.success(request, _("Partner %(name)s saved.") % {"name": saved.name})
            return redirect("partners:detail", pk=saved.pk)
    return render(request, "partners/partner_form.html", {"form": form, "formset": formset, "partner": partner})


@login_required
def partner_history(request, pk):
    partner = get_object_or_404(Partner.objects.visible_to(request.user), pk=pk)
    hidden = frozenset() if request.user.can_see_phone else frozenset({"phone"})
    return render(request, "partners/partner_history.html", {
        "partner": partner, "entries": history_entries(partner, hidden_fields=hidden),
    })


@login_required
def partner_growth(request):
    _require_partner_reader(request.user)
    partners = Partner.objects.visible_to(request.user)
    today = timezone.localdate()
    year = request.GET.get("year", "")
    if year.isdigit() and 2000 <= int(year) <= today.year:
        first, last = datetime.date(int(year), 1, 1), min(today, datetime.date(int(year), 12, 31))
    else:
        year = ""
        first = partners.order_by("joined_on").values_list("joined_on", flat=True).first() or today
        first, last = max(first, datetime.date(today.year - 9, 1, 1)), today  # at most ten years of rows
    rows = partners_by_month(partners, first=first, last=last)
    peak = max((row["active"] for row in rows), default=0) or 1
    for row in rows:
        row["percent"] = round(100 * row["active"] / peak)
    years = range(today.year, max(first.year, today.year - 9) - 1, -1)
    return render(request, "partners/partner_growth.html", {"rows": rows, "year": year, "years": years})


@login_required
@require_http_methods(["GET", "POST"])
def partner_import(request):
    """Partners from an Excel file, all or none; the problems of every row are listed when there are any."""
    require_officer(request.user)
    return import_page(
        request, title=_("Import IKM partners"), columns=PARTNER_IMPORT_COLUMNS, run=partners_import,
        done=lambda count: ngettext("%(count)s partner registered.", "%(count)s partners registered.",
                                    count) % {"count": count},
        template_url=reverse("partners:import-template"), back_url=reverse("partners:list"))


@login_required
def partner_import_template(request):
    """The Excel template, with the sectors, the offices and the regions the officer may use."""
    require_officer(request.user)
    return template_response("impor-mitra-ikm", PARTNER_IMPORT_COLUMNS, title=_("IKM partners"), lists=[
        CodeList(_("Offices"), [_("Code"), _("Name")], Organisation.objects.visible_to(request.user)
                 .industry_offices().values_list("code", "name"), column="assisting_office"),
        CodeList(_("Sectors"), [_("Code"), _("Name")], [(code, str(label)) for code, label in Sector.choices],
                 column="sector"),
        *region_code_lists(request.user),
    ])

