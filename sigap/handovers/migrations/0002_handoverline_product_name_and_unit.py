from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_the_products_as_they_are(apps, schema_editor):
    """Certificates issued before the name and unit were kept with each line take the products' present ones."""
    HandoverLine = apps.get_model("handovers", "HandoverLine")
    Item = apps.get_model("items", "Item")
    item = Item.objects.filter(pk=OuterRef("product"))
    HandoverLine.objects.update(product_name=Subquery(item.values("name")[:1]),
                                product_unit=Subquery(item.values("unit")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ("handovers", "0001_initial"),
        ("items", "0002_component"),
    ]

    operations = [
        migrations.AddField(
            model_name="handoverline",
            name="product_name",
            field=models.CharField(default="", max_length=120, verbose_name="product name"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="handoverline",
            name="product_unit",
            field=models.CharField(
                choices=[("pcs", "piece"), ("set", "set"), ("m", "metre"), ("roll", "roll"), ("pack", "pack"),
                         ("bottle", "bottle"), ("kg", "kilogram"), ("l", "litre")],
                default="", max_length=10, verbose_name="unit"),
            preserve_default=False,
        ),
        migrations.RunPython(copy_the_products_as_they_are, migrations.RunPython.noop),
    ]
