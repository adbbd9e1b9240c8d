"""NIKs and birth dates as each role may see them, everywhere a person is found or shown: the search of the list
page (and its live filter and export) and of the API, the history page, and the message refusing a NIK that is
already registered."""

import datetime
import json

import pytest
from django.core.cache import cache
from django.urls import reverse

from conftest import client_for, download_rows, xlsx_upload
from sigap.lib.spreadsheet import ImportRefused, read_rows
from sigap.people.forms import PERSON_IMPORT_COLUMNS, PersonForm, nik_taken_message
from sigap.people.models import Person
from sigap.people.services import people_import, person_update

API = "/api/v1/people"
# Amuntai Tengah (63.08.05), a woman born 3 July 2000 (day + 40 = 43), serial 0002.
HSU_NIK = "6308054307000002"
# Takisung (63.01.03), a woman born 5 February 2001 (day + 40 = 45), serial 0001.
TALA_NIK = "6301034502010001"
# Another woman of Takisung, born the same day, serial 0003: registered nowhere yet.
NEW_TALA_NIK = "6301034502010003"

# Whole, and the parts a masked reader sees (regency, serial) or could try (birth date, prefixes).
NIK_QUERIES = [HSU_NIK, f" {HSU_NIK} ", HSU_NIK[:4], HSU_NIK[:6], HSU_NIK[:12], HSU_NIK[-4:], HSU_NIK[4:12],
               HSU_NIK[6:12], HSU_NIK[:15]]


@pytest.fixture
def people(world):
    world.tala_person = Person.objects.create(
        name="Peserta Tala", nik=TALA_NIK, sex="P", birth_date=datetime.date(2001, 2, 5), address="Jl. Demo",
        region_id="63.01.03.1004", phone="+6281251230009")
    world.hsu_person = Person.objects.create(
        name="Peserta HSU", nik=HSU_NIK, sex="P", birth_date=datetime.date(2000, 7, 3), address="Jl. Antasari",
        region_id="63.08.05.1001", phone="+6281350001234")
    return world


def _found(user, q) -> dict[str, list[str]]:
    """The names a search finds through every door: the list page, its live filter, its export and the API."""
    client = client_for(user)
    page = client.get(reverse("people:list"), {"q": q})
    live = client.get(reverse("people:list"), {"q": q}, headers={"HX-Request": "true"})
    export = download_rows(client.get(reverse("people:export"), {"q": q, "format": "csv"}))
    api = client.get(API, {"q": q})
    assert api.status_code == 200, api.content
    return {
        "page": [p.name for p in page.context["page"]],
        "live": [p.name for p in live.context["page"]],
        "export": [row[0] for row in export[1:]],
        "api": [p["name"] for p in api.json()["items"]],
    }


# Searching by NIK ---------------------------------------------------------------------------------------------

@pytest.mark.security
@pytest.mark.parametrize("reader", ["instructor", "health_expert"])
@pytest.mark.parametrize("q", NIK_QUERIES)
def test_a_role_that_sees_niks_masked_finds_no_one_by_nik(people, reader, q):
    # Both readers see the HSU participant (masked), so a match could only come from the NIK.
    assert _found(getattr(people, reader), q) == {"page": [], "live": [], "export": [], "api": []}


@pytest.mark.security
@pytest.mark.parametrize("reader", ["instructor", "health_expert"])
def test_a_role_that_sees_niks_masked_still_finds_people_by_name(people, reader):
    assert _found(getattr(people, reader), "peserta hsu") == {
        "page": ["Peserta HSU"], "live": ["Peserta HSU"], "export": ["Peserta HSU"], "api": ["Peserta HSU"]}


@pytest.mark.security
@pytest.mark.parametrize("reader", ["partner_user", "agency_user"])
@pytest.mark.parametrize("q", [HSU_NIK, TALA_NIK, TALA_NIK[:4], TALA_NIK[-4:]])
def test_partner_and_agency_users_cannot_search_people_at_all(people, reader, q):
    client = client_for(getattr(people, reader))
    for response in (client.get(reverse("people:list"), {"q": q}),
                     client.get(reverse("people:list"), {"q": q}, headers={"HX-Request": "true"}),
                     client.get(reverse("people:export"), {"q": q, "format": "csv"}),
                     client.get(API, {"q": q})):
        assert response.status_code == 403
        assert b"Peserta" not in b"".join(getattr(response, "streaming_content", [response.content]))


@pytest.mark.security
def test_an_officer_still_finds_a_person_of_their_region_by_whole_nik_only(people):
    found = {"page": ["Peserta HSU"], "live": ["Peserta HSU"], "export": ["Peserta HSU"], "api": ["Peserta HSU"]}
    assert _found(people.hsu_officer, HSU_NIK) == found
    assert _found(people.province_officer, f" {HSU_NIK} ") == found
    for part in (HSU_NIK[:4], HSU_NIK[:12], HSU_NIK[-4:], HSU_NIK[4:12]):
        assert _found(people.province_officer, part) == {"page": [], "live": [], "export": [], "api": []}
    # Another district's NIK finds no one, as that person is out of the officer's scope.
    assert _found(people.hsu_officer, TALA_NIK) == {"page": [], "live": [], "export": [], "api": []}


def test_the_search_box_says_what_it_matches_for_each_role(people):
    officer = client_for(people.hsu_officer).get(reverse("people:list")).content.decode()
    instructor = client_for(people.instructor).get(reverse("people:list")).content.decode()
    assert 'placeholder="Nama atau NIK lengkap"' in officer
    assert 'placeholder="Nama"' in instructor


# The history page ---------------------------------------------------------------------------------------------

# The same woman, her birth day corrected to 4 July (day + 40 = 44), so her NIK changes with it.
CORRECTED_NIK = "6308054407000002"


@pytest.fixture
def corrected(people):
    person_update(person=people.hsu_person, by=people.hsu_officer, nik=CORRECTED_NIK,
                  birth_date=datetime.date(2000, 7, 4), phone="+6281350009999")
    return people


def _history(user, person):
    response = client_for(user).get(reverse("people:history", args=[person.pk]))
    assert response.status_code == 200
    values = [value for entry in response.context["entries"] for change in entry.changes
              for value in (change.old, change.new)]
    return values, response.content.decode()


@pytest.mark.security
@pytest.mark.parametrize("reader", ["instructor", "health_expert"])
def test_the_history_page_shows_masked_roles_what_the_person_page_shows_them(corrected, reader):
    values, page = _history(getattr(corrected, reader), corrected.hsu_person)
    # The NIK masked and only the birth year, as on the person's page; the phone whole, as these roles call people.
    assert sorted(map(str, values)) == sorted(["6308••••••••0002", "6308••••••••0002", "2000", "2000",
                                               "0813-5000-1234", "0813-5000-9999"])
    assert not any(isinstance(value, datetime.date) for value in values)
    for whole in (HSU_NIK, CORRECTED_NIK, "Juli 2000", "Jul 2000", "2000-07-0", "07/2000"):
        assert whole not in page


@pytest.mark.security
def test_the_history_page_shows_officers_the_whole_values(corrected):
    values, page = _history(corrected.hsu_officer, corrected.hsu_person)
    assert HSU_NIK in values and CORRECTED_NIK in values
    assert datetime.date(2000, 7, 3) in values and datetime.date(2000, 7, 4) in values
    assert "0813-5000-9999" in values
    assert HSU_NIK in page and CORRECTED_NIK in page


@pytest.mark.security
@pytest.mark.parametrize("reader", ["tala_officer", "outsider", "partner_user", "agency_user"])
def test_the_history_of_a_person_out_of_scope_answers_404(corrected, reader):
    response = client_for(getattr(corrected, reader)).get(reverse("people:history", args=[corrected.hsu_person.pk]))
    assert response.status_code == 404
    assert CORRECTED_NIK.encode() not in response.content


# Registering a NIK that is already registered -----------------------------------------------------------------

FORM = {"name": "Siti", "nik": TALA_NIK, "sex": "P", "birth_date": "2001-02-05", "kind": "participant",
        "address": "Jl. Antasari", "district": "63.08.05", "village": "63.08.05.1001", "phone": ""}
OTHER_DISTRICT_ID = ("NIK ini terdaftar di Disnakerind Tala; mintalah kantor tersebut memindahkan orang ini ke "
                     "kantor Anda.")
OTHER_DISTRICT_EN = "This NIK is registered with Disnakerind Tala; ask that office to transfer the person to yours."
SAME_DISTRICT_ID = "Orang lain sudah terdaftar dengan NIK ini."
NEUTRAL_EN = "This NIK cannot be registered; ask your office."


def _traces(nik):
    """What a registration could leave behind: people, their history, cache entries holding the NIK."""
    cached = [key for key, value in cache._cache.items() if nik in key or nik.encode() in value]
    return sorted(Person.objects.values_list("nik", flat=True)), Person.history.count(), cached


@pytest.mark.security
def test_an_officer_registering_another_districts_nik_is_told_which_office_to_ask_and_nothing_is_kept(people):
    before = _traces(TALA_NIK)
    page = client_for(people.hsu_officer).post(reverse("people:create"), FORM)
    assert page.status_code == 200
    assert page.context["form"].errors["nik"] == [OTHER_DISTRICT_ID]
    assert "Peserta Tala" not in page.content.decode()
    api = client_for(people.hsu_officer).post(API, data=json.dumps({
        **{k: v for k, v in FORM.items() if k not in {"district", "village"}}, "region_code": "63.08.05.1001"}),
        content_type="application/json")
    assert api.status_code == 422 and api.json()["errors"] == {"nik": [OTHER_DISTRICT_ID]}
    assert _traces(TALA_NIK) == before


@pytest.mark.security
def test_an_officer_changing_a_nik_to_another_districts_is_told_which_office_to_ask(people):
    response = client_for(people.hsu_officer).patch(
        f"{API}/{people.hsu_person.pk}", data=json.dumps({"nik": TALA_NIK, "birth_date": "2001-02-05"}),
        content_type="application/json")
    assert response.status_code == 422, response.json()
    assert response.json()["errors"] == {"nik": [OTHER_DISTRICT_ID]}
    assert Person.objects.get(pk=people.hsu_person.pk).nik == HSU_NIK


@pytest.mark.security
def test_an_import_names_the_office_holding_a_nik_of_another_district_and_imports_nothing(people):
    before = _traces(TALA_NIK)
    row = ["Siti", TALA_NIK, "P", datetime.date(2001, 2, 5), "", "Jl. Antasari", "63.08.05.1001", ""]
    header = ["Name", "NIK", "Sex", "Birth date", "Role", "Street address", "Region code", "Phone/WhatsApp"]
    with pytest.raises(ImportRefused) as refused:
        people_import(rows=read_rows(xlsx_upload([header, row]), PERSON_IMPORT_COLUMNS), by=people.hsu_officer)
    assert [(p.row, p.column, p.message) for p in refused.value.problems] == [(2, "NIK", OTHER_DISTRICT_EN)]
    assert _traces(TALA_NIK) == before


@pytest.mark.security
def test_an_officer_of_the_district_holding_the_nik_gets_the_plain_message(people):
    response = client_for(people.tala_officer).post(
        reverse("people:create"), {**FORM, "district": "63.01.03", "village": "63.01.03.1004"})
    assert response.context["form"].errors["nik"] == [SAME_DISTRICT_ID]
    assert Person.objects.filter(nik=TALA_NIK).count() == 1


@pytest.mark.security
@pytest.mark.parametrize("role", ["instructor", "health_expert", "partner_user", "agency_user"])
@pytest.mark.parametrize("nik, born", [(TALA_NIK, "2001-02-05"), (HSU_NIK, "2000-07-03")])
def test_other_roles_are_not_told_where_a_nik_is_registered(people, role, nik, born):
    # No page lets these roles register, but the form every registration goes through says nothing either.
    form = PersonForm({**FORM, "nik": nik, "birth_date": born}, user=getattr(people, role))
    assert not form.is_valid()
    assert form.errors["nik"] == [NEUTRAL_EN]


def test_a_registration_refused_elsewhere_leaves_the_nik_free_for_its_own_district(people):
    before = _traces(NEW_TALA_NIK)
    hsu = client_for(people.hsu_officer)
    tala_address = {"district": "63.01.03", "village": "63.01.03.1004"}
    # Refused for its address (outside HSU), then for its birth date: nothing kept either time.
    response = hsu.post(reverse("people:create"), {**FORM, "nik": NEW_TALA_NIK, **tala_address})
    assert response.status_code == 200 and response.context["form"].errors
    response = hsu.post(reverse("people:create"), {**FORM, "nik": NEW_TALA_NIK, "birth_date": "2001-02-06"})
    assert response.status_code == 200 and response.context["form"].errors
    assert _traces(NEW_TALA_NIK) == before
    response = client_for(people.tala_officer).post(reverse("people:create"),
                                                     {**FORM, "nik": NEW_TALA_NIK, **tala_address})
    assert response.status_code == 302
    assert Person.objects.get(nik=NEW_TALA_NIK).history.get().history_user == people.tala_officer


@pytest.mark.parametrize("region, expected", [
    ("63.01.03.1004", OTHER_DISTRICT_EN),
    # Kotabaru has no industry office of its own in SIGAP: its province's is asked.
    ("63.02.01", "This NIK is registered with Disperin Kalsel; ask that office to transfer the person to yours."),
    # No office at all: the regency is named.
    ("31.71.01", "This NIK is registered in Kota Administrasi Jakarta Pusat; ask its industry office to transfer "
                 "the person to yours."),
])
def test_an_officer_is_told_the_nearest_office_holding_a_nik(world, region, expected):
    assert nik_taken_message(Person(region_id=region), by=world.hsu_officer) == expected


def test_a_registration_of_the_same_nik_that_commits_between_the_check_and_the_insert_is_refused_alike(
        people, monkeypatch):
    """Two officers saving the same NIK at once: the second insert meets the unique index after its checks passed.
    It gets the refusal the checks would have given, not a server error."""
    from sigap.people import services
    from sigap.regions.models import Region

    # The checks ran before the other registration committed.
    monkeypatch.setattr(services, "_check", lambda **kwargs: None)
    monkeypatch.setattr(Person, "validate_unique", lambda self, exclude=None: None)
    with pytest.raises(services.DomainError) as refused:
        services.person_create(by=people.hsu_officer, name="Peserta Ganda", nik=TALA_NIK, sex="P",
                               birth_date=datetime.date(2001, 2, 5), address="Jl. Lain",
                               region=Region.objects.get(code="63.08.05.1001"))
    assert refused.value.field == "nik" and refused.value.message == OTHER_DISTRICT_EN
    assert list(Person.objects.filter(nik=TALA_NIK).values_list("name", flat=True)) == ["Peserta Tala"]
