"""Handovers of goods to agencies with a signed certificate (BAST), agencies' requests, and production orders
that allocate what stock cannot cover to partners."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from sigap.items.models import Unit
from sigap.organisations.models import Kind as OrganisationKind
from sigap.lib.scope import scoped

DEFAULT_PATTERN = "{seq:03d}/BAST/{office}/{month}/{year}"
RECEIVER_KINDS = {
    OrganisationKind.TASK_FORCE, OrganisationKind.DISASTER_AGENCY, OrganisationKind.HEALTH_FACILITY,
    OrganisationKind.PROVINCIAL_INDUSTRY_OFFICE, OrganisationKind.DISTRICT_INDUSTRY_OFFICE, OrganisationKind.MINISTRY,
}


class NumberScheme(models.Model):
    """How an office numbers its certificates, and the last number used in each year (never reused)."""

    office = models.OneToOneField("organisations.Organisation", on_delete=models.CASCADE,
                                  related_name="bast_scheme")
    pattern = models.CharField(
        _("number pattern"), max_length=100, default=DEFAULT_PATTERN,
        help_text=_("Fields: {seq} sequence, {office} office code, {month} Roman month, {year}. "
                    "Example: {seq:03d}/BAST/{office}/{month}/{year}"),
    )

    def __str__(self):
        return self.pattern

    def clean(self):
        from sigap.handovers.services import check_pattern
        from sigap.lib.errors import DomainError

        try:
            check_pattern(self.pattern)
        except DomainError as error:
            raise ValidationError({"pattern": error.message}) from None


class Sequence(models.Model):
    office = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "year"], name="one_sequence_per_office_year")]


class Purpose(models.TextChoices):
    USE = "use", _("For use")
    DISTRIBUTION = "distribution", _("For free distribution to the public")
    EVALUATION = "evaluation", _("For evaluation")


class Status(models.TextChoices):
    HANDED_OVER = "handed_over", _("Handed over")
    RECEIVED = "received", _("Receipt confirmed")
    VOID = "void", pgettext_lazy("handover status", "Void")


def _verification_code() -> str:
    return secrets.token_urlsafe(16)


class HandoverQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The giving office's region sees its handovers; an agency user sees what its agency received."""
        return scoped(self, user, region="office__region", agency="receiver")

    def awaiting_receipt(self):
        """Handed over, and the receiving agency has not confirmed the receipt yet."""
        return self.filter(status=Status.HANDED_OVER)


class Handover(models.Model):
    number = models.CharField(_("certificate number"), max_length=100, unique=True)
    office = models.ForeignKey("organisations.Organisation", verbose_name=_("giving office"),
                               on_delete=models.PROTECT, related_name="handovers_given")
    giver_name = models.CharField(_("giver's signatory"), max_length=120)
    giver_position = models.CharField(_("giver's position"), max_length=160)
    giver_nip = models.CharField(_("giver's NIP"), max_length=18, blank=True)
    receiver = models.ForeignKey("organisations.Organisation", verbose_name=_("receiving organisation"),
                                 on_delete=models.PROTECT, related_name="handovers_received")
    receiver_name = models.CharField(_("receiver's signatory"), max_length=120)
    receiver_position = models.CharField(_("receiver's position"), max_length=160)
    receiver_nip = models.CharField(_("receiver's NIP"), max_length=18, blank=True)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    handed_over_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=120)
    request = models.ForeignKey("handovers.SupplyRequest", verbose_name=_("fulfils request"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="handovers")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.HANDED_OVER)
    verification_code = models.CharField(max_length=32, unique=True, default=_verification_code, editable=False)
    posting = models.OneToOneField("stock.Posting", null=True, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(_("receipt confirmed at"), null=True, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    received_note = models.CharField(_("receipt note"), max_length=255, blank=True)
    voided_posting = models.OneToOneField("stock.Posting", null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="+")
    void_reason = models.CharField(_("reason for voiding"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = HandoverQuerySet.as_manager()

    class Meta:
        ordering = ["-handed_over_on", "-pk"]
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("handovers:detail", args=[self.pk])

    def get_verification_url(self):
        return reverse("verify", args=[self.verification_code])


class HandoverLine(models.Model):
    """One line of goods on a certificate. The product's name and unit are copied when the certificate is issued:
    the province may rename a product later, a signed certificate (its PDF, its verification page) stays as
    issued."""

    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("items.Item", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+")
    product_name = models.CharField(_("product name"), max_length=120)
    product_unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    batch = models.ForeignKey("production.Batch", verbose_name=_("batch"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="handover_lines")
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    received_quantity = models.PositiveIntegerField(_("quantity received"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(name="handover_line_positive", condition=models.Q(quantity__gt=0))]


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FULFILLED = "fulfilled", _("Fulfilled")
    CANCELLED = "cancelled", _("Cancelled")


class SupplyRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The office asked sees its region's requests; an agency user sees its own agency's."""
        return scoped(self, user, region="office__region", agency="agency")

    def open(self):
        return self.filter(status=RequestStatus.OPEN)


class SupplyRequest(models.Model):
    """An agency asks an industry office for products by a date."""

    agency = models.ForeignKey("organisations.Organisation", verbose_name=_("requesting agency"),
                               on_delete=models.PROTECT, related_name="supply_requests")
    office = models.ForeignKey("organisations.Organisation", verbose_name=_("office asked"),
                               on_delete=models.PROTECT, related_name="requests_received")
    needed_by = models.DateField(_("needed by"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SupplyRequestQuerySet.as_manager()

    class Meta:
        ordering = ["needed_by", "pk"]
        verbose_name = _("request")
        verbose_name_plural = _("requests")

    def __str__(self):
        return f"{self.agency} · {self.needed_by:%d-%m-%Y}"

    def get_absolute_url(self):
        return reverse("handovers:request-detail", args=[self.pk])


class RequestLine(models.Model):
    request = models.ForeignKey(SupplyRequest, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("items.Item", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+",
                                limit_choices_to={"kind": "product"})
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["request", "product"], name="one_line_per_product")]


class ProductionOrderQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scoped(self, user, region="partner__region", partner="partner")

    def due_from(self, day):
        """The orders still to be delivered on or after ``day``."""
        return self.filter(due_on__gte=day)


class ProductionOrder(models.Model):
    """A confirmed allocation: a partner is asked to make this many of a product by a date for a request."""

    request = models.ForeignKey(SupplyRequest, on_delete=models.PROTECT, related_name="orders")
    partner = models.ForeignKey("partners.Partner", verbose_name=_("IKM partner"), on_delete=models.PROTECT,
                                related_name="production_orders")
    product = models.ForeignKey("items.Item", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    due_on = models.DateField(_("due"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProductionOrderQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("production order")
        verbose_name_plural = _("production orders")
