"""Stock: where goods are, and the append-only ledger of every movement.

Nothing but ``sigap.stock.ledger`` writes ``Posting``, ``Movement`` or ``Balance``.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sigap.lib.scope import scoped

QUANTITY = {"max_digits": 14, "decimal_places": 3}


class LocationKind(models.TextChoices):
    OFFICE_STORE = "office_store", _("Office store")
    PARTNER_WORKSHOP = "partner_workshop", _("Partner workshop")
    PERSON_HOME = "person_home", _("Participant's home")


class LocationQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scoped(self, user, region="region", partner="partner")


class Location(models.Model):
    """A place that holds stock: an office's store, a partner's workshop, or a participant's home (materials
    issued to a person sit there until they are used)."""

    kind = models.CharField(_("kind"), max_length=20, choices=LocationKind.choices)
    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    organisation = models.OneToOneField("organisations.Organisation", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="store")
    partner = models.OneToOneField("partners.Partner", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="workshop")
    person = models.OneToOneField("people.Person", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="home")

    objects = LocationQuerySet.as_manager()

    class Meta:
        ordering = ["region_id", "name"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        constraints = [
            models.CheckConstraint(
                name="location_has_exactly_one_owner",
                condition=(
                    models.Q(kind="office_store", organisation__isnull=False, partner__isnull=True, person__isnull=True)
                    | models.Q(kind="partner_workshop", organisation__isnull=True, partner__isnull=False,
                               person__isnull=True)
                    | models.Q(kind="person_home", organisation__isnull=True, partner__isnull=True,
                               person__isnull=False)
                ),
            ),
        ]

    def __str__(self):
        return self.name


class PostingKind(models.TextChoices):
    RECEIPT = "receipt", _("Material receipt")
    ISSUE = "issue", _("Issue to producer")
    PRODUCTION = "production", _("Accepted production")
    TRANSFER = "transfer", _("Transfer")
    HANDOVER = "handover", _("Handover")
    SALE = "sale", _("Sale")
    ADJUSTMENT = "adjustment", _("Stock count adjustment")
    REVERSAL = "reversal", _("Reversal")


class Posting(models.Model):
    """One business event's movements, posted together or not at all. A correction is a reversal: a new
    posting with the opposite movements, linked to the one it reverses (at most once)."""

    kind = models.CharField(_("kind"), max_length=20, choices=PostingKind.choices)
    created_at = models.DateTimeField(_("posted at"), auto_now_add=True, db_index=True)
    occurred_on = models.DateField(_("date"), default=timezone.localdate)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=255, blank=True)
    document_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    document_id = models.PositiveBigIntegerField(null=True, blank=True)
    document = GenericForeignKey("document_type", "document_id")
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="reversal", verbose_name=_("reverses"))

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        indexes = [models.Index(fields=["document_type", "document_id"])]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_reversed(self) -> bool:
        return hasattr(self, "reversal")


class Movement(models.Model):
    """One signed change of one item at one location. Rows are only ever added."""

    posting = models.ForeignKey(Posting, on_delete=models.PROTECT, related_name="movements")
    item = models.ForeignKey("items.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(Location, verbose_name=_("location"), on_delete=models.PROTECT,
                                 related_name="movements")
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    balance_after = models.DecimalField(_("balance after"), **QUANTITY)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("movement")
        verbose_name_plural = _("movements")
        indexes = [models.Index(fields=["location", "item", "-id"])]
        constraints = [models.CheckConstraint(name="movement_not_zero", condition=~models.Q(quantity=0))]


class Balance(models.Model):
    """What is on hand of one item at one location: the sum of its movements, kept so a read is O(1)."""

    item = models.ForeignKey("items.Item", on_delete=models.PROTECT, related_name="balances")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="balances")
    quantity = models.DecimalField(_("on hand"), default=0, **QUANTITY)

    class Meta:
        verbose_name = _("balance")
        verbose_name_plural = _("balances")
        constraints = [
            models.UniqueConstraint(fields=["item", "location"], name="one_balance_per_item_location"),
            models.CheckConstraint(name="balance_never_negative", condition=models.Q(quantity__gte=0)),
        ]


class DocumentKind(models.TextChoices):
    RECEIPT = "receipt", _("Material receipt")
    ISSUE = "issue", _("Material issue")
    TRANSFER = "transfer", _("Transfer")


DOCUMENT_PREFIX = {DocumentKind.RECEIPT: "BBM", DocumentKind.ISSUE: "BBK", DocumentKind.TRANSFER: "MUT"}


class StockDocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An office's staff see their region's documents; a partner sees what was issued to it."""
        return scoped(self, user, region="office__region", partner="destination__partner")


class StockDocument(models.Model):
    """A receipt of materials into an office store, an issue to a producer, or a transfer between locations."""

    kind = models.CharField(_("kind"), max_length=10, choices=DocumentKind.choices)
    office = models.ForeignKey("organisations.Organisation", verbose_name=_("office"), on_delete=models.PROTECT,
                               related_name="stock_documents")
    date = models.DateField(_("date"))
    reference = models.CharField(_("reference number"), max_length=60, blank=True,
                                 help_text=_("The supplier's or sender's document number, if any."))
    supplier = models.ForeignKey("organisations.Organisation", verbose_name=_("supplied by"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="supplied_documents")
    source = models.ForeignKey(Location, verbose_name=_("from"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="documents_out")
    destination = models.ForeignKey(Location, verbose_name=_("to"), on_delete=models.PROTECT,
                                    related_name="documents_in")
    note = models.CharField(_("note"), max_length=255, blank=True)
    posting = models.OneToOneField(Posting, null=True, on_delete=models.PROTECT, related_name="+")
    voided_posting = models.OneToOneField(Posting, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    void_reason = models.CharField(_("reason for voiding"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StockDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("stock document")
        verbose_name_plural = _("stock documents")

    def __str__(self):
        return self.number

    @property
    def number(self) -> str:
        return f"{DOCUMENT_PREFIX[self.kind]}-{self.pk:05d}"

    @property
    def is_void(self) -> bool:
        return self.voided_posting_id is not None

    def get_absolute_url(self):
        return reverse("stock:document-detail", args=[self.pk])


class DocumentLine(models.Model):
    document = models.ForeignKey(StockDocument, on_delete=models.CASCADE, related_name="lines")
    # Set on a transfer that gathers goods from several locations (its document has no single source).
    source = models.ForeignKey(Location, verbose_name=_("from"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    item = models.ForeignKey("items.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(_("quantity"), **QUANTITY)

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(name="document_line_positive", condition=models.Q(quantity__gt=0))]


class Adjustment(models.Model):
    """A stock count that differs from the books: the difference is posted with the reason."""

    location = models.ForeignKey(Location, verbose_name=_("location"), on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey("items.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    counted = models.DecimalField(_("counted quantity"), **QUANTITY)
    difference = models.DecimalField(_("difference"), **QUANTITY)
    reason = models.CharField(_("reason"), max_length=255)
    counted_on = models.DateField(_("date counted"))
    posting = models.OneToOneField(Posting, null=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("stock count adjustment")
        verbose_name_plural = _("stock count adjustments")

    def get_absolute_url(self):
        return reverse("stock:movements") + f"?location={self.location_id}&item={self.item_id}"
