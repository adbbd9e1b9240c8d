from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_the_point_texts(apps, schema_editor):
    """Inspections recorded before the text was kept with each answer take the points' present text."""
    CheckResult = apps.get_model("quality", "CheckResult")
    Criterion = apps.get_model("quality", "Criterion")
    text = Criterion.objects.filter(pk=OuterRef("criterion")).values("text")[:1]
    CheckResult.objects.update(criterion_text=Subquery(text))


class Migration(migrations.Migration):

    dependencies = [
        ("quality", "0003_criterion_history"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="checkresult",
            options={"ordering": ["pk"]},
        ),
        migrations.AddField(
            model_name="checkresult",
            name="criterion_text",
            field=models.CharField(default="", max_length=255, verbose_name="criterion"),
            preserve_default=False,
        ),
        migrations.RunPython(copy_the_point_texts, migrations.RunPython.noop),
    ]
