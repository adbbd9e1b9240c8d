from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_the_product_names(apps, schema_editor):
    """Trainings set up before the name was kept take their product's present name."""
    Training = apps.get_model("trainings", "Training")
    Item = apps.get_model("items", "Item")
    Training.objects.update(product_name=Subquery(Item.objects.filter(pk=OuterRef("product")).values("name")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ("items", "0002_component"),
        ("trainings", "0003_learningmaterial_original_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="training",
            name="product_name",
            field=models.CharField(default="", editable=False, max_length=120, verbose_name="product name"),
            preserve_default=False,
        ),
        migrations.RunPython(copy_the_product_names, migrations.RunPython.noop),
    ]
