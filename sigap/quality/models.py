from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Criterion(models.Model):
    """One point of a product's checklist, e.g. "three layers of fabric" for a cloth mask."""

    product = models.ForeignKey("items.Item", verbose_name=_("product"), on_delete=models.CASCADE,
                                related_name="criteria", limit_choices_to={"kind": "product"})
    text = models.CharField(_("criterion"), max_length=255)
    reference = models.CharField(_("standard"), max_length=120, blank=True,
                                 help_text=_("e.g. SNI 8914:2020"))
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["product", "position", "pk"]
        verbose_name = _("inspection criterion")
        verbose_name_plural = _("inspection criteria")

    def __str__(self):
        return self.text


class InspectionQuerySet(models.QuerySet):
    def visible_to(self, user):
        from sigap.production.models import Batch

        return self.filter(batch__in=Batch.objects.visible_to(user))


def inspection_photo_path(instance, filename):
    return f"inspections/{instance.batch_id}/{filename}"


class Inspection(models.Model):
    """A health expert's inspection of one batch. Only the accepted quantity enters stock."""

    batch = models.OneToOneField("production.Batch", on_delete=models.PROTECT, related_name="inspection")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("inspector"), on_delete=models.PROTECT,
                                  related_name="+")
    inspected_on = models.DateField(_("date inspected"))
    sample_size = models.PositiveIntegerField(_("sample size"))
    accepted = models.PositiveIntegerField(_("accepted"))
    rejected = models.PositiveIntegerField(_("rejected"))
    reject_reason = models.CharField(_("reason for rejects"), max_length=255, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    photo = models.ImageField(_("photo"), upload_to=inspection_photo_path, blank=True)
    posting = models.OneToOneField("stock.Posting", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        ordering = ["-inspected_on", "-pk"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        constraints = [
            models.CheckConstraint(name="inspection_sample_positive", condition=models.Q(sample_size__gt=0)),
        ]

    def __str__(self):
        return f"{self.batch}"

    def get_absolute_url(self):
        return reverse("quality:detail", args=[self.pk])

    @property
    def acceptance_rate(self) -> float:
        total = self.accepted + self.rejected
        return self.accepted / total if total else 0.0


class CheckResult(models.Model):
    """The answer to one checklist point. The point's text is copied when the inspection is recorded: the
    checklist may be reworded later, the inspection stays what it was judged against."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="results")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    criterion_text = models.CharField(_("criterion"), max_length=255)
    passed = models.BooleanField(_("meets the standard"))
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["pk"]  # the checklist's order when the inspection was recorded
        constraints = [models.UniqueConstraint(fields=["inspection", "criterion"], name="one_result_per_criterion")]
