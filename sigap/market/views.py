from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models.functions import Substr
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sigap.accounts.access import may_sell
from sigap.accounts.models import Role
from sigap.lib.client import client_address
from sigap.lib.errors import DomainError, show_on_form
from sigap.lib.export import export_response, requested_format
from sigap.lib.phone import whatsapp_link
from sigap.market import catalogue_cache, selectors, services
from sigap.market.forms import (
    CatalogueFilterForm, InquiryForm, ListingForm, PartnerChoiceForm, SaleForm, TakeDownForm,
)
from sigap.market.models import Channel, Inquiry, Listing, Sale
from sigap.regions.models import Region

CATALOGUE_PAGE = 12


def catalogue(request):
    """Public: partners' products, searchable, light enough for a slow phone connection."""
    key = catalogue_cache.key_for(request)
    results = cache.get(key) if key else None
    if results is None:
        listings = Listing.objects.published().select_related("partner__region__parent", "product")
        # Only regencies that have something in the catalogue, in the same query rather than a list built in Python.
        listed = Listing.objects.published().annotate(regency=Substr("partner__region_id", 1, 5)).values("regency")
        regencies = Region.objects.regencies().filter(code__in=listed)
        filters = CatalogueFilterForm(request.GET or None, regencies=regencies)
        if filters.is_bound:
            listings = filters.apply(listings)
        page = Paginator(listings.order_by("-updated_at", "pk"), CATALOGUE_PAGE).get_page(request.GET.get("page"))
        results = render_to_string("market/_catalogue_results.html", {"page": page, "filters": filters}, request)
        if key:
            cache.set(key, results, catalogue_cache.SECONDS)
    return render(request, "market/catalogue.html", {"results": results})


@require_http_methods(["GET", "POST"])
def listing_public(request, pk):
    listing = get_object_or_404(Listing.objects.published().select_related("partner__region__parent", "product"),
                                pk=pk)
    form = InquiryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.inquiry_send(listing=listing, address=client_address(request), name=data["name"],
                                  phone=data["phone"], quantity=data["quantity"], message=data["message"],
                                  honeypot=data["website"])
        except DomainError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("Your message was sent to %(partner)s. They will contact you.")
                             % {"partner": listing.partner.name})
            return redirect(listing)
    text = _("Hello %(partner)s, I am interested in %(title)s (SIGAP catalogue).") % {
        "partner": listing.partner.name, "title": listing.title}
    return render(request, "market/listing_public.html", {
        "listing": listing, "form": form, "whatsapp": whatsapp_link(listing.whatsapp, text),
        "page_url": request.build_absolute_uri(listing.get_absolute_url()),
    })


def _market_user(user):
    if not (user.has_region_scope or user.role == Role.PARTNER):
        raise PermissionDenied


def _require_seller(user):
    """Listings and sales are kept by partner users and officers; buyers' data is theirs alone."""
    if not may_sell(user):
        raise PermissionDenied


@login_required
def my_listings(request):
    _market_user(request.user)
    listings = Listing.objects.visible_to(request.user).select_related("partner", "product")
    taken_down = bool(request.GET.get("taken_down"))  # from the home page: the listings to fix
    if taken_down:
        listings = listings.taken_down()
    return render(request, "market/my_listings.html", {
        "listings": listings, "can_create": may_sell(request.user), "taken_down": taken_down,
    })


@login_required
@require_http_methods(["GET", "POST"])
def listing_edit(request, pk=None):
    _market_user(request.user)
    listing = get_object_or_404(Listing.objects.visible_to(request.user), pk=pk) if pk else None
    _require_seller(request.user)
    form = ListingForm(request.POST or None, request.FILES or None, instance=listing,
                       initial=None if listing else {"whatsapp": getattr(request.user.partner, "phone", "")})
    chooser = None if listing or request.user.role == Role.PARTNER else PartnerChoiceForm(
        request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid() and (chooser is None or chooser.is_valid()):
        partner = listing.partner if listing else (request.user.partner if chooser is None
                                                   else chooser.cleaned_data["partner"])
        data = dict(form.cleaned_data)
        photo = data.pop("photo", None)
        try:
            services.listing_save(by=request.user, partner=partner,
                                          listing=Listing.objects.get(pk=pk) if pk else None, photo=photo, **data)
        except DomainError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("Listing saved."))
            return redirect("market:my-listings")
    return render(request, "market/listing_form.html", {"form": form, "chooser": chooser, "listing": listing})


@login_required
@require_POST
def listing_take_down(request, pk):
    listing = get_object_or_404(Listing.objects.visible_to(request.user), pk=pk)
    form = TakeDownForm(request.POST)
    try:
        if request.POST.get("action") == "restore":
            services.listing_restore(listing=listing, by=request.user)
        elif form.is_valid():
            services.listing_take_down(listing=listing, by=request.user, reason=form.cleaned_data["reason"])
        else:
            raise DomainError(_("Give the reason, so the partner can fix the listing."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("market:my-listings")


@login_required
def inquiry_list(request):
    _require_seller(request.user)
    inquiries = Inquiry.objects.visible_to(request.user).select_related("listing__partner")
    unanswered = request.GET.get("status") == "new"  # from the home page: the questions still to answer
    if unanswered:
        inquiries = inquiries.unanswered()
    return render(request, "market/inquiry_list.html", {"inquiries": inquiries[:200], "unanswered": unanswered})


@login_required
@require_POST
def inquiry_answered(request, pk):
    inquiry = get_object_or_404(Inquiry.objects.visible_to(request.user), pk=pk)
    try:
        services.inquiry_mark_answered(inquiry=inquiry, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("market:inquiries")


def _listed_sales(request):
    """The sales the list shows, of the year asked for when it is one, and that year ("" for all years); the
    export starts from the same."""
    _market_user(request.user)
    sales = Sale.objects.visible_to(request.user)
    year = request.GET.get("year", "")
    if year.isdigit() and 2000 <= int(year) <= 2100:
        return sales.filter(sold_on__year=int(year)), year
    return sales, ""


@login_required
def sale_list(request):
    sales, year = _listed_sales(request)
    if request.GET.get("year") and not year:
        messages.warning(request, _("%(year)s is not a year; showing all years.") % {"year": request.GET["year"][:10]})
    page = Paginator(sales.select_related("partner", "product"), 50).get_page(request.GET.get("page"))
    return render(request, "market/sale_list.html", {
        "page": page, "year": year,
        "total": selectors.revenue_total(sales),
        "by_channel": [{**row, "label": Channel(row["channel"]).label}
                       for row in selectors.revenue_by(sales, "channel")],
        "by_product": selectors.revenue_by(sales, "product__name"),
        "by_partner": selectors.revenue_by(sales, "partner__name"),
        "by_month": selectors.revenue_by_month(sales),
    })


@login_required
def sale_export(request):
    """The sales of the year shown (or all years), newest first."""
    sales, _year = _listed_sales(request)
    sales = sales.select_related("partner", "product").order_by("-sold_on", "-pk")
    header = [_("Date"), _("IKM partner"), _("Product"), _("Quantity"), _("Unit price (Rp)"), _("Amount (Rp)"),
              _("Channel"), _("Marketplace or shop"), _("Buyer")]

    def rows():
        for sale in sales.iterator(chunk_size=1000):
            yield [sale.sold_on.isoformat(), sale.partner.name, sale.product.name, sale.quantity, sale.unit_price,
                   sale.amount, sale.get_channel_display(), sale.marketplace, sale.get_buyer_type_display()]

    return export_response(requested_format(request), "penjualan", header, rows())


@login_required
@require_http_methods(["GET", "POST"])
def sale_create(request):
    _market_user(request.user)
    _require_seller(request.user)
    form = SaleForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.sale_record(by=request.user, **form.cleaned_data)
        except DomainError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("Sale recorded."))
            return redirect("market:sales")
    return render(request, "market/sale_form.html", {"form": form})
