from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sigap.lib.scope import scoped

MAX_BATCH = 1_000_000


class Status(models.TextChoices):
    AWAITING_INSPECTION = "awaiting", _("Awaiting inspection")
    INSPECTED = "inspected", _("Inspected")


class BatchQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Batches made in the user's region; a partner user sees its own."""
        return scoped(self, user, region="region", partner="producer_partner")

    def awaiting_inspection(self):
        return self.filter(status=Status.AWAITING_INSPECTION)


class Batch(models.Model):
    """A production report: what a partner or a participant made. It is not stock until a health expert has
    inspected it and accepted some or all of it."""

    code = models.CharField(_("batch code"), max_length=40, unique=True,
                            error_messages={"unique": _("Another batch already has this code.")})
    product = models.ForeignKey("items.Item", verbose_name=_("product"), on_delete=models.PROTECT,
                                related_name="batches", limit_choices_to={"kind": "product"})
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1),
                                                                      MaxValueValidator(MAX_BATCH)])
    produced_on = models.DateField(_("date produced"))
    producer_partner = models.ForeignKey("partners.Partner", verbose_name=_("IKM partner"), null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="batches")
    producer_person = models.ForeignKey("people.Person", verbose_name=_("participant"), null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="batches")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey("stock.Location", on_delete=models.PROTECT, related_name="batches")
    training = models.ForeignKey("trainings.Training", verbose_name=_("training"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="batches")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.AWAITING_INSPECTION, db_index=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(auto_now_add=True)

    objects = BatchQuerySet.as_manager()

    class Meta:
        ordering = ["-produced_on", "-pk"]
        verbose_name = _("production batch")
        verbose_name_plural = _("production batches")
        constraints = [
            models.CheckConstraint(
                name="batch_has_one_producer",
                condition=(models.Q(producer_partner__isnull=False, producer_person__isnull=True)
                           | models.Q(producer_partner__isnull=True, producer_person__isnull=False)),
            ),
            models.CheckConstraint(name="batch_quantity_positive", condition=models.Q(quantity__gt=0)),
        ]

    def __str__(self):
        return self.code

    @property
    def producer(self):
        return self.producer_partner or self.producer_person

    def get_absolute_url(self):
        return reverse("production:detail", args=[self.pk])
