"""A training day for the whole class on one screen: attendance and each participant's output saved at once, the
day's output as one batch with a line per participant, inspected once, each line's accepted units in stock at the
participant's home."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import client_for
from sigap.dashboards.models import DailyFigure, Measure, MonthlyFigure
from sigap.dashboards.services import figures_rebuild
from sigap.items.models import Component
from sigap.lib.errors import DomainError
from sigap.production.models import Batch, BatchLine, Status
from sigap.quality.models import Criterion
from sigap.quality.services import inspection_record
from sigap.stock.ledger import on_hand
from sigap.stock.services import issue_record, location_for, receipt_record
from sigap.trainings.models import Attendance, Enrolment
from sigap.trainings.services import DayRefused, DayRow, output_record, training_day_record
from sigap.trainings.tests.conftest import FIRST_DAY, LAST_DAY

DAY_2 = FIRST_DAY + datetime.timedelta(days=1)


def _rows(w, marks=("online", "online", "absent"), output=(12, 9, 0), reasons=("", "", "Sakit")):
    return [DayRow(enrolment=e, mode=m, quantity=q, reason=r)
            for e, m, q, r in zip(w.enrolments, marks, output, reasons)]


def _url(w, day=None):
    url = reverse("trainings:day", args=[w.training.pk])
    return f"{url}?date={day.isoformat()}" if day else url


def _form(w, marks=("online", "online", "absent"), output=("12", "9", ""), reasons=("", "", "Sakit")):
    data = {}
    for e, m, q, r in zip(w.enrolments, marks, output, reasons):
        data.update({f"p{e.pk}": m, f"q{e.pk}": q, f"r{e.pk}": r})
    return data


def _figures():
    return sorted((str(f.day), f.region_code, f.item_id, f.measure, f.dimension, f.quantity.normalize())
                  for f in DailyFigure.objects.all() if f.quantity)


def _rebuilt_figures():
    figures_rebuild()
    return _figures()


# --- the service ---------------------------------------------------------------------------------------------------

def test_a_day_records_the_whole_class_and_its_output_as_one_batch(training):
    w = training
    batch = training_day_record(training=w.training, day=FIRST_DAY, rows=_rows(w), by=w.instructor)
    marks = {a.enrolment.person.name: (a.mode, a.absence_reason) for a in Attendance.objects.all()}
    assert marks == {"Muhammad Fahri": ("online", ""), "Siti Nurhaliza": ("online", ""),
                     "Rahmat Hidayat": ("absent", "Sakit")}
    assert Batch.objects.get() == batch
    assert (batch.quantity, batch.produced_on, batch.training, batch.status, batch.product) == (
        21, FIRST_DAY, w.training, Status.AWAITING_INSPECTION, w.mask)
    assert (batch.producer_person, batch.producer_partner, batch.region_id) == (None, None, "63.08")
    assert batch.producer.name == "Participants of Bimtek Masker Kain 3 Lapis Sasirangan"
    lines = {line.person.name: (line.quantity, line.location) for line in batch.lines.select_related("person")}
    fahri, siti, _rahmat = (e.person for e in w.enrolments)
    assert lines == {"Muhammad Fahri": (12, location_for(fahri)), "Siti Nurhaliza": (9, location_for(siti))}


def test_saving_a_day_again_changes_its_batch_rather_than_adding_one(training):
    w = training
    first = training_day_record(training=w.training, day=FIRST_DAY, rows=_rows(w), by=w.instructor)
    again = training_day_record(training=w.training, day=FIRST_DAY, by=w.hsu_officer,
                                rows=_rows(w, marks=("online", "absent", "online"), output=(10, 0, 4),
                                           reasons=("", "Hajatan keluarga", "")))
    assert again.pk == first.pk and Batch.objects.count() == 1
    assert again.quantity == 14 and again.reported_by == w.hsu_officer
    assert sorted(BatchLine.objects.values_list("person__name", "quantity")) == [
        ("Muhammad Fahri", 10), ("Rahmat Hidayat", 4)]
    assert Attendance.objects.count() == 3
    assert Attendance.objects.get(enrolment=w.enrolments[1]).absence_reason == "Hajatan keluarga"
    assert Attendance.objects.get(enrolment=w.enrolments[2]).absence_reason == ""
    # The dashboards count the day's 14, as a rebuild from the documents does.
    produced = DailyFigure.objects.get(measure=Measure.PRODUCED, day=FIRST_DAY)
    assert produced.quantity == 14 and MonthlyFigure.objects.get(measure=Measure.PRODUCED).quantity == 14
    assert _figures() == _rebuilt_figures()


def test_a_day_saved_again_without_output_keeps_no_batch(training):
    w = training
    training_day_record(training=w.training, day=FIRST_DAY, rows=_rows(w), by=w.instructor)
    assert training_day_record(training=w.training, day=FIRST_DAY, rows=_rows(w, output=(0, 0, 0)),
                               by=w.instructor) is None
    assert not Batch.objects.exists() and not BatchLine.objects.exists() and Attendance.objects.count() == 3
    assert _figures() == _rebuilt_figures() == []


def test_each_day_has_its_own_batch(training):
    w = training
    for day in w.training.days:
        training_day_record(training=w.training, day=day, rows=_rows(w), by=w.instructor)
    assert Batch.objects.count() == 3 and BatchLine.objects.count() == 6
    assert sorted(Batch.objects.values_list("produced_on", flat=True)) == w.training.days


@pytest.mark.parametrize("marks, output, reasons, expected", [
    (("online", "in_person", "absent"), (1, 2, 0), ("", "", "Sakit"), {1: ["Choose present or absent."]}),
    (("online", "online", "absent"), (1, 2, 0), ("", "", "  "), {2: ["Give the reason for the absence."]}),
    (("online", "online", "absent"), (-1, 2, 1_000_001), ("", "", "Sakit"),
     {0: ["The output must be a whole number from 0 to 1.000.000."],
      2: ["The output must be a whole number from 0 to 1.000.000."]}),
    (("", "online", "absent"), ("3", 2, 0), ("", "", ""),
     {0: ["Choose present or absent.", "The output must be a whole number from 0 to 1.000.000."],
      2: ["Give the reason for the absence."]}),
])
def test_a_day_with_rows_to_correct_is_refused_whole_naming_each_row(training, marks, output, reasons, expected):
    w = training
    with pytest.raises(DayRefused) as refused:
        training_day_record(training=w.training, day=FIRST_DAY, rows=_rows(w, marks, output, reasons),
                            by=w.instructor)
    assert refused.value.errors == {w.enrolments[i].pk: messages for i, messages in expected.items()}
    assert "was not saved" in refused.value.message
    assert not Attendance.objects.exists() and not Batch.objects.exists() and not DailyFigure.objects.exists()


def test_a_refused_day_keeps_what_was_saved_before(training):
    w = training
    training_day_record(training=w.training, day=FIRST_DAY, rows=_rows(w), by=w.instructor)
    with pytest.raises(DayRefused):
        training_day_record(training=w.training, day=FIRST_DAY, by=w.instructor,
                            rows=_rows(w, marks=("absent", "online", "online"), output=(1, 1, 1), reasons=("",) * 3))
    assert Batch.objects.get().quantity == 21
    assert Attendance.objects.get(enrolment=w.enrolments[0]).mode == "online"


def test_every_participant_must_be_on_the_day_once(training):
    w = training
    with pytest.raises(DomainError, match="every participant"):
        training_day_record(training=w.training, day=FIRST_DAY, rows=_rows(w)[:2], by=w.instructor)
    with pytest.raises(DomainError, match="every participant"):
        training_day_record(training=w.training, day=FIRST_DAY, rows=[*_rows(w), _rows(w)[0]], by=w.instructor)
    assert not Attendance.objects.exists() and not Batch.objects.exists()


@pytest.mark.parametrize("day", [FIRST_DAY - datetime.timedelta(days=1), LAST_DAY + datetime.timedelta(days=1)])
def test_a_day_outside_the_training_is_refused(training, day):
    w = training
    with pytest.raises(DomainError, match="is not a day of this training"):
        training_day_record(training=w.training, day=day, rows=_rows(w), by=w.instructor)
    assert not Attendance.objects.exists() and not Batch.objects.exists()


def test_a_day_still_ahead_is_refused(hsu):
    from sigap.trainings.tests.conftest import enrol, make_training

    w = hsu
    today = datetime.date.today()
    w.training = make_training(w, starts_on=today, ends_on=today + datetime.timedelta(days=2))
    w.enrolments = enrol(w, w.training, ["Nor Aida"])
    with pytest.raises(DomainError, match="cannot be recorded ahead"):
        training_day_record(training=w.training, day=today + datetime.timedelta(days=1), by=w.instructor,
                            rows=[DayRow(enrolment=w.enrolments[0], mode="online", quantity=1)])
    assert not Attendance.objects.exists() and not Batch.objects.exists()


@pytest.mark.security
@pytest.mark.parametrize("who, message", [
    ("tala_officer", "outside your region"), ("outsider", "outside your region"),
    ("health_expert", "does not run trainings"), ("partner_user", "does not run trainings"),
    ("agency_user", "does not run trainings"),
])
def test_only_officers_and_instructors_of_the_region_record_a_day(training, who, message):
    w = training
    with pytest.raises(DomainError, match=message):
        training_day_record(training=w.training, day=FIRST_DAY, rows=_rows(w), by=getattr(w, who))
    assert not Attendance.objects.exists() and not Batch.objects.exists()


def test_the_province_records_a_district_training_day(training):
    w = training
    assert training_day_record(training=w.training, day=FIRST_DAY, rows=_rows(w), by=w.province_officer).quantity == 21


# --- inspection, stock and progress ---------------------------------------------------------------------------------

@pytest.fixture
def inspected_world(training):
    """Each participant received 10 m of fabric at home; a mask takes 0.2 m."""
    w = training
    Component.objects.create(product=w.mask, material=w.fabric, quantity=Decimal("0.2"))
    w.criteria = [Criterion.objects.create(product=w.mask, text="Tiga lapis kain", position=0)]
    receipt_record(office=w.hsu_office, supplier=None, date=FIRST_DAY, lines=[(w.fabric, 100)], by=w.hsu_officer)
    for e in w.enrolments:
        issue_record(office=w.hsu_office, recipient=e.person, date=FIRST_DAY, lines=[(w.fabric, 10)],
                     by=w.hsu_officer)
    w.batch = training_day_record(training=w.training, day=FIRST_DAY, rows=_rows(w), by=w.instructor)
    return w


def _inspect(w, *, accepted, rejected, line_rejections=None, **extra):
    return inspection_record(batch=w.batch, by=w.health_expert, inspected_on=DAY_2, sample_size=5, accepted=accepted,
                             rejected=rejected, results=[(c, True, "") for c in w.criteria],
                             reject_reason="Jahitan lepas" if rejected else "", line_rejections=line_rejections,
                             **extra)


def test_a_class_batch_is_inspected_once_and_each_participants_accepted_units_enter_stock_at_home(inspected_world):
    w = inspected_world
    fahri, siti, rahmat = (e.person for e in w.enrolments)
    lines = {line.person_id: line for line in w.batch.lines.all()}
    inspection = _inspect(w, accepted=18, rejected=3, line_rejections={lines[fahri.pk].pk: 1, lines[siti.pk].pk: 2})
    assert (inspection.accepted, inspection.rejected) == (18, 3)
    assert on_hand(w.mask, location_for(fahri)) == 11 and on_hand(w.mask, location_for(siti)) == 7
    assert on_hand(w.mask, location_for(rahmat)) == 0 and on_hand(w.mask, location_for(w.hsu_office)) == 0
    # Each made unit used its fabric at its maker's home, as a participant's own batch does.
    assert on_hand(w.fabric, location_for(fahri)) == Decimal("7.6")
    assert on_hand(w.fabric, location_for(siti)) == Decimal("8.2")
    assert on_hand(w.fabric, location_for(rahmat)) == 10
    assert sorted(BatchLine.objects.values_list("person__name", "rejected")) == [
        ("Muhammad Fahri", 1), ("Siti Nurhaliza", 2)]
    progress = {e.person.name: (e.produced, e.accepted)
                for e in Enrolment.objects.filter(training=w.training).with_progress().select_related("person")}
    assert progress == {"Muhammad Fahri": (12, 11), "Siti Nurhaliza": (9, 7), "Rahmat Hidayat": (0, 0)}
    assert _figures() == _rebuilt_figures()
    accepted = DailyFigure.objects.get(measure=Measure.ACCEPTED)
    assert (accepted.day, accepted.region_code, accepted.quantity) == (DAY_2, "63.08", 18)


def test_a_class_batch_with_rejects_must_say_whose(inspected_world):
    w = inspected_world
    lines = list(w.batch.lines.all())
    with pytest.raises(DomainError, match="Say whose units were rejected"):
        _inspect(w, accepted=18, rejected=3)
    with pytest.raises(DomainError, match="add up to 2, not 3"):
        _inspect(w, accepted=18, rejected=3, line_rejections={lines[0].pk: 1, lines[1].pk: 1})
    with pytest.raises(DomainError, match="between 0 and the 9 made"):
        _inspect(w, accepted=11, rejected=10, line_rejections={lines[0].pk: 0, lines[1].pk: 10})
    with pytest.raises(DomainError, match="every participant"):
        _inspect(w, accepted=20, rejected=1, line_rejections={lines[0].pk: 1})
    assert Batch.objects.get().status == Status.AWAITING_INSPECTION and not BatchLine.objects.filter(
        rejected__isnull=False).exists()
    assert on_hand(w.mask, location_for(w.enrolments[0].person)) == 0


def test_a_class_batch_without_rejects_needs_no_split(inspected_world):
    w = inspected_world
    _inspect(w, accepted=21, rejected=0)
    assert on_hand(w.mask, location_for(w.enrolments[0].person)) == 12
    assert list(BatchLine.objects.values_list("rejected", flat=True)) == [0, 0]


def test_an_inspected_day_refuses_a_change_of_its_output_but_takes_attendance(inspected_world):
    w = inspected_world
    _inspect(w, accepted=21, rejected=0)
    with pytest.raises(DomainError, match="was inspected already"):
        training_day_record(training=w.training, day=FIRST_DAY, rows=_rows(w, output=(13, 9, 0)), by=w.instructor)
    assert Batch.objects.get().quantity == 21
    training_day_record(training=w.training, day=FIRST_DAY, by=w.instructor,
                        rows=_rows(w, marks=("online", "absent", "absent"), reasons=("", "Sakit", "Sakit")))
    assert Attendance.objects.get(enrolment=w.enrolments[1]).mode == "absent"
    assert Batch.objects.count() == 1


def test_a_participants_own_output_form_still_makes_their_own_batch(training):
    w = training
    batch = output_record(enrolment=w.enrolments[0], quantity=5, produced_on=FIRST_DAY, by=w.instructor)
    training_day_record(training=w.training, day=FIRST_DAY, rows=_rows(w), by=w.instructor)
    assert batch.producer_person == w.enrolments[0].person and Batch.objects.count() == 2
    progress = {e.person.name: e.produced
                for e in Enrolment.objects.filter(training=w.training).with_progress().select_related("person")}
    assert progress["Muhammad Fahri"] == 17


# --- the page -------------------------------------------------------------------------------------------------------

def test_the_page_opens_a_new_day_with_nothing_kept_and_saves_it_whole(training):
    w = training
    client = client_for(w.instructor)
    page = client.get(_url(w, FIRST_DAY), HTTP_ACCEPT_LANGUAGE="id")
    assert page.status_code == 200 and not page.context["recorded"]
    html = page.content.decode()
    assert html.count('inputmode="numeric"') == 3 and "<legend>Muhammad Fahri</legend>" in html
    assert not Attendance.objects.exists()
    response = client.post(_url(w, FIRST_DAY), _form(w))
    assert response.status_code == 302 and response.url == _url(w, FIRST_DAY)
    assert Batch.objects.get().quantity == 21 and Attendance.objects.count() == 3


def test_the_page_shows_a_recorded_day_with_its_entries(training):
    w = training
    training_day_record(training=w.training, day=DAY_2, rows=_rows(w), by=w.instructor)
    page = client_for(w.hsu_officer).get(_url(w, DAY_2))
    form = page.context["form"]
    assert page.context["recorded"] and page.context["batch"] == Batch.objects.get()
    fahri, siti, rahmat = w.enrolments
    assert [form[f"p{e.pk}"].value() for e in w.enrolments] == ["online", "online", "absent"]
    assert [form[f"q{e.pk}"].value() for e in w.enrolments] == [12, 9, 0]
    assert form[f"r{rahmat.pk}"].value() == "Sakit"
    # Another day opens with its own (empty) entries, never the shown day's.
    other = client_for(w.hsu_officer).get(_url(w, FIRST_DAY)).context["form"]
    assert [other[f"q{e.pk}"].value() for e in w.enrolments] == [0, 0, 0]


def test_bad_numbers_on_the_page_are_refused_per_row_in_indonesian(training):
    w = training
    client = client_for(w.instructor)
    client.cookies["django_language"] = "id"
    response = client.post(_url(w, FIRST_DAY), _form(w, output=("12", "sembilan", "-3")), HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 200
    form = response.context["form"]
    fahri, siti, rahmat = w.enrolments
    assert f"q{siti.pk}" in form.errors and f"q{rahmat.pk}" in form.errors and f"q{fahri.pk}" not in form.errors
    assert not Attendance.objects.exists() and not Batch.objects.exists()
    response = client.post(_url(w, FIRST_DAY), _form(w, reasons=("", "", "")), HTTP_ACCEPT_LANGUAGE="id")
    form = response.context["form"]
    assert response.status_code == 200 and form.errors[f"p{rahmat.pk}"] == ["Sebutkan alasan tidak hadir."]
    assert "Catatan hari ini tidak disimpan" in response.content.decode()
    assert not Attendance.objects.exists() and not Batch.objects.exists()


@pytest.mark.parametrize("date", ["2020-05-17", "2020-05-21", "bukan-tanggal"])
def test_the_page_refuses_a_day_outside_the_training(training, date):
    w = training
    client = client_for(w.instructor)
    url = f"{reverse('trainings:day', args=[w.training.pk])}?date={date}"
    page = client.get(url)
    assert page.status_code == 400 and "form" not in page.context and page.context["refusal"]
    assert client.post(url, _form(w)).status_code == 400
    assert not Attendance.objects.exists() and not Batch.objects.exists()


def test_the_page_says_when_an_inspected_day_cannot_change_its_output(inspected_world):
    w = inspected_world
    _inspect(w, accepted=21, rejected=0)
    response = client_for(w.instructor).post(_url(w, FIRST_DAY), _form(w, output=("13", "9", "")))
    assert response.status_code == 200
    assert "sudah diperiksa (batch" in str(response.context["form"].non_field_errors())
    assert Batch.objects.get().quantity == 21


@pytest.mark.security
@pytest.mark.parametrize("who, status", [
    ("tala_officer", 404), ("outsider", 404), ("partner_user", 404), ("agency_user", 404), ("health_expert", 403),
])
def test_only_runners_of_the_region_open_or_save_the_day(training, who, status):
    w = training
    client = client_for(getattr(w, who))
    assert client.get(_url(w, FIRST_DAY)).status_code == status
    assert client.post(_url(w, FIRST_DAY), _form(w)).status_code == status
    assert not Attendance.objects.exists() and not Batch.objects.exists()


def test_the_inspection_page_asks_whose_units_were_rejected(inspected_world):
    w = inspected_world
    client = client_for(w.health_expert)
    url = reverse("quality:inspect", args=[w.batch.pk])
    form = client.get(url).context["form"]
    assert [f.label for f in form.line_fields()] == [
        "Muhammad Fahri: ditolak dari 12", "Siti Nurhaliza: ditolak dari 9"]
    lines = list(w.batch.lines.all())
    data = {"inspected_on": DAY_2.isoformat(), "sample_size": "5", "accepted": "20", "rejected": "1",
            "reject_reason": "Jahitan lepas", f"criterion_{w.criteria[0].pk}": "pass",
            f"line_{lines[0].pk}": "0", f"line_{lines[1].pk}": "1"}
    response = client.post(url, data)
    assert response.status_code == 302
    assert on_hand(w.mask, location_for(w.enrolments[1].person)) == 8
    detail = client.get(reverse("production:detail", args=[w.batch.pk]))
    assert detail.status_code == 200 and "Siti Nurhaliza" in detail.content.decode()


def test_the_api_inspects_a_class_batch_without_rejects_and_asks_whose_rejects_otherwise(inspected_world):
    import json

    w = inspected_world
    body = {"batch_id": w.batch.pk, "inspected_on": DAY_2.isoformat(), "sample_size": 5, "accepted": 18,
            "rejected": 3, "reject_reason": "Jahitan lepas",
            "results": [{"criterion_id": c.pk, "passed": True} for c in w.criteria]}
    client = client_for(w.health_expert)
    refused = client.post("/api/v1/inspections", json.dumps(body), content_type="application/json")
    assert refused.status_code == 400 and refused.json()["errors"] == {
        "rejected": ["Sebutkan milik siapa unit yang ditolak: isi jumlah ditolak per peserta."]}
    assert Batch.objects.get().status == Status.AWAITING_INSPECTION
    body.update(accepted=21, rejected=0, reject_reason="")
    response = client.post("/api/v1/inspections", json.dumps(body), content_type="application/json")
    assert response.status_code == 201 and response.json()["accepted"] == 21
    assert on_hand(w.mask, location_for(w.enrolments[1].person)) == 9
    listed = client.get(f"/api/v1/production/batches/{w.batch.pk}").json()
    assert listed["producer"] == "Peserta Bimtek Masker Kain 3 Lapis Sasirangan" and listed["status"] == "inspected"
