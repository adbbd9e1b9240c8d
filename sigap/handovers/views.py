from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sigap.accounts.access import require_officer
from sigap.accounts.models import Role
from sigap.handovers import services
from sigap.handovers.certificate import certificate_pdf
from sigap.handovers.forms import (
    AllocationForm, HandoverForm, HandoverLineFormSet, ReceiptForm, RequestForm, RequestLineFormSet, VoidForm,
)
from sigap.handovers.models import Handover, ProductionOrder, Status, SupplyRequest
from sigap.items.models import Item
from sigap.lib.errors import DomainError, show_on_form
from sigap.lib.export import export_response, local_time, requested_format
from sigap.lib.lines import bound_lines
from sigap.lib.pdf import pdf_response
from sigap.partners.models import Partner
from sigap.stock.ledger import InsufficientStock

PAGE_SIZE = 25


def _reader(user):
    if not (user.has_region_scope or user.role == Role.AGENCY):
        raise PermissionDenied


def _is_receiver(user, handover) -> bool:
    """Whether the user speaks for the organisation that received the handover (and so confirms its receipt)."""
    return user.role == Role.AGENCY and user.organisation_id == handover.receiver_id


def _may_request(user) -> bool:
    """Agency users ask for goods; officers record a request on an agency's behalf."""
    return user.is_officer or user.role == Role.AGENCY


def _require_order_reader(user):
    if not (user.has_region_scope or user.partner_id):
        raise PermissionDenied


def _allocation_candidates(supply_request, product) -> list:
    """The partners an allocation of the product may go to: active ones of the office's region that make it."""
    return list(Partner.objects.in_region(supply_request.office.region_id).active()
                .filter(capabilities__item=product).order_by("name"))


def _listed_handovers(request):
    """The handovers the list shows and the status it is filtered by; the export starts from the same."""
    _reader(request.user)
    handovers = Handover.objects.visible_to(request.user)
    status = request.GET.get("status", "")
    if status in Status.values:
        handovers = handovers.filter(status=status)
    return status, handovers


@login_required
def handover_list(request):
    status, handovers = _listed_handovers(request)
    page = Paginator(handovers.select_related("office", "receiver"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "handovers/handover_list.html", {
        "page": page, "status": status, "statuses": Status.choices, "can_create": request.user.is_officer,
    })


@login_required
def handover_export(request):
    """The handover list with the current status filter, one row per certificate with what it handed over."""
    _status, handovers = _listed_handovers(request)
    handovers = handovers.select_related("office", "receiver").prefetch_related("lines").order_by(
        "-handed_over_on", "-pk")
    header = [_("Number"), _("Date"), _("Place"), _("Giving office"), _("Giver's signatory"),
              _("Receiving organisation"), _("Receiver's signatory"), _("Purpose"), _("Products"), _("Status"),
              _("Receipt confirmed at")]

    def rows():
        for handover in handovers.iterator(chunk_size=1000):
            lines = _lines_text((line.quantity, line.product_name) for line in handover.lines.all())
            yield [handover.number, handover.handed_over_on.isoformat(), handover.place, handover.office.name,
                   handover.giver_name, handover.receiver.name, handover.receiver_name,
                   handover.get_purpose_display(), lines, handover.get_status_display(),
                   local_time(handover.received_at)]

    return export_response(requested_format(request), "serah-terima", header, rows())


def _lines_text(lines) -> str:
    """"50 Baju hazmat; 100 Masker kain" from (quantity, product name) pairs."""
    return "; ".join(f"{quantity} {name}" for quantity, name in lines)


@login_required
def handover_detail(request, pk):
    handover = get_object_or_404(
        Handover.objects.visible_to(request.user).select_related("office", "receiver", "request", "received_by"),
        pk=pk)
    user = request.user
    may_confirm = _is_receiver(user, handover) and handover.status == Status.HANDED_OVER
    return render(request, "handovers/handover_detail.html", {
        "handover": handover, "lines": handover.lines.select_related("batch"),
        "receipt_form": ReceiptForm(lines=handover.lines.all()) if may_confirm else None,
        "void_form": VoidForm() if user.is_officer and handover.status != Status.VOID else None,
        "verify_url": request.build_absolute_uri(handover.get_verification_url()),
    })


@login_required
@require_http_methods(["GET", "POST"])
def handover_create(request):
    require_officer(request.user)
    form = HandoverForm(request.POST or None, user=request.user)
    lines = bound_lines(HandoverLineFormSet, request, form, form_kwargs={"user": request.user})
    may_gather = False
    # "back" comes from the transfer's confirmation page: show the form again with its values, record nothing.
    if request.method == "POST" and "back" not in request.POST and form.is_valid() and lines.is_valid():
        try:
            with transaction.atomic():
                handover = services.handover_create(by=request.user, lines=lines.lines(), **form.cleaned_data)
        except InsufficientStock as error:
            show_on_form(form, error)
            # The goods may still be at a partner's workshop or a participant's home: offer to bring them in.
            may_gather = bool(services.handover_gathering_plan(office=form.cleaned_data["office"],
                                                               lines=lines.lines(), by=request.user))
        except DomainError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("Handover %(number)s recorded.") % {"number": handover.number})
            return redirect(handover)
    return render(request, "handovers/handover_form.html", {"form": form, "lines": lines, "may_gather": may_gather})


CONFIRMATION_FIELDS = ("csrfmiddlewaretoken", "plan", "confirm", "back")


def _posted_values(request) -> list[tuple[str, str]]:
    """The handover form's values as they were posted, carried through the confirmation page unchanged."""
    return [(name, value) for name, values in request.POST.lists() if name not in CONFIRMATION_FIELDS
            for value in values]


@login_required
@require_POST
def handover_gather(request):
    """Transfer the goods from where they are to the store, then hand them over: first a page that lists the
    transfer and the handover, then, once confirmed, both in one service call."""
    require_officer(request.user)
    form = HandoverForm(request.POST, user=request.user)
    lines = HandoverLineFormSet(request.POST, prefix="lines", form_kwargs={"user": request.user})
    if not (form.is_valid() and lines.is_valid()):
        return render(request, "handovers/handover_form.html", {"form": form, "lines": lines})
    office = form.cleaned_data["office"]
    if "confirm" in request.POST:
        try:
            handover = services.handover_create_gathered(by=request.user, lines=lines.lines(),
                                                         confirmed_plan=request.POST.get("plan", ""),
                                                         **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Goods moved into the store and handover %(number)s recorded.")
                             % {"number": handover.number})
            return redirect(handover)
    moves = services.handover_gathering_plan(office=office, lines=lines.lines(), by=request.user)
    return render(request, "handovers/handover_gather.html", {
        "form": form, "moves": moves, "plan": services.plan_key(moves) if moves is not None else "",
        "handover_lines": lines.lines(), "values": _posted_values(request), "store": office.name,
    })


@login_required
def certificate(request, pk):
    handover = get_object_or_404(Handover.objects.visible_to(request.user).select_related("office", "receiver"),
                                 pk=pk)
    pdf = certificate_pdf(handover, verify_url=request.build_absolute_uri(handover.get_verification_url()))
    return pdf_response(pdf, f"BAST-{handover.number.replace('/', '-')}.pdf")


@login_required
@require_POST
def confirm_receipt(request, pk):
    handover = get_object_or_404(Handover.objects.visible_to(request.user), pk=pk)
    form = ReceiptForm(request.POST, lines=handover.lines.all())
    if not form.is_valid():
        messages.error(request, _("Check the quantities received."))
        return redirect(handover)
    try:
        services.handover_confirm_receipt(handover=handover, by=request.user, received=form.received(),
                                          note=form.cleaned_data["note"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Receipt confirmed. Thank you."))
    return redirect(handover)


@login_required
@require_POST
def void(request, pk):
    handover = get_object_or_404(Handover.objects.visible_to(request.user), pk=pk)
    require_officer(request.user)
    form = VoidForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Give the reason for voiding."))
        services.handover_void(handover=handover, by=request.user, reason=form.cleaned_data["reason"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(number)s is void; the goods are back in the store.")
                         % {"number": handover.number})
    return redirect(handover)


def verify(request, code):
    """Public: anyone holding a certificate scans its QR code to see that it is genuine. No personal data."""
    handover = Handover.objects.filter(verification_code=code).select_related("office", "receiver").first()
    if handover is None:
        return render(request, "handovers/verify_unknown.html", status=404)
    return render(request, "handovers/verify.html", {
        "handover": handover, "lines": handover.lines.all(),
    })


def _listed_requests(request):
    """The requests the list shows (open ones unless another status is asked for); the export starts from the
    same."""
    _reader(request.user)
    requests = SupplyRequest.objects.visible_to(request.user)
    status = request.GET.get("status", "open")
    if status != "all":
        requests = requests.filter(status=status)
    return status, requests


@login_required
def request_list(request):
    status, requests = _listed_requests(request)
    return render(request, "handovers/request_list.html", {
        "requests": requests.select_related("agency", "office").prefetch_related("lines__product"),
        "status": status,
        "can_create": _may_request(request.user),
    })


@login_required
def request_export(request):
    """The request list with the current status, one row per request with the products asked for."""
    _status, requests = _listed_requests(request)
    requests = requests.select_related("agency", "office").prefetch_related("lines__product").order_by(
        "needed_by", "pk")
    header = [_("Requesting agency"), _("Office asked"), _("Needed by"), _("Products"), _("Status"), _("Note"),
              _("Recorded")]

    def rows():
        for supply_request in requests.iterator(chunk_size=1000):
            lines = _lines_text((line.quantity, line.product.name) for line in supply_request.lines.all())
            yield [supply_request.agency.name, supply_request.office.name, supply_request.needed_by.isoformat(),
                   lines, supply_request.get_status_display(), supply_request.note,
                   local_time(supply_request.created_at)]

    return export_response(requested_format(request), "permintaan", header, rows())


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request):
    if not _may_request(request.user):
        raise PermissionDenied
    form = RequestForm(request.POST or None, user=request.user)
    lines = RequestLineFormSet(request.POST or None, prefix="lines")
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        try:
            supply_request = services.request_create(by=request.user, lines=lines.lines(), **form.cleaned_data)
        except DomainError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("Request recorded."))
            return redirect(supply_request)
    return render(request, "handovers/request_form.html", {"form": form, "lines": lines})


def _allocation_forms(supply_request, progress, data=None):
    forms = []
    for line in progress:
        shortfall, proposal = services.allocation_propose(request=supply_request, product=line.line.product,
                                                          as_of=timezone.localdate())
        if shortfall <= 0:
            continue
        candidates = _allocation_candidates(supply_request, line.line.product)
        form = AllocationForm(data, prefix=f"p{line.line.product_id}", shares=proposal.shares, candidates=candidates,
                              initial={"due_on": supply_request.needed_by})
        forms.append({"product": line.line.product, "shortfall": shortfall, "proposal": proposal, "form": form})
    return forms


@login_required
def request_detail(request, pk):
    supply_request = get_object_or_404(
        SupplyRequest.objects.visible_to(request.user).select_related("agency", "office"), pk=pk)
    progress = services.request_progress(supply_request)
    is_officer = request.user.is_officer
    return render(request, "handovers/request_detail.html", {
        "supply_request": supply_request, "progress": progress,
        "handovers": supply_request.handovers.all(),
        "orders": supply_request.orders.select_related("partner", "product"),
        "allocations": _allocation_forms(supply_request, progress) if is_officer and
        supply_request.status == "open" else [],
    })


@login_required
@require_POST
def allocate(request, pk, product_pk):
    supply_request = get_object_or_404(SupplyRequest.objects.visible_to(request.user), pk=pk)
    require_officer(request.user)
    product = get_object_or_404(Item.objects.products(), pk=product_pk)
    candidates = _allocation_candidates(supply_request, product)
    form = AllocationForm(request.POST, prefix=f"p{product.pk}", shares=[], candidates=candidates)
    try:
        if not form.is_valid():
            raise DomainError(_("Check the quantities and the due date."))
        orders = services.allocation_confirm(request=supply_request, product=product, quantities=form.quantities(),
                                             due_on=form.cleaned_data["due_on"], by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(count)s production orders sent to partners.") % {"count": len(orders)})
    return redirect(supply_request)


@login_required
def order_list(request):
    _require_order_reader(request.user)
    orders = ProductionOrder.objects.visible_to(request.user).select_related("partner", "product",
                                                                              "request__agency")
    return render(request, "handovers/order_list.html", {"orders": orders})
