import datetime

import pytest
from django.urls import reverse

from conftest import client_for
from sigap.lib.errors import DomainError
from sigap.people.forms import check_nik
from sigap.people.models import Person, mask_nik
from sigap.people.services import person_create, person_update

# Amuntai Tengah (63.08.05), a woman born 3 July 2000 (day + 40 = 43), serial 0002.
NIK = "6308054307000002"
BORN = datetime.date(2000, 7, 3)


def test_a_well_formed_nik_matching_birth_date_and_sex_passes():
    assert check_nik(NIK, birth_date=BORN, sex="P") == []


@pytest.mark.parametrize("nik, fields", [
    ("630805430700000", {"nik"}),              # 15 digits
    ("9908054307000002", {"nik"}),             # no province 99
    ("6399054307000002", {"nik"}),             # no regency 63.99
    ("6308059907000002", {"nik"}),             # day 99 - 40 = 59
    ("6308054307000000", {"nik"}),             # serial 0000
])
def test_a_malformed_nik_is_refused(nik, fields):
    assert {field for field, _ in check_nik(nik, birth_date=BORN, sex="P")} == fields


def test_birth_date_and_sex_must_match_the_nik():
    problems = dict(check_nik(NIK, birth_date=datetime.date(2000, 7, 4), sex="L"))
    assert set(problems) == {"birth_date", "sex"}


def test_the_nik_is_masked_to_regency_and_serial():
    assert mask_nik("6301034502010001") == "6301••••••••0001"


def _fields(**extra):
    return {"name": "Siti Nurhaliza", "nik": NIK, "sex": "P", "birth_date": BORN, "kind": "participant",
            "address": "Jl. Antasari", "region_id": "63.08.05.1001", **extra}


def test_an_hsu_officer_registers_a_participant_of_hsu(world):
    from sigap.regions.models import Region

    fields = _fields()
    fields["region"] = Region.objects.get(code=fields.pop("region_id"))
    person = person_create(by=world.hsu_officer, **fields)
    assert Person.objects.get(nik=NIK) == person
    assert person.history.get().history_user == world.hsu_officer


def test_a_tala_officer_cannot_register_someone_living_in_hsu(world):
    from sigap.regions.models import Region

    fields = _fields()
    fields["region"] = Region.objects.get(code=fields.pop("region_id"))
    with pytest.raises(DomainError) as error:
        person_create(by=world.tala_officer, **fields)
    assert error.value.field == "district"
    assert not Person.objects.exists()


def test_an_instructor_cannot_register_people(world):
    from sigap.regions.models import Region

    fields = _fields()
    fields["region"] = Region.objects.get(code=fields.pop("region_id"))
    with pytest.raises(DomainError):
        person_create(by=world.instructor, **fields)
    assert not Person.objects.exists()


def test_updating_keeps_old_and_new_values(world):
    person = Person.objects.create(**_fields())
    person_update(person=person, by=world.hsu_officer, address="Jl. Baru")
    latest = person.history.order_by("-history_date").first()
    assert latest.history_user == world.hsu_officer
    assert latest.diff_against(latest.prev_record).changes[0].new == "Jl. Baru"


FORM = {"name": "Siti Nurhaliza", "nik": "6308 0543 0700 0002", "sex": "P", "birth_date": "2000-07-03",
        "kind": "participant", "address": "Jl. Antasari", "district": "63.08.05", "village": "63.08.05.1001",
        "phone": "0813-5000-1234"}


def test_the_form_registers_a_person_and_normalises_nik_and_phone(world):
    response = client_for(world.hsu_officer).post(reverse("people:create"), FORM)
    person = Person.objects.get()
    assert response.status_code == 302
    assert person.nik == NIK and person.phone == "+6281350001234" and person.region_id == "63.08.05.1001"


@pytest.mark.parametrize("field, value, message", [
    ("nik", "123", "NIK terdiri dari 16 digit."),
    ("birth_date", "2000-07-04", "Tanggal lahir tidak sesuai dengan yang tercantum di NIK."),
])
def test_the_form_refuses_a_bad_nik_in_indonesian_and_saves_nothing(world, field, value, message):
    response = client_for(world.hsu_officer).post(reverse("people:create"), {**FORM, field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Person.objects.exists()


def test_a_duplicate_nik_is_refused(world):
    Person.objects.create(**_fields())
    response = client_for(world.hsu_officer).post(reverse("people:create"), FORM)
    assert response.status_code == 200
    assert "nik" in response.context["form"].errors
    assert Person.objects.count() == 1


def test_nik_and_phone_are_shown_whole_only_to_officers(world):
    person = Person.objects.create(**_fields(phone="+6281350001234"))
    officer = client_for(world.hsu_officer).get(reverse("people:detail", args=[person.pk])).content.decode()
    assert NIK in officer and "0813-5000-1234" in officer
    expert = client_for(world.health_expert).get(reverse("people:detail", args=[person.pk])).content.decode()
    assert NIK not in expert and "6308••••••••0002" in expert
    assert "0813-5000-1234" in expert  # a health expert may call a participant
    listing = client_for(world.instructor).get(reverse("people:list")).content.decode()
    assert NIK not in listing and "6308••••••••0002" in listing


def test_the_history_page_masks_the_nik_for_roles_that_may_not_see_it(world):
    person = Person.objects.create(**_fields())
    person_update(person=person, by=world.hsu_officer, nik="6308054307000003")
    page = client_for(world.instructor).get(reverse("people:history", args=[person.pk])).content.decode()
    assert "6308054307000003" not in page and "6308••••••••0003" in page


def test_search_matches_names_and_only_whole_niks(world):
    Person.objects.create(**_fields())
    client = client_for(world.hsu_officer)
    assert client.get(reverse("people:list"), {"q": "nurha"}).context["page"].paginator.count == 1
    assert client.get(reverse("people:list"), {"q": NIK}).context["page"].paginator.count == 1
    assert client.get(reverse("people:list"), {"q": NIK[:10]}).context["page"].paginator.count == 0
