from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy as _

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
            # A partner, a participant, or a training's class on one day (its participants are its lines).
            models.CheckConstraint(
                name="batch_has_one_producer",
                condition=(models.Q(producer_partner__isnull=False, producer_person__isnull=True)
                           | models.Q(producer_partner__isnull=True, producer_person__isnull=False)
                           | models.Q(producer_partner__isnull=True, producer_person__isnull=True,
                                      training__isnull=False)),
            ),
            models.CheckConstraint(name="batch_quantity_positive", condition=models.Q(quantity__gt=0)),
            models.UniqueConstraint(
                fields=["training", "produced_on"], name="one_class_batch_per_training_day",
                condition=models.Q(producer_partner__isnull=True, producer_person__isnull=True),
                violation_error_message=_("This training day already has its batch.")),
        ]

    def __str__(self):
        return self.code

    @property
    def producer(self):
        """The partner or participant who made it; for a class's day, the class (its lines name each participant)."""
        return self.producer_partner or self.producer_person or (Class(self.training) if self.training_id else None)

    @property
    def is_class_batch(self) -> bool:
        return not self.producer_partner_id and not self.producer_person_id


class Class:
    """The participants of a training as one producer: a day's batch of the whole class."""

    def __init__(self, training):
        self.training = training

    @property
    def name(self) -> str:
        return gettext("Participants of %(training)s") % {"training": self.training.title}

    def __str__(self):
        return self.name


class BatchLine(models.Model):
    """One participant's share of a class's day batch: how many they made at home, and after inspection how many
    of those were rejected. Accepted units enter stock at the participant's home (``location``)."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="lines")
    person = models.ForeignKey("people.Person", verbose_name=_("participant"), on_delete=models.PROTECT,
                               related_name="batch_lines")
    location = models.ForeignKey("stock.Location", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1),
                                                                      MaxValueValidator(MAX_BATCH)])
    rejected = models.PositiveIntegerField(_("rejected"), null=True, blank=True)

    class Meta:
        ordering = ["person__name", "pk"]
        verbose_name = _("batch line")
        verbose_name_plural = _("batch lines")
        constraints = [
            models.UniqueConstraint(fields=["batch", "person"], name="one_line_per_participant"),
            models.CheckConstraint(name="batch_line_quantity_positive", condition=models.Q(quantity__gt=0)),
            models.CheckConstraint(
                name="batch_line_rejects_within_quantity",
                condition=models.Q(rejected__isnull=True) | models.Q(rejected__lte=models.F("quantity"))),
        ]

    @property
    def accepted(self) -> int | None:
        return None if self.rejected is None else self.quantity - self.rejected

    def get_absolute_url(self):
        return reverse("production:detail", args=[self.pk])
