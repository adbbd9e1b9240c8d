"""Logins through the API: the same services, scope and refusals as the pages."""

import json

import pytest
from django.core import mail

from conftest import client_for
from sigap.accounts.models import Role, User
from sigap.api.services import token_issue, token_user

pytestmark = pytest.mark.security


def _post(user, path, body=None):
    return client_for(user).post(path, data=json.dumps(body) if body is not None else None,
                                 content_type="application/json")


def test_a_district_officer_invites_a_partner_user_and_gets_the_links(world):
    response = _post(world.tala_officer, "/api/v1/users", {
        "username": "mitra_api", "role": "partner", "partner_id": world.tala_partner.pk, "first_name": "Siti",
        "phone": "0812-5123-0077", "email": "siti@example.id"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["user"]["invited"] and body["user"]["invited_by"] == "tala_officer"
    assert body["invitation"]["whatsapp"].startswith("https://wa.me/6281251230077?text=")
    assert "/accounts/invitation/" in body["invitation"]["url"] and body["invitation"]["emailed"]
    assert len(mail.outbox) == 1
    assert User.objects.get(username="mitra_api").organisation is None


def test_the_api_refuses_the_administrator_role_and_another_regency(world):
    admin = _post(world.tala_officer, "/api/v1/users", {"username": "x", "role": "admin", "first_name": "X"})
    assert admin.status_code == 400
    assert admin.json()["errors"]["role"] == ["Hanya administrator yang dapat memberi peran administrator."]
    other = _post(world.tala_officer, "/api/v1/users", {
        "username": "x", "role": "partner", "partner_id": world.hsu_partner.pk, "first_name": "X"})
    assert other.status_code == 422 and "partner_id" in other.json()["errors"]  # not among the choices
    assert not User.objects.filter(username="x").exists()


def test_a_partner_user_may_not_manage_logins_and_other_regions_are_not_found(world):
    assert client_for(world.partner_user).get("/api/v1/users").status_code == 403
    assert client_for(world.hsu_officer).get(f"/api/v1/users/{world.partner_user.pk}").status_code == 404
    assert client_for(world.province_officer).get(f"/api/v1/users/{world.admin.pk}").status_code == 404


def test_deactivating_through_the_api_ends_the_api_tokens(world):
    token, _record = token_issue(username="partner_user", password="sandi-rahasia-1", address="10.0.0.9")
    response = _post(world.tala_officer, f"/api/v1/users/{world.partner_user.pk}/deactivate")
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert token_user(token) is None
    again = _post(world.tala_officer, f"/api/v1/users/{world.partner_user.pk}/deactivate")
    assert again.status_code == 400 and again.json()["detail"] == "Akun ini sudah nonaktif."  # Indonesian by default


def test_a_change_through_the_api_keeps_the_other_fields(world):
    response = client_for(world.tala_officer).patch(
        f"/api/v1/users/{world.agency_user.pk}", data=json.dumps({"position": "Sekretaris"}),
        content_type="application/json")
    assert response.status_code == 200
    world.agency_user.refresh_from_db()
    assert (world.agency_user.position, world.agency_user.role, world.agency_user.organisation) == (
        "Sekretaris", Role.AGENCY, world.gtpp_tala)
    refused = client_for(world.tala_officer).patch(
        f"/api/v1/users/{world.agency_user.pk}", data=json.dumps({"role": "district_officer"}),
        content_type="application/json")
    assert refused.status_code == 400
    world.agency_user.refresh_from_db()
    assert world.agency_user.role == Role.AGENCY
