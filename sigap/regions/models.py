from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    PROVINCE = 1, _("Province")
    REGENCY = 2, _("Regency/city")
    DISTRICT = 3, _("District (kecamatan)")
    VILLAGE = 4, _("Village (desa/kelurahan)")


def code_within(code: str, scope: str | None) -> bool:
    """Whether the region with Kemendagri ``code`` lies in ``scope`` (a code; None is all of Indonesia)."""
    return scope is None or code == scope or code.startswith(f"{scope}.")


def in_region(code: str | None, field: str = "region") -> models.Q:
    """A filter for records whose ``field`` (a Region foreign key) lies in the region ``code``; None is all."""
    if code is None:
        return models.Q()
    return models.Q(**{f"{field}_id": code}) | models.Q(**{f"{field}__code__startswith": f"{code}."})


class RegionQuerySet(models.QuerySet):
    def within(self, code: str | None):
        """The region with this Kemendagri code and everything below it; ``None`` means all of Indonesia."""
        if code is None:
            return self.all()
        return self.filter(models.Q(code=code) | models.Q(code__startswith=f"{code}."))

    def provinces(self):
        return self.filter(level=Level.PROVINCE)

    def regencies(self):
        return self.filter(level=Level.REGENCY)

    def districts(self):
        return self.filter(level=Level.DISTRICT)

    def villages(self):
        return self.filter(level=Level.VILLAGE)


LABEL_PREFIX = {"kecamatan": "Kec.", "distrik": "Distrik", "kelurahan": "Kel.", "desa": "Desa", "desa_adat": "Desa"}


def region_label(kind: str, name: str) -> str:
    return f"{LABEL_PREFIX[kind]} {name}" if kind in LABEL_PREFIX else name


class Region(models.Model):
    """An administrative region with its Kemendagri code, dotted: 63, 63.01, 63.01.01, 63.01.01.2001.

    The code is the key, so "everything in Tanah Laut" is a prefix match on ``63.01.``.
    """

    code = models.CharField(_("code"), max_length=13, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, db_index=True)
    kind = models.CharField(_("kind"), max_length=20)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name

    def contains(self, other: "Region") -> bool:
        return code_within(other.code, self.code)

    @property
    def province_code(self) -> str:
        return self.code[:2]

    @property
    def regency_code(self) -> str | None:
        return self.code[:5] if self.level >= Level.REGENCY else None

    def label(self) -> str:
        """Name with its kind for a village or district, e.g. "Kec. Pelaihari"."""
        return region_label(self.kind, self.name)
