"""The people registry through the API: scoped and masked as the pages show it, written through the person form
and services."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import client_for
from sigap.people.models import Person

URL = "/api/v1/people"
# Amuntai Tengah (63.08.05), a woman born 3 July 2000 (day + 40 = 43), serial 0002.
NIK = "6308054307000002"
TALA_NIK = "6301034502010001"


def _call(user, method, url, body=None):
    data = json.dumps(body) if body is not None else None
    return getattr(client_for(user), method)(url, data=data, content_type="application/json")


def _body(**extra):
    return {"name": "Siti Nurhaliza", "nik": NIK, "sex": "P", "birth_date": "2000-07-03", "kind": "participant",
            "address": "Jl. Antasari", "region_code": "63.08.05.1001", "phone": "0812-5123-0002", **extra}


@pytest.fixture
def people(world):
    world.tala_person = Person.objects.create(
        name="Peserta Tala", nik=TALA_NIK, sex="P", birth_date=datetime.date(2001, 2, 5), address="Jl. Demo",
        region_id="63.01.03.1004", phone="+6281251230009")
    world.hsu_person = Person.objects.create(
        name="Peserta HSU", nik=NIK, sex="P", birth_date=datetime.date(2000, 7, 3), address="Jl. Antasari",
        region_id="63.08.05.1001", kind="instructor")
    return world


def test_an_officer_lists_only_the_people_of_their_district(people):
    names = [p["name"] for p in _call(people.hsu_officer, "get", URL).json()["items"]]
    assert names == ["Peserta HSU"]
    names = [p["name"] for p in _call(people.province_officer, "get", URL).json()["items"]]
    assert names == ["Peserta HSU", "Peserta Tala"]


def test_the_list_filters_by_region_code_role_and_whole_nik(people):
    def names(query):
        return [p["name"] for p in _call(people.province_officer, "get", f"{URL}?{query}").json()["items"]]

    assert names("region=63.01") == ["Peserta Tala"]
    assert names("kind=instructor") == ["Peserta HSU"]
    assert names(f"q={TALA_NIK}") == ["Peserta Tala"]
    assert names(f"q={TALA_NIK[:10]}") == []  # a NIK is matched whole only


def test_search_text_and_codes_that_cannot_be_stored_are_refused_before_any_query(people):
    for query, field in [("region=63.01;", "region"), ("kind=chef", "kind")]:
        response = _call(people.province_officer, "get", f"{URL}?{query}")
        assert response.status_code == 422 and field in response.json()["errors"], query
    response = _call(people.hsu_officer, "post", URL, _body(region_code="63.08\x00"))
    assert response.status_code == 400 and response.json()["errors"] == {}  # a NUL is refused before any form


def test_another_districts_person_answers_404(people):
    assert _call(people.hsu_officer, "get", f"{URL}/{people.tala_person.pk}").status_code == 404
    assert _call(people.hsu_officer, "patch", f"{URL}/{people.tala_person.pk}", {"name": "X"}).status_code == 404
    assert Person.objects.get(pk=people.tala_person.pk).name == "Peserta Tala"


def test_partner_and_agency_users_may_not_list_people(people):
    assert _call(people.partner_user, "get", URL).status_code == 403
    assert _call(people.agency_user, "get", URL).status_code == 403


def test_officers_see_the_nik_birth_date_and_phone(people):
    body = _call(people.tala_officer, "get", f"{URL}/{people.tala_person.pk}").json()
    assert (body["nik"], body["birth_date"], body["birth_year"], body["phone"]) == (
        TALA_NIK, "2001-02-05", 2001, "0812-5123-0009")


def test_a_health_expert_sees_the_nik_and_birth_date_masked_and_the_phone(people):
    body = _call(people.health_expert, "get", f"{URL}/{people.tala_person.pk}").json()
    assert (body["nik"], body["birth_date"], body["birth_year"], body["phone"]) == (
        "6301••••••••0001", None, 2001, "0812-5123-0009")
    listed = _call(people.health_expert, "get", URL).json()["items"]
    assert TALA_NIK not in json.dumps(listed) and {p["nik"][4:12] for p in listed} == {"••••••••"}


def test_the_list_serves_at_most_100_per_page_in_constant_queries(people):
    Person.objects.bulk_create([
        Person(name=f"Peserta {n:03d}", nik=f"630805430700{n + 100:04d}", sex="P", birth_date=datetime.date(2000, 7, 3),
               address="Jl. A", region_id="63.08.05.1001") for n in range(101)])
    client = client_for(people.hsu_officer)
    with CaptureQueriesContext(connection) as one:
        client.get(f"{URL}?limit=1")
    with CaptureQueriesContext(connection) as queries:
        body = client.get(f"{URL}?limit=1000").json()
    assert (body["limit"], len(body["items"]), body["count"]) == (100, 100, 102)
    assert len(queries) == len(one)


def test_an_officer_registers_a_person(world):
    response = _call(world.hsu_officer, "post", URL, _body())
    assert response.status_code == 201, response.json()
    person = Person.objects.get(nik=NIK)
    assert response.json()["id"] == person.pk and response.json()["nik"] == NIK
    assert (person.name, person.region_id, person.phone, person.birth_date) == (
        "Siti Nurhaliza", "63.08.05.1001", "+6281251230002", datetime.date(2000, 7, 3))
    assert person.history.get().history_user == world.hsu_officer


def test_a_person_may_be_registered_at_a_district_without_a_village(world):
    response = _call(world.hsu_officer, "post", URL, _body(region_code="63.08.05"))
    assert response.status_code == 201 and Person.objects.get(nik=NIK).region_id == "63.08.05"


@pytest.mark.parametrize("change, field", [
    ({"nik": "6308054307000000"}, "nik"),               # serial 0000
    ({"birth_date": "2000-07-04"}, "birth_date"),       # not the birth date in the NIK
    ({"sex": "L"}, "sex"),                              # a woman's NIK
    ({"region_code": "63.01.03.1004"}, "region_code"),  # Tanah Laut, outside the HSU officer's district
    ({"phone": "12"}, "phone"),
    ({"birth_date": "kemarin"}, "birth_date"),          # not a date
    ({"name": ["Siti"]}, "name"),                       # not a string
])
def test_bad_input_is_refused_with_the_field_named(world, change, field):
    response = _call(world.hsu_officer, "post", URL, _body(**change))
    assert response.status_code == 422, response.json()
    assert field in response.json()["errors"]
    assert not Person.objects.exists()


def test_a_nik_already_registered_is_refused(people):
    response = _call(people.hsu_officer, "post", URL, _body())
    assert response.status_code == 422
    assert response.json()["errors"]["nik"] == ["Orang lain sudah terdaftar dengan NIK ini."]  # in Indonesian


def test_an_unknown_field_is_refused(world):
    response = _call(world.hsu_officer, "post", URL, _body(religion="-"))
    assert response.status_code == 422 and response.json()["errors"] == {"religion": ["Kolom tidak dikenal."]}


def test_only_officers_register_people(world):
    for user in [world.instructor, world.health_expert, world.partner_user]:
        assert _call(user, "post", URL, _body()).status_code == 403
    assert not Person.objects.exists()


def test_a_change_touches_only_the_fields_sent(people):
    response = _call(people.tala_officer, "patch", f"{URL}/{people.tala_person.pk}",
                     {"address": "Jl. Pindah", "region_code": "63.01.03"})
    assert response.status_code == 200, response.json()
    person = Person.objects.get(pk=people.tala_person.pk)
    assert (person.address, person.region_id, person.nik, person.phone) == (
        "Jl. Pindah", "63.01.03", TALA_NIK, "+6281251230009")
    assert person.history.latest().history_user == people.tala_officer


def test_null_empties_the_phone(people):
    response = _call(people.tala_officer, "patch", f"{URL}/{people.tala_person.pk}", {"phone": None})
    assert response.status_code == 200 and response.json()["phone"] == ""
    assert Person.objects.get(pk=people.tala_person.pk).phone == ""


def test_a_change_is_checked_by_the_form_like_the_page(people):
    response = _call(people.tala_officer, "patch", f"{URL}/{people.tala_person.pk}", {"sex": "L"})
    assert response.status_code == 422 and set(response.json()["errors"]) == {"sex"}
    assert Person.objects.get(pk=people.tala_person.pk).sex == "P"


def test_roles_that_may_read_but_not_edit_are_answered_404_as_on_the_page(people):
    assert _call(people.health_expert, "patch", f"{URL}/{people.tala_person.pk}", {"name": "X"}).status_code == 404
