"""Trainings (Bimtek): programmes, trainings, participants with targets, attendance and home visits."""

import datetime
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy as _
from simple_history.models import HistoricalRecords

from sigap.lib.files import random_name
from sigap.regions.models import in_region

# A training's report lays its days out as columns and its certificate counts them; a programme is an office's plan,
# at most the five years of a medium-term plan (RPJMD).
LONGEST_TRAINING_DAYS = 366
LONGEST_PROGRAMME_YEARS = 5


def training_length_refusal(starts_on: datetime.date, ends_on: datetime.date) -> str | None:
    """Why a training cannot run from ``starts_on`` to ``ends_on`` (longer than 366 days), or None."""
    days = (ends_on - starts_on).days + 1
    if days <= LONGEST_TRAINING_DAYS:
        return None
    return gettext("A training lasts at most %(longest)s days; this one would last %(days)s.") % {
        "longest": LONGEST_TRAINING_DAYS, "days": days}


def programme_length_refusal(starts_on: datetime.date, ends_on: datetime.date) -> str | None:
    """Why a programme cannot run from ``starts_on`` to ``ends_on`` (five years or more), or None."""
    try:
        limit = starts_on.replace(year=starts_on.year + LONGEST_PROGRAMME_YEARS)
    except ValueError:  # from 29 February
        limit = starts_on.replace(year=starts_on.year + LONGEST_PROGRAMME_YEARS, day=28)
    return gettext("A programme lasts at most five years.") if ends_on >= limit else None


class Programme(models.Model):
    """An office's programme, e.g. "Pemberdayaan IKM produksi APD Covid-19 2020", run with other offices."""

    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    office = models.ForeignKey("organisations.Organisation", verbose_name=_("lead office"),
                               on_delete=models.PROTECT, related_name="programmes")
    partner_offices = models.ManyToManyField("organisations.Organisation", verbose_name=_("together with"),
                                             blank=True, related_name="+")
    budget_source = models.CharField(_("budget source"), max_length=120, blank=True,
                                     help_text=_("e.g. APBD Kabupaten 2020, APBN (DAK), APBD Provinsi"))
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [models.CheckConstraint(name="programme_ends_after_start",
                                              condition=models.Q(ends_on__gte=models.F("starts_on")),
                                              violation_error_message=_("The end comes before the start."))]

    def __str__(self):
        return self.name

    def clean(self):
        if self.starts_on and self.ends_on and (refusal := programme_length_refusal(self.starts_on, self.ends_on)):
            raise ValidationError({"ends_on": refusal})


class ProgrammeTarget(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="targets")
    product = models.ForeignKey("items.Item", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+",
                                limit_choices_to={"kind": "product"})
    quantity = models.PositiveIntegerField(_("target"), validators=[MinValueValidator(1)])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["programme", "product"], name="one_target_per_product")]


class Mode(models.TextChoices):
    ONLINE = "online", _("Online")
    OFFLINE = "offline", _("In person")
    HYBRID = "hybrid", _("Hybrid")


class TrainingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Trainings run by an office of the user's region."""
        if not user.is_authenticated or not user.has_region_scope:
            return self.none()
        return self.filter(in_region(user.region_code, "office__region"))

    def editable_by(self, user):
        if not user.is_authenticated or not user.is_officer:
            return self.none()
        return self.filter(in_region(user.region_code, "office__region"))

    def running(self, *, on):
        return self.filter(starts_on__lte=on, ends_on__gte=on)

    def behind_target(self, *, on):
        """Trainings under way whose participants have reported fewer units than the target's share of the days
        gone by (a ten-day training with a target of 100 is behind on its fourth day below 40). The pace is judged
        in Python over the running trainings only, a handful per office, so this reads them once."""
        behind = [training.pk for training in self.running(on=on).filter(target__gt=0).with_totals()
                  if training.is_behind(on=on)]
        return self.filter(pk__in=behind)

    def with_totals(self):
        """Each training's number of participants and the units they reported, in the same query."""
        from sigap.production.models import Batch

        enrolled = (Enrolment.objects.filter(training=OuterRef("pk")).order_by().values("training")
                    .annotate(count=Count("pk")).values("count"))
        produced = (Batch.objects.filter(training=OuterRef("pk")).order_by().values("training")
                    .annotate(total=Sum("quantity")).values("total"))
        return self.annotate(participant_count=Coalesce(Subquery(enrolled), 0),
                             produced=Coalesce(Subquery(produced), 0))


class Training(models.Model):
    """A Bimtek: who learns to make which product, when, how, with what target."""

    programme = models.ForeignKey(Programme, verbose_name=_("programme"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="trainings")
    office = models.ForeignKey("organisations.Organisation", verbose_name=_("organising office"),
                               on_delete=models.PROTECT, related_name="trainings")
    title = models.CharField(_("title"), max_length=200)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    meeting_link = models.URLField(_("meeting link"), blank=True)
    product = models.ForeignKey("items.Item", verbose_name=_("product taught"), on_delete=models.PROTECT,
                                related_name="trainings", limit_choices_to={"kind": "product"})
    # The product's name when it was chosen for this training: the province may rename the product later, the
    # training's report keeps the name it was taught under.
    product_name = models.CharField(_("product name"), max_length=120, editable=False)
    target = models.PositiveIntegerField(_("target output"), default=0,
                                         help_text=_("Units the participants should make together, e.g. 60 sets."))
    quota = models.PositiveSmallIntegerField(_("participant quota"), validators=[MinValueValidator(1),
                                                                                MaxValueValidator(500)])
    instructors = models.ManyToManyField("people.Person", verbose_name=_("instructors"), blank=True,
                                         related_name="trainings_taught")
    health_expert = models.ForeignKey("people.Person", verbose_name=_("supervising health expert"), null=True,
                                      blank=True, on_delete=models.PROTECT, related_name="trainings_supervised")
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("attendance needed for a certificate (%)"), default=80, validators=[MaxValueValidator(100)])
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords(excluded_fields=["description", "product_name"])
    objects = TrainingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        constraints = [models.CheckConstraint(name="training_ends_after_start",
                                              condition=models.Q(ends_on__gte=models.F("starts_on")),
                                              violation_error_message=_("The last day comes before the first."))]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("trainings:detail", args=[self.pk])

    def clean(self):
        if self.starts_on and self.ends_on and (refusal := training_length_refusal(self.starts_on, self.ends_on)):
            raise ValidationError({"ends_on": refusal})

    def is_behind(self, *, on) -> bool:
        """Below the target's share of the days gone by; needs ``produced`` from ``with_totals()``."""
        days_gone = (min(on, self.ends_on) - self.starts_on).days + 1
        return days_gone > 0 and self.produced * self.day_count < self.target * days_gone

    @property
    def day_count(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    @property
    def days(self) -> list[datetime.date]:
        return [self.starts_on + datetime.timedelta(days=i) for i in range(self.day_count)]


def material_path(instance, filename):
    """A random name, so a handout's path cannot be guessed; the uploader's name is kept in ``original_name``."""
    return f"trainings/{instance.training_id}/{random_name(filename)}"


class LearningMaterialQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The materials of the trainings the user may read."""
        return self.filter(training__in=Training.objects.visible_to(user))


class LearningMaterial(models.Model):
    """An instruction video link or an uploaded handout."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), blank=True)
    file = models.FileField(_("file"), upload_to=material_path, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True,
                                     help_text=_("The uploaded file's own name, given back when it is downloaded."))

    objects = LearningMaterialQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(
            name="material_is_a_link_or_a_file",
            condition=(models.Q(url="") & ~models.Q(file="")) | (~models.Q(url="") & models.Q(file="")),
        )]

    def __str__(self):
        return self.title

    @property
    def download_name(self) -> str:
        """The name a download carries: the uploaded file's own (files stored before it was kept: the stored one)."""
        return self.original_name or PurePosixPath(self.file.name).name


class EnrolmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(training__in=Training.objects.visible_to(user))

    def with_progress(self):
        """Each participant's output in their training (reported, and accepted by inspection) and days present,
        counted as ``training_progress`` counts them, in the same query."""
        from sigap.production.models import Batch, BatchLine

        batches = (Batch.objects.filter(training=OuterRef("training"), producer_person=OuterRef("person"))
                   .order_by().values("training"))
        # A class's day batch counts each participant's line.
        lines = (BatchLine.objects.filter(batch__training=OuterRef("training"), person=OuterRef("person"))
                 .order_by().values("person"))
        present = (Attendance.objects.filter(enrolment=OuterRef("pk")).exclude(mode=AttendanceMode.ABSENT)
                   .order_by().values("enrolment").annotate(count=Count("pk")).values("count"))
        return self.annotate(
            produced=Coalesce(Subquery(batches.annotate(total=Sum("quantity")).values("total")), 0)
            + Coalesce(Subquery(lines.annotate(total=Sum("quantity")).values("total")), 0),
            accepted=Coalesce(Subquery(batches.annotate(total=Sum("inspection__accepted")).values("total")), 0)
            + Coalesce(Subquery(lines.filter(rejected__isnull=False)
                                .annotate(total=Sum(F("quantity") - F("rejected"))).values("total")), 0),
            days_present=Coalesce(Subquery(present), 0),
        )


class Enrolment(models.Model):
    training = models.ForeignKey(Training, on_delete=models.PROTECT, related_name="enrolments")
    person = models.ForeignKey("people.Person", verbose_name=_("participant"), on_delete=models.PROTECT,
                               related_name="enrolments")
    target = models.PositiveIntegerField(_("target"), default=0)
    kit = models.ForeignKey("stock.StockDocument", verbose_name=_("material kit"), null=True, blank=True,
                            on_delete=models.PROTECT, related_name="+")
    enrolled_at = models.DateTimeField(auto_now_add=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["person__name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [models.UniqueConstraint(fields=["training", "person"], name="enrolled_once",
                                               violation_error_message=_("This person is already enrolled."))]

    def __str__(self):
        return f"{self.person} · {self.training}"


class AttendanceMode(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person")
    HOME_VISIT = "home_visit", _("Visited at home")
    ABSENT = "absent", _("Absent")


class Attendance(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    day = models.DateField(_("day"))
    mode = models.CharField(_("attendance"), max_length=12, choices=AttendanceMode.choices)
    absence_reason = models.CharField(_("reason for absence"), max_length=120, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["enrolment", "day"], name="one_attendance_per_day")]


class HomeVisit(models.Model):
    """An instructor's visit to a participant who was stuck."""

    enrolment = models.ForeignKey(Enrolment, verbose_name=_("participant"), on_delete=models.PROTECT,
                                  related_name="home_visits")
    instructor = models.ForeignKey("people.Person", verbose_name=_("instructor"), on_delete=models.PROTECT,
                                   related_name="home_visits")
    visited_on = models.DateField(_("date"))
    problem = models.CharField(_("problem"), max_length=255)
    action = models.CharField(_("what was done"), max_length=255)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-visited_on", "-pk"]
        verbose_name = _("home visit")
        verbose_name_plural = _("home visits")
