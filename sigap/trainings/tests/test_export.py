"""The training list and its participants as CSV or Excel: the list's scope and filters, formulas kept as text,
NIK and phone numbers only for the roles that may see them, and a query count that does not grow with the rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for, download_rows
from sigap.people.models import Person
from sigap.trainings.models import Training
from sigap.trainings.services import attendance_record, enrolment_create, output_record, targets_split_evenly
from sigap.trainings.tests.conftest import FIRST_DAY, PARTICIPANTS, TALA_VILLAGE, enrol, make_person, make_training

TITLE, PARTICIPANT = 0, 4  # columns of the two exports


@pytest.fixture
def trainings(training):
    """HSU's online mask training with three participants (one with a phone), an HSU suit training in person
    with one participant, and a Tala training with one participant."""
    w = training
    Person.objects.filter(pk=w.enrolments[0].person_id).update(phone="+6281350001234")
    w.suit_training = make_training(w, title="Bimtek Baju Hazmat", mode="offline", product=w.suit, target=10,
                                    quota=3)
    enrol(w, w.suit_training, ["Hendra Saputra"])
    w.tala_training = make_training(w, office=w.tala_office, title="Bimtek Tala", by=w.tala_officer, instructors=[],
                                    health_expert=None)
    enrolment_create(training=w.tala_training, person=make_person("Peserta Tala", region=TALA_VILLAGE),
                     by=w.tala_officer)
    return w


def test_the_training_export_follows_the_scope_and_the_filters(trainings):
    w = trainings
    rows = download_rows(client_for(w.hsu_officer).get(reverse("trainings:export")))
    assert sorted(row[TITLE] for row in rows[1:]) == ["Bimtek Baju Hazmat", "Bimtek Masker Kain 3 Lapis Sasirangan"]
    rows = download_rows(client_for(w.hsu_officer).get(reverse("trainings:export"), {"mode": "offline"}))
    assert [row[TITLE] for row in rows[1:]] == ["Bimtek Baju Hazmat"]
    rows = download_rows(client_for(w.tala_officer).get(reverse("trainings:export")))
    assert [row[TITLE] for row in rows[1:]] == ["Bimtek Tala"]
    rows = download_rows(client_for(w.province_officer).get(reverse("trainings:export"), {"product": w.mask.pk}))
    assert sorted(row[TITLE] for row in rows[1:]) == ["Bimtek Masker Kain 3 Lapis Sasirangan", "Bimtek Tala"]


@pytest.mark.parametrize("route", ["trainings:export", "trainings:participant-export"])
def test_the_exports_refuse_whom_the_training_list_refuses(trainings, route):
    w = trainings
    assert client_for(None).get(reverse(route)).status_code == 302
    assert client_for(w.partner_user).get(reverse(route)).status_code == 403
    assert client_for(w.agency_user).get(reverse(route)).status_code == 403
    assert download_rows(client_for(w.outsider).get(reverse(route)))[1:] == []


def test_the_training_export_counts_participants_and_output(trainings):
    w = trainings
    output_record(enrolment=w.enrolments[0], quantity=12, produced_on=FIRST_DAY, by=w.instructor)
    output_record(enrolment=w.enrolments[1], quantity=5, produced_on=FIRST_DAY, by=w.instructor)
    rows = download_rows(client_for(w.hsu_officer).get(reverse("trainings:export"), {"mode": "online"}))
    assert len(rows) == 2 and len(rows[0]) == len(rows[1]) == 12
    assert rows[1][TITLE] == "Bimtek Masker Kain 3 Lapis Sasirangan" and rows[1][-2:] == ["3", "17"]


def test_the_participant_export_has_each_participants_target_output_and_attendance(trainings):
    w = trainings
    fahri, siti, rahmat = w.enrolments
    targets_split_evenly(training=w.training, by=w.hsu_officer)  # 60 over 3
    output_record(enrolment=fahri, quantity=7, produced_on=FIRST_DAY, by=w.instructor)
    output_record(enrolment=fahri, quantity=4, produced_on=FIRST_DAY + datetime.timedelta(days=1), by=w.instructor)
    attendance_record(training=w.training, day=FIRST_DAY, marks={fahri: "online", siti: "in_person",
                                                                 rahmat: "absent"}, by=w.instructor)
    rows = download_rows(client_for(w.hsu_officer).get(reverse("trainings:participant-export"), {"mode": "online"}))
    by_name = {row[PARTICIPANT]: row for row in rows[1:]}
    assert sorted(by_name) == sorted(PARTICIPANTS[:3])  # the in-person training's participant is filtered out
    assert by_name["Muhammad Fahri"][-5:] == ["20", "11", "0", "1", ""]
    assert by_name["Rahmat Hidayat"][-5:] == ["20", "0", "0", "0", ""]
    assert {row[0] for row in rows[1:]} == {"Bimtek Masker Kain 3 Lapis Sasirangan"}


def test_the_participant_export_stays_within_the_region(trainings):
    w = trainings
    rows = download_rows(client_for(w.tala_officer).get(reverse("trainings:participant-export")))
    assert [row[PARTICIPANT] for row in rows[1:]] == ["Peserta Tala"]
    rows = download_rows(client_for(w.hsu_officer).get(reverse("trainings:participant-export")))
    assert "Peserta Tala" not in {row[PARTICIPANT] for row in rows[1:]} and len(rows) == 5


def test_nik_goes_only_to_officers_and_phones_only_to_those_who_may_call(trainings):
    w = trainings
    fahri = w.enrolments[0].person
    officer = download_rows(client_for(w.hsu_officer).get(reverse("trainings:participant-export")))
    assert "NIK" in officer[0] and len(officer[0]) == 14
    assert any(fahri.nik in row and "0813-5000-1234" in row for row in officer[1:])
    for who in (w.instructor, w.health_expert):
        rows = download_rows(client_for(who).get(reverse("trainings:participant-export")))
        assert "NIK" not in rows[0] and len(rows[0]) == 13
        assert not any(fahri.nik in cell for row in rows for cell in row)
        assert any("0813-5000-1234" in row for row in rows[1:])


def test_an_exported_text_that_looks_like_a_formula_stays_text(trainings):
    w = trainings
    Training.objects.filter(pk=w.suit_training.pk).update(title='=HYPERLINK("http://evil","klik")')
    Person.objects.filter(pk=w.enrolments[0].person_id).update(name="@SUM(A1)")
    rows = download_rows(client_for(w.hsu_officer).get(reverse("trainings:export"), {"mode": "offline"}))
    assert rows[1][TITLE] == "'=HYPERLINK(\"http://evil\",\"klik\")"
    rows = download_rows(client_for(w.hsu_officer).get(reverse("trainings:participant-export"), {"format": "xlsx"}))
    assert "'@SUM(A1)" in {row[PARTICIPANT] for row in rows[1:]}


def test_the_excel_exports_open_with_the_same_rows(trainings):
    w = trainings
    client = client_for(w.hsu_officer)
    for route in ("trainings:export", "trainings:participant-export"):
        csv_rows = download_rows(client.get(reverse(route)))
        xlsx_rows = download_rows(client.get(reverse(route), {"format": "xlsx"}))
        assert xlsx_rows[0] == csv_rows[0]
        assert [[("" if cell is None else str(cell)) for cell in row] for row in xlsx_rows[1:]] == csv_rows[1:]


def test_an_unknown_format_falls_back_to_csv(trainings):
    response = client_for(trainings.hsu_officer).get(reverse("trainings:export"), {"format": "exe"})
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="pelatihan.csv"'


def _queries(user, route):
    client = client_for(user)
    with CaptureQueriesContext(connection) as queries:
        rows = download_rows(client.get(reverse(route)))
    return len(queries), len(rows)


def test_the_exports_take_the_same_number_of_queries_for_one_row_or_many(trainings):
    w = trainings
    one = {route: _queries(w.tala_officer, route) for route in ("trainings:export", "trainings:participant-export")}
    for number in range(3):
        extra = make_training(w, office=w.tala_office, title=f"Bimtek Tala {number}", by=w.tala_officer,
                              instructors=[], health_expert=None)
        for name in ("A", "B"):
            enrolment_create(training=extra, person=make_person(f"{name} {number}", region=TALA_VILLAGE),
                             by=w.tala_officer)
        output_record(enrolment=extra.enrolments.first(), quantity=3, produced_on=FIRST_DAY, by=w.tala_officer)
    many = {route: _queries(w.tala_officer, route) for route in ("trainings:export", "trainings:participant-export")}
    assert many["trainings:export"] == (one["trainings:export"][0], 5)
    assert many["trainings:participant-export"] == (one["trainings:participant-export"][0], 8)
