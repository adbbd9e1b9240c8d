import json
import re

import pytest

from conftest import client_for
from sigap.partners.models import Partner


def _post(client, url, data):
    return client.post(url, data if isinstance(data, str) else json.dumps(data), content_type="application/json")


def test_malformed_json_is_a_400_in_the_common_shape(world):
    client = client_for(world.tala_officer)
    client.cookies.load({"django_language": "en"})
    response = _post(client, "/api/v1/partners", '{"name": ')
    assert response.status_code == 400
    assert response.json() == {"detail": "The request body is not valid JSON.", "errors": {}}


def test_wrong_types_and_unknown_fields_are_a_422_naming_each_field(world):
    response = _post(client_for(world.tala_officer), "/api/v1/partners", {
        "name": "IKM", "nib": "9120001239998", "owner_name": "A", "address": "Jl", "region_code": "63.01.03.1004",
        "sector": "garment", "assisting_office_id": "not a number", "joined_on": "kemarin", "colour": "red"})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"assisting_office_id", "joined_on", "colour"}
    assert Partner.objects.filter(nib="9120001239998").count() == 0


def test_a_form_rule_is_a_422_under_the_apis_field_name(world):
    response = _post(client_for(world.tala_officer), "/api/v1/partners", {
        "name": "IKM", "nib": "123", "owner_name": "A", "address": "Jl", "region_code": "63.08.05.1001",
        "sector": "garment", "assisting_office_id": world.tala_office.pk, "joined_on": "2020-06-01"})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"nib", "region_code"}  # 13 digits; HSU is not Tala's region


def test_an_id_of_another_district_is_a_404(world):
    response = client_for(world.hsu_officer).get(f"/api/v1/partners/{world.tala_partner.pk}")
    assert response.status_code == 404 and set(response.json()) == {"detail", "errors"}
    patch = client_for(world.hsu_officer).patch(f"/api/v1/partners/{world.tala_partner.pk}",
                                                json.dumps({"owner_name": "x"}), content_type="application/json")
    assert patch.status_code == 404
    world.tala_partner.refresh_from_db()
    assert world.tala_partner.owner_name == "Hj. Rusmilawati"


@pytest.mark.parametrize("limit, served", [(1, 1), (100, 100), (5000, 100), (10**12, 100)])
def test_pages_are_capped_at_100(world, limit, served):
    response = client_for(world.admin).get("/api/v1/partners", {"limit": limit})
    assert response.status_code == 200 and response.json()["limit"] == served


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": -1}, {"offset": -5}, {"offset": 10**15},
                                    {"limit": "many"}, {"joined_from": "yesterday"}])
def test_nonsense_paging_or_filters_are_a_422_never_a_500(world, params):
    response = client_for(world.admin).get("/api/v1/partners", params)
    assert response.status_code == 422 and set(response.json()) == {"detail", "errors"}


def test_the_schema_and_the_docs_are_served_by_sigap_itself(db):
    from django.test import Client

    schema = Client().get("/api/v1/openapi.json")
    assert schema.status_code == 200 and schema.json()["openapi"].startswith("3.")
    docs = Client().get("/api/v1/docs")
    assert docs.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', docs.content.decode())
    assert sources and all(s.startswith("/static/") for s in sources)


def test_roles_that_see_phone_numbers_get_them_whole_in_the_api_too(world):
    officer = client_for(world.tala_officer).get(f"/api/v1/partners/{world.tala_partner.pk}").json()
    partner_self = client_for(world.partner_user).get(f"/api/v1/partners/{world.tala_partner.pk}").json()
    expert = client_for(world.health_expert).get(f"/api/v1/partners/{world.tala_partner.pk}").json()
    assert officer["phone"] == partner_self["phone"] == expert["phone"] == "0812-5123-0001"
