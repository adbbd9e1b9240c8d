"""Offices give the people of their region a login: who manages whom, what each may give, deactivation."""

import pytest
from django.contrib.sessions.models import Session

from conftest import client_for
from sigap.accounts.models import Role, User
from sigap.accounts.services import roles_assignable, user_deactivate, user_invite, user_reactivate, user_update
from sigap.api.models import ApiToken, RevokedReason
from sigap.api.services import token_issue, token_user
from sigap.lib.errors import DomainError

pytestmark = pytest.mark.security


def _invite(by, **fields):
    values = {"username": "baru", "role": Role.PARTNER, "first_name": "Baru"}
    values.update(fields)
    return user_invite(by=by, **values)


def _manageable(user):
    return set(User.objects.manageable_by(user).values_list("username", flat=True))


def test_a_district_officer_manages_their_office_and_the_partners_and_agencies_of_their_regency(world):
    assert _manageable(world.tala_officer) == {"tala_officer", "partner_user", "agency_user"}
    assert _manageable(world.hsu_officer) == {"hsu_officer", "instructor"}


def test_a_provincial_officer_manages_the_offices_partners_and_agencies_of_the_province(world):
    assert _manageable(world.province_officer) == {
        "tala_officer", "hsu_officer", "province_officer", "partner_user", "instructor", "health_expert",
        "agency_user"}


def test_nobody_else_manages_anyone_and_only_an_administrator_manages_administrators(world):
    for name in ["partner_user", "instructor", "health_expert", "agency_user"]:
        assert _manageable(getattr(world, name)) == set()
        assert roles_assignable(getattr(world, name)) == []
    assert "admin" in _manageable(world.admin) and "outsider" in _manageable(world.admin)
    assert "admin" not in _manageable(world.province_officer)


def test_a_district_officer_invites_a_partner_user_of_their_regency(world):
    user = _invite(world.tala_officer, partner=world.tala_partner, phone="+6281251230009")
    assert (user.role, user.partner, user.organisation, user.invited_by) == (
        Role.PARTNER, world.tala_partner, None, world.tala_officer)
    assert not user.has_usable_password() and user.is_active and user.is_invited
    assert user.history.get().history_user == world.tala_officer


def test_it_refuses_a_partner_of_another_regency(world):
    with pytest.raises(DomainError, match="This IKM partner is outside your region."):
        _invite(world.tala_officer, partner=world.hsu_partner)
    assert not User.objects.filter(username="baru").exists()


def test_it_refuses_an_office_or_agency_of_another_regency(world):
    with pytest.raises(DomainError, match="outside your office or region"):
        _invite(world.hsu_officer, role=Role.AGENCY, organisation=world.gtpp_tala)
    with pytest.raises(DomainError, match="outside your office or region"):
        _invite(world.tala_officer, role=Role.INSTRUCTOR, organisation=world.hsu_office)
    with pytest.raises(DomainError, match="outside your office or region"):
        _invite(world.province_officer, role=Role.DISTRICT_OFFICER, organisation=world.kaltim_office)
    assert not User.objects.filter(username="baru").exists()


def test_nobody_but_an_administrator_gives_the_administrator_role(world):
    for officer in [world.tala_officer, world.province_officer]:
        with pytest.raises(DomainError, match="Only an administrator gives the administrator role."):
            _invite(officer, role=Role.ADMIN)
        with pytest.raises(DomainError, match="Only an administrator gives the administrator role."):
            user_update(user=world.partner_user, by=officer, role=Role.ADMIN)
    assert _invite(world.admin, role=Role.ADMIN).role == Role.ADMIN


def test_a_district_officer_cannot_make_a_provincial_officer(world):
    with pytest.raises(DomainError, match="You may not give this role."):
        _invite(world.tala_officer, role=Role.PROVINCIAL_OFFICER, organisation=world.province_office)


def test_a_provincial_officer_makes_district_officers_of_the_province(world):
    user = _invite(world.province_officer, role=Role.DISTRICT_OFFICER, organisation=world.hsu_office)
    assert user.organisation == world.hsu_office


def test_it_refuses_a_role_that_does_not_fit_its_organisation(world):
    with pytest.raises(DomainError, match="outside your office or region, or of another kind"):
        _invite(world.tala_officer, role=Role.DISTRICT_OFFICER, organisation=world.gtpp_tala)


def test_a_partner_user_cannot_invite_anyone(world):
    with pytest.raises(DomainError, match="Only the staff of an industry office manage logins."):
        _invite(world.partner_user, partner=world.tala_partner)


def test_it_refuses_a_taken_username_whatever_its_case(world):
    with pytest.raises(DomainError, match="This username is taken"):
        _invite(world.tala_officer, username="PARTNER_USER", partner=world.tala_partner)


def test_an_officer_changes_a_login_and_the_history_keeps_who(world):
    user_update(user=world.agency_user, by=world.tala_officer, position="Sekretaris", phone="+6281251230010",
                email="gtpp@example.id", first_name="Dahnial")
    world.agency_user.refresh_from_db()
    assert (world.agency_user.position, world.agency_user.email) == ("Sekretaris", "gtpp@example.id")
    latest = world.agency_user.history.latest()
    assert latest.history_user == world.tala_officer and latest.position == "Sekretaris"


def test_it_refuses_changing_a_login_outside_scope_and_ones_own_role(world):
    with pytest.raises(DomainError, match="You do not manage this login."):
        user_update(user=world.instructor, by=world.tala_officer, position="x")
    with pytest.raises(DomainError, match="You cannot change your own role"):
        user_update(user=world.tala_officer, by=world.tala_officer, role=Role.INSTRUCTOR)


def test_deactivating_ends_sessions_and_api_tokens_and_reactivating_restores_the_login(world):
    token, _record = token_issue(username="partner_user", password="sandi-rahasia-1", address="10.0.0.9")
    client = client_for(world.partner_user)
    assert client.get("/accounts/profile/").status_code == 200
    user_deactivate(user=world.partner_user, by=world.tala_officer)
    world.partner_user.refresh_from_db()
    assert not world.partner_user.is_active
    assert client.get("/accounts/profile/").status_code == 302
    assert token_user(token) is None
    revoked = ApiToken.objects.get(user=world.partner_user)
    assert (revoked.revoked_reason, revoked.revoked_by) == (RevokedReason.DEACTIVATED, world.tala_officer)
    assert not any(str(s.get_decoded().get("_auth_user_id")) == str(world.partner_user.pk)
                   for s in Session.objects.all())
    user_reactivate(user=world.partner_user, by=world.tala_officer)
    world.partner_user.refresh_from_db()
    assert world.partner_user.is_active and token_user(token) is None
    assert client.get("/accounts/profile/").status_code == 302  # the old session stays ended


def test_nobody_deactivates_themselves_or_someone_outside_their_scope(world):
    with pytest.raises(DomainError, match="You cannot deactivate your own login."):
        user_deactivate(user=world.tala_officer, by=world.tala_officer)
    with pytest.raises(DomainError, match="You do not manage this login."):
        user_deactivate(user=world.tala_officer, by=world.hsu_officer)
    world.tala_officer.refresh_from_db()
    assert world.tala_officer.is_active


def test_signing_in_adds_nothing_to_the_history_but_a_change_does(world):
    before = world.partner_user.history.count()
    client_for(None).post("/accounts/login/", {"username": "partner_user", "password": "sandi-rahasia-1"})
    world.partner_user.refresh_from_db()
    assert world.partner_user.last_login is not None
    assert world.partner_user.history.count() == before
    user_update(user=world.partner_user, by=world.tala_officer, position="Pemilik")
    assert world.partner_user.history.count() == before + 1


def test_the_history_page_shows_who_changed_what_and_never_the_password(world):
    user_update(user=world.agency_user, by=world.tala_officer, position="Sekretaris Daerah")
    page = client_for(world.tala_officer).get(f"/accounts/users/{world.agency_user.pk}/history/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Sekretaris Daerah" in text and "Budi" in text and "md5$" not in text
    assert client_for(world.hsu_officer).get(f"/accounts/users/{world.agency_user.pk}/history/").status_code == 404


def test_the_list_is_scoped_and_filtered(world):
    page = client_for(world.tala_officer).get("/accounts/users/", {"role": "agency"})
    assert page.status_code == 200
    rows = [managed.username for managed in page.context["page"]]
    assert rows == ["agency_user"]
    everyone = [managed.username for managed in client_for(world.hsu_officer).get("/accounts/users/").context["page"]]
    assert "partner_user" not in everyone and "hsu_officer" in everyone
