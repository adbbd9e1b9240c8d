"""Programmes, trainings, participants, targets, attendance and output through the API: the same scopes, forms
and services as the training pages. Refusals are read in Indonesian, the language the API answers in."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from conftest import client_for
from sigap.people.models import Person
from sigap.production.models import Batch
from sigap.trainings.models import Attendance, Enrolment, Programme, Training
from sigap.trainings.services import output_record, programme_create
from sigap.trainings.tests.conftest import FIRST_DAY, LAST_DAY, PARTICIPANTS, enrol, make_person, make_training

URL = "/api/v1/trainings"


def _call(user, method, url, body=None):
    data = json.dumps(body) if body is not None else None
    return getattr(client_for(user), method)(url, data=data, content_type="application/json")


def _in_indonesian(message, **params):
    with translation.override("id"):
        return gettext(message) % params if params else gettext(message)


def _url(w, suffix=""):
    return f"{URL}/{w.training.pk}{suffix}"


@pytest.fixture
def tala_training(training):
    """Next to HSU's mask training: Tanah Laut's in-person hazmat suit training in June 2020."""
    w = training
    w.tala_training = make_training(w, by=w.tala_officer, office=w.tala_office, title="Bimtek Baju Hazmat",
                                    mode="offline", starts_on=datetime.date(2020, 6, 1),
                                    ends_on=datetime.date(2020, 6, 5), product=w.suit, health_expert=None,
                                    instructors=[])
    return w


# --- programmes ---------------------------------------------------------------------------------------------------

def _programme_body(w, **extra):
    return {"name": "Pemberdayaan IKM produksi APD 2020", "year": 2020, "office_id": w.hsu_office.pk,
            "partner_office_ids": [w.province_office.pk], "budget_source": "APBD Kabupaten 2020",
            "starts_on": "2020-05-01", "ends_on": "2020-12-31",
            "targets": [{"product": w.mask.code, "quantity": 5000}, {"product": w.suit.code, "quantity": 60}],
            **extra}


def test_an_officer_starts_a_programme_with_its_targets(hsu):
    w = hsu
    response = _call(w.hsu_officer, "post", f"{URL}/programmes", _programme_body(w))
    assert response.status_code == 201, response.json()
    programme = Programme.objects.get()
    assert (programme.name, programme.office, programme.budget_source) == (
        "Pemberdayaan IKM produksi APD 2020", w.hsu_office, "APBD Kabupaten 2020")
    assert list(programme.partner_offices.all()) == [w.province_office]
    assert {(t.product, t.quantity) for t in programme.targets.all()} == {(w.mask, 5000), (w.suit, 60)}
    body = response.json()
    assert body["id"] == programme.pk and body["partner_office_ids"] == [w.province_office.pk]
    assert sorted(body["targets"], key=lambda t: t["product"]) == [
        {"product": w.suit.code, "quantity": 60}, {"product": w.mask.code, "quantity": 5000}]


@pytest.mark.parametrize("change, fields", [
    ({"targets": [{"product": "no-such-item", "quantity": 5}, {"product": "masker-kain-3-lapis", "quantity": 0}]},
     {"targets.0.product", "targets.1.quantity"}),
    ({"office_id": "tala_office"}, {"office_id"}),        # not an industry office of the officer's region
    ({"year": 1999}, {"year"}),
    ({"year": "tahun ini"}, {"year"}),                    # not a number
    ({"ends_on": "2020-04-30"}, {"__all__"}),             # before the start
    ({"sponsor": "-"}, {"sponsor"}),                      # an unknown field
])
def test_a_bad_programme_is_refused_with_the_fields_named(hsu, change, fields):
    w = hsu
    change = {k: getattr(w, v).pk if k == "office_id" else v for k, v in change.items()}
    response = _call(w.hsu_officer, "post", f"{URL}/programmes", _programme_body(w, **change))
    assert response.status_code == 422, response.json()
    assert set(response.json()["errors"]) == fields
    assert not Programme.objects.exists()


def test_programmes_are_scoped_to_the_callers_region_and_filtered(hsu):
    w = hsu
    day = datetime.date(2020, 5, 1)
    hsu_programme = programme_create(by=w.hsu_officer, name="Program HSU", year=2020, office=w.hsu_office,
                                     starts_on=day, ends_on=datetime.date(2020, 12, 31), targets=[(w.mask, 500)])
    tala_programme = programme_create(by=w.tala_officer, name="Program Tala", year=2021, office=w.tala_office,
                                      starts_on=datetime.date(2021, 1, 1), ends_on=datetime.date(2021, 6, 30),
                                      targets=[(w.suit, 60)])

    def names(user, query=""):
        response = _call(user, "get", f"{URL}/programmes?{query}")
        assert response.status_code == 200
        return [p["name"] for p in response.json()["items"]]

    assert names(w.hsu_officer) == ["Program HSU"]
    assert names(w.province_officer) == ["Program Tala", "Program HSU"]  # the newest year first
    assert names(w.province_officer, "region=63.01") == ["Program Tala"]
    assert names(w.province_officer, f"product={w.mask.code}") == ["Program HSU"]
    assert names(w.province_officer, "year=2020") == ["Program HSU"]
    assert names(w.province_officer, "date_from=2021-01-01") == ["Program Tala"]
    assert names(w.province_officer, "date_to=2020-12-31") == ["Program HSU"]
    assert _call(w.hsu_officer, "get", f"{URL}/programmes/{tala_programme.pk}").status_code == 404
    assert _call(w.hsu_officer, "get", f"{URL}/programmes/{hsu_programme.pk}").json()["targets"] == [
        {"product": w.mask.code, "quantity": 500}]


def test_only_officers_start_programmes_and_only_office_staff_list_them(hsu):
    w = hsu
    assert _call(w.instructor, "post", f"{URL}/programmes", _programme_body(w)).status_code == 403
    assert _call(w.partner_user, "get", f"{URL}/programmes").status_code == 403
    assert not Programme.objects.exists()


# --- trainings ----------------------------------------------------------------------------------------------------

def test_office_staff_list_the_trainings_of_their_region_with_participants_and_output(tala_training):
    w = tala_training
    output_record(enrolment=w.enrolments[0], quantity=12, produced_on=FIRST_DAY, by=w.hsu_officer)
    items = _call(w.hsu_officer, "get", URL).json()["items"]
    assert [(t["title"], t["participant_count"], t["produced"]) for t in items] == [
        ("Bimtek Masker Kain 3 Lapis Sasirangan", 3, 12)]
    assert items[0]["instructor_ids"] == [w.teacher.pk] and items[0]["product"] == w.mask.code
    titles = [t["title"] for t in _call(w.province_officer, "get", URL).json()["items"]]
    assert titles == ["Bimtek Baju Hazmat", "Bimtek Masker Kain 3 Lapis Sasirangan"]


@pytest.mark.parametrize("query, titles", [
    ("region=63.01", ["Bimtek Baju Hazmat"]),
    ("region=63.08.05", []),  # trainings are placed by their office, HSU's is at 63.08
    ("date_from=2020-05-20", ["Bimtek Baju Hazmat", "Bimtek Masker Kain 3 Lapis Sasirangan"]),  # still running
    ("date_from=2020-05-21", ["Bimtek Baju Hazmat"]),
    ("date_to=2020-05-31", ["Bimtek Masker Kain 3 Lapis Sasirangan"]),
    ("product=baju-hazmat", ["Bimtek Baju Hazmat"]),
    ("mode=online", ["Bimtek Masker Kain 3 Lapis Sasirangan"]),
    ("q=hazmat", ["Bimtek Baju Hazmat"]),
])
def test_the_training_list_filters(tala_training, query, titles):
    response = _call(tala_training.province_officer, "get", f"{URL}?{query}")
    assert [t["title"] for t in response.json()["items"]] == titles


@pytest.mark.parametrize("query, field", [
    ("mode=by_post", "mode"), ("region=63.x", "region"), ("product=a;b", "product"),
    ("date_from=kemarin", "date_from"),
])
def test_filters_that_cannot_be_applied_are_refused_with_the_parameter_named(tala_training, query, field):
    response = _call(tala_training.province_officer, "get", f"{URL}?{query}")
    assert response.status_code == 422 and field in response.json()["errors"]


def test_the_training_list_runs_in_constant_queries(tala_training):
    w = tala_training
    client = client_for(w.province_officer)
    with CaptureQueriesContext(connection) as one:
        client.get(f"{URL}?limit=1")
    with CaptureQueriesContext(connection) as two:
        body = client.get(f"{URL}?limit=2").json()
    assert len(body["items"]) == 2 and len(two) == len(one)


def test_the_detail_shows_the_progress_of_each_participant(training):
    w = training
    output_record(enrolment=w.enrolments[0], quantity=12, produced_on=FIRST_DAY, by=w.hsu_officer)
    body = _call(w.instructor, "get", _url(w)).json()
    progress = body["progress"]
    assert (progress["target"], progress["produced"], progress["accepted"]) == (60, 12, 0)
    first = next(p for p in progress["participants"] if p["enrolment_id"] == w.enrolments[0].pk)
    assert (first["name"], first["produced"], first["days_present"]) == ("Muhammad Fahri", 12, 0)
    assert len(progress["participants"]) == 3


def test_another_districts_training_answers_404_for_every_operation(training):
    w = training
    for method, suffix, body in [("get", "", None), ("patch", "", {"place": "X"}), ("get", "/enrolments", None),
                                 ("post", "/enrolments", {"person_id": w.enrolments[0].person_id}),
                                 ("put", "/targets", {"targets": []}), ("post", "/targets/split", None),
                                 ("get", "/attendance", None),
                                 ("post", "/attendance", {"day": "2020-05-18", "marks": []}),
                                 ("post", "/output", {"enrolment_id": w.enrolments[0].pk, "quantity": 1,
                                                      "produced_on": "2020-05-18"})]:
        response = _call(w.tala_officer, method, _url(w, suffix), body)
        assert response.status_code == 404, (method, suffix, response.json())
    assert Training.objects.get(pk=w.training.pk).place == ""


def _training_body(w, **extra):
    return {"title": "Bimtek Set APD", "office_id": w.hsu_office.pk, "mode": "offline", "starts_on": "2020-06-15",
            "ends_on": "2020-06-26", "place": "Aula Disperindagkop-UKM HSU, Amuntai",
            "meeting_link": "meet.jit.si/bimtek-apd", "product": w.suit.code, "target": 60, "quota": 7,
            "instructor_ids": [w.teacher.pk], "health_expert_id": w.doctor.pk, **extra}


def test_an_officer_plans_a_training(hsu):
    w = hsu
    response = _call(w.hsu_officer, "post", URL, _training_body(w))
    assert response.status_code == 201, response.json()
    training = Training.objects.get()
    assert (training.title, training.office, training.product, training.target, training.quota) == (
        "Bimtek Set APD", w.hsu_office, w.suit, 60, 7)
    assert training.meeting_link == "https://meet.jit.si/bimtek-apd"
    assert list(training.instructors.all()) == [w.teacher] and training.health_expert == w.doctor
    assert training.history.get().history_user == w.hsu_officer
    body = response.json()
    assert body["id"] == training.pk and body["progress"]["participants"] == []
    assert (body["product"], body["instructor_ids"], body["min_attendance_percent"]) == (w.suit.code, [w.teacher.pk],
                                                                                         80)


@pytest.mark.parametrize("change, field", [
    ({"ends_on": "2020-06-14"}, "ends_on"),
    ({"meeting_link": "ftp://files.example.com/x"}, "meeting_link"),
    ({"health_expert_id": "teacher"}, "health_expert_id"),  # not a health expert
    ({"instructor_ids": ["doctor"]}, "instructor_ids"),     # not an instructor
    ({"office_id": "tala_office"}, "office_id"),            # not an office of the officer's region
    ({"product": "kain-sasirangan"}, "product"),            # a raw material
    ({"product": "no-such-item"}, "product"),
    ({"quota": 0}, "quota"),
    ({"quota": "tujuh"}, "quota"),                          # not a number
    ({"starts_on": "2020-06-31"}, "starts_on"),             # not a date
    ({"mode": "by_post"}, "mode"),
    ({"min_attendance_percent": 101}, "min_attendance_percent"),
    ({"budget": 1000}, "budget"),                           # an unknown field
])
def test_a_bad_training_is_refused_with_the_field_named(hsu, change, field):
    w = hsu

    def resolve(value):
        if isinstance(value, list):
            return [resolve(v) for v in value]
        return getattr(w, value).pk if value in {"teacher", "doctor", "tala_office"} else value

    response = _call(w.hsu_officer, "post", URL, _training_body(w, **{k: resolve(v) for k, v in change.items()}))
    assert response.status_code == 422, response.json()
    assert field in response.json()["errors"]
    assert not Training.objects.exists()


def test_only_officers_plan_trainings(hsu):
    w = hsu
    for user in [w.instructor, w.health_expert, w.partner_user]:
        assert _call(user, "post", URL, _training_body(w)).status_code == 403
    assert not Training.objects.exists()


def test_a_change_touches_only_the_fields_sent(training):
    w = training
    response = _call(w.hsu_officer, "patch", _url(w), {"place": "Aula Amuntai", "target": 90})
    assert response.status_code == 200, response.json()
    saved = Training.objects.get(pk=w.training.pk)
    assert (saved.place, saved.target, saved.title, saved.quota, saved.health_expert) == (
        "Aula Amuntai", 90, "Bimtek Masker Kain 3 Lapis Sasirangan", 7, w.doctor)
    assert list(saved.instructors.all()) == [w.teacher]
    assert response.json()["place"] == "Aula Amuntai"


def test_null_empties_an_optional_field(training):
    w = training
    response = _call(w.hsu_officer, "patch", _url(w), {"health_expert_id": None, "instructor_ids": []})
    assert response.status_code == 200, response.json()
    saved = Training.objects.get(pk=w.training.pk)
    assert saved.health_expert is None and not saved.instructors.exists()


def test_a_quota_below_the_participants_enrolled_is_refused_by_the_service(training):
    w = training
    response = _call(w.hsu_officer, "patch", _url(w), {"quota": 2})
    message = _in_indonesian("More participants are enrolled than this quota.")
    assert response.status_code == 400
    assert response.json() == {"detail": message, "errors": {"quota": [message]}}
    assert Training.objects.get(pk=w.training.pk).quota == 7


def test_an_instructor_may_not_change_a_training(training):
    w = training
    assert _call(w.instructor, "patch", _url(w), {"place": "X"}).status_code == 404  # as the edit page answers
    assert Training.objects.get(pk=w.training.pk).place == ""


# --- participants -------------------------------------------------------------------------------------------------

def test_officers_see_the_participants_niks_and_instructors_see_them_masked(training):
    w = training
    person = w.enrolments[0].person
    by_officer = _call(w.hsu_officer, "get", _url(w, "/enrolments")).json()
    assert [e["name"] for e in by_officer["items"]] == sorted(PARTICIPANTS[:3])
    row = next(e for e in by_officer["items"] if e["id"] == w.enrolments[0].pk)
    assert (row["nik"], row["person_id"], row["target"], row["kit_number"]) == (person.nik, person.pk, 0, None)
    by_instructor = _call(w.instructor, "get", _url(w, "/enrolments")).json()
    assert {e["nik"] for e in by_instructor["items"]} == {
        f"{e.person.nik[:4]}••••••••{e.person.nik[12:]}" for e in w.enrolments}


def test_the_participant_list_serves_at_most_100_per_page(training):
    w = training
    Training.objects.filter(pk=w.training.pk).update(quota=200)
    people = Person.objects.bulk_create([
        Person(name=f"Peserta {n:03d}", nik=f"630805430700{n + 500:04d}", sex="P",
               birth_date=datetime.date(2000, 7, 3), address="Jl. A", region_id="63.08.05.1001")
        for n in range(100)])
    Enrolment.objects.bulk_create([Enrolment(training=w.training, person=p) for p in people])
    body = _call(w.hsu_officer, "get", _url(w, "/enrolments?limit=101")).json()
    assert (body["limit"], len(body["items"]), body["count"]) == (100, 100, 103)


def test_an_officer_enrols_a_registered_participant(training):
    w = training
    person = make_person("Nor Aida")
    response = _call(w.hsu_officer, "post", _url(w, "/enrolments"), {"person_id": person.pk})
    assert response.status_code == 201, response.json()
    enrolment = Enrolment.objects.get(training=w.training, person=person)
    assert response.json()["id"] == enrolment.pk and response.json()["name"] == "Nor Aida"
    assert w.training.enrolments.count() == 4


def test_a_full_training_refuses_another_participant(training):
    w = training
    Training.objects.filter(pk=w.training.pk).update(quota=3)
    response = _call(w.hsu_officer, "post", _url(w, "/enrolments"), {"person_id": make_person("Nor Aida").pk})
    assert response.status_code == 400
    assert response.json() == {"detail": _in_indonesian("The training is full (quota %(quota)s).", quota=3),
                               "errors": {}}
    assert w.training.enrolments.count() == 3


@pytest.mark.parametrize("who", ["enrolled", "instructor", "tala_resident", "unknown"])
def test_only_participants_of_the_region_not_yet_enrolled_may_be_enrolled(training, who):
    w = training
    person_id = {"enrolled": lambda: w.enrolments[0].person_id,
                 "instructor": lambda: w.teacher.pk,
                 "tala_resident": lambda: make_person("Warga Tala", region="63.01.03.1005").pk,
                 "unknown": lambda: 999999}[who]()
    response = _call(w.hsu_officer, "post", _url(w, "/enrolments"), {"person_id": person_id})
    assert response.status_code == 422 and list(response.json()["errors"]) == ["person_id"]
    assert w.training.enrolments.count() == 3


def test_an_instructor_may_not_enrol_participants(training):
    w = training
    person = make_person("Nor Aida")
    assert _call(w.instructor, "post", _url(w, "/enrolments"), {"person_id": person.pk}).status_code == 404


# --- targets ------------------------------------------------------------------------------------------------------

def _targets(w, *values):
    return {"targets": [{"enrolment_id": e.pk, "target": v} for e, v in zip(w.enrolments, values)]}


def test_an_officer_sets_each_participants_target(training):
    w = training
    response = _call(w.hsu_officer, "put", _url(w, "/targets"), _targets(w, 30, 20, 10))
    assert response.status_code == 200, response.json()
    assert [Enrolment.objects.get(pk=e.pk).target for e in w.enrolments] == [30, 20, 10]
    assert {(t["enrolment_id"], t["target"]) for t in response.json()} == {
        (w.enrolments[0].pk, 30), (w.enrolments[1].pk, 20), (w.enrolments[2].pk, 10)}


@pytest.mark.parametrize("values, message, params", [
    ((30, 20, 5), "The targets add up to %(total)s, not the training's %(target)s.", {"total": 55, "target": 60}),
    ((30, 30), "Give a target for every participant.", {}),
    ((70, -5, -5), "Targets cannot be negative.", {}),
])
def test_targets_that_break_the_rule_are_refused_by_the_service(training, values, message, params):
    w = training
    response = _call(w.hsu_officer, "put", _url(w, "/targets"), _targets(w, *values))
    assert response.status_code == 400
    assert response.json()["detail"] == _in_indonesian(message, **params)
    assert {e.target for e in w.training.enrolments.all()} == {0}


def test_a_participant_listed_twice_or_a_target_that_is_not_a_number_is_refused(training):
    w = training
    body = _targets(w, 30, 20, 10)
    body["targets"].append({"enrolment_id": w.enrolments[0].pk, "target": 0})
    twice = _call(w.hsu_officer, "put", _url(w, "/targets"), body)
    assert twice.status_code == 422 and list(twice.json()["errors"]) == ["targets.3.enrolment_id"]
    body = _targets(w, "tiga puluh", 20, 10)
    not_a_number = _call(w.hsu_officer, "put", _url(w, "/targets"), body)
    assert not_a_number.status_code == 422 and list(not_a_number.json()["errors"]) == ["targets.0.target"]


def test_the_target_is_split_evenly(training):
    w = training
    response = _call(w.hsu_officer, "post", _url(w, "/targets/split"))
    assert response.status_code == 200
    assert [t["target"] for t in response.json()] == [20, 20, 20]
    assert {e.target for e in w.training.enrolments.all()} == {20}


def test_an_instructor_may_not_set_targets(training):
    w = training
    assert _call(w.instructor, "put", _url(w, "/targets"), _targets(w, 20, 20, 20)).status_code == 404
    assert _call(w.instructor, "post", _url(w, "/targets/split")).status_code == 404


# --- attendance ---------------------------------------------------------------------------------------------------

def _marks(w, *modes, day="2020-05-18"):
    return {"day": day, "marks": [{"enrolment_id": e.pk, "mode": m} for e, m in zip(w.enrolments, modes)]}


def test_the_instructor_marks_a_day_and_reads_it_back(training):
    w = training
    response = _call(w.instructor, "post", _url(w, "/attendance"), _marks(w, "online", "in_person", "absent"))
    assert response.status_code == 200, response.json()
    saved = {a.enrolment_id: (a.mode, a.recorded_by) for a in Attendance.objects.filter(day=FIRST_DAY)}
    assert saved == {w.enrolments[0].pk: ("online", w.instructor), w.enrolments[1].pk: ("in_person", w.instructor),
                     w.enrolments[2].pk: ("absent", w.instructor)}
    read = _call(w.hsu_officer, "get", _url(w, "/attendance?day=2020-05-18")).json()
    assert read["day"] == "2020-05-18"
    assert {m["enrolment_id"]: m["mode"] for m in read["marks"]} == {
        w.enrolments[0].pk: "online", w.enrolments[1].pk: "in_person", w.enrolments[2].pk: "absent"}


def test_a_day_not_marked_reads_as_null_and_the_default_day_is_the_last_once_over(training):
    w = training
    read = _call(w.hsu_officer, "get", _url(w, "/attendance")).json()
    assert read["day"] == LAST_DAY.isoformat() and {m["mode"] for m in read["marks"]} == {None}
    assert _call(w.hsu_officer, "get", _url(w, "/attendance?day=kemarin")).status_code == 422


def test_a_day_outside_the_training_is_refused_by_the_service(training):
    w = training
    response = _call(w.hsu_officer, "post", _url(w, "/attendance"),
                     _marks(w, "online", "online", "online", day="2020-05-21"))
    message = _in_indonesian("%(day)s is not a day of this training.", day="21-05-2020")
    assert response.status_code == 400
    assert response.json() == {"detail": message, "errors": {"day": [message]}}
    assert not Attendance.objects.exists()


def test_every_participant_needs_a_known_mark(training):
    w = training
    missing = _call(w.hsu_officer, "post", _url(w, "/attendance"), _marks(w, "online", "online"))
    assert missing.status_code == 422 and list(missing.json()["errors"]) == ["marks"]
    assert PARTICIPANTS[2] in missing.json()["errors"]["marks"][0]
    bad_mode = _call(w.hsu_officer, "post", _url(w, "/attendance"), _marks(w, "online", "asleep", "online"))
    assert bad_mode.status_code == 422 and list(bad_mode.json()["errors"]) == ["marks.1.mode"]
    body = _marks(w, "online", "online", "online")
    body["marks"].append({"enrolment_id": 999999, "mode": "online"})
    stranger = _call(w.hsu_officer, "post", _url(w, "/attendance"), body)
    assert stranger.status_code == 422 and list(stranger.json()["errors"]) == ["marks.3.enrolment_id"]
    assert not Attendance.objects.exists()


def test_a_health_expert_reads_the_training_but_may_not_mark_attendance(training):
    w = training
    assert _call(w.health_expert, "get", _url(w)).status_code == 200
    assert _call(w.health_expert, "get", _url(w, "/attendance")).status_code == 403
    response = _call(w.health_expert, "post", _url(w, "/attendance"), _marks(w, "online", "online", "online"))
    assert response.status_code == 403 and not Attendance.objects.exists()


# --- output -------------------------------------------------------------------------------------------------------

def test_a_participants_output_is_recorded_as_a_batch_awaiting_inspection(training):
    w = training
    enrolment = w.enrolments[1]
    response = _call(w.instructor, "post", _url(w, "/output"),
                     {"enrolment_id": enrolment.pk, "quantity": 25, "produced_on": "2020-05-19"})
    assert response.status_code == 201, response.json()
    batch = Batch.objects.get()
    assert (batch.training, batch.producer_person, batch.product, batch.quantity, batch.status) == (
        w.training, enrolment.person, w.mask, 25, "awaiting")
    assert response.json() == {"id": batch.pk, "code": batch.code, "product": w.mask.code, "quantity": 25,
                               "produced_on": "2020-05-19", "status": "awaiting", "enrolment_id": enrolment.pk,
                               "person_id": enrolment.person_id}


def test_output_before_the_training_is_refused_by_the_service(training):
    w = training
    response = _call(w.hsu_officer, "post", _url(w, "/output"),
                     {"enrolment_id": w.enrolments[0].pk, "quantity": 5, "produced_on": "2020-05-17"})
    message = _in_indonesian("Output cannot come before the training started.")
    assert response.status_code == 400
    assert response.json() == {"detail": message, "errors": {"produced_on": [message]}}
    assert not Batch.objects.exists()


def test_output_needs_a_participant_of_this_training_and_a_positive_quantity(tala_training):
    w = tala_training
    other = enrol(w, w.tala_training, ["Warga Tala"], by=w.tala_officer)[0]
    response = _call(w.hsu_officer, "post", _url(w, "/output"),
                     {"enrolment_id": other.pk, "quantity": 0, "produced_on": "2020-05-18"})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"enrolment_id", "quantity"}
    assert not Batch.objects.exists()


def test_a_health_expert_may_not_record_output(training):
    w = training
    response = _call(w.health_expert, "post", _url(w, "/output"),
                     {"enrolment_id": w.enrolments[0].pk, "quantity": 5, "produced_on": "2020-05-18"})
    assert response.status_code == 403 and not Batch.objects.exists()
