from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sigap.accounts.models import Role
from sigap.handovers import services
from sigap.handovers.certificate import certificate_pdf
from sigap.handovers.forms import (
    AllocationForm, HandoverForm, HandoverLineFormSet, ReceiptForm, RequestForm, RequestLineFormSet, VoidForm,
)
from sigap.handovers.models import Handover, ProductionOrder, Status, SupplyRequest
from sigap.items.models import Item
from sigap.lib.errors import DomainError, show_on_form
from sigap.partners.models import Partner

PAGE_SIZE = 25


def _reader(user):
    if not (user.has_region_scope or user.role == Role.AGENCY):
        raise PermissionDenied


@login_required
def handover_list(request):
    _reader(request.user)
    handovers = Handover.objects.visible_to(request.user).select_related("office", "receiver")
    status = request.GET.get("status", "")
    if status in Status.values:
        handovers = handovers.filter(status=status)
    page = Paginator(handovers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "handovers/handover_list.html", {
        "page": page, "status": status, "statuses": Status.choices, "can_create": request.user.is_officer,
    })


@login_required
def handover_detail(request, pk):
    handover = get_object_or_404(
        Handover.objects.visible_to(request.user).select_related("office", "receiver", "request", "received_by"),
        pk=pk)
    user = request.user
    may_confirm = user.role == Role.AGENCY and user.organisation_id == handover.receiver_id \
        and handover.status == Status.HANDED_OVER
    return render(request, "handovers/handover_detail.html", {
        "handover": handover, "lines": handover.lines.select_related("product", "batch"),
        "receipt_form": ReceiptForm(lines=handover.lines.select_related("product")) if may_confirm else None,
        "void_form": VoidForm() if user.is_officer and handover.status != Status.VOID else None,
        "verify_url": request.build_absolute_uri(handover.get_verification_url()),
    })


@login_required
@require_http_methods(["GET", "POST"])
def handover_create(request):
    if not request.user.is_officer:
        raise PermissionDenied
    form = HandoverForm(request.POST or None, user=request.user)
    lines = HandoverLineFormSet(request.POST or None, prefix="lines", form_kwargs={"user": request.user})
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        try:
            with transaction.atomic():
                handover = services.handover_create(by=request.user, lines=lines.lines(), **form.cleaned_data)
        except DomainError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("Handover %(number)s recorded.") % {"number": handover.number})
            return redirect(handover)
    return render(request, "handovers/handover_form.html", {"form": form, "lines": lines})


@login_required
def certificate(request, pk):
    handover = get_object_or_404(Handover.objects.visible_to(request.user).select_related("office", "receiver"),
                                 pk=pk)
    pdf = certificate_pdf(handover, verify_url=request.build_absolute_uri(handover.get_verification_url()))
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = handover.number.replace("/", "-")
    response["Content-Disposition"] = f'inline; filename="BAST-{filename}.pdf"'
    return response


@login_required
@require_POST
def confirm_receipt(request, pk):
    handover = get_object_or_404(Handover.objects.visible_to(request.user), pk=pk)
    form = ReceiptForm(request.POST, lines=handover.lines.select_related("product"))
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
    if not request.user.is_officer:
        raise PermissionDenied
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
        "handover": handover, "lines": handover.lines.select_related("product"),
    })


@login_required
def request_list(request):
    _reader(request.user)
    requests = SupplyRequest.objects.visible_to(request.user).select_related("agency", "office").prefetch_related(
        "lines__product")
    status = request.GET.get("status", "open")
    if status != "all":
        requests = requests.filter(status=status)
    return render(request, "handovers/request_list.html", {
        "requests": requests, "status": status,
        "can_create": request.user.is_officer or request.user.role == Role.AGENCY,
    })


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request):
    if not (request.user.is_officer or request.user.role == Role.AGENCY):
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
        candidates = list(Partner.objects.in_region(supply_request.office.region_id).active()
                          .filter(capabilities__item=line.line.product).order_by("name"))
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
    if not request.user.is_officer:
        raise PermissionDenied
    product = get_object_or_404(Item.objects.products(), pk=product_pk)
    candidates = list(Partner.objects.in_region(supply_request.office.region_id).active()
                      .filter(capabilities__item=product).order_by("name"))
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
    if not (request.user.has_region_scope or request.user.partner_id):
        raise PermissionDenied
    orders = ProductionOrder.objects.visible_to(request.user).select_related("partner", "product",
                                                                              "request__agency")
    return render(request, "handovers/order_list.html", {"orders": orders})
