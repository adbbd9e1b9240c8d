"""A role fits its organisation: in the model (so the Django admin refuses a misfit too) and in the database (a
check and triggers, on SQLite and PostgreSQL alike)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from sigap.accounts.models import Role, User
from sigap.organisations.models import Kind

pytestmark = pytest.mark.security


def _misfit_errors(user):
    with pytest.raises(ValidationError) as refused:
        user.full_clean()
    return refused.value.message_dict


def test_it_refuses_a_district_officer_of_a_task_force_in_clean(world):
    user = User(username="palsu", role=Role.DISTRICT_OFFICER, organisation=world.gtpp_tala)
    assert _misfit_errors(user)["organisation"] == ["A district officer belongs to a district industry office."]


@pytest.mark.parametrize("role, office, message", [
    (Role.PROVINCIAL_OFFICER, "tala_office", "A provincial officer belongs to a provincial industry office."),
    (Role.DISTRICT_OFFICER, "province_office", "A district officer belongs to a district industry office."),
    (Role.INSTRUCTOR, "gtpp_tala", "An instructor belongs to an industry office."),
    (Role.HEALTH_EXPERT, "gtpp_tala", "A health expert belongs to an industry office."),
    (Role.AGENCY, "tala_office", "An agency user belongs to an agency, not to an industry office."),
])
def test_it_refuses_each_role_in_the_wrong_kind_of_organisation(world, role, office, message):
    user = User(username="palsu", role=role, organisation=getattr(world, office))
    assert _misfit_errors(user)["organisation"] == [message]


def test_it_refuses_a_partner_user_with_an_organisation_or_without_a_partner(world):
    errors = _misfit_errors(User(username="palsu", role=Role.PARTNER, organisation=world.tala_office))
    assert errors["organisation"] == ["An IKM partner user belongs to a partner, not to an organisation."]
    assert errors["partner"] == ["An IKM partner user belongs to an IKM partner."]


def test_it_refuses_an_office_role_without_an_organisation_or_with_a_partner(world):
    errors = _misfit_errors(User(username="palsu", role=Role.INSTRUCTOR, partner=world.tala_partner))
    assert errors["organisation"] == ["Choose the organisation this user works for."]
    assert errors["partner"] == ["Only an IKM partner user belongs to an IKM partner."]


def test_the_world_and_every_fitting_role_pass_clean(world):
    for user in User.objects.all():
        user.full_clean(exclude=["password"])
    User(username="baru", role=Role.INSTRUCTOR, organisation=world.tala_office).full_clean(exclude=["password"])
    User(username="baru", role=Role.AGENCY, organisation=world.gtpp_tala).full_clean(exclude=["password"])


def test_the_django_admin_refuses_a_district_officer_of_a_task_force(world):
    from conftest import client_for

    response = client_for(world.admin).post(f"/admin/accounts/user/{world.agency_user.pk}/change/", {
        "username": "agency_user", "role": Role.DISTRICT_OFFICER, "organisation": world.gtpp_tala.pk,
        "date_joined_0": "2020-01-01", "date_joined_1": "00:00:00", "is_active": "on"})
    assert response.status_code == 200
    assert "Petugas kabupaten/kota harus berada di dinas perindustrian kabupaten/kota." in response.content.decode()
    world.agency_user.refresh_from_db()
    assert world.agency_user.role == Role.AGENCY


def _refused(write):
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


def test_the_database_refuses_a_district_officer_of_a_task_force(world):
    _refused(lambda: User.objects.filter(pk=world.agency_user.pk).update(role=Role.DISTRICT_OFFICER))
    _refused(lambda: User.objects.filter(pk=world.tala_officer.pk).update(organisation=world.gtpp_tala))
    _refused(lambda: User.objects.create(username="palsu", role=Role.DISTRICT_OFFICER, organisation=world.gtpp_tala))
    world.agency_user.refresh_from_db()
    world.tala_officer.refresh_from_db()
    assert (world.agency_user.role, world.tala_officer.organisation) == (Role.AGENCY, world.tala_office)


def test_the_database_refuses_a_misfit_written_in_plain_sql(world):
    table = User._meta.db_table

    def insert():
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (password, is_superuser, username, first_name, last_name, email, is_staff, "
                "is_active, date_joined, role, position, phone, organisation_id) "
                "VALUES ('!', %s, 'palsu', '', '', '', %s, %s, %s, 'district_officer', '', '', %s)",
                [False, False, True, "2020-01-01 00:00:00+00:00", world.gtpp_tala.pk])

    _refused(insert)
    assert not User.objects.filter(username="palsu").exists()


@pytest.mark.parametrize("role, office", [
    (Role.PROVINCIAL_OFFICER, "tala_office"), (Role.INSTRUCTOR, "gtpp_tala"), (Role.AGENCY, "hsu_office"),
])
def test_the_database_refuses_every_kind_of_misfit(world, role, office):
    _refused(lambda: User.objects.create(username="palsu", role=role, organisation=getattr(world, office)))


def test_the_database_refuses_a_partner_user_with_an_organisation(world):
    _refused(lambda: User.objects.filter(pk=world.partner_user.pk).update(organisation=world.tala_office))
    _refused(lambda: User.objects.filter(pk=world.partner_user.pk).update(partner=None))


def test_the_database_refuses_turning_an_office_into_an_agency_while_its_officers_belong_to_it(world):
    from sigap.organisations.models import Organisation

    _refused(lambda: Organisation.objects.filter(pk=world.tala_office.pk).update(kind=Kind.TASK_FORCE))
    _refused(lambda: Organisation.objects.filter(pk=world.gtpp_tala.pk).update(kind=Kind.DISTRICT_INDUSTRY_OFFICE))
    Organisation.objects.filter(pk=world.gtpp_tala.pk).update(kind=Kind.DISASTER_AGENCY)  # still an agency


def test_the_database_accepts_fitting_roles(world):
    User.objects.create(username="baru", role=Role.HEALTH_EXPERT, organisation=world.tala_office)
    User.objects.create(username="baru2", role=Role.AGENCY, organisation=world.gtpp_tala)
    User.objects.create(username="root", role="", is_superuser=True)
    assert User.objects.filter(username__in=["baru", "baru2", "root"]).count() == 3
