"""The market: partners' public catalogue listings, buyers' inquiries, and sales offline and online."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sigap.lib.scope import scoped

MAX_PRICE = Decimal("100000000")  # Rp 100 juta a unit is already absurd for APD


def _scoped_by_partner(queryset, user, field="partner"):
    return scoped(queryset, user, region=f"{field}__region", partner=field)


class ListingQuerySet(models.QuerySet):
    def published(self):
        """What the public catalogue shows: listed by the partner, not taken down, from an active partner."""
        return self.filter(is_published=True, taken_down=False, partner__status="active")

    def visible_to(self, user):
        return _scoped_by_partner(self, user)

    def taken_down(self):
        """Listings an officer took off the public catalogue, each with the reason to fix."""
        return self.filter(taken_down=True)

    def search(self, text: str):
        text = text.strip()
        if not text:
            return self
        return self.filter(models.Q(title__icontains=text) | models.Q(description__icontains=text)
                           | models.Q(partner__name__icontains=text))


# The catalogue's photos are public: /media/ serves this folder and nothing else, and a front server may serve it
# itself. Nothing private may be stored under it.
PUBLIC_MEDIA = "listings/"


def photo_path(instance, filename):
    return f"{PUBLIC_MEDIA}{instance.partner_id}/{filename}"


class Listing(models.Model):
    partner = models.ForeignKey("partners.Partner", verbose_name=_("IKM partner"), on_delete=models.PROTECT,
                                related_name="listings")
    product = models.ForeignKey("items.Item", verbose_name=_("product"), on_delete=models.PROTECT,
                                related_name="listings", limit_choices_to={"kind": "product"})
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    price = models.DecimalField(_("price (Rp)"), max_digits=12, decimal_places=0,
                                validators=[MinValueValidator(1), MaxValueValidator(MAX_PRICE)])
    min_order = models.PositiveIntegerField(_("minimum order"), default=1,
                                            validators=[MinValueValidator(1), MaxValueValidator(1_000_000)])
    lead_time_days = models.PositiveSmallIntegerField(_("lead time (days)"), default=3,
                                                      validators=[MaxValueValidator(365)])
    whatsapp = models.CharField(_("WhatsApp for buyers"), max_length=20,
                                help_text=_("Shown publicly on the catalogue: use the business number."))
    photo = models.ImageField(_("photo"), upload_to=photo_path, blank=True)
    thumbnail = models.ImageField(upload_to=photo_path, blank=True, editable=False)
    thumbnail_small = models.ImageField(upload_to=photo_path, blank=True, editable=False)
    is_published = models.BooleanField(_("shown in the catalogue"), default=True)
    taken_down = models.BooleanField(_("taken down by the office"), default=False)
    take_down_reason = models.CharField(_("reason for taking down"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ListingQuerySet.as_manager()

    FILE_FIELDS = ("photo", "thumbnail", "thumbnail_small")

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("catalogue listing")
        verbose_name_plural = _("catalogue listings")
        constraints = [
            models.CheckConstraint(name="listing_price_positive", condition=models.Q(price__gt=0)),
            models.CheckConstraint(name="listing_min_order_positive", condition=models.Q(min_order__gt=0)),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("market:listing", args=[self.pk])


class InquiryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Buyers' names and phones: only the partner and the officers of its region."""
        if user.is_authenticated and user.has_region_scope and not user.is_officer:
            return self.none()
        return _scoped_by_partner(self, user, "listing__partner")

    def unanswered(self):
        return self.filter(answered_at__isnull=True)


class Inquiry(models.Model):
    """A buyer's question about a listing, sent without an account. Name and phone are the buyer's personal
    data: only the partner and its assisting office see them."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="inquiries")
    name = models.CharField(_("your name"), max_length=120)
    phone = models.CharField(_("your phone/WhatsApp"), max_length=20)
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1),
                                                                      MaxValueValidator(1_000_000)])
    message = models.TextField(_("message"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    objects = InquiryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")


class Channel(models.TextChoices):
    OFFLINE = "offline", _("Offline (shop, market, direct)")
    OWN_ONLINE = "own_online", _("Own online shop or social media")
    MARKETPLACE = "marketplace", _("Marketplace (Tokopedia, Shopee…)")
    GOVERNMENT = "government", _("Government purchase")


class BuyerType(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    BUSINESS = "business", _("Business")
    GOVERNMENT = "government", _("Government agency")
    HEALTH = "health", _("Health facility")


class SaleQuerySet(models.QuerySet):
    def visible_to(self, user):
        return _scoped_by_partner(self, user)


class Sale(models.Model):
    """A partner's sale. The goods leave the partner's workshop through the stock ledger."""

    partner = models.ForeignKey("partners.Partner", verbose_name=_("IKM partner"), on_delete=models.PROTECT,
                                related_name="sales")
    product = models.ForeignKey("items.Item", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+")
    sold_on = models.DateField(_("date"))
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    unit_price = models.DecimalField(_("unit price (Rp)"), max_digits=12, decimal_places=0,
                                     validators=[MinValueValidator(1), MaxValueValidator(MAX_PRICE)])
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    marketplace = models.CharField(_("marketplace or shop"), max_length=60, blank=True)
    buyer_type = models.CharField(_("buyer"), max_length=12, choices=BuyerType.choices)
    posting = models.OneToOneField("stock.Posting", null=True, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SaleQuerySet.as_manager()

    class Meta:
        ordering = ["-sold_on", "-pk"]
        verbose_name = _("sale")
        verbose_name_plural = _("sales")
        constraints = [models.CheckConstraint(name="sale_quantity_positive", condition=models.Q(quantity__gt=0)),
                       models.CheckConstraint(name="sale_price_positive", condition=models.Q(unit_price__gt=0))]

    @property
    def amount(self) -> Decimal:
        return self.unit_price * self.quantity

    def get_absolute_url(self):
        return reverse("market:sales") + f"#sale-{self.pk}"
