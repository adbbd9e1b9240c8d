from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sigap.accounts.access import require_officer, require_region_scope
from sigap.lib.errors import DomainError, show_on_form
from sigap.lib.export import export_response, local_time, requested_format
from sigap.lib.lines import bound_lines
from sigap.production.selectors import material_yield
from sigap.stock import services
from sigap.stock.forms import (
    AdjustmentForm, IssueForm, LineFormSet, ReceiptForm, StockFilterForm, TransferForm, VoidForm,
)
from sigap.stock.models import Balance, DocumentKind, Location, Movement, StockDocument

PAGE_SIZE = 50


def _require_reader(user):
    if not (user.has_region_scope or user.partner_id):
        raise PermissionDenied


def _listed(request, model):
    """The balances (or movements) the list shows: those of the user's locations, through the list's filters.
    The exports start from the same."""
    _require_reader(request.user)
    filters = StockFilterForm(request.GET or None, user=request.user)
    return filters, filters.apply(model.objects.filter(location__in=Location.objects.visible_to(request.user)))


@login_required
def balance_list(request):
    filters, balances = _listed(request, Balance)
    balances = balances.exclude(quantity=0).select_related("item", "location__region").order_by(
        "location__name", "item__name")
    page = Paginator(balances, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "stock/balance_list.html", {"filters": filters, "page": page})


@login_required
def balance_export(request):
    """Stock on hand with the current filters."""
    _filters, balances = _listed(request, Balance)
    balances = balances.exclude(quantity=0).select_related("item", "location").order_by(
        "location__name", "item__name", "pk")
    header = [_("Location"), _("Kind"), _("Item code"), _("Item"), _("On hand"), _("Unit")]

    def rows():
        for balance in balances.iterator(chunk_size=1000):
            yield [balance.location.name, balance.location.get_kind_display(), balance.item.code, balance.item.name,
                   balance.quantity, balance.item.get_unit_display()]

    return export_response(requested_format(request), "stok", header, rows())


@login_required
def movement_list(request):
    filters, movements = _listed(request, Movement)
    movements = movements.select_related("item", "location", "posting__created_by").prefetch_related(
        "posting__document"
    )
    page = Paginator(movements.order_by("-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    _mark_readable_documents(request.user, page.object_list)
    return render(request, "stock/movement_list.html", {"filters": filters, "page": page})


def _mark_readable_documents(user, movements) -> None:
    """Sets each movement's ``readable_document``: its document when the user may open it, else None. A partner
    user sees the movements of its workshop, but of the documents only those issued to it, not the office's
    transfer out of it. One query per kind of document on the page."""
    movements = list(movements)
    by_model = defaultdict(set)
    for movement in movements:
        if (document := movement.posting.document) is not None:
            by_model[type(document)].add(document.pk)
    readable = set()
    for model, pks in by_model.items():
        if hasattr(model.objects, "visible_to"):
            found = model.objects.visible_to(user).filter(pk__in=pks).values_list("pk", flat=True)
            readable |= {(model, pk) for pk in found}
    for movement in movements:
        document = movement.posting.document
        visible = document is not None and (type(document), document.pk) in readable
        movement.readable_document = document if visible else None


@login_required
def movement_export(request):
    """The ledger's movements with the current filters, newest first."""
    _filters, movements = _listed(request, Movement)
    movements = movements.select_related("item", "location", "posting__created_by").order_by("-pk")
    header = [_("Posted"), _("Kind"), _("Item code"), _("Item"), _("Location"), _("Quantity"), _("Balance"),
              _("Unit"), _("Document or note"), _("Posted by")]

    def rows():
        for movement in movements.iterator(chunk_size=1000):
            posting = movement.posting
            yield [local_time(posting.created_at), posting.get_kind_display(), movement.item.code, movement.item.name,
                   movement.location.name, movement.quantity, movement.balance_after, movement.item.get_unit_display(),
                   posting.note, str(posting.created_by)]

    return export_response(requested_format(request), "mutasi-stok", header, rows())


@login_required
def document_list(request):
    _require_reader(request.user)
    documents = StockDocument.objects.visible_to(request.user)
    kind = request.GET.get("kind", "")
    if kind in DocumentKind.values:
        documents = documents.filter(kind=kind)
    documents = documents.select_related("office", "supplier", "source", "destination")
    page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "stock/document_list.html", {
        "page": page, "kind": kind, "kinds": DocumentKind.choices,
        "can_create": request.user.is_officer,
    })


@login_required
def document_detail(request, pk):
    document = get_object_or_404(
        StockDocument.objects.visible_to(request.user).select_related(
            "office", "supplier", "source", "destination", "created_by", "posting", "voided_posting"),
        pk=pk,
    )
    return render(request, "stock/document_detail.html", {
        "document": document,
        "lines": document.lines.select_related("item", "source"),
        "movements": Movement.objects.filter(posting__in=[p for p in (document.posting, document.voided_posting) if p])
        .select_related("item", "location").order_by("pk"),
        "void_form": VoidForm() if request.user.is_officer and not document.is_void else None,
    })


def _document_view(request, *, form_class, record, template_title, initial=None, lines_initial=None):
    require_officer(request.user)
    form = form_class(request.POST or None, user=request.user, initial=initial)
    lines = bound_lines(LineFormSet, request, form, initial=lines_initial)
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        try:
            with transaction.atomic():
                document = record(form.cleaned_data, lines.lines())
        except DomainError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("%(number)s recorded.") % {"number": document.number})
            return redirect("stock:document-detail", pk=document.pk)
    return render(request, "stock/document_form.html", {"form": form, "lines": lines, "title": template_title})


@login_required
@require_http_methods(["GET", "POST"])
def receipt_create(request):
    def record(data, lines):
        return services.receipt_record(office=data["office"], supplier=data["supplier"], date=data["date"],
                                       reference=data["reference"], note=data["note"], lines=lines, by=request.user)

    return _document_view(request, form_class=ReceiptForm, record=record, template_title=_("Record a material receipt"),
                          initial=_prefilled_office(request), lines_initial=_prefilled_lines(request))


def _prefilled_office(request) -> dict:
    """?office=<id> from a refusal elsewhere (a kit the store could not cover) starts the form at that office."""
    office = request.GET.get("office", "")
    return {"office": int(office)} if office.isdigit() else {}


def _prefilled_lines(request) -> list[dict]:
    """?item=<id>&quantity=<missing>, repeated: the lines a refusal elsewhere found missing. Anything malformed
    is left out; the form checks the rest when it is sent."""
    lines = []
    for item, quantity in zip(request.GET.getlist("item"), request.GET.getlist("quantity")):
        try:
            quantity = Decimal(quantity)
        except InvalidOperation:
            continue
        if item.isdigit() and quantity.is_finite() and quantity > 0:
            lines.append({"item": int(item), "quantity": quantity})
    return lines[:10]


@login_required
@require_http_methods(["GET", "POST"])
def issue_create(request):
    def record(data, lines):
        return services.issue_record(office=data["office"], recipient=data["recipient"], date=data["date"],
                                     note=data["note"], lines=lines, by=request.user)

    return _document_view(request, form_class=IssueForm, record=record, template_title=_("Issue materials"))


@login_required
@require_http_methods(["GET", "POST"])
def transfer_create(request):
    def record(data, lines):
        return services.transfer_record(office=data["office"], source=data["source"], destination=data["destination"],
                                        date=data["date"], note=data["note"], lines=lines, by=request.user)

    return _document_view(request, form_class=TransferForm, record=record, template_title=_("Transfer stock"))


@login_required
@require_POST
def document_void(request, pk):
    document = get_object_or_404(StockDocument.objects.visible_to(request.user), pk=pk)
    require_officer(request.user)
    form = VoidForm(request.POST)
    if form.is_valid():
        try:
            services.document_void(document=document, by=request.user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(number)s is void; its stock movements were reversed.")
                             % {"number": document.number})
    else:
        messages.error(request, _("Give the reason for voiding."))
    return redirect("stock:document-detail", pk=document.pk)


@login_required
@require_http_methods(["GET", "POST"])
def adjustment_create(request):
    require_officer(request.user)
    form = AdjustmentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            adjustment = services.adjustment_record(by=request.user, **form.cleaned_data)
        except DomainError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("Stock count recorded."))
            return redirect(adjustment.get_absolute_url())
    return render(request, "stock/adjustment_form.html", {"form": form})


@login_required
def yield_report(request):
    require_region_scope(request.user)
    rows = material_yield(Location.objects.visible_to(request.user))
    return render(request, "stock/yield_report.html", {"rows": rows})
