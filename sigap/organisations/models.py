from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sigap.accounts.models import Role
from sigap.regions.models import Level, in_region


class Kind(models.TextChoices):
    PROVINCIAL_INDUSTRY_OFFICE = "provincial_industry_office", _("Provincial industry office")
    DISTRICT_INDUSTRY_OFFICE = "district_industry_office", _("District industry office")
    TASK_FORCE = "task_force", _("Covid-19 task force")
    DISASTER_AGENCY = "disaster_agency", _("Disaster management agency")
    HEALTH_FACILITY = "health_facility", _("Health facility")
    MINISTRY = "ministry", _("Ministry")
    OTHER = "other", _("Other")


INDUSTRY_OFFICE_KINDS = {Kind.PROVINCIAL_INDUSTRY_OFFICE, Kind.DISTRICT_INDUSTRY_OFFICE}
# The agencies an office works with (and hands goods over to), registered by the office of their regency.
AGENCY_KINDS = [Kind.TASK_FORCE, Kind.DISASTER_AGENCY, Kind.HEALTH_FACILITY, Kind.OTHER]


def kinds_registered_by(user) -> list[str]:
    """The kinds of organisation a user registers and changes, never one above their own office: administrators
    every kind, provincial officers their regencies' industry offices and agencies, district officers agencies."""
    if not user.is_authenticated or not user.is_officer:
        return []
    if user.is_admin:
        return list(Kind.values)
    if user.role == Role.PROVINCIAL_OFFICER:
        return [Kind.DISTRICT_INDUSTRY_OFFICE, *AGENCY_KINDS]
    return list(AGENCY_KINDS)


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Offices and agencies in the user's region; a partner or agency user sees only their own."""
        if not user.is_authenticated:
            return self.none()
        if user.has_region_scope:
            code = user.region_code
            if code is None:
                return self.all()
            # An office also sees the offices above it (a district office works with its provincial office).
            return self.filter(in_region(code) | models.Q(region_id=code[:2]))
        if user.role == Role.AGENCY and user.organisation_id:
            return self.filter(pk=user.organisation_id)
        return self.none()

    def editable_by(self, user):
        if not user.is_authenticated or not user.is_officer:
            return self.none()
        return self.filter(in_region(user.region_code))

    def manageable_by(self, user):
        """The offices and agencies a user registers and changes in the registry: administrators all of them; a
        provincial officer the regencies' industry offices and agencies of their province (not the provincial office
        itself); a district officer the agencies of their regency (not their own office)."""
        if not user.is_authenticated or not user.is_officer:
            return self.none()
        if user.is_admin:
            return self.all()
        code = user.region_code
        if not code:
            return self.none()
        return self.filter(in_region(code), kind__in=kinds_registered_by(user)).exclude(region__level=Level.PROVINCE)

    def industry_offices(self):
        return self.filter(kind__in=INDUSTRY_OFFICE_KINDS)


class Organisation(models.Model):
    """An office or agency: the industry offices that run SIGAP and the agencies that receive goods."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    code = models.SlugField(
        _("code"), max_length=40, unique=True, allow_unicode=False,
        help_text=_("Used in document numbers, e.g. DISNAKERIND-TALA."),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="organisations"
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    head_name = models.CharField(_("head"), max_length=120, blank=True)
    head_title = models.CharField(_("head's position"), max_length=120, blank=True)

    history = HistoricalRecords()
    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["region_id", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.short_name or self.name

    @property
    def is_industry_office(self) -> bool:
        return self.kind in INDUSTRY_OFFICE_KINDS
