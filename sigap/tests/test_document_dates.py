"""Every document is dated from SIGAP's earliest date (1 January 2000, or what the operator sets) to today, and
what is planned up to the end of the year after next: the services refuse the rest, so the pages, the API and
the Excel imports refuse alike, with nothing half-saved and no certificate number used. List filters take dates
within their own bounds and never answer a server error."""

import datetime
import json
import subprocess
import sys
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for, xlsx_upload
from sigap.dashboards.models import DailyFigure, MonthlyFigure
from sigap.handovers.models import Handover, ProductionOrder, Sequence, SupplyRequest
from sigap.handovers.services import allocation_confirm, handover_create, request_create
from sigap.lib.errors import DomainError
from sigap.market.models import Sale
from sigap.market.services import sale_record
from sigap.production.models import Batch
from sigap.production.services import production_record
from sigap.quality.models import Inspection
from sigap.quality.services import inspection_record
from sigap.stock.models import Adjustment, Movement, Posting, StockDocument
from sigap.stock.services import (
    adjustment_record, issue_record, location_for, location_for_office, receipt_record, transfer_record,
)
from sigap.tests.test_site import CLEAN_ENV, ROOT
from sigap.trainings.models import Attendance, Enrolment, HomeVisit, Programme, Training
from sigap.trainings.services import attendance_record, home_visit_record, programme_create, training_save
from sigap.trainings.tests.conftest import make_person

YEAR_ONE = datetime.date(1, 1, 1)
EVE = datetime.date(1999, 12, 31)  # the day before the earliest date
TOO_EARLY = "The date must be between 1 January 2000 and today."
FUTURE = "The date cannot be in the future."


def _planned_range() -> str:
    return f"The date must be between 1 January 2000 and 31 December {timezone.localdate().year + 2}."


@pytest.fixture
def stocked(world):
    """Tala's store holds 100 hazmat suits (received 1 June 2020); 20 went to Konveksi Tuntung Pandang."""
    w = world
    receipt_record(office=w.tala_office, supplier=w.province_office, date=datetime.date(2020, 6, 1),
                   lines=[(w.suit, 100)], by=w.tala_officer)
    issue_record(office=w.tala_office, recipient=w.tala_partner, date=datetime.date(2020, 6, 2),
                 lines=[(w.suit, 20)], by=w.tala_officer)
    w.store = location_for_office(w.tala_office)
    w.workshop = location_for(w.tala_partner)
    w.teacher = make_person("Hj. Masniah", kind="instructor")
    return w


def footprint():
    """Everything a refused document must leave as it was, certificate numbers and summary figures included."""
    models = [Batch, Inspection, StockDocument, Adjustment, Handover, SupplyRequest, ProductionOrder, Sale, Training,
              Programme, Attendance, HomeVisit, Posting, Movement, DailyFigure, MonthlyFigure]
    return ([model.objects.count() for model in models],
            sorted(Sequence.objects.values_list("office_id", "year", "last")))


def _legacy_batch(w, day):
    """A batch dated before the earliest date, as a database from before this rule may hold."""
    return Batch.objects.create(code=f"LAMA-{day:%Y%m%d}", product=w.suit, quantity=5, produced_on=day,
                                producer_partner=w.tala_partner, region_id=w.tala_partner.region_id,
                                location=w.workshop, reported_by=w.tala_officer)


def _legacy_enrolment(w, day):
    """A participant of a training that ran around ``day``, saved before dates had a floor."""
    training = Training.objects.create(office=w.tala_office, title="Bimtek Lama", mode="offline", starts_on=day,
                                       ends_on=day + datetime.timedelta(days=5), product=w.suit, quota=5)
    return Enrolment.objects.create(training=training, person=make_person("Siti Aminah", region="63.01.03.1005"))


# Each document's service recording one dated ``day`` (after ``prepare``, if any, set up what it needs: records
# saved before dates had a floor), and the field its date is refused on.
def _nothing(w, day):
    return None


DOCUMENTS = {
    "production report": (_nothing, lambda w, day, _: production_record(
        producer=w.tala_partner, product=w.suit, quantity=10, produced_on=day, by=w.tala_officer), "produced_on"),
    "inspection": (_legacy_batch, lambda w, day, batch: inspection_record(
        batch=batch, by=w.health_expert, inspected_on=day, sample_size=1, accepted=5, rejected=0, results=[]),
        "inspected_on"),
    "receipt": (_nothing, lambda w, day, _: receipt_record(
        office=w.tala_office, supplier=None, date=day, lines=[(w.suit, 10)], by=w.tala_officer), "date"),
    "issue": (_nothing, lambda w, day, _: issue_record(
        office=w.tala_office, recipient=w.tala_partner, date=day, lines=[(w.suit, 5)], by=w.tala_officer), "date"),
    "transfer": (_nothing, lambda w, day, _: transfer_record(
        office=w.tala_office, source=w.store, destination=w.workshop, date=day, lines=[(w.suit, 5)],
        by=w.tala_officer), "date"),
    "stock count": (_nothing, lambda w, day, _: adjustment_record(
        location=w.store, item=w.suit, counted=Decimal(75), counted_on=day, reason="Hitung ulang",
        by=w.tala_officer), "counted_on"),
    "handover": (_nothing, lambda w, day, _: handover_create(
        office=w.tala_office, receiver=w.gtpp_tala, giver_name="Masturi", giver_position="Kepala Dinas",
        receiver_name="H. Dahnial Kifli", receiver_position="Sekretaris Daerah", purpose="use", handed_over_on=day,
        place="Pelaihari", lines=[(w.suit, 10, None)], by=w.tala_officer), "handed_over_on"),
    "sale": (_nothing, lambda w, day, _: sale_record(
        partner=w.tala_partner, product=w.suit, sold_on=day, quantity=2, unit_price=Decimal(150000),
        channel="offline", buyer_type="individual", by=w.tala_officer), "sold_on"),
    "attendance day": (_legacy_enrolment, lambda w, day, enrolment: attendance_record(
        training=enrolment.training, day=day, marks={enrolment: "online"}, by=w.tala_officer), "day"),
    "home visit": (_legacy_enrolment, lambda w, day, enrolment: home_visit_record(
        enrolment=enrolment, instructor=w.teacher, visited_on=day, problem="Jahitan lepas", action="Diajari ulang",
        by=w.tala_officer), "visited_on"),
}
PLANNED = {
    "training": (_nothing, lambda w, day, _: training_save(
        by=w.tala_officer, instructors=[], office=w.tala_office, title="Bimtek Baju Hazmat", mode="offline",
        starts_on=day, ends_on=day, product=w.suit, target=10, quota=5), "starts_on"),
    "programme": (_nothing, lambda w, day, _: programme_create(
        by=w.tala_officer, name="Program APD", year=2020, office=w.tala_office, starts_on=day, ends_on=day),
        "starts_on"),
    "request": (_nothing, lambda w, day, _: request_create(
        agency=w.gtpp_tala, office=w.tala_office, needed_by=day, lines=[(w.suit, 10)], by=w.tala_officer),
        "needed_by"),
}


def _refused(w, document, day) -> DomainError:
    prepare, record, _field = document
    prepared = prepare(w, day)
    before = footprint()
    with pytest.raises(DomainError) as refused:
        record(w, day, prepared)
    assert footprint() == before
    return refused.value


@pytest.mark.security
@pytest.mark.parametrize("day", [YEAR_ONE, EVE], ids=["year 1", "31 December 1999"])
@pytest.mark.parametrize("document", list(DOCUMENTS))
def test_a_document_dated_before_2000_is_refused_and_nothing_is_saved(stocked, document, day):
    error = _refused(stocked, DOCUMENTS[document], day)
    assert (error.message, error.field) == (TOO_EARLY, DOCUMENTS[document][2])


@pytest.mark.security
@pytest.mark.parametrize("day", [YEAR_ONE, EVE], ids=["year 1", "31 December 1999"])
@pytest.mark.parametrize("document", list(PLANNED))
def test_something_planned_before_2000_is_refused_and_nothing_is_saved(stocked, document, day):
    error = _refused(stocked, PLANNED[document], day)
    assert (error.message, error.field) == (_planned_range(), PLANNED[document][2])


@pytest.mark.security
@pytest.mark.parametrize("document", [d for d in DOCUMENTS if d not in {"attendance day", "home visit"}])  # own message
def test_a_document_dated_in_the_future_is_refused(stocked, document):
    error = _refused(stocked, DOCUMENTS[document], timezone.localdate() + datetime.timedelta(days=1))
    assert error.message == FUTURE


@pytest.mark.security
@pytest.mark.parametrize("document", list(PLANNED))
def test_something_planned_beyond_the_end_of_the_year_after_next_is_refused(stocked, document):
    latest = datetime.date(timezone.localdate().year + 2, 12, 31)
    for day in (latest + datetime.timedelta(days=1), datetime.date(9999, 12, 31)):
        error = _refused(stocked, PLANNED[document], day)
        assert (error.message, error.field) == (_planned_range(), PLANNED[document][2])
    PLANNED[document][1](stocked, latest, None)  # the last day of the horizon is fine


@pytest.mark.security
def test_production_orders_are_due_within_the_planning_horizon(stocked):
    w = stocked
    supply_request = request_create(agency=w.gtpp_tala, office=w.tala_office, needed_by=timezone.localdate(),
                                    lines=[(w.suit, 500)], by=w.tala_officer)
    before = footprint()
    with pytest.raises(DomainError) as refused:
        allocation_confirm(request=supply_request, product=w.suit, quantities={w.tala_partner: 10},
                           due_on=datetime.date(9999, 12, 31), by=w.tala_officer)
    assert (refused.value.message, refused.value.field) == (_planned_range(), "due_on")
    assert footprint() == before


# Through the pages and the API, in Indonesian: a production report and a handover dated year 1

def _handover_form(w, **changes):
    return {"office": w.tala_office.pk, "giver_name": "Masturi", "giver_position": "Kepala Dinas", "giver_nip": "",
            "receiver": w.gtpp_tala.pk, "receiver_name": "H. Dahnial Kifli", "receiver_position": "Sekretaris Daerah",
            "receiver_nip": "", "purpose": "use", "handed_over_on": "0001-01-01", "place": "Pelaihari", "request": "",
            "lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "30", "lines-0-product": w.suit.pk, "lines-0-quantity": "10", "lines-0-batch": "",
            **changes}


def _handover_body(w, **changes):
    return {"office_id": w.tala_office.pk, "receiver_id": w.gtpp_tala.pk, "giver_name": "Masturi",
            "giver_position": "Kepala Dinas", "receiver_name": "H. Dahnial Kifli",
            "receiver_position": "Sekretaris Daerah", "purpose": "use", "handed_over_on": "0001-01-01",
            "place": "Pelaihari", "lines": [{"product": w.suit.code, "quantity": 10}], **changes}


def _post_json(user, url, body):
    return client_for(user).post(url, data=json.dumps(body), content_type="application/json")


@pytest.mark.security
def test_a_handover_dated_year_1_is_refused_on_the_page_and_the_api_and_uses_no_number(stocked):
    w = stocked
    before = footprint()
    page = client_for(w.tala_officer).post(reverse("handovers:create"), _handover_form(w))
    assert page.status_code == 200
    assert page.context["form"].errors["handed_over_on"] == ["Tanggal harus antara 1 Januari 2000 dan hari ini."]
    api = _post_json(w.tala_officer, "/api/v1/handovers", _handover_body(w))
    assert api.status_code == 400
    assert api.json()["errors"] == {"handed_over_on": ["Tanggal harus antara 1 Januari 2000 dan hari ini."]}
    assert footprint() == before and not Sequence.objects.filter(year=1).exists()
    # The next handover gets the first number of its year.
    response = client_for(w.tala_officer).post(reverse("handovers:create"),
                                               _handover_form(w, handed_over_on="2020-06-15"))
    assert response.status_code == 302
    assert Handover.objects.get().number == "001/BAST/DISNAKERIND-TALA/VI/2020"


@pytest.mark.security
def test_a_production_report_dated_year_1_is_refused_on_the_page_the_api_and_the_import(stocked):
    w = stocked
    before = footprint()
    page = client_for(w.tala_officer).post(reverse("production:create"), {
        "partner": w.tala_partner.pk, "person": "", "product": w.suit.pk, "quantity": "40",
        "produced_on": "0001-01-01", "code": "", "note": ""})
    assert page.status_code == 200
    assert page.context["form"].errors["produced_on"] == ["Tanggal harus antara 1 Januari 2000 dan hari ini."]
    api = _post_json(w.tala_officer, "/api/v1/production/batches", {
        "partner_id": w.tala_partner.pk, "product": w.suit.code, "quantity": 40, "produced_on": "0001-01-01"})
    assert api.status_code == 400 and api.json()["errors"] == {
        "produced_on": ["Tanggal harus antara 1 Januari 2000 dan hari ini."]}
    header = ["Batch code", "Partner NIB", "Participant NIK", "Product code", "Quantity", "Date produced", "Note"]
    upload = xlsx_upload([header, ["", w.tala_partner.nib, "", w.suit.code, 40, "2020-06-01", ""],
                          ["", w.tala_partner.nib, "", w.suit.code, 40, "0001-01-01", ""]], "produksi.xlsx")
    response = client_for(w.tala_officer).post(reverse("production:import"), {"file": upload})
    assert response.status_code == 200
    problems = [(p.row, p.message) for p in response.context["refused"].problems]
    assert problems == [(3, "Tanggal harus antara 1 Januari 2000 dan hari ini.")]
    assert footprint() == before


@pytest.mark.security
def test_an_earliest_date_set_by_the_operator_is_honoured(stocked, settings):
    w = stocked
    settings.SIGAP_EARLIEST_DATE = datetime.date(2020, 6, 10)
    before = footprint()
    page = client_for(w.tala_officer).post(reverse("handovers:create"),
                                           _handover_form(w, handed_over_on="2020-06-09"))
    assert page.context["form"].errors["handed_over_on"] == ["Tanggal harus antara 10 Juni 2020 dan hari ini."]
    assert footprint() == before
    response = client_for(w.tala_officer).post(reverse("handovers:create"),
                                               _handover_form(w, handed_over_on="2020-06-10"))
    assert response.status_code == 302
    assert Handover.objects.get().number == "001/BAST/DISNAKERIND-TALA/VI/2020"


@pytest.mark.security
def test_a_bad_earliest_date_stops_sigap_at_start(tmp_path):
    for raw in ("2000-13-01", "1-1-2000", "0001-01-01"):
        env = {**CLEAN_ENV, "SIGAP_EARLIEST_DATE": raw, "SIGAP_VAR_DIR": str(tmp_path)}
        result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True,
                                text=True, timeout=120)
        assert result.returncode != 0 and "SIGAP_EARLIEST_DATE" in result.stderr, raw
    env = {**CLEAN_ENV, "SIGAP_EARLIEST_DATE": "2015-01-01", "SIGAP_VAR_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr


# List filters: bounded dates, never a server error

DATE_FILTERS = [
    ("/api/v1/production/batches", "date_from"), ("/api/v1/production/batches", "date_to"),
    ("/api/v1/inspections", "date_from"), ("/api/v1/stock/movements", "date_from"),
    ("/api/v1/stock/documents", "date_to"), ("/api/v1/handovers", "date_from"),
    ("/api/v1/handovers/requests", "date_from"), ("/api/v1/handovers/orders", "date_to"),
    ("/api/v1/market/sales", "sold_from"), ("/api/v1/market/sales/revenue", "sold_to"),
    ("/api/v1/partners", "joined_from"), ("/api/v1/trainings", "date_from"),
    ("/api/v1/trainings/programmes", "date_to"),
]


@pytest.mark.security
@pytest.mark.parametrize("url, parameter", DATE_FILTERS)
def test_a_list_filter_refuses_year_1_and_takes_a_real_date(world, url, parameter):
    client = client_for(world.province_officer)
    for day in ("0001-01-01", "1999-12-31", "9999-12-31"):
        response = client.get(f"{url}?{parameter}={day}")
        assert response.status_code == 422, (day, response.content)
        assert response.json()["errors"] == {
            parameter: ["Tulis tanggal antara 1 Januari 2000 dan 31 Desember 2100."]}
    assert client.get(f"{url}?{parameter}=2020-06-15").status_code == 200


@pytest.mark.security
def test_open_data_writes_a_month_with_four_digits_even_for_a_figure_from_before_the_rule(world):
    MonthlyFigure.objects.create(month=YEAR_ONE, region_code="63.01", province="63", item=world.suit,
                                 measure="produced", quantity=5)
    response = client_for(None).get(reverse("opendata:monthly-json"))
    rows = json.loads(b"".join(response.streaming_content))
    assert [row["month"] for row in rows] == ["0001-01"]
