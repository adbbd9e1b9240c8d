"""Running a Bimtek through the services: every rule, and nothing written when one refuses."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sigap.accounts.models import Role, User
from sigap.items.models import Component, Item
from sigap.lib.errors import DomainError
from sigap.production.models import Batch
from sigap.stock.ledger import InsufficientStock, audit, on_hand
from sigap.stock.models import Movement, StockDocument
from sigap.stock.services import location_for, receipt_record
from sigap.trainings.models import Attendance, Enrolment, HomeVisit, LearningMaterial, Training
from sigap.trainings.services import (
    MATERIAL_MAX_BYTES, attendance_record, certificate_eligible, enrolment_create, home_visit_record, kit_issue,
    kit_lines, material_add, output_record, targets_set, targets_split_evenly, training_save,
)
from sigap.trainings.tests.conftest import (
    FIRST_DAY, LAST_DAY, PARTICIPANTS, enrol, make_person, make_training,
)

DAY_2 = FIRST_DAY + datetime.timedelta(days=1)


def _training_fields(w, **extra):
    return {"office": w.hsu_office, "title": "Bimtek Set APD", "mode": "offline", "starts_on": FIRST_DAY,
            "ends_on": LAST_DAY, "place": "Aula Disperindagkop-UKM HSU", "product": w.suit, "target": 60,
            "quota": 7, "health_expert": w.doctor, "min_attendance_percent": 80, **extra}


def _targets(training):
    return {e.person.name: e.target for e in Enrolment.objects.filter(training=training).select_related("person")}


@pytest.fixture
def tala_instructor(world):
    return User.objects.create_user(username="tala_instructor", password="sandi-rahasia-1", role=Role.INSTRUCTOR,
                                    organisation=world.tala_office)


# --- training_save -----------------------------------------------------------------------------------------------

def test_an_hsu_officer_creates_a_training_with_its_instructors_and_health_expert(hsu):
    w = hsu
    training = training_save(by=w.hsu_officer, instructors=[w.teacher],
                             meeting_link="https://meet.jit.si/bimtek-apd-hsu", **_training_fields(w))
    training.refresh_from_db()
    assert (training.title, training.office, training.product, training.target, training.quota) == (
        "Bimtek Set APD", w.hsu_office, w.suit, 60, 7)
    assert list(training.instructors.all()) == [w.teacher] and training.health_expert == w.doctor
    assert training.days == [FIRST_DAY, DAY_2, LAST_DAY]
    assert training.history.get().history_user == w.hsu_officer


def test_the_province_may_organise_for_a_district_office(hsu):
    training = training_save(by=hsu.province_officer, instructors=[], **_training_fields(hsu))
    assert Training.objects.get() == training and training.office == hsu.hsu_office


@pytest.mark.parametrize("link", ["ftp://files.example.com/video.mp4", "javascript:alert(1)", "meet.jit.si/x"])
def test_a_meeting_link_that_is_not_http_is_refused(hsu, link):
    with pytest.raises(DomainError, match="http") as error:
        training_save(by=hsu.hsu_officer, meeting_link=link, **_training_fields(hsu))
    assert error.value.field == "meeting_link"
    assert not Training.objects.exists()


def test_a_last_day_before_the_first_is_refused(hsu):
    with pytest.raises(DomainError, match="before the first") as error:
        training_save(by=hsu.hsu_officer, **_training_fields(hsu, ends_on=FIRST_DAY - datetime.timedelta(days=1)))
    assert error.value.field == "ends_on"
    assert not Training.objects.exists()


def test_the_supervisor_must_be_registered_as_a_health_expert(hsu):
    participant = make_person("Nor Aida")
    with pytest.raises(DomainError, match="Nor Aida is not registered as a health expert") as error:
        training_save(by=hsu.hsu_officer, **_training_fields(hsu, health_expert=participant))
    assert error.value.field == "health_expert"
    with pytest.raises(DomainError, match="not registered as a health expert"):
        training_save(by=hsu.hsu_officer, **_training_fields(hsu, health_expert=hsu.teacher))
    assert not Training.objects.exists()


def test_instructors_must_be_registered_as_instructors(hsu):
    with pytest.raises(DomainError, match="dr. Rina Marlina is not registered as an instructor") as error:
        training_save(by=hsu.hsu_officer, instructors=[hsu.teacher, hsu.doctor], **_training_fields(hsu))
    assert error.value.field == "instructors"
    assert not Training.objects.exists()


def test_the_product_taught_must_be_a_product(hsu):
    with pytest.raises(DomainError, match="not a raw material"):
        training_save(by=hsu.hsu_officer, **_training_fields(hsu, product=hsu.fabric))
    assert not Training.objects.exists()


@pytest.mark.parametrize("who, office, message", [
    ("tala_officer", "hsu_office", "industry office of your region"),
    ("hsu_officer", "tala_office", "industry office of your region"),
    ("outsider", "hsu_office", "industry office of your region"),
    ("hsu_officer", "gtpp_tala", "industry office of your region"),
    ("instructor", "hsu_office", "Only industry office staff"),
    ("health_expert", "hsu_office", "Only industry office staff"),
    ("partner_user", "tala_office", "Only industry office staff"),
])
def test_only_an_officer_of_the_offices_region_organises(hsu, who, office, message):
    with pytest.raises(DomainError, match=message):
        training_save(by=getattr(hsu, who), **_training_fields(hsu, office=getattr(hsu, office)))
    assert not Training.objects.exists()


def test_another_districts_officer_cannot_change_a_training(training):
    w = training
    with pytest.raises(DomainError):
        training_save(by=w.tala_officer, training=w.training, title="Diubah")
    with pytest.raises(DomainError):
        training_save(by=w.tala_officer, training=w.training, office=w.tala_office, title="Diubah")
    w.training.refresh_from_db()
    assert w.training.title == "Bimtek Masker Kain 3 Lapis Sasirangan" and w.training.office == w.hsu_office


def test_changing_a_training_keeps_what_is_not_given(training):
    w = training
    training_save(by=w.hsu_officer, training=w.training, quota=3, place="Rumah peserta (daring)")
    w.training.refresh_from_db()
    assert (w.training.quota, w.training.place, w.training.target) == (3, "Rumah peserta (daring)", 60)
    assert list(w.training.instructors.all()) == [w.teacher]
    assert w.training.history.count() == 2


def test_a_quota_below_the_participants_enrolled_is_refused(training):
    w = training
    with pytest.raises(DomainError, match="More participants are enrolled") as error:
        training_save(by=w.hsu_officer, training=Training.objects.get(pk=w.training.pk), quota=2)
    assert error.value.field == "quota"
    assert Training.objects.get(pk=w.training.pk).quota == 7
    assert w.training.history.count() == 1


# --- enrolment_create --------------------------------------------------------------------------------------------

def test_enrolment_stops_at_the_quota(hsu):
    w = hsu
    training = make_training(w, quota=2)
    enrol(w, training, PARTICIPANTS[:2])
    late = make_person("Nor Aida")
    with pytest.raises(DomainError, match=r"full \(quota 2\)"):
        enrolment_create(training=training, person=late, by=w.hsu_officer)
    assert training.enrolments.count() == 2 and not late.enrolments.exists()


def test_a_participant_is_enrolled_once(training):
    w = training
    person = w.enrolments[0].person
    with pytest.raises(DomainError, match="Muhammad Fahri is already enrolled") as error:
        enrolment_create(training=w.training, person=person, by=w.hsu_officer)
    assert error.value.field == "person"
    assert Enrolment.objects.filter(person=person).count() == 1


def test_only_registered_participants_are_enrolled(training):
    w = training
    for person in (w.teacher, w.doctor):
        with pytest.raises(DomainError, match="registered as participants"):
            enrolment_create(training=w.training, person=person, by=w.hsu_officer)
    assert w.training.enrolments.count() == 3


@pytest.mark.parametrize("who", ["tala_officer", "outsider", "instructor", "health_expert"])
def test_only_an_officer_of_the_trainings_region_enrols(training, who):
    w = training
    person = make_person("Nor Aida")
    with pytest.raises(DomainError):
        enrolment_create(training=w.training, person=person, by=getattr(w, who))
    assert w.training.enrolments.count() == 3 and not person.enrolments.exists()


def test_the_province_enrols_in_a_district_training(training):
    w = training
    enrolment = enrolment_create(training=w.training, person=make_person("Nor Aida"), by=w.province_officer)
    assert enrolment.training == w.training and w.training.enrolments.count() == 4


# --- targets -----------------------------------------------------------------------------------------------------

def test_targets_that_add_up_to_the_trainings_are_saved(training):
    w = training
    fahri, siti, rahmat = w.enrolments
    targets_set(training=w.training, targets={fahri.pk: 25, siti.pk: 20, rahmat.pk: 15}, by=w.hsu_officer)
    assert _targets(w.training) == {"Muhammad Fahri": 25, "Siti Nurhaliza": 20, "Rahmat Hidayat": 15}


@pytest.mark.parametrize("shares, message", [
    ((20, 20, 19), "add up to 59, not the training's 60"),
    ((30, 30, 30), "add up to 90, not the training's 60"),
    ((70, -5, -5), "cannot be negative"),
])
def test_targets_that_do_not_add_up_or_are_negative_are_refused(training, shares, message):
    w = training
    with pytest.raises(DomainError, match=message):
        targets_set(training=w.training, targets={e.pk: s for e, s in zip(w.enrolments, shares)}, by=w.hsu_officer)
    assert set(_targets(w.training).values()) == {0}


def test_every_participant_needs_a_target_and_only_they(training):
    w = training
    fahri, siti, rahmat = w.enrolments
    other = make_training(w, title="Bimtek Lain")
    (stranger,) = enrol(w, other, ["Nor Aida"])
    for targets in ({fahri.pk: 30, siti.pk: 30},
                    {fahri.pk: 20, siti.pk: 20, rahmat.pk: 20, stranger.pk: 0},
                    {fahri.pk: 20, siti.pk: 20, stranger.pk: 20}):
        with pytest.raises(DomainError, match="every participant"):
            targets_set(training=w.training, targets=targets, by=w.hsu_officer)
    assert set(_targets(w.training).values()) == {0} and Enrolment.objects.get(pk=stranger.pk).target == 0


def test_another_districts_officer_cannot_set_targets(training):
    w = training
    with pytest.raises(DomainError):
        targets_set(training=w.training, targets={e.pk: 20 for e in w.enrolments}, by=w.tala_officer)
    with pytest.raises(DomainError):
        targets_split_evenly(training=w.training, by=w.instructor)
    assert set(_targets(w.training).values()) == {0}


def test_splitting_evenly_gives_the_larger_shares_in_name_order(hsu):
    w = hsu
    training = make_training(w, target=60, quota=7)
    enrol(w, training, PARTICIPANTS[:7])
    targets_split_evenly(training=training, by=w.hsu_officer)
    by_name = sorted(_targets(training).items())
    assert [share for _name, share in by_name] == [9, 9, 9, 9, 8, 8, 8]
    assert by_name[0] == ("Ahmad Syarifuddin", 9) and by_name[-1] == ("Siti Nurhaliza", 8)


def test_splitting_a_training_without_participants_changes_nothing(hsu):
    training = make_training(hsu, target=0)
    targets_split_evenly(training=training, by=hsu.hsu_officer)
    assert not training.enrolments.exists()


# --- attendance --------------------------------------------------------------------------------------------------

def test_the_instructor_of_the_region_marks_attendance(training):
    w = training
    fahri, siti, rahmat = w.enrolments
    attendance_record(training=w.training, day=FIRST_DAY, marks={fahri: "online", siti: "in_person", rahmat: "absent"},
                      by=w.instructor)
    marks = {a.enrolment.person.name: (a.mode, a.recorded_by) for a in Attendance.objects.select_related(
        "enrolment__person")}
    assert marks == {"Muhammad Fahri": ("online", w.instructor), "Siti Nurhaliza": ("in_person", w.instructor),
                     "Rahmat Hidayat": ("absent", w.instructor)}


def test_marking_a_day_again_updates_the_mark(training):
    w = training
    fahri = w.enrolments[0]
    attendance_record(training=w.training, day=FIRST_DAY, marks={fahri: "absent"}, by=w.instructor)
    attendance_record(training=w.training, day=FIRST_DAY, marks={fahri: "online"}, by=w.hsu_officer)
    attendance = Attendance.objects.get()
    assert (attendance.day, attendance.mode, attendance.recorded_by) == (FIRST_DAY, "online", w.hsu_officer)


@pytest.mark.parametrize("day", [FIRST_DAY - datetime.timedelta(days=1), LAST_DAY + datetime.timedelta(days=1)])
def test_attendance_outside_the_trainings_days_is_refused(training, day):
    w = training
    with pytest.raises(DomainError, match="not a day of this training") as error:
        attendance_record(training=w.training, day=day, marks={e: "online" for e in w.enrolments}, by=w.instructor)
    assert error.value.field == "day"
    assert not Attendance.objects.exists()


def test_attendance_cannot_be_recorded_ahead(hsu):
    w = hsu
    today = timezone.localdate()
    training = make_training(w, starts_on=today - datetime.timedelta(days=1),
                             ends_on=today + datetime.timedelta(days=5))
    enrolments = enrol(w, training, PARTICIPANTS[:2])
    with pytest.raises(DomainError, match="ahead"):
        attendance_record(training=training, day=today + datetime.timedelta(days=1),
                          marks={e: "online" for e in enrolments}, by=w.instructor)
    assert not Attendance.objects.exists()
    attendance_record(training=training, day=today, marks={e: "online" for e in enrolments}, by=w.instructor)
    assert Attendance.objects.filter(day=today).count() == 2


@pytest.mark.parametrize("who, message", [
    ("tala_instructor", "outside your region"),
    ("tala_officer", "outside your region"),
    ("outsider", "outside your region"),
    ("health_expert", "does not run trainings"),
    ("agency_user", "does not run trainings"),
    ("partner_user", "does not run trainings"),
])
def test_only_officers_and_instructors_of_the_region_mark_attendance(training, tala_instructor, who, message):
    w = training
    w.tala_instructor = tala_instructor
    with pytest.raises(DomainError, match=message):
        attendance_record(training=w.training, day=FIRST_DAY, marks={e: "online" for e in w.enrolments},
                          by=getattr(w, who))
    assert not Attendance.objects.exists()


def test_a_mark_for_another_trainings_participant_refuses_the_whole_day(training):
    w = training
    other = make_training(w, title="Bimtek Lain")
    (stranger,) = enrol(w, other, ["Nor Aida"])
    with pytest.raises(DomainError, match="not in this training"):
        attendance_record(training=w.training, day=FIRST_DAY, by=w.instructor,
                          marks={w.enrolments[0]: "online", stranger: "online"})
    with pytest.raises(DomainError, match="Unknown attendance mark"):
        attendance_record(training=w.training, day=FIRST_DAY, by=w.instructor,
                          marks={w.enrolments[0]: "online", w.enrolments[1]: "late"})
    assert not Attendance.objects.exists()


# --- home visits -------------------------------------------------------------------------------------------------

def test_a_home_visit_is_recorded_and_marks_the_day_as_a_home_visit(training):
    w = training
    siti = w.enrolments[1]
    attendance_record(training=w.training, day=DAY_2, marks={siti: "absent"}, by=w.instructor)
    visit = home_visit_record(enrolment=siti, instructor=w.teacher, visited_on=DAY_2, by=w.instructor,
                              problem="  Lapis ketiga bergeser ", action="Dijahit ulang dengan pola ")
    assert HomeVisit.objects.get() == visit
    assert (visit.problem, visit.action, visit.instructor, visit.recorded_by) == (
        "Lapis ketiga bergeser", "Dijahit ulang dengan pola", w.teacher, w.instructor)
    attendance = Attendance.objects.get(enrolment=siti)
    assert (attendance.day, attendance.mode) == (DAY_2, "home_visit")


def test_a_visit_after_the_last_day_is_kept_but_is_no_attendance(training):
    w = training
    after = LAST_DAY + datetime.timedelta(days=2)
    home_visit_record(enrolment=w.enrolments[0], instructor=w.teacher, visited_on=after, problem="Jahitan lepas",
                      action="Diperbaiki", by=w.hsu_officer)
    assert HomeVisit.objects.get().visited_on == after and not Attendance.objects.exists()


@pytest.mark.parametrize("change, message", [
    ({"instructor": "doctor"}, "not registered as an instructor"),
    ({"visited_on": FIRST_DAY - datetime.timedelta(days=1)}, "between the first day"),
    ({"visited_on": "tomorrow"}, "between the first day"),
    ({"problem": "  "}, "what the problem was"),
    ({"action": ""}, "what the problem was"),
    ({"by": "tala_officer"}, "outside your region"),
    ({"by": "health_expert"}, "does not run trainings"),
])
def test_a_home_visit_that_breaks_a_rule_is_refused(training, change, message):
    w = training
    args = {"enrolment": w.enrolments[0], "instructor": w.teacher, "visited_on": DAY_2, "problem": "Lapis bergeser",
            "action": "Dijahit ulang", "by": w.instructor}
    for name, value in change.items():
        if value == "tomorrow":
            value = timezone.localdate() + datetime.timedelta(days=1)
        args[name] = getattr(w, value) if name in {"instructor", "by"} else value
    with pytest.raises(DomainError, match=message):
        home_visit_record(**args)
    assert not HomeVisit.objects.exists() and not Attendance.objects.exists()


# --- output ------------------------------------------------------------------------------------------------------

def test_output_is_a_batch_of_the_training_awaiting_inspection(training):
    w = training
    fahri = w.enrolments[0]
    batch = output_record(enrolment=fahri, quantity=35, produced_on=DAY_2, by=w.instructor, note="hari ke-2")
    batch.refresh_from_db()
    assert Batch.objects.get() == batch
    assert (batch.training, batch.producer_person, batch.producer_partner, batch.product) == (
        w.training, fahri.person, None, w.mask)
    assert (batch.quantity, batch.produced_on, batch.status, batch.note) == (35, DAY_2, "awaiting", "hari ke-2")
    assert batch.location == location_for(fahri.person) and batch.region_id == fahri.person.region_id
    assert batch.code == f"20200519-{batch.pk:05d}" and batch.reported_by == w.instructor
    # not stock until inspected
    assert on_hand(w.mask, location_for(fahri.person)) == 0 and not Movement.objects.exists()


def test_output_after_the_last_day_is_accepted(training):
    w = training
    batch = output_record(enrolment=w.enrolments[0], quantity=5, produced_on=LAST_DAY + datetime.timedelta(days=3),
                          by=w.hsu_officer)
    assert batch.training == w.training


@pytest.mark.parametrize("change, message", [
    ({"produced_on": FIRST_DAY - datetime.timedelta(days=1)}, "before the training started"),
    ({"produced_on": "tomorrow"}, "future"),
    ({"quantity": 0}, "between 1 and"),
    ({"by": "tala_officer"}, "outside your region"),
    ({"by": "tala_instructor"}, "outside your region"),
    ({"by": "health_expert"}, "does not run trainings"),
])
def test_output_that_breaks_a_rule_is_refused(training, tala_instructor, change, message):
    w = training
    w.tala_instructor = tala_instructor
    args = {"enrolment": w.enrolments[0], "quantity": 10, "produced_on": DAY_2, "by": w.instructor}
    for name, value in change.items():
        if value == "tomorrow":
            value = timezone.localdate() + datetime.timedelta(days=1)
        args[name] = getattr(w, value) if name == "by" else value
    with pytest.raises(DomainError, match=message):
        output_record(**args)
    assert not Batch.objects.exists()


# --- material kits -----------------------------------------------------------------------------------------------



def _stock_written():
    return StockDocument.objects.count(), Movement.objects.count()


def test_a_kit_is_the_bill_of_materials_times_the_target_issued_to_the_participants_home(stocked):
    w = stocked
    fahri = w.enrolments[0]
    assert kit_lines(fahri) == [(w.fabric, Decimal("1.200")), (w.elastic, Decimal("10.000"))]
    document = kit_issue(enrolment=fahri, office=w.hsu_office, date=datetime.date(2020, 5, 17), by=w.hsu_officer)
    home = location_for(fahri.person)
    assert on_hand(w.fabric, home) == Decimal("1.2") and on_hand(w.elastic, home) == 10
    assert on_hand(w.fabric, w.store) == Decimal("28.8") and on_hand(w.elastic, w.store) == 240
    assert (document.kind, document.source, document.destination) == ("issue", w.store, home)
    assert {(line.item, line.quantity) for line in document.lines.all()} == {
        (w.fabric, Decimal("1.2")), (w.elastic, Decimal("10"))}
    assert "Bimtek Masker Kain 3 Lapis Sasirangan" in document.note
    assert Enrolment.objects.get(pk=fahri.pk).kit == document
    assert audit() == []


def test_a_kit_is_issued_once(stocked):
    w = stocked
    fahri = w.enrolments[0]
    first = kit_issue(enrolment=fahri, office=w.hsu_office, date=datetime.date(2020, 5, 17), by=w.hsu_officer)
    written = _stock_written()
    with pytest.raises(DomainError, match="already issued to Muhammad Fahri"):
        kit_issue(enrolment=fahri, office=w.hsu_office, date=datetime.date(2020, 5, 17), by=w.hsu_officer)
    assert _stock_written() == written and Enrolment.objects.get(pk=fahri.pk).kit == first
    assert on_hand(w.fabric, location_for(fahri.person)) == Decimal("1.2")


def test_a_kit_larger_than_the_store_is_refused_and_writes_nothing(stocked):
    w = stocked
    fahri, siti, rahmat = w.enrolments
    training = Training.objects.get(pk=w.training.pk)
    training_save(by=w.hsu_officer, training=training, target=1000)
    targets_set(training=training, targets={fahri.pk: 900, siti.pk: 50, rahmat.pk: 50}, by=w.hsu_officer)
    written = _stock_written()
    with pytest.raises(InsufficientStock, match="Kain sasirangan") as error:
        kit_issue(enrolment=fahri, office=w.hsu_office, date=datetime.date(2020, 5, 17), by=w.hsu_officer)
    assert [s.missing for s in error.value.shortfalls] == [Decimal("24"), Decimal("200")]
    assert _stock_written() == written and Enrolment.objects.get(pk=fahri.pk).kit is None
    assert on_hand(w.fabric, w.store) == 30 and on_hand(w.fabric, location_for(fahri.person)) == 0


def test_a_kit_needs_a_target(training):
    w = training
    Component.objects.create(product=w.mask, material=w.fabric, quantity=Decimal("0.06"))
    receipt_record(office=w.hsu_office, supplier=None, date=FIRST_DAY, lines=[(w.fabric, 30)], by=w.hsu_officer)
    written = _stock_written()
    with pytest.raises(DomainError, match="target first"):
        kit_issue(enrolment=w.enrolments[0], office=w.hsu_office, date=FIRST_DAY, by=w.hsu_officer)
    assert _stock_written() == written and Enrolment.objects.get(pk=w.enrolments[0].pk).kit is None


def test_a_kit_needs_a_bill_of_materials(training):
    w = training
    targets_split_evenly(training=w.training, by=w.hsu_officer)
    with pytest.raises(DomainError, match="no bill of materials"):
        kit_issue(enrolment=w.enrolments[0], office=w.hsu_office, date=FIRST_DAY, by=w.hsu_officer)
    assert not StockDocument.objects.exists()


@pytest.mark.parametrize("who, office, message", [
    ("tala_officer", "tala_office", "recipient is outside your region"),
    ("tala_officer", "hsu_office", "industry office of your region"),
    ("instructor", "hsu_office", "Only industry office staff"),
])
def test_a_kit_comes_from_an_office_of_the_officers_region_to_a_participant_of_it(stocked, who, office, message):
    w = stocked
    written = _stock_written()
    with pytest.raises(DomainError, match=message):
        kit_issue(enrolment=w.enrolments[0], office=getattr(w, office), date=FIRST_DAY, by=getattr(w, who))
    assert _stock_written() == written and Enrolment.objects.get(pk=w.enrolments[0].pk).kit is None


def test_a_kit_never_holds_less_than_the_target_needs(training):
    w = training
    thread = Item.objects.create(code="benang-jahit", name="Benang jahit", kind="material", unit="roll")
    Component.objects.create(product=w.mask, material=thread, quantity=Decimal("0.0125"))
    receipt_record(office=w.hsu_office, supplier=None, date=FIRST_DAY, lines=[(thread, 5)], by=w.hsu_officer)
    training = training_save(by=w.hsu_officer, training=Training.objects.get(pk=w.training.pk), target=3)
    fahri, siti, rahmat = w.enrolments
    targets_set(training=training, targets={fahri.pk: 1, siti.pk: 1, rahmat.pk: 1}, by=w.hsu_officer)
    kit_issue(enrolment=fahri, office=w.hsu_office, date=FIRST_DAY, by=w.hsu_officer)   # today: 0.012 issued
    assert on_hand(thread, location_for(fahri.person)) >= Decimal("0.0125")


# --- learning materials ------------------------------------------------------------------------------------------

def _pdf(name="pola-masker.pdf", size=None):
    upload = SimpleUploadedFile(name, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", content_type="application/pdf")
    if size is not None:
        upload.size = size
    return upload


def test_an_instruction_video_link_is_added(training):
    w = training
    material = material_add(training=w.training, title="Video menjahit masker 3 lapis", by=w.instructor,
                            url="https://www.youtube.com/watch?v=abc123")
    assert LearningMaterial.objects.get() == material
    assert (material.training, material.url, material.file.name) == (
        w.training, "https://www.youtube.com/watch?v=abc123", "")


def test_a_handout_file_is_stored_under_the_training(training):
    w = training
    material = material_add(training=w.training, title="Pola masker", by=w.hsu_officer,
                            file=_pdf("POLA-MASKER.PDF", size=MATERIAL_MAX_BYTES))
    material.refresh_from_db()
    assert material.file.name.startswith(f"trainings/{w.training.pk}/") and material.url == ""
    assert material.file.read().startswith(b"%PDF")


@pytest.mark.parametrize("kwargs, message, field", [
    ({"url": "ftp://files.example.com/video.mp4"}, "http", "url"),
    ({"url": "javascript:alert(document.cookie)"}, "http", "url"),
    ({"url": "file:///etc/passwd"}, "http", "url"),
    ({"url": "https://example.com/v", "file": "pdf"}, "either a link or a file", None),
    ({}, "either a link or a file", None),
    ({"file": "exe"}, "PDF, MP4, JPEG, PNG, DOCX, PPTX or XLSX", "file"),
    ({"file": "html"}, "PDF, MP4, JPEG, PNG, DOCX, PPTX or XLSX", "file"),
    ({"file": "big"}, "larger than 20 MB", "file"),
])
def test_a_material_that_breaks_a_rule_is_refused(training, kwargs, message, field):
    w = training
    files = {"pdf": lambda: _pdf(), "exe": lambda: _pdf("setup.exe"), "html": lambda: _pdf("pola.html"),
             "big": lambda: _pdf(size=MATERIAL_MAX_BYTES + 1)}
    if "file" in kwargs:
        kwargs = {**kwargs, "file": files[kwargs["file"]]()}
    with pytest.raises(DomainError, match=message) as error:
        material_add(training=w.training, title="Materi", by=w.instructor, **kwargs)
    assert error.value.field == field
    assert not LearningMaterial.objects.exists()


@pytest.mark.parametrize("who", ["tala_officer", "health_expert", "agency_user"])
def test_only_officers_and_instructors_of_the_region_add_materials(training, who):
    with pytest.raises(DomainError):
        material_add(training=training.training, title="Materi", by=getattr(training, who),
                     url="https://example.com/video")
    assert not LearningMaterial.objects.exists()


# --- certificates ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("percent, days_present, eligible", [
    (80, 3, True), (80, 2, False),     # 2 of 3 days is 66 %
    (60, 2, True), (67, 2, False),     # 66.7 % is not 67 %
    (66, 2, True),
    (100, 3, True), (100, 2, False),
    (0, 0, True), (50, 0, False),
])
def test_a_certificate_needs_the_trainings_share_of_days(training, percent, days_present, eligible):
    w = training
    training_save(by=w.hsu_officer, training=Training.objects.get(pk=w.training.pk),
                  min_attendance_percent=percent)
    enrolment = Enrolment.objects.select_related("training").get(pk=w.enrolments[0].pk)
    assert certificate_eligible(enrolment, days_present) is eligible


def test_a_certificate_percentage_above_100_is_refused(training):
    from django.core.exceptions import ValidationError

    w = training
    with pytest.raises(ValidationError):
        training_save(by=w.hsu_officer, training=Training.objects.get(pk=w.training.pk), min_attendance_percent=101)
    assert Training.objects.get(pk=w.training.pk).min_attendance_percent == 80

