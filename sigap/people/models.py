from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sigap.regions.models import in_region


class Sex(models.TextChoices):
    MALE = "L", _("Male")
    FEMALE = "P", _("Female")


class Kind(models.TextChoices):
    PARTICIPANT = "participant", _("Participant")
    INSTRUCTOR = "instructor", _("Instructor")
    HEALTH_EXPERT = "health_expert", _("Health expert")


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user):
        """People registered in the user's region; only an office's staff read the people registry."""
        if not user.is_authenticated or not user.has_region_scope:
            return self.none()
        return self.in_region(user.region_code)

    def editable_by(self, user):
        if not user.is_authenticated or not user.is_officer:
            return self.none()
        return self.in_region(user.region_code)

    def in_region(self, code: str | None):
        return self.filter(in_region(code))

    def search(self, text: str, *, user):
        """People whose name holds the text, or whose NIK is the text for a user who may see NIKs whole.

        A NIK is matched whole only, so the search box cannot guess one digit by digit; and not at all for the
        roles that see NIKs masked: the regency, serial, birth year and sex they see narrow a NIK down to a few
        hundred candidates, which a search that answers "found" would let them try one by one.
        """
        text = text.strip()
        if not text:
            return self
        matches = models.Q(name__icontains=text)
        if getattr(user, "can_see_nik", False):
            matches |= models.Q(nik=text)
        return self.filter(matches)


class Person(models.Model):
    """A participant, instructor or health expert. NIK and phone are personal data (UU PDP 27/2022)."""

    name = models.CharField(_("name"), max_length=120)
    nik = models.CharField(
        _("NIK"), max_length=16, unique=True,
        error_messages={"unique": _("Another person is already registered with this NIK.")},
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    kind = models.CharField(_("role"), max_length=20, choices=Kind.choices, default=Kind.PARTICIPANT)
    address = models.CharField(_("street address"), max_length=255)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("village or district"), on_delete=models.PROTECT, related_name="people"
    )
    phone = models.CharField(_("phone/WhatsApp"), max_length=20, blank=True)
    partner = models.ForeignKey(
        "partners.Partner", verbose_name=_("works at"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="people",
    )

    history = HistoricalRecords()
    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.CheckConstraint(name="person_nik_is_16_digits", condition=models.Q(nik__regex=r"^[0-9]{16}$")),
        ]

    def __str__(self):
        return self.name


def mask_nik(nik: str) -> str:
    """6301••••••••0001: the regency code and the serial stay, birth date and district are hidden."""
    if not nik or len(nik) != 16:
        return "•" * len(nik or "")
    return f"{nik[:4]}{'•' * 8}{nik[12:]}"
