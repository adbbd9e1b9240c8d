from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    MATERIAL = "material", _("Raw material")
    PRODUCT = "product", _("Product")


class Unit(models.TextChoices):
    PIECE = "pcs", _("piece")
    SET = "set", _("set")
    METRE = "m", _("metre")
    ROLL = "roll", _("roll")
    PACK = "pack", _("pack")
    BOTTLE = "bottle", _("bottle")
    KILOGRAM = "kg", _("kilogram")
    LITRE = "l", _("litre")


class ItemQuerySet(models.QuerySet):
    def products(self):
        return self.filter(kind=Kind.PRODUCT)

    def materials(self):
        return self.filter(kind=Kind.MATERIAL)

    def active(self):
        return self.filter(is_active=True)


class Item(models.Model):
    """Something SIGAP counts: a raw material the province supplies, or a product IKM partners make."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("item")
        verbose_name_plural = _("items")

    def __str__(self):
        return self.name
