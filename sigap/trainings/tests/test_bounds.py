"""A training lasts at most 366 days and a programme five years, refused alike on the page, in the API and by the
service; the training report has a column per day up to a month and per week beyond, never more than 53, even for
a training saved longer before the rule."""

import datetime
import json
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from conftest import client_for
from sigap.lib.errors import DomainError
from sigap.people.models import Person
from sigap.trainings.models import Attendance, Enrolment, Programme, Training
from sigap.trainings.progress import training_progress
from sigap.trainings.reports import MAX_ATTENDANCE_CELLS, MAX_REPORT_COLUMNS, certificate_context, report_context
from sigap.trainings.services import attendance_record, output_record, programme_create
from sigap.trainings.tests.conftest import PARTICIPANTS, enrol, make_person, make_training

TOO_LONG = "Pelatihan paling lama 366 hari; pelatihan ini 731 hari."


def _training_form(w, **extra):
    return {"title": "Bimtek Set APD", "programme": "", "office": w.hsu_office.pk, "mode": "offline",
            "starts_on": "2020-01-01", "ends_on": "2021-12-31", "place": "Aula", "meeting_link": "",
            "product": w.suit.pk, "target": "60", "quota": "7", "instructors": [w.teacher.pk],
            "health_expert": w.doctor.pk, "min_attendance_percent": "80", "description": "", **extra}


def _api(user, method, url, body):
    return getattr(client_for(user), method)(url, data=json.dumps(body), content_type="application/json")


def _training_body(w, **extra):
    return {"title": "Bimtek Set APD", "office_id": w.hsu_office.pk, "mode": "offline", "starts_on": "2020-01-01",
            "ends_on": "2021-12-31", "product": w.suit.code, "target": 60, "quota": 7, **extra}


# --- how long a training may be ------------------------------------------------------------------------------------

@pytest.mark.security
def test_a_two_year_training_is_refused_on_the_page_and_nothing_is_saved(hsu):
    w = hsu
    response = client_for(w.hsu_officer).post(reverse("trainings:create"), _training_form(w))
    assert response.status_code == 200
    assert response.context["form"].errors["ends_on"] == [TOO_LONG]
    assert not Training.objects.exists()


@pytest.mark.security
def test_a_two_year_training_is_refused_by_the_api_both_new_and_changed(training):
    w = training
    response = _api(w.hsu_officer, "post", "/api/v1/trainings", _training_body(w))
    assert response.status_code == 422 and response.json()["errors"]["ends_on"] == [TOO_LONG]
    assert Training.objects.count() == 1
    response = _api(w.hsu_officer, "patch", f"/api/v1/trainings/{w.training.pk}", {"ends_on": "2022-05-17"})
    assert response.status_code == 422 and response.json()["errors"]["ends_on"] == [
        "Pelatihan paling lama 366 hari; pelatihan ini 730 hari."]
    w.training.refresh_from_db()
    assert w.training.ends_on == datetime.date(2020, 5, 20)


@pytest.mark.security
def test_the_service_refuses_a_training_longer_than_366_days_naming_the_field(hsu):
    with pytest.raises(DomainError) as refused:
        make_training(hsu, starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2021, 1, 1))
    assert (refused.value.message, refused.value.field) == (
        "A training lasts at most 366 days; this one would last 367.", "ends_on")
    assert not Training.objects.exists()


def test_a_training_of_366_days_is_fine(hsu):
    training = make_training(hsu, starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2020, 12, 31))
    assert training.day_count == 366


@pytest.mark.security
def test_a_programme_longer_than_five_years_is_refused_on_the_page_and_the_api(hsu):
    w = hsu
    with pytest.raises(DomainError, match="five years"):
        programme_create(by=w.hsu_officer, name="Program APD", year=2020, office=w.hsu_office,
                         starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2025, 1, 1))
    form = {"name": "Program APD", "year": "2020", "office": w.hsu_office.pk, "budget_source": "",
            "starts_on": "2020-01-01", "ends_on": "2025-01-01", "targets-TOTAL_FORMS": "0",
            "targets-INITIAL_FORMS": "0"}
    response = client_for(w.hsu_officer).post(reverse("trainings:programme-create"), form)
    assert response.status_code == 200
    assert response.context["form"].errors["ends_on"] == ["Program paling lama lima tahun."]
    response = _api(w.hsu_officer, "post", "/api/v1/trainings/programmes", {
        "name": "Program APD", "year": 2020, "office_id": w.hsu_office.pk, "starts_on": "2020-01-01",
        "ends_on": "2025-01-01"})
    assert response.status_code == 422 and response.json()["errors"]["ends_on"] == ["Program paling lama lima tahun."]
    assert not Programme.objects.exists()
    programme_create(by=w.hsu_officer, name="Program APD", year=2020, office=w.hsu_office,
                     starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2024, 12, 31))


# --- the report's columns ------------------------------------------------------------------------------------------

def _attendance_headers(html: str) -> list[str]:
    """The attendance tables' column headings, left to right, without each table's participant column."""
    headers = []
    for table in re.findall(r'<table class="attendance">.*?</table>', html, re.S):
        cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<th[^>]*>.*?</th>", table, re.S)]
        headers += cells[1:]
    return headers


def _legacy(w, starts_on, ends_on):
    """A training saved before trainings were bounded, with two participants."""
    training = Training.objects.create(office=w.hsu_office, title="Bimtek Lama", mode="online", starts_on=starts_on,
                                       ends_on=ends_on, product=w.mask, target=60, quota=7)
    for name in PARTICIPANTS[:2]:
        Enrolment.objects.create(training=training, person=make_person(name))
    return training


@pytest.mark.security
def test_a_legacy_century_long_training_reports_at_most_53_columns(hsu):
    w = hsu
    training = _legacy(w, datetime.date(1926, 1, 1), datetime.date(2025, 12, 31))
    first = training.enrolments.order_by("pk").first()
    Attendance.objects.create(enrolment=first, day=datetime.date(1926, 1, 2), mode="online", recorded_by=w.hsu_officer)
    Attendance.objects.create(enrolment=first, day=datetime.date(2025, 12, 31), mode="absent",
                              recorded_by=w.hsu_officer)
    context = report_context(training)
    assert MAX_REPORT_COLUMNS == 53
    assert len(context["columns"]) <= MAX_REPORT_COLUMNS
    # The columns cover every day once, in order.
    columns = context["columns"]
    assert columns[0].first == training.starts_on and columns[-1].last == training.ends_on
    assert all(a.last + datetime.timedelta(days=1) == b.first for a, b in zip(columns, columns[1:]))
    assert sum(column.day_count for column in columns) == training.day_count
    headers = _attendance_headers(render_to_string("trainings/report.pdf.html", context))
    assert len(headers) == len(columns) and headers[0].startswith("01/01/1926–")
    rows = dict(context["attendance_rows"])
    assert rows[first.person.name][0] == f"1/{columns[0].day_count}"
    assert rows[first.person.name][-1] == f"0/{columns[-1].day_count}"


@pytest.mark.security
def test_a_legacy_three_year_training_report_is_a_pdf_with_bounded_columns(hsu):
    w = hsu
    training = _legacy(w, datetime.date(2017, 1, 2), datetime.date(2019, 12, 29))
    response = client_for(w.hsu_officer).get(reverse("trainings:report", args=[training.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert len(report_context(training)["columns"]) <= MAX_REPORT_COLUMNS
    # The certificate counts the training's days without listing them.
    assert certificate_context(training.enrolments.first())["days"] == 1092


def test_a_training_of_up_to_a_month_has_a_column_per_day(training):
    w = training
    context = report_context(w.training)
    assert [(c.first, c.last) for c in context["columns"]] == [(day, day) for day in w.training.days]
    attendance_record(training=w.training, day=w.training.starts_on, marks={e: "online" for e in w.enrolments},
                      by=w.instructor)
    html = render_to_string("trainings/report.pdf.html", report_context(w.training))
    assert _attendance_headers(html) == ["18/05", "19/05", "20/05"]


@pytest.mark.security
def test_a_training_longer_than_a_month_has_a_column_per_week_with_the_days_present(hsu):
    w = hsu
    training = make_training(w, starts_on=datetime.date(2020, 3, 2), ends_on=datetime.date(2020, 4, 30))
    (fahri,) = enrol(w, training, PARTICIPANTS[:1])
    for day in (datetime.date(2020, 3, 2), datetime.date(2020, 3, 3), datetime.date(2020, 4, 30)):
        attendance_record(training=training, day=day, marks={fahri: "online"}, by=w.instructor)
    attendance_record(training=training, day=datetime.date(2020, 3, 4), marks={fahri: "absent"}, by=w.instructor)
    context = report_context(training)
    assert len(context["columns"]) == 9  # 60 days: eight weeks and four days
    assert [c.day_count for c in context["columns"]] == [7] * 8 + [4]
    assert context["attendance_rows"] == [("Muhammad Fahri", ["2/7"] + ["0/7"] * 7 + ["1/4"])]
    headers = _attendance_headers(render_to_string("trainings/report.pdf.html", context))
    assert headers[:2] == ["02/03–08/03", "09/03–15/03"] and headers[-1] == "27/04–30/04" and len(headers) == 9


@pytest.mark.security
@pytest.mark.parametrize("days, participants, columns", [
    (366, 56, 53),    # a column per week while the cells stay within 3,000
    (366, 100, 27),   # two weeks a column
    (366, 500, 6),
    (31, 96, 31),     # a column per day
    (31, 500, 5),     # a column per week
    (3, 500, 3),
])
def test_many_participants_widen_the_columns_to_keep_the_cells_bounded(hsu, days, participants, columns):
    w = hsu
    training = Training.objects.create(office=w.hsu_office, title="Bimtek Besar", mode="online",
                                       starts_on=datetime.date(2020, 1, 1),
                                       ends_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=days - 1),
                                       product=w.mask, quota=500)
    people = Person.objects.bulk_create([
        Person(name=f"Peserta {n:03d}", nik=f"6308054107{n:06d}", sex="P", birth_date=datetime.date(2000, 7, 3),
               kind="participant", address="Jl. Norman Umar", region_id="63.08.05.1001")
        for n in range(participants)])
    Enrolment.objects.bulk_create([Enrolment(training=training, person=person) for person in people])
    context = report_context(training)
    assert len(context["columns"]) == columns
    assert columns * participants <= MAX_ATTENDANCE_CELLS
    assert sum(column.day_count for column in context["columns"]) == days
    assert {len(marks) for _name, marks in context["attendance_rows"]} == {columns}


# --- a forecast far away -------------------------------------------------------------------------------------------

@pytest.mark.security
def test_a_forecast_beyond_the_calendar_is_left_out_instead_of_failing(training):
    w = training
    Training.objects.filter(pk=w.training.pk).update(target=2_000_000_000)
    w.training.refresh_from_db()
    output_record(enrolment=w.enrolments[0], quantity=1, produced_on=w.training.starts_on, by=w.instructor)
    assert training_progress(w.training, as_of=w.training.starts_on).forecast is None
    assert client_for(w.hsu_officer).get(reverse("trainings:detail", args=[w.training.pk])).status_code == 200
    assert client_for(w.hsu_officer).get(f"/api/v1/trainings/{w.training.pk}").status_code == 200
