"""A role fits its organisation, kept by the database too: a check for what one row shows (a partner user has a
partner and no organisation, an office or agency role an organisation) and triggers for what needs the
organisation's row (its kind). A trigger on the organisations table keeps the rule when an office's kind changes.
The same rule as ``User.clean()`` and ``role_fits_organisation_kind``."""

from django.db import migrations, models

INDUSTRY = "('provincial_industry_office', 'district_industry_office')"


def fits(role: str, kind: str) -> str:
    """SQL that is true when a role fits an organisation kind (both SQL expressions)."""
    return (f"({role} = 'provincial_officer' AND {kind} = 'provincial_industry_office')"
            f" OR ({role} = 'district_officer' AND {kind} = 'district_industry_office')"
            f" OR ({role} IN ('instructor', 'health_expert') AND {kind} IN {INDUSTRY})"
            f" OR ({role} = 'agency' AND {kind} NOT IN {INDUSTRY})"
            f" OR {role} IN ('admin', '')")


USER_KIND = "(SELECT kind FROM organisations_organisation WHERE id = NEW.organisation_id)"
MESSAGE = "accounts_user_role_fits_organisation: the role does not fit the kind of its organisation"

SQLITE = [
    f"""CREATE TRIGGER accounts_user_role_fits_organisation_insert BEFORE INSERT ON accounts_user
        WHEN NEW.organisation_id IS NOT NULL AND NOT ({fits('NEW.role', USER_KIND)})
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER accounts_user_role_fits_organisation_update BEFORE UPDATE OF role, organisation_id
        ON accounts_user
        WHEN NEW.organisation_id IS NOT NULL AND NOT ({fits('NEW.role', USER_KIND)})
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER organisations_kind_fits_users BEFORE UPDATE OF kind ON organisations_organisation
        WHEN EXISTS (SELECT 1 FROM accounts_user u WHERE u.organisation_id = NEW.id AND NOT ({fits('u.role', 'NEW.kind')}))
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS accounts_user_role_fits_organisation_insert",
    "DROP TRIGGER IF EXISTS accounts_user_role_fits_organisation_update",
    "DROP TRIGGER IF EXISTS organisations_kind_fits_users",
]

POSTGRESQL = [
    f"""CREATE FUNCTION accounts_user_role_fits_organisation() RETURNS trigger AS $$
        BEGIN
            IF NEW.organisation_id IS NOT NULL AND NOT ({fits('NEW.role', USER_KIND)}) THEN
                RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
            END IF;
            RETURN NEW;
        END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER accounts_user_role_fits_organisation BEFORE INSERT OR UPDATE OF role, organisation_id
        ON accounts_user FOR EACH ROW EXECUTE FUNCTION accounts_user_role_fits_organisation()""",
    f"""CREATE FUNCTION organisations_kind_fits_users() RETURNS trigger AS $$
        BEGIN
            IF EXISTS (SELECT 1 FROM accounts_user u
                       WHERE u.organisation_id = NEW.id AND NOT ({fits('u.role', 'NEW.kind')})) THEN
                RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
            END IF;
            RETURN NEW;
        END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER organisations_kind_fits_users BEFORE UPDATE OF kind ON organisations_organisation
        FOR EACH ROW EXECUTE FUNCTION organisations_kind_fits_users()""",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS accounts_user_role_fits_organisation ON accounts_user",
    "DROP FUNCTION IF EXISTS accounts_user_role_fits_organisation()",
    "DROP TRIGGER IF EXISTS organisations_kind_fits_users ON organisations_organisation",
    "DROP FUNCTION IF EXISTS organisations_kind_fits_users()",
]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in statements:
            raise RuntimeError(f"No trigger for the {vendor} database: SIGAP runs on SQLite or PostgreSQL.")
        for statement in statements[vendor]:
            schema_editor.execute(statement)
    return run


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_fit_users_and_start_history'),
        ('organisations', '0001_initial'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='user',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('organisation__isnull', True), ('partner__isnull', False), ('role', 'partner')), models.Q(('organisation__isnull', False), ('partner__isnull', True), ('role__in', ['agency', 'district_officer', 'health_expert', 'instructor', 'provincial_officer'])), models.Q(('partner__isnull', True), ('role__in', ['admin', ''])), _connector='OR'), name='user_role_fits_partner_and_organisation'),
        ),
        migrations.RunPython(_run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
                             _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE})),
    ]
