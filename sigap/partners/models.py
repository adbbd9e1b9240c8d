import datetime

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sigap.regions.models import in_region

from sigap.accounts.models import Role

nib_validator = RegexValidator(r"^\d{13}$", _("NIB is 13 digits."), code="invalid_nib")


class Sector(models.TextChoices):
    GARMENT = "garment", _("Garment and textile")
    FOOD = "food", _("Food and drink")
    CHEMICAL = "chemical", _("Chemicals and herbal products")
    PLASTIC = "plastic", _("Plastic and rubber")
    METAL = "metal", _("Metal and machinery")
    CRAFT = "craft", _("Crafts")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")


class PartnerQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The partners a user may read: an office's staff their region, a partner user their own business."""
        if not user.is_authenticated:
            return self.none()
        if user.has_region_scope:
            return self.in_region(user.region_code)
        if user.role == Role.PARTNER and user.partner_id:
            return self.filter(pk=user.partner_id)
        return self.none()

    def editable_by(self, user):
        """Officers register and change the partners of their region."""
        if not user.is_authenticated or not user.is_officer:
            return self.none()
        return self.in_region(user.region_code)

    def in_region(self, code: str | None):
        return self.filter(in_region(code))

    def active(self):
        return self.filter(status=Status.ACTIVE)

    def search(self, text: str):
        text = text.strip()
        if not text:
            return self
        return self.filter(
            models.Q(name__icontains=text) | models.Q(owner_name__icontains=text) | models.Q(nib__startswith=text)
        )

    def making(self, item):
        return self.filter(capabilities__item=item)


class Partner(models.Model):
    """An IKM (small or medium industry) working with an industry office."""

    name = models.CharField(_("business name"), max_length=200)
    nib = models.CharField(
        _("NIB"), max_length=13, unique=True, validators=[nib_validator],
        help_text=_("Business identification number (Nomor Induk Berusaha), 13 digits."),
        error_messages={"unique": _("Another partner is already registered with this NIB.")},
    )
    owner_name = models.CharField(_("owner"), max_length=120)
    address = models.CharField(_("street address"), max_length=255)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("village or district"), on_delete=models.PROTECT, related_name="partners"
    )
    phone = models.CharField(_("phone/WhatsApp"), max_length=20, blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    assisting_office = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("assisting office"), on_delete=models.PROTECT,
        related_name="assisted_partners",
    )
    joined_on = models.DateField(_("date joined"))
    left_on = models.DateField(_("date left"), null=True, blank=True)
    products = models.ManyToManyField("items.Item", through="PartnerProduct", related_name="partners")

    history = HistoricalRecords()
    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("IKM partner")
        verbose_name_plural = _("IKM partners")
        constraints = [
            models.CheckConstraint(
                name="partner_nib_is_13_digits",
                condition=models.Q(nib__regex=r"^[0-9]{13}$"),
            ),
            models.CheckConstraint(
                name="partner_leaves_after_joining",
                condition=models.Q(left_on__isnull=True) | models.Q(left_on__gte=models.F("joined_on")),
            ),
        ]
        indexes = [models.Index(fields=["region", "status"])]

    def __str__(self):
        return self.name

    def was_active_on(self, day: datetime.date) -> bool:
        return self.joined_on <= day and (self.left_on is None or self.left_on > day)


class PartnerProduct(models.Model):
    """A product a partner makes, with how many it can make in a week."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="capabilities")
    item = models.ForeignKey(
        "items.Item", verbose_name=_("product"), on_delete=models.PROTECT, related_name="capabilities",
        limit_choices_to={"kind": "product"},
    )
    weekly_capacity = models.PositiveIntegerField(_("weekly capacity"), validators=[MinValueValidator(1)])

    history = HistoricalRecords()

    class Meta:
        ordering = ["item__name"]
        verbose_name = _("product made")
        verbose_name_plural = _("products made")
        constraints = [
            models.UniqueConstraint(fields=["partner", "item"], name="one_capacity_per_partner_product"),
            models.CheckConstraint(name="weekly_capacity_positive", condition=models.Q(weekly_capacity__gt=0)),
        ]

    def __str__(self):
        return f"{self.item}: {self.weekly_capacity}/week"
