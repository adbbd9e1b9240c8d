"""Regions in the API: read-only reference data for signed-in callers, found by dotted Kemendagri codes."""

from conftest import client_for

URL = "/api/v1/regions"


def _codes(response) -> list[str]:
    return [region["code"] for region in response.json()["items"]]


def test_a_village_is_found_by_its_dotted_code(world):
    response = client_for(world.partner_user).get(f"{URL}/63.01.03.1004")
    assert response.status_code == 200
    assert response.json() == {"code": "63.01.03.1004", "name": "Angsau", "level": 4, "kind": "kelurahan",
                               "parent_code": "63.01.03", "postal_code": "70814"}


def test_an_unknown_code_is_not_found(world):
    response = client_for(world.tala_officer).get(f"{URL}/63.99")
    assert response.status_code == 404
    assert response.json()["errors"] == {}


def test_the_children_of_a_district_are_its_villages(world):
    response = client_for(world.agency_user).get(f"{URL}/63.01.03/children", {"limit": 100})
    assert response.status_code == 200
    codes = _codes(response)
    assert "63.01.03.1004" in codes and response.json()["count"] == len(codes)
    assert all(code.startswith("63.01.03.") and code.count(".") == 3 for code in codes)
    assert client_for(world.agency_user).get(f"{URL}/63.99/children").status_code == 404


def test_the_list_filters_by_parent_level_enclosing_region_and_name(world):
    client = client_for(world.instructor)
    regencies = client.get(URL, {"parent": "63", "limit": 100})
    assert len(_codes(regencies)) == 13 and all(code.startswith("63.") for code in _codes(regencies))
    provinces = client.get(URL, {"level": 1})
    assert _codes(provinces) == ["31", "63", "64"]
    named = client.get(URL, {"within": "63.01", "level": 3, "q": "pelai"})
    assert _codes(named) == ["63.01.03"]


def test_the_list_is_paginated_and_a_page_holds_at_most_a_hundred(world):
    response = client_for(world.tala_officer).get(URL, {"within": "63", "limit": 500, "offset": 2})
    body = response.json()
    assert body["limit"] == 100 and body["offset"] == 2 and len(body["items"]) == 100 and body["count"] > 100


def test_a_level_that_does_not_exist_is_refused_naming_the_filter(world):
    response = client_for(world.tala_officer).get(URL, {"level": 9})
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["level"]


def test_regions_are_for_signed_in_callers(world):
    assert client_for(None).get(f"{URL}/63").status_code == 401
