import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from conftest import client_for
from sigap.demo.data import load_demo
from sigap.handovers.services import handover_create
from sigap.production.services import production_record
from sigap.quality.services import inspection_record
from sigap.stock.services import receipt_record
from sigap.trainings.services import programme_create, training_save


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _activity(w, *, partners: int, month: int):
    """Production, inspection and a handover in Tala and HSU in ``month`` of 2020, with ``partners`` more
    partners and a training and programme in each office."""
    from sigap.partners.models import Partner

    day = datetime.date(2020, month, 10)
    for i in range(partners):
        Partner.objects.create(name=f"IKM {month}-{i}", nib=f"91299{month:02d}{i:06d}", owner_name="Pemilik",
                               address="Jl. Raya", region_id="63.01.03.1005", sector="garment",
                               assisting_office=w.tala_office, joined_on=day)
    for office, officer, partner, product in ((w.tala_office, w.tala_officer, w.tala_partner, w.suit),
                                              (w.hsu_office, w.hsu_officer, w.hsu_partner, w.mask)):
        programme = programme_create(by=officer, name=f"Program {month}", year=2020, office=office,
                                     starts_on=day, ends_on=day + datetime.timedelta(days=30),
                                     targets=[(product, 100)])
        training_save(by=officer, office=office, programme=programme, title=f"Bimtek {month}", mode="offline",
                      starts_on=day, ends_on=day + datetime.timedelta(days=2), product=product, target=50, quota=10,
                      place="Aula")
        batch = production_record(producer=partner, product=product, quantity=20, produced_on=day, by=officer)
        inspection_record(batch=batch, by=w.health_expert, inspected_on=day, sample_size=2, accepted=18,
                          rejected=2, results=[], reject_reason="Jahitan lepas")
        receipt_record(office=office, supplier=w.province_office, date=day, lines=[(product, 30)], by=officer)
        handover_create(office=office, receiver=w.gtpp_tala if office == w.tala_office else w.province_office,
                        giver_name="Kepala", giver_position="Kepala Dinas", receiver_name="Penerima",
                        receiver_position="Sekretaris", purpose="use", handed_over_on=day, place="Kota",
                        lines=[(product, 10, None)], by=officer)


@pytest.fixture
def active(world):
    _activity(world, partners=1, month=5)
    return world


def test_a_district_officer_sees_the_district_figures(active):
    response = client_for(active.tala_officer).get(reverse("dashboards:show"), {"start": "2020-01", "end": "2020-12"})
    assert response.status_code == 200
    board = response.context["board"]
    assert board.area.code == "63.01"
    assert board.totals["produced"] == 20 and board.totals["accepted"] == 18 and board.totals["handed_over"] == 10
    assert [(r.name, q) for r, q in board.handed_over_to] == [(active.gtpp_tala.name, 10)]
    assert board.acceptance_rate == 0.9
    assert board.active_partners == 2  # the world's Tala partner and the one added
    assert [t.title for t in board.trainings] == ["Bimtek 5"]
    assert "<svg" in response.content.decode() and "Baju hazmat" in _text(response)


def test_the_province_dashboard_has_a_row_per_regency_and_drills_into_each(active):
    client = client_for(active.province_officer)
    response = client.get(reverse("dashboards:show"), {"start": "2020-01", "end": "2020-12"})
    board = response.context["board"]
    assert board.totals["produced"] == 40
    parts = {part.code: part for part in board.parts}
    assert len([code for code in parts if len(code) == 5]) == 13  # South Kalimantan's regencies and cities
    assert parts["63.01"].produced == 20 and parts["63.08"].handed_over == 10 and parts["63.02"].produced == 0
    drilled = client.get(reverse("dashboards:show"), {"region": "63.08", "start": "2020-01", "end": "2020-12"})
    assert drilled.context["board"].totals["produced"] == 20
    assert drilled.context["board"].area.code == "63.08"


@pytest.mark.parametrize("who, region", [("tala_officer", "63.08"), ("tala_officer", "63"),
                                         ("outsider", "63.01"), ("province_officer", "64"),
                                         ("province_officer", "64.01")])
def test_another_area_answers_404(world, who, region):
    response = client_for(getattr(world, who)).get(reverse("dashboards:show"), {"region": region})
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["partner_user", "agency_user"])
def test_roles_without_a_region_are_refused(world, who):
    for name in ("dashboards:show", "dashboards:briefing", "dashboards:briefing-pdf"):
        assert client_for(getattr(world, who)).get(reverse(name)).status_code == 403


def test_a_product_filter_narrows_every_figure(active):
    response = client_for(active.province_officer).get(
        reverse("dashboards:show"), {"start": "2020-01", "end": "2020-12", "product": active.mask.pk})
    board = response.context["board"]
    assert board.totals["produced"] == 20 and board.totals["handed_over"] == 10
    assert [t.product for t in board.trainings] == [active.mask]


@pytest.mark.parametrize("params", [
    {"start": "zz", "end": "2020-13"}, {"product": "abc"}, {"product": "999999"}, {"region": "x; drop"},
    {"start": "2020-12", "end": "2020-01"}, {"start": "1900-01"},
])
def test_nonsense_filters_are_left_out_with_a_message(active, params):
    response = client_for(active.tala_officer).get(reverse("dashboards:show"), params)
    assert response.status_code == 200
    assert "Sebagian filter tidak dikenali dan diabaikan." in _text(response)
    assert response.context["board"].area.code == "63.01"


def test_a_period_longer_than_five_years_is_shortened(active):
    response = client_for(active.tala_officer).get(reverse("dashboards:show"), {"start": "2001-01", "end": "2020-12"})
    assert len(response.context["board"].period.months) == 60


def test_without_a_period_the_dashboard_shows_the_year_up_to_the_last_recorded_month(active):
    board = client_for(active.tala_officer).get(reverse("dashboards:show")).context["board"]
    assert board.period.last == datetime.date(2020, 5, 1) and board.period.first == datetime.date(2019, 6, 1)


def _queries(client, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dashboards:show"), params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("who, params", [("tala_officer", {}), ("province_officer", {}),
                                         ("province_officer", {"region": "63.08"}), ("admin", {})])
def test_the_number_of_queries_does_not_grow_with_the_data(active, who, params):
    params = {"start": "2020-01", "end": "2020-12", **params}
    client = client_for(getattr(active, who))
    before = _queries(client, params)
    for month in (6, 7, 8):
        _activity(active, partners=4, month=month)
    assert _queries(client, params) == before


@pytest.fixture
def demo(db):
    load_demo()
    from sigap.accounts.models import User

    return {username: User.objects.get(username=username) for username in ("tala", "hsu", "prov")}


def _english(client):
    client.cookies.load({"django_language": "en"})
    return client


def test_the_tala_briefing_says_100_suits_produced_50_to_gtpp_and_50_to_the_province(demo):
    response = _english(client_for(demo["tala"])).get(reverse("dashboards:briefing"))
    assert response.status_code == 200
    slides = response.context["slides"]
    suits = next(s for s in slides if "Baju hazmat" in s.message)
    assert suits.message.startswith("100 ")
    handed = [(number, label) for number, label in suits.figures if label.startswith("to ")]
    assert sorted(handed) == sorted([
        ("50", "to Gugus Tugas Percepatan Penanganan Covid-19 Kabupaten Tanah Laut · for use"),
        ("50", "to Dinas Perindustrian Provinsi Kalimantan Selatan · for evaluation"),
    ])
    assert "sigap/briefing.js" in response.content.decode()  # arrow keys move the slides


def test_the_province_briefing_has_a_section_per_active_district(demo):
    slides = _english(client_for(demo["prov"])).get(reverse("dashboards:briefing")).context["slides"]
    sections = [s.message for s in slides if s.section]
    assert sections == ["Kabupaten Tanah Laut", "Kabupaten Hulu Sungai Utara"]
    masks = next(s for s in slides if "Masker" in s.message and s.kicker == "Kabupaten Hulu Sungai Utara")
    assert ("500", "to Badan Penanggulangan Bencana Daerah Kabupaten Hulu Sungai Utara · "
                   "for free distribution to the public") in masks.figures


def test_the_briefing_pdf_has_one_16_by_9_page_per_slide(demo):
    client = _english(client_for(demo["tala"]))
    slides = client.get(reverse("dashboards:briefing")).context["slides"]
    response = client.get(reverse("dashboards:briefing-pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(__import__("io").BytesIO(response.content))
    assert len(reader.pages) == len(slides)
    box = reader.pages[0].mediabox
    assert abs(float(box.width) / float(box.height) - 16 / 9) < 0.01
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "100 Baju hazmat" in text and "Gugus Tugas" in text


def test_the_briefing_is_in_indonesian_by_default(demo):
    client = client_for(demo["tala"])
    client.cookies.load({"django_language": "id"})
    text = _text(client.get(reverse("dashboards:briefing")))
    assert "100 Baju hazmat diproduksi" in text


def test_refresh_figures_rebuilds_the_same_rows_from_the_documents(active, capsys):
    from django.core.management import call_command

    from sigap.dashboards.models import DailyFigure, MonthlyFigure

    def rows(model, date_field):
        return sorted((str(r[date_field]), r["region_code"], r["item_id"], r["measure"], r["dimension"],
                       float(r["quantity"]), float(r["amount"]))
                      for r in model.objects.values(date_field, "region_code", "item_id", "measure", "dimension",
                                                    "quantity", "amount"))

    before = rows(DailyFigure, "day"), rows(MonthlyFigure, "month")
    MonthlyFigure.objects.all().delete()
    call_command("refresh_figures")
    assert (rows(DailyFigure, "day"), rows(MonthlyFigure, "month")) == before
    assert "daily" in capsys.readouterr().out
