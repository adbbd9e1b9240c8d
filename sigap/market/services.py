"""Listings, inquiries and sales. A partner keeps its own listings; the assisting office may take one down."""

import datetime
import hashlib
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from lokal import parse_phone

from sigap.accounts.models import Role
from sigap.dashboards import figures
from sigap.dashboards.models import Measure
from sigap.lib.dates import check_document_date
from sigap.lib.counters import count_up
from sigap.lib.errors import DomainError
from sigap.lib.files import delete_unused_on_commit
from sigap.lib.images import check_image, resized_jpeg
from sigap.market.models import MAX_PRICE, BuyerType, Channel, Inquiry, Listing, Sale
from sigap.partners.models import Partner
from sigap.stock import ledger
from sigap.stock.models import PostingKind
from sigap.stock.services import location_for_partner

LISTING_FIELDS = ["product", "title", "description", "price", "min_order", "lead_time_days", "whatsapp",
                  "is_published"]
INQUIRIES_PER_HOUR = 5  # from one buyer's phone number at one address
INQUIRIES_PER_ADDRESS_HOUR = 30  # from one address, whoever sends them: a mobile carrier puts many buyers behind one


def _check_partner_access(*, by, partner: Partner) -> None:
    if by.role == Role.PARTNER and by.partner_id == partner.pk:
        return
    if by.is_officer and Partner.objects.editable_by(by).filter(pk=partner.pk).exists():
        return
    raise DomainError(_("You can only keep the listings and sales of your own business."))


def _check_money(value: Decimal, field: str) -> None:
    if value is None or value <= 0 or value > MAX_PRICE:
        raise DomainError(_("Enter a price between Rp 1 and Rp 100.000.000."), field=field)


def _attach_photo(listing: Listing, photo) -> None:
    check_image(photo)
    name = uuid.uuid4().hex
    listing.photo.save(f"{name}.jpg", ContentFile(resized_jpeg(photo, longest=1200)), save=False)
    listing.thumbnail.save(f"{name}-480.jpg", ContentFile(resized_jpeg(photo, longest=480, quality=72)), save=False)
    # The catalogue's grid shows a photo about 160 px wide on a phone: a small one keeps a page of them light.
    listing.thumbnail_small.save(f"{name}-240.jpg", ContentFile(resized_jpeg(photo, longest=240, quality=70)),
                                 save=False)


@transaction.atomic
def listing_save(*, by, partner: Partner, listing: Listing | None = None, photo=None, **fields) -> Listing:
    """Create or change a listing. Photos are checked, resized and re-encoded before they are stored; a replaced
    photo's files are deleted when the change commits."""
    _check_partner_access(by=by, partner=partner)
    if listing is not None and listing.partner_id != partner.pk:
        raise DomainError(_("You can only keep the listings and sales of your own business."))
    product = fields.get("product", listing.product if listing else None)
    if product is None or product.kind != "product":
        raise DomainError(_("Choose a product, not a raw material."), field="product")
    if "price" in fields:
        _check_money(fields["price"], "price")
    if "min_order" in fields and not 1 <= fields["min_order"] <= 1_000_000:
        raise DomainError(_("The minimum order must be between 1 and 1.000.000."), field="min_order")
    if "whatsapp" in fields:
        info = parse_phone(fields["whatsapp"] or "")
        if not info.valid or not info.whatsapp:
            raise DomainError(_("Enter a mobile number (08…) so WhatsApp can reach it."), field="whatsapp")
        fields["whatsapp"] = info.e164
    listing = listing or Listing(partner=partner)
    for name in LISTING_FIELDS:
        if name in fields:
            setattr(listing, name, fields[name])
    listing.full_clean()
    replaced = []
    if photo:
        replaced = [getattr(listing, field).name for field in Listing.FILE_FIELDS]
        _attach_photo(listing, photo)
    listing.save()
    # The old photo's three files go once the new ones are committed; a rollback keeps them.
    delete_unused_on_commit(replaced, model=Listing, fields=Listing.FILE_FIELDS)
    return listing


@transaction.atomic
def listing_take_down(*, listing: Listing, by, reason: str) -> Listing:
    """An officer of the partner's region takes a listing off the catalogue; the partner sees the reason."""
    if not (by.is_officer and Partner.objects.editable_by(by).filter(pk=listing.partner_id).exists()):
        raise DomainError(_("Only the assisting office can take a listing down."))
    if not reason.strip():
        raise DomainError(_("Give the reason, so the partner can fix the listing."), field="reason")
    listing.taken_down, listing.take_down_reason = True, reason.strip()
    listing.save(update_fields=["taken_down", "take_down_reason", "updated_at"])
    return listing


@transaction.atomic
def listing_restore(*, listing: Listing, by) -> Listing:
    if not (by.is_officer and Partner.objects.editable_by(by).filter(pk=listing.partner_id).exists()):
        raise DomainError(_("Only the assisting office can put a listing back."))
    listing.taken_down, listing.take_down_reason = False, ""
    listing.save(update_fields=["taken_down", "take_down_reason", "updated_at"])
    return listing


def _rate_key(*parts: str) -> str:
    digest = hashlib.sha256(":".join([settings.SECRET_KEY, *parts]).encode()).hexdigest()[:32]
    return f"inquiry-rate:{digest}"


def inquiry_send(*, listing: Listing, address: str, name: str, phone: str, quantity: int, message: str = "",
                 honeypot: str = "") -> Inquiry:
    """A buyer's inquiry, without an account. Refused when a bot filled the hidden field, when one buyer (their
    phone number) sends more than five in an hour from one address, or one address more than thirty whoever sends
    them; no captcha service is involved."""
    if honeypot:
        raise DomainError(_("Your message could not be sent."))
    if not Listing.objects.published().filter(pk=listing.pk).exists():
        raise DomainError(_("This product is no longer in the catalogue."))
    info = parse_phone(phone)
    if not info.valid:
        raise DomainError(_("Enter an Indonesian phone number, e.g. 0812-3456-7890 or +62 812 3456 7890."),
                          field="phone")
    if not 1 <= quantity <= 1_000_000:
        raise DomainError(_("The quantity must be between 1 and 1.000.000."), field="quantity")
    buyer_key, address_key = _rate_key(address, info.e164), _rate_key(address)
    sent = cache.get_many([buyer_key, address_key])
    if sent.get(buyer_key, 0) >= INQUIRIES_PER_HOUR:
        raise DomainError(_("Too many messages from this phone number. Please try again in an hour."))
    if sent.get(address_key, 0) >= INQUIRIES_PER_ADDRESS_HOUR:
        raise DomainError(_("Too many messages from your connection. Please try again in an hour."))
    inquiry = Inquiry.objects.create(listing=listing, name=name.strip(), phone=info.e164, quantity=quantity,
                                     message=message.strip())
    count_up(buyer_key, seconds=60 * 60)
    count_up(address_key, seconds=60 * 60)
    return inquiry


@transaction.atomic
def inquiry_mark_answered(*, inquiry: Inquiry, by) -> Inquiry:
    """The partner, or an officer of its assisting office, marks that the buyer was answered."""
    if not (by.role == Role.PARTNER or by.is_officer) or not Inquiry.objects.visible_to(by).filter(
            pk=inquiry.pk).exists():
        raise DomainError(_("You cannot answer this inquiry."))
    if inquiry.answered_at is None:
        inquiry.answered_at, inquiry.answered_by = timezone.now(), by
        inquiry.save(update_fields=["answered_at", "answered_by"])
    return inquiry


@transaction.atomic
def sale_record(*, partner: Partner, product, sold_on: datetime.date, quantity: int, unit_price: Decimal,
                channel: str, buyer_type: str, by, marketplace: str = "") -> Sale:
    """Record a sale; the goods leave the partner's workshop through the ledger, refused if it does not hold
    them."""
    _check_partner_access(by=by, partner=partner)
    if product.kind != "product":
        raise DomainError(_("Choose a product, not a raw material."), field="product")
    if not 1 <= quantity <= 10_000_000:
        raise DomainError(_("The quantity must be between 1 and 10.000.000."), field="quantity")
    _check_money(unit_price, "unit_price")
    check_document_date(sold_on, field="sold_on")
    if channel not in Channel.values:
        raise DomainError(_("Choose a sales channel from the list."), field="channel")
    if buyer_type not in BuyerType.values:
        raise DomainError(_("Choose a kind of buyer from the list."), field="buyer_type")
    sale = Sale.objects.create(partner=partner, product=product, sold_on=sold_on, quantity=quantity,
                               unit_price=unit_price, channel=channel, marketplace=marketplace.strip(),
                               buyer_type=buyer_type, recorded_by=by)
    sale.posting = ledger.post(kind=PostingKind.SALE, by=by, document=sale, on=sold_on,
                               lines=[ledger.Line(product, location_for_partner(partner), -quantity)],
                               note=f"{partner.name}: {quantity} {product.name}")
    sale.save(update_fields=["posting"])
    figures.record([(partner.region_id, product.pk, Measure.SOLD, channel, quantity, quantity * unit_price)],
                   day=sold_on)
    return sale
