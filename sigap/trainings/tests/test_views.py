"""The training pages, as an officer or instructor uses them (in Indonesian), and the certificate and report PDFs."""

import datetime
import io
import re
import socket
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from conftest import client_for
from sigap.items.models import Component
from sigap.people.models import Person
from sigap.production.models import Batch
from sigap.stock.ledger import on_hand
from sigap.stock.models import StockDocument
from sigap.stock.services import location_for, receipt_record
from sigap.trainings.models import Attendance, Enrolment, HomeVisit, LearningMaterial, Training
from sigap.trainings.services import (
    attendance_record, home_visit_record, material_add, output_record, targets_set, targets_split_evenly,
)
from sigap.trainings.tests.conftest import FIRST_DAY, LAST_DAY, PARTICIPANTS, enrol, make_person, make_training

DAY_2 = FIRST_DAY + datetime.timedelta(days=1)
# Amuntai Tengah (63.08.05), a woman born 3 July 2000 (day + 40 = 43), serial 0002.
NIK = "6308054307000002"


def _url(name, w, *args):
    return reverse(f"trainings:{name}", args=[w.training.pk, *args])


def _pdf_text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


# --- creating a training -----------------------------------------------------------------------------------------

def _training_form(w, **extra):
    return {"title": "Bimtek Set APD", "programme": "", "office": w.hsu_office.pk, "mode": "offline",
            "starts_on": "2020-06-15", "ends_on": "2020-06-26", "place": "Aula Disperindagkop-UKM HSU, Amuntai",
            "meeting_link": "", "product": w.suit.pk, "target": "60", "quota": "7", "instructors": [w.teacher.pk],
            "health_expert": w.doctor.pk, "min_attendance_percent": "80", "description": "", **extra}


def test_an_officer_creates_a_training_through_the_page(hsu):
    w = hsu
    client = client_for(w.hsu_officer)
    form = client.get(reverse("trainings:create"))
    assert form.status_code == 200 and form.context["form"]["office"].initial == w.hsu_office.pk
    response = client.post(reverse("trainings:create"), _training_form(w, meeting_link="meet.jit.si/bimtek-apd"))
    training = Training.objects.get()
    assert response.status_code == 302 and response.url == training.get_absolute_url()
    assert (training.title, training.office, training.product, training.target, training.quota) == (
        "Bimtek Set APD", w.hsu_office, w.suit, 60, 7)
    assert (training.starts_on, training.ends_on) == (datetime.date(2020, 6, 15), datetime.date(2020, 6, 26))
    assert training.meeting_link == "https://meet.jit.si/bimtek-apd"
    assert list(training.instructors.all()) == [w.teacher] and training.health_expert == w.doctor
    assert training.history.get().history_user == w.hsu_officer


@pytest.mark.parametrize("change, field", [
    ({"ends_on": "2020-06-14"}, None),
    ({"meeting_link": "ftp://files.example.com/x"}, "meeting_link"),
    ({"instructors": [], "health_expert": "teacher"}, "health_expert"),   # not in the health experts offered
    ({"office": "tala_office"}, "office"),                                # not an office of the officer's region
    ({"product": "fabric"}, "product"),                                   # a raw material
    ({"quota": "0"}, "quota"),
    ({"min_attendance_percent": "101"}, "min_attendance_percent"),
])
def test_a_bad_training_form_is_shown_again_and_saves_nothing(hsu, change, field):
    w = hsu
    change = {k: getattr(w, v).pk if isinstance(v, str) and hasattr(w, v) else v for k, v in change.items()}
    response = client_for(w.hsu_officer).post(reverse("trainings:create"), _training_form(w, **change))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors and (field is None or field in errors)
    assert not Training.objects.exists()


def test_a_last_day_before_the_first_is_explained_on_the_last_day_field(hsu):
    w = hsu
    response = client_for(w.hsu_officer).post(reverse("trainings:create"), _training_form(w, ends_on="2020-06-14"))
    assert response.status_code == 200 and not Training.objects.exists()
    assert "training_ends_after_start" not in response.content.decode()
    assert "ends_on" in response.context["form"].errors


@pytest.mark.parametrize("who", ["instructor", "health_expert", "partner_user", "agency_user"])
def test_only_officers_open_the_new_training_page(hsu, who):
    client = client_for(getattr(hsu, who))
    assert client.get(reverse("trainings:create")).status_code == 403
    assert client.post(reverse("trainings:create"), _training_form(hsu)).status_code == 403
    assert not Training.objects.exists()


# --- the list and the detail page, scoped to the region ----------------------------------------------------------

def test_the_training_list_and_detail_are_scoped_to_the_region(training):
    w = training
    hsu_list = client_for(w.hsu_officer).get(reverse("trainings:list"))
    assert list(hsu_list.context["trainings"]) == [w.training]
    assert list(client_for(w.province_officer).get(reverse("trainings:list")).context["trainings"]) == [w.training]
    assert list(client_for(w.instructor).get(reverse("trainings:list")).context["trainings"]) == [w.training]
    assert list(client_for(w.tala_officer).get(reverse("trainings:list")).context["trainings"]) == []
    assert list(client_for(w.outsider).get(reverse("trainings:list")).context["trainings"]) == []
    tala = client_for(w.tala_officer)
    for name in ("detail", "edit", "enrol", "targets", "attendance", "visit", "output", "material", "report"):
        assert tala.get(_url(name, w)).status_code == 404, name
    assert tala.get(_url("kit", w, w.enrolments[0].pk)).status_code == 404
    assert tala.get(_url("certificate", w, w.enrolments[0].pk)).status_code == 404
    assert client_for(w.partner_user).get(reverse("trainings:list")).status_code == 403
    assert client_for(w.agency_user).get(reverse("trainings:list")).status_code == 403
    assert client_for(None).get(_url("detail", w)).status_code == 302


def test_the_detail_page_shows_the_training_and_its_participants(training):
    w = training
    response = client_for(w.hsu_officer).get(_url("detail", w))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Bimtek Masker Kain 3 Lapis Sasirangan" in page and "Hj. Masniah" in page and "dr. Rina Marlina" in page
    assert all(name in page for name in PARTICIPANTS[:3])
    assert "3 / 7" in page
    assert response.context["can_edit"] and response.context["can_run"]
    instructor_view = client_for(w.instructor).get(_url("detail", w))
    assert not instructor_view.context["can_edit"] and instructor_view.context["can_run"]
    assert _url("enrol", w) not in instructor_view.content.decode()


def _busy_training(w, names):
    """A training whose participants each have attendance, output and a home visit."""
    training = make_training(w, quota=10, target=100)
    enrolments = enrol(w, training, names)
    targets_split_evenly(training=training, by=w.hsu_officer)
    attendance_record(training=training, day=FIRST_DAY, marks={e: "online" for e in enrolments}, by=w.instructor)
    for enrolment in enrolments:
        output_record(enrolment=enrolment, quantity=5, produced_on=FIRST_DAY, by=w.instructor)
        home_visit_record(enrolment=enrolment, instructor=w.teacher, visited_on=DAY_2, problem="Lapis bergeser",
                          action="Dijahit ulang", by=w.instructor)
    material_add(training=training, title="Video menjahit", by=w.instructor, url="https://example.com/video")
    return training


def test_the_detail_page_makes_as_many_queries_for_10_participants_as_for_2(hsu, django_assert_num_queries):
    w = hsu
    small = _busy_training(w, PARTICIPANTS[:2])
    large = _busy_training(w, [f"{name} II" for name in PARTICIPANTS[:10]])
    client = client_for(w.hsu_officer)
    client.get(reverse("trainings:detail", args=[small.pk]))  # the session is settled
    with CaptureQueriesContext(connection) as small_queries:
        response = client.get(reverse("trainings:detail", args=[small.pk]))
    assert response.status_code == 200 and len(response.context["progress"].participants) == 2
    with django_assert_num_queries(len(small_queries)):
        response = client.get(reverse("trainings:detail", args=[large.pk]))
    assert len(response.context["progress"].participants) == 10 and response.context["progress"].produced == 50


# --- enrolling ---------------------------------------------------------------------------------------------------

def test_an_officer_enrols_a_registered_participant(training):
    w = training
    nor = make_person("Nor Aida")
    client = client_for(w.hsu_officer)
    page = client.get(_url("enrol", w))
    offered = set(page.context["form"].fields["person"].queryset)
    assert nor in offered and not offered & {e.person for e in w.enrolments} and w.teacher not in offered
    response = client.post(_url("enrol", w), {"action": "existing", "existing-person": nor.pk})
    assert response.status_code == 302 and response.url == _url("detail", w)
    assert Enrolment.objects.filter(training=w.training, person=nor).exists()
    assert w.training.enrolments.count() == 4


def test_enrolling_twice_or_nobody_is_refused_on_the_page(training):
    w = training
    client = client_for(w.hsu_officer)
    again = client.post(_url("enrol", w), {"action": "existing", "existing-person": w.enrolments[0].person.pk})
    assert again.status_code == 200 and "person" in again.context["form"].errors
    nobody = client.post(_url("enrol", w), {"action": "existing", "existing-person": ""})
    assert nobody.status_code == 200 and nobody.context["form"].errors
    assert w.training.enrolments.count() == 3


def _new_person(**extra):
    return {"action": "create", "new-name": "Siti Rahmah", "new-nik": "6308 0543 0700 0002", "new-sex": "P",
            "new-birth_date": "2000-07-03", "new-kind": "instructor", "new-address": "Jl. Antasari",
            "new-district": "63.08.05", "new-village": "63.08.05.1001", "new-phone": "", **extra}


def test_an_officer_registers_and_enrols_a_new_participant_on_the_fly(training):
    w = training
    response = client_for(w.hsu_officer).post(_url("enrol", w), _new_person())
    assert response.status_code == 302 and response.url == _url("detail", w)
    person = Person.objects.get(nik=NIK)
    assert (person.name, person.kind, person.region_id, person.birth_date) == (
        "Siti Rahmah", "participant", "63.08.05.1001", datetime.date(2000, 7, 3))
    assert Enrolment.objects.filter(training=w.training, person=person).exists()
    assert person.history.get().history_user == w.hsu_officer


def test_a_new_participant_whose_nik_does_not_match_is_neither_registered_nor_enrolled(training):
    w = training
    response = client_for(w.hsu_officer).post(_url("enrol", w), _new_person(**{"new-birth_date": "2000-07-04"}))
    assert response.status_code == 200 and "birth_date" in response.context["new_person"].errors
    assert not Person.objects.filter(nik=NIK).exists() and w.training.enrolments.count() == 3


def test_a_full_training_refuses_both_ways_and_registers_nobody(hsu):
    w = hsu
    w.training = make_training(w, quota=2)
    enrol(w, w.training, PARTICIPANTS[:2])
    nor = make_person("Nor Aida")
    client = client_for(w.hsu_officer)
    existing = client.post(_url("enrol", w), {"action": "existing", "existing-person": nor.pk})
    assert existing.status_code == 200 and existing.context["form"].non_field_errors()
    created = client.post(_url("enrol", w), _new_person())
    assert created.status_code == 200 and created.context["new_person"].non_field_errors()
    assert "(kuota 2)" in created.content.decode() or "(quota 2)" in created.content.decode()
    assert w.training.enrolments.count() == 2
    assert not nor.enrolments.exists() and not Person.objects.filter(nik=NIK).exists()


def test_the_quota_refusal_is_shown_in_indonesian(hsu):
    w = hsu
    w.training = make_training(w, quota=2)
    enrol(w, w.training, PARTICIPANTS[:2])
    nor = make_person("Nor Aida")
    response = client_for(w.hsu_officer).post(_url("enrol", w), {"action": "existing", "existing-person": nor.pk})
    page = response.content.decode()
    with translation.override("id"):
        expected = translation.gettext("The training is full (quota %(quota)s).") % {"quota": 2}
    assert expected != "The training is full (quota 2).", "no Indonesian translation"
    assert response.status_code == 200 and expected in page and "The training is full" not in page
    assert w.training.enrolments.count() == 2 and not nor.enrolments.exists()


def test_only_an_officer_of_the_region_opens_the_enrol_page(training):
    w = training
    assert client_for(w.instructor).get(_url("enrol", w)).status_code == 404
    assert client_for(w.tala_officer).post(_url("enrol", w), _new_person()).status_code == 404
    assert not Person.objects.filter(nik=NIK).exists()


# --- targets -----------------------------------------------------------------------------------------------------

def test_the_split_evenly_button_sets_the_targets(training):
    w = training
    response = client_for(w.hsu_officer).post(_url("targets", w), {"action": "split"})
    assert response.status_code == 302 and response.url == _url("detail", w)
    assert sorted(Enrolment.objects.values_list("target", flat=True)) == [20, 20, 20]


def test_targets_typed_per_participant_are_saved(training):
    w = training
    fahri, siti, rahmat = w.enrolments
    response = client_for(w.hsu_officer).post(_url("targets", w), {
        "action": "set", f"t{fahri.pk}": "30", f"t{siti.pk}": "20", f"t{rahmat.pk}": "10"})
    assert response.status_code == 302
    assert dict(Enrolment.objects.values_list("pk", "target")) == {fahri.pk: 30, siti.pk: 20, rahmat.pk: 10}


@pytest.mark.parametrize("values, shown", [
    (("30", "20", "9"), "59"),
    (("30", "20", "dua"), None),
    (("30", "20", ""), None),
    (("70", "-5", "-5"), None),
])
def test_targets_that_do_not_add_up_show_an_error_and_save_nothing(training, values, shown):
    w = training
    data = {"action": "set", **{f"t{e.pk}": v for e, v in zip(w.enrolments, values)}}
    response = client_for(w.hsu_officer).post(_url("targets", w), data)
    assert response.status_code == 200
    errors = [m for m in response.context["messages"] if m.level_tag == "error"]
    assert len(errors) == 1
    page = response.content.decode()
    assert str(errors[0]) in page.replace("&#x27;", "'")
    if shown:
        assert shown in str(errors[0]) and "60" in str(errors[0])
    assert set(Enrolment.objects.values_list("target", flat=True)) == {0}


def test_an_instructor_cannot_set_targets(training):
    w = training
    assert client_for(w.instructor).post(_url("targets", w), {"action": "split"}).status_code == 404
    assert set(Enrolment.objects.values_list("target", flat=True)) == {0}


# --- attendance, home visits, output, materials ------------------------------------------------------------------

def test_the_instructor_marks_a_day_on_the_attendance_page(training):
    w = training
    fahri, siti, rahmat = w.enrolments
    client = client_for(w.instructor)
    page = client.get(_url("attendance", w))
    assert page.status_code == 200 and all(name in page.content.decode() for name in PARTICIPANTS[:3])
    response = client.post(_url("attendance", w), {"day": "2020-05-19", f"p{fahri.pk}": "online",
                                                   f"p{siti.pk}": "in_person", f"p{rahmat.pk}": "absent"})
    assert response.status_code == 302 and response.url == _url("detail", w)
    assert dict(Attendance.objects.filter(day=DAY_2).values_list("enrolment_id", "mode")) == {
        fahri.pk: "online", siti.pk: "in_person", rahmat.pk: "absent"}
    again = client.get(_url("attendance", w), {"day": "2020-05-19"})
    assert again.context["form"][f"p{rahmat.pk}"].value() == "absent"
    assert again.context["form"][f"p{siti.pk}"].value() == "in_person"


def test_the_attendance_page_refuses_a_day_outside_the_training(training):
    w = training
    data = {"day": "2020-05-21", **{f"p{e.pk}": "online" for e in w.enrolments}}
    response = client_for(w.instructor).post(_url("attendance", w), data)
    assert response.status_code == 200 and "day" in response.context["form"].errors
    assert "21-05-2020" in response.content.decode()
    assert not Attendance.objects.exists()


def test_the_attendance_page_survives_a_day_that_is_not_a_date(training):
    response = client_for(training.instructor).get(_url("attendance", training), {"day": "kemarin"})
    assert response.status_code in {200, 400}


def test_only_officers_and_instructors_open_the_day_pages(training):
    w = training
    for who in ("health_expert",):
        client = client_for(getattr(w, who))
        for name in ("attendance", "visit", "output", "material"):
            assert client.get(_url(name, w)).status_code == 403, name
    data = {"day": "2020-05-18", **{f"p{e.pk}": "online" for e in w.enrolments}}
    assert client_for(w.health_expert).post(_url("attendance", w), data).status_code == 403
    assert not Attendance.objects.exists()


def test_the_home_visit_page_records_a_visit_and_the_day(training):
    w = training
    siti = w.enrolments[1]
    client = client_for(w.instructor)
    form = client.get(_url("visit", w)).context["form"]
    assert form["instructor"].initial == w.teacher.pk
    response = client.post(_url("visit", w), {"enrolment": siti.pk, "instructor": w.teacher.pk,
                                              "visited_on": "2020-05-19", "problem": "Lapis ketiga bergeser",
                                              "action": "Dijahit ulang dengan pola"})
    assert response.status_code == 302
    visit = HomeVisit.objects.get()
    assert (visit.enrolment, visit.instructor, visit.visited_on, visit.recorded_by) == (
        siti, w.teacher, DAY_2, w.instructor)
    assert Attendance.objects.get(enrolment=siti).mode == "home_visit"
    assert "Lapis ketiga bergeser" in client.get(_url("detail", w)).content.decode()


def test_the_home_visit_page_refuses_a_visit_before_the_training(training):
    w = training
    response = client_for(w.instructor).post(_url("visit", w), {
        "enrolment": w.enrolments[0].pk, "instructor": w.teacher.pk, "visited_on": "2020-05-10",
        "problem": "x", "action": "y"})
    assert response.status_code == 200 and "visited_on" in response.context["form"].errors
    assert not HomeVisit.objects.exists() and not Attendance.objects.exists()


def test_the_output_page_records_a_batch_awaiting_inspection(training):
    w = training
    fahri = w.enrolments[0]
    client = client_for(w.instructor)
    response = client.post(_url("output", w), {"enrolment": fahri.pk, "quantity": "35", "produced_on": "2020-05-19"})
    batch = Batch.objects.get()
    assert response.status_code == 302 and response.url == _url("detail", w)
    assert (batch.training, batch.producer_person, batch.quantity, batch.status) == (
        w.training, fahri.person, 35, "awaiting")
    detail = client.get(_url("detail", w))
    assert batch.code in detail.content.decode()   # the success message names the batch
    assert detail.context["progress"].produced == 35


def test_the_output_page_refuses_output_before_the_training(training):
    w = training
    response = client_for(w.instructor).post(_url("output", w), {
        "enrolment": w.enrolments[0].pk, "quantity": "5", "produced_on": "2020-05-17"})
    assert response.status_code == 200 and "produced_on" in response.context["form"].errors
    assert not Batch.objects.exists()


def test_the_material_page_adds_a_link_and_refuses_a_program(training):
    from django.core.files.uploadedfile import SimpleUploadedFile

    w = training
    client = client_for(w.instructor)
    response = client.post(_url("material", w), {"title": "Video menjahit", "url": "youtube.com/watch?v=abc"})
    assert response.status_code == 302
    assert LearningMaterial.objects.get().url == "https://youtube.com/watch?v=abc"
    refused = client.post(_url("material", w), {"title": "Pola", "url": "",
                                                "file": SimpleUploadedFile("pola.exe", b"MZ\x90\x00")})
    assert refused.status_code == 200 and "file" in refused.context["form"].errors
    assert LearningMaterial.objects.count() == 1


# --- material kits -----------------------------------------------------------------------------------------------

@pytest.fixture
def kitted(training):
    w = training
    Component.objects.create(product=w.mask, material=w.fabric, quantity=Decimal("0.06"))
    receipt_record(office=w.hsu_office, supplier=w.province_office, date=datetime.date(2020, 5, 16),
                   lines=[(w.fabric, 3)], by=w.hsu_officer)
    fahri, siti, rahmat = w.enrolments
    targets_set(training=w.training, targets={fahri.pk: 20, siti.pk: 20, rahmat.pk: 20}, by=w.hsu_officer)
    return w


def test_the_kit_page_shows_the_lines_and_issues_them_to_the_participants_home(kitted):
    w = kitted
    fahri = w.enrolments[0]
    client = client_for(w.hsu_officer)
    page = client.get(_url("kit", w, fahri.pk))
    assert page.status_code == 200 and page.context["lines"] == [(w.fabric, Decimal("1.200"))]
    assert "Kain sasirangan" in page.content.decode()
    response = client.post(_url("kit", w, fahri.pk), {"office": w.hsu_office.pk, "date": "2020-05-17"})
    assert response.status_code == 302 and response.url == _url("detail", w)
    fahri.refresh_from_db()
    assert fahri.kit.kind == "issue" and fahri.kit.destination == location_for(fahri.person)
    assert on_hand(w.fabric, location_for(fahri.person)) == Decimal("1.2")
    assert on_hand(w.fabric, location_for(w.hsu_office)) == Decimal("1.8")


def test_the_kit_page_shows_a_shortfall_in_indonesian_and_writes_nothing(kitted):
    w = kitted
    client = client_for(w.hsu_officer)
    for e in w.enrolments[:2]:
        client.post(_url("kit", w, e.pk), {"office": w.hsu_office.pk, "date": "2020-05-17"})
    documents = StockDocument.objects.count()
    rahmat = w.enrolments[2]
    response = client.post(_url("kit", w, rahmat.pk), {"office": w.hsu_office.pk, "date": "2020-05-17"})
    assert response.status_code == 200 and "Stok tidak cukup" in response.content.decode()
    assert StockDocument.objects.count() == documents == 3
    rahmat.refresh_from_db()
    assert rahmat.kit is None and on_hand(w.fabric, location_for(rahmat.person)) == 0
    assert on_hand(w.fabric, location_for(w.hsu_office)) == Decimal("0.6")


def test_an_instructor_does_not_issue_kits(kitted):
    w = kitted
    response = client_for(w.instructor).post(_url("kit", w, w.enrolments[0].pk),
                                            {"office": w.hsu_office.pk, "date": "2020-05-17"})
    assert response.status_code == 404
    assert StockDocument.objects.filter(kind="issue").count() == 0


# --- PDFs --------------------------------------------------------------------------------------------------------

@pytest.fixture
def finished(training):
    """Muhammad Fahri attended all three days and made 18 of his 20 masks; Siti Nurhaliza attended one day."""
    w = training
    fahri, siti, rahmat = w.enrolments
    targets_set(training=w.training, targets={fahri.pk: 20, siti.pk: 20, rahmat.pk: 20}, by=w.hsu_officer)
    for day in w.training.days:
        attendance_record(training=w.training, day=day, by=w.instructor,
                          marks={fahri: "online", siti: "online" if day == FIRST_DAY else "absent",
                                 rahmat: "in_person"})
    output_record(enrolment=fahri, quantity=10, produced_on=FIRST_DAY, by=w.instructor)
    output_record(enrolment=fahri, quantity=8, produced_on=LAST_DAY, by=w.instructor)
    output_record(enrolment=rahmat, quantity=15, produced_on=DAY_2, by=w.instructor)
    return w


def test_the_certificate_is_a_pdf_with_the_participants_name_and_the_training(finished):
    w = finished
    text = _pdf_text(client_for(w.instructor).get(_url("certificate", w, w.enrolments[0].pk)))
    assert "Muhammad Fahri" in text
    assert "Bimtek Masker Kain 3 Lapis Sasirangan" in text
    assert "DISPERINDAGKOP-UKM KABUPATEN HULU SUNGAI UTARA" in text
    assert "18 Mei 2020" in text and "20 Mei 2020" in text   # dates in Indonesian
    assert re.search(r"\b3\b\D+\b3\b", text.split("Muhammad Fahri", 1)[1])   # attended 3 of 3 days


def test_no_certificate_without_enough_attendance(finished):
    w = finished
    client = client_for(w.hsu_officer)
    response = client.get(_url("certificate", w, w.enrolments[1].pk))
    assert response.status_code == 302 and response.url == _url("detail", w)
    messages = [str(m) for m in client.get(_url("detail", w)).context["messages"]]
    assert len(messages) == 1 and "Siti Nurhaliza" in messages[0]


def test_a_certificate_of_another_trainings_participant_is_not_found(finished):
    w = finished
    other = make_training(w, title="Bimtek Lain")
    (stranger,) = enrol(w, other, ["Nor Aida"])
    assert client_for(w.hsu_officer).get(_url("certificate", w, stranger.pk)).status_code == 404


def test_the_training_report_is_a_pdf_with_output_against_target(finished):
    w = finished
    text = _pdf_text(client_for(w.province_officer).get(_url("report", w)))
    assert "Bimtek Masker Kain 3 Lapis Sasirangan" in text
    lines = text.splitlines()
    # participant, target, made, accepted, days present
    assert "Muhammad Fahri 20 18 0 3" in lines
    assert "Siti Nurhaliza 20 0 0 1" in lines
    assert "Rahmat Hidayat 20 15 0 3" in lines
    assert any(line.endswith(" 60 33 0") for line in lines)   # the total row: target, made, accepted


@pytest.mark.security
def test_renaming_the_product_leaves_the_training_report_with_the_name_it_was_taught_under(finished):
    w = finished
    assert client_for(w.province_officer).patch(
        f"/api/v1/items/{w.mask.pk}", data='{"name": "Masker medis"}', content_type="application/json",
    ).status_code == 200
    text = _pdf_text(client_for(w.hsu_officer).get(_url("report", w)))
    assert "Masker kain 3 lapis" in text and "Masker medis" not in text
    # A training set up after the change, or moved to another product, takes the product's name of that moment.
    w.mask.refresh_from_db()
    assert "Masker medis" in _pdf_text(client_for(w.hsu_officer).get(
        reverse("trainings:report", args=[make_training(w, title="Bimtek Lain").pk])))
    response = client_for(w.hsu_officer).post(_url("edit", w), _training_form(
        w, title=w.training.title, product=w.suit.pk, mode="online", starts_on="2020-05-18", ends_on="2020-05-20"))
    assert response.status_code == 302
    assert "Baju hazmat" in _pdf_text(client_for(w.hsu_officer).get(_url("report", w)))


# --- the PDF renderer loads nothing from outside SIGAP -----------------------------------------------------------

@pytest.mark.parametrize("url", [
    "http://example.com/x.png",
    "https://example.com/x.png",
    "file:///etc/passwd",
    "ftp://example.com/x.png",
    "sigap-static:///../../../../etc/passwd",
    "/static/../../../../etc/passwd",
    "sigap-static:///sigap/tidak-ada.css",
])
def test_the_pdf_url_fetcher_refuses_what_is_not_sigaps_own(url):
    from sigap.lib.pdf import ExternalResourceRefused, SigapURLFetcher

    with pytest.raises(ExternalResourceRefused):
        SigapURLFetcher().fetch(url)


def test_the_pdf_url_fetcher_serves_sigaps_static_files_and_data():
    from sigap.lib.pdf import ExternalResourceRefused, SigapURLFetcher

    fetcher = SigapURLFetcher()
    css = fetcher.fetch("sigap-static:///sigap/sigap.css")
    assert css.content_type == "text/css" and len(css.read()) > 100
    assert fetcher.fetch("/static/sigap/sigap.css").read().strip()
    assert fetcher.fetch("data:text/plain;base64,U0lHQVA=").read() == b"SIGAP"
    with pytest.raises(ExternalResourceRefused):
        fetcher.fetch("http://example.com/x.png")


def test_rendering_a_pdf_with_an_external_image_makes_no_network_request(settings, tmp_path, monkeypatch):
    from sigap.lib.pdf import SigapURLFetcher, render_pdf

    (tmp_path / "uji_pdf.html").write_text(
        '{% extends "pdf_base.html" %}{% block body %}<h1>Uji {{ name }}</h1>'
        '<img src="http://127.0.0.1:9/x.png"><img src="file:///etc/passwd">'
        '<link rel="stylesheet" href="https://example.com/x.css">{% endblock %}')
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    calls = []

    def no_network(*args, **kwargs):
        calls.append(args)
        raise AssertionError("the PDF renderer opened a network connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    asked, fetch = [], SigapURLFetcher.fetch

    def spy(self, url, headers=None):
        asked.append(url)
        return fetch(self, url, headers)

    monkeypatch.setattr(SigapURLFetcher, "fetch", spy)
    content = render_pdf("uji_pdf.html", {"name": "Sasirangan"})
    assert calls == []
    assert "http://127.0.0.1:9/x.png" in asked   # asked for, and refused by SIGAP's fetcher
    assert content.startswith(b"%PDF")
    assert "Uji Sasirangan" in PdfReader(io.BytesIO(content)).pages[0].extract_text()
