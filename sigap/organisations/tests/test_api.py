"""Offices and agencies through the API: the same scope, form and service as the organisation pages."""

import json

from conftest import client_for
from sigap.organisations.models import Organisation

URL = "/api/v1/organisations"


def _call(user, method, url, body=None):
    data = json.dumps(body) if body is not None else None
    return getattr(client_for(user), method)(url, data=data, content_type="application/json")


def _body(**extra):
    return {"name": "RSUD Pambalah Batung", "short_name": "RSUD Amuntai", "code": "rsud-pambalah-batung",
            "kind": "health_facility", "region_code": "63.08", "address": "Jl. Basuki Rahmat", **extra}


def test_a_district_officer_lists_the_offices_of_their_district_and_their_province(world):
    response = _call(world.hsu_officer, "get", URL)
    assert response.status_code == 200
    assert {o["code"] for o in response.json()["items"]} == {"DISPERIN-KALSEL", "DISPERINDAGKOP-UKM-HSU"}


def test_the_list_filters_by_region_code_and_kind(world):
    by_region = _call(world.province_officer, "get", f"{URL}?region=63.01").json()
    assert {o["code"] for o in by_region["items"]} == {"DISNAKERIND-TALA", "GTPP-COVID19-TALA"}
    by_kind = _call(world.province_officer, "get", f"{URL}?region=63&kind=task_force").json()
    assert [o["code"] for o in by_kind["items"]] == ["GTPP-COVID19-TALA"]
    assert by_kind["items"][0]["region_code"] == "63.01"


def test_an_unknown_kind_is_refused_with_the_parameter_named(world):
    response = _call(world.province_officer, "get", f"{URL}?kind=bakery")
    assert response.status_code == 422 and "kind" in response.json()["errors"]


def test_search_text_and_codes_that_cannot_be_stored_are_refused_before_any_query(world):
    for query, field in [("region=63.x", "region")]:
        response = _call(world.province_officer, "get", f"{URL}?{query}")
        assert response.status_code == 422 and field in response.json()["errors"], query
    response = _call(world.hsu_officer, "post", URL, _body(region_code="63.08\x00"))
    assert response.status_code == 400 and response.json()["errors"] == {}  # a NUL is refused before any form


def test_another_districts_office_answers_404(world):
    response = _call(world.hsu_officer, "get", f"{URL}/{world.tala_office.pk}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Tidak ditemukan.", "errors": {}}
    assert _call(world.tala_officer, "get", f"{URL}/{world.tala_office.pk}").json()["name"] == world.tala_office.name


def test_partner_and_agency_users_may_not_list_organisations(world):
    assert _call(world.partner_user, "get", URL).status_code == 403
    assert _call(world.agency_user, "get", URL).status_code == 403


def test_the_list_serves_at_most_100_per_page(world):
    Organisation.objects.bulk_create([
        Organisation(name=f"Puskesmas {n}", code=f"PKM-{n}", kind="health_facility", region_id="63.01")
        for n in range(101)])
    body = _call(world.tala_officer, "get", f"{URL}?limit=500").json()
    assert (body["limit"], len(body["items"]), body["count"]) == (100, 100, 104)


def test_an_officer_registers_an_agency_of_their_district(world):
    response = _call(world.hsu_officer, "post", URL, _body())
    assert response.status_code == 201, response.json()
    organisation = Organisation.objects.get(code="RSUD-PAMBALAH-BATUNG")  # the form writes codes in capitals
    assert response.json() == {"id": organisation.pk, "name": "RSUD Pambalah Batung", "short_name": "RSUD Amuntai",
                               "code": "RSUD-PAMBALAH-BATUNG", "kind": "health_facility", "region_code": "63.08",
                               "address": "Jl. Basuki Rahmat", "head_name": "", "head_title": ""}
    assert organisation.history.get().history_user == world.hsu_officer


def test_a_region_outside_the_officers_district_is_refused_with_the_field_named(world):
    response = _call(world.hsu_officer, "post", URL, _body(region_code="63.01"))
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["region_code"]
    assert not Organisation.objects.filter(code="RSUD-PAMBALAH-BATUNG").exists()


def test_a_code_already_taken_is_refused(world):
    response = _call(world.hsu_officer, "post", URL, _body(code="disperindagkop-ukm-hsu"))
    assert response.status_code == 422 and list(response.json()["errors"]) == ["code"]


def test_bad_types_and_unknown_fields_are_refused_with_the_field_named(world):
    response = _call(world.hsu_officer, "post", URL, _body(name=42, colour="green"))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"name", "colour"} and errors["colour"] == ["Kolom tidak dikenal."]
    assert Organisation.objects.count() == 5


def test_only_officers_register_organisations(world):
    for user in [world.instructor, world.health_expert, world.partner_user, world.agency_user]:
        assert _call(user, "post", URL, _body()).status_code == 403
    assert _call(None, "post", URL, _body()).status_code == 401
    assert not Organisation.objects.filter(code="RSUD-PAMBALAH-BATUNG").exists()
