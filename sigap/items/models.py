from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


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

    history = HistoricalRecords()
    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("item")
        verbose_name_plural = _("items")

    def __str__(self):
        return self.name

    @property
    def is_product(self) -> bool:
        return self.kind == Kind.PRODUCT


class Component(models.Model):
    """One line of a product's bill of materials: how much of a material (or, for a kit such as an APD set,
    of another product) one unit of the product consumes."""

    product = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="components",
                                limit_choices_to={"kind": Kind.PRODUCT})
    material = models.ForeignKey(Item, verbose_name=_("material"), on_delete=models.PROTECT, related_name="used_in")
    quantity = models.DecimalField(_("quantity per unit"), max_digits=12, decimal_places=4)

    history = HistoricalRecords()

    class Meta:
        ordering = ["material__name"]
        verbose_name = _("bill of materials line")
        verbose_name_plural = _("bill of materials")
        constraints = [
            models.UniqueConstraint(fields=["product", "material"], name="one_bom_line_per_material"),
            models.CheckConstraint(name="bom_quantity_positive", condition=models.Q(quantity__gt=0)),
            models.CheckConstraint(name="bom_not_itself", condition=~models.Q(product=models.F("material"))),
        ]

    def __str__(self):
        return f"{self.product}: {self.quantity} {self.material.get_unit_display()} {self.material}"
