import hashlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def bind_to_the_current_passwords(apps, schema_editor):
    """Tokens made before this release are bound to the password their owner has now (as
    sigap.api.models.password_binding computes it): they keep working until that password changes."""
    ApiToken = apps.get_model("api", "ApiToken")
    for token in ApiToken.objects.select_related("user").only("pk", "user__password").iterator():
        binding = hashlib.sha256(f"sigap.api.token:{token.user.password}".encode()).hexdigest()
        ApiToken.objects.filter(pk=token.pk).update(password_binding=binding)


class Migration(migrations.Migration):

    dependencies = [
        ("api", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="password_binding",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(bind_to_the_current_passwords, migrations.RunPython.noop),
        migrations.AddField(
            model_name="apitoken",
            name="revoked_by",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                    related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="revoked by"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="revoked_reason",
            field=models.CharField(blank=True, choices=[("owner", "revoked by its owner"),
                                                        ("administrator", "revoked by an administrator"),
                                                        ("password_changed", "password changed"),
                                                        ("deactivated", "user deactivated")],
                                   max_length=20, verbose_name="why revoked"),
        ),
    ]
