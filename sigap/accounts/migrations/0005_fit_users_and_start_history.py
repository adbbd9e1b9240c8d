from django.db import migrations
from django.utils import timezone

INDUSTRY_OFFICES = ["provincial_industry_office", "district_industry_office"]
OFFICE_ROLES = ["provincial_officer", "district_officer", "instructor", "health_expert"]


def fit_users_to_their_roles(apps, schema_editor):
    """Users already in SIGAP are fitted to the rule that a role fits its organisation, never gaining a power:
    a partner user keeps their partner and leaves the organisation (the partner keeps its assisting office); an
    office role attached to an agency (a "district officer" of a task force) becomes that agency's user; a
    provincial officer of a district office becomes its district officer. Anything else is left for an
    administrator to decide, and the migration names it."""
    User = apps.get_model("accounts", "User")
    User.objects.filter(role="partner").exclude(organisation=None).update(organisation=None)
    User.objects.exclude(role="partner").exclude(partner=None).update(partner=None)
    User.objects.filter(role__in=OFFICE_ROLES).exclude(organisation=None).exclude(
        organisation__kind__in=INDUSTRY_OFFICES).update(role="agency")
    User.objects.filter(role="provincial_officer", organisation__kind="district_industry_office").update(
        role="district_officer")
    misfits = sorted(
        list(User.objects.filter(role="district_officer", organisation__kind="provincial_industry_office")
             .values_list("username", flat=True))
        + list(User.objects.filter(role="agency", organisation__kind__in=INDUSTRY_OFFICES)
               .values_list("username", flat=True))
        + list(User.objects.filter(role__in=[*OFFICE_ROLES, "agency"], organisation=None)
               .values_list("username", flat=True))
        + list(User.objects.filter(role="partner", partner=None).values_list("username", flat=True))
        + list(User.objects.exclude(role__in=[*OFFICE_ROLES, "agency", "partner", "admin", ""])
               .values_list("username", flat=True)))
    if misfits:
        raise RuntimeError(
            "These users' roles do not fit their organisation; give each the organisation or role it should have "
            "(Django admin or manage.py shell) and migrate again: " + ", ".join(misfits))


def start_the_history(apps, schema_editor):
    """The users already in SIGAP start their history here, so that the first change shows what it replaced."""
    now = timezone.now()
    model = apps.get_model("accounts", "User")
    historical = apps.get_model("accounts", "HistoricalUser")
    fields = [field.attname for field in historical._meta.concrete_fields
              if not field.attname.startswith("history_") and field.attname != "id"]
    historical.objects.bulk_create(
        [historical(history_date=now, history_type="+", id=row.pk, **{field: getattr(row, field) for field in fields})
         for row in model.objects.order_by("pk").iterator()], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_user_phone_invited_by_history'),
    ]

    operations = [
        migrations.RunPython(fit_users_to_their_roles, migrations.RunPython.noop),
        migrations.RunPython(start_the_history, migrations.RunPython.noop),
    ]
