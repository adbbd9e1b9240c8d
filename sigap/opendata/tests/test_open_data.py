import csv
import io
import json

import pytest
from django.urls import reverse

from conftest import client_for
from sigap.demo.data import load_demo
from sigap.people.models import Person


@pytest.fixture
def demo(db):
    load_demo()


def _csv(response):
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body))), body


def test_the_handover_file_holds_the_seed_handovers_without_signatories(demo):
    rows, body = _csv(client_for(None).get(reverse("opendata:handovers-csv")))
    tala = [(r["receiver_kind"], r["product"], r["quantity"], r["status"]) for r in rows
            if r["giver_regency_code"] == "63.01"]
    assert ("task_force", "Baju hazmat", "50", "handed_over") in tala
    assert ("provincial_industry_office", "Baju hazmat", "50", "handed_over") in tala
    hsu = [(r["receiver"], r["product"], r["quantity"]) for r in rows if r["giver_regency_code"] == "63.08"]
    assert ("Badan Penanggulangan Bencana Daerah Kabupaten Hulu Sungai Utara", "Masker kain 3 lapis", "500") in hsu
    assert all(r["certificate_number"].count("/") >= 3 for r in rows)
    assert "Dahnial" not in body  # the receiving signatory is a person: left out


def test_the_monthly_files_hold_the_seed_figures_by_receiver_kind(demo):
    rows, _body = _csv(client_for(None).get(reverse("opendata:monthly-csv")))
    suits = [r for r in rows if r["regency_code"] == "63.01" and r["product_code"] == "baju-hazmat"]
    assert sum(int(r["produced"]) for r in suits) == 100
    assert sum(int(r["handed_over_task_force"]) for r in suits) == 50
    assert sum(int(r["handed_over_provincial_industry_office"]) for r in suits) == 50
    masks = [r for r in rows if r["regency_code"] == "63.08" and r["handed_over_disaster_agency"] != "0"]
    assert sum(int(r["handed_over_disaster_agency"]) for r in masks) == 500
    assert all(r["regency"] for r in rows)

    response = client_for(None).get(reverse("opendata:monthly-json"))
    assert response["Content-Type"].startswith("application/json")
    data = json.loads(b"".join(response.streaming_content))
    assert [{k: v for k, v in row.items()} for row in data] == [
        {k: (int(v) if k.startswith(("produced", "accepted", "handed_over")) else v) for k, v in row.items()}
        for row in rows]


def test_no_personal_data_reaches_the_open_data(demo):
    client = client_for(None)
    bodies = [b"".join(client.get(reverse(name)).streaming_content).decode("utf-8-sig")
              for name in ("opendata:monthly-csv", "opendata:monthly-json", "opendata:handovers-csv")]
    bodies.append(client.get(reverse("opendata:index")).content.decode())
    for person in Person.objects.all():
        for body in bodies:
            assert person.nik not in body and person.name not in body
            if person.phone:
                assert person.phone not in body and person.phone.replace("+62", "0") not in body


def test_a_voided_handover_stays_listed_as_void_and_leaves_the_monthly_figures(demo):
    from sigap.accounts.models import User
    from sigap.handovers.models import Handover
    from sigap.handovers.services import handover_void

    handover = Handover.objects.get(receiver__code__startswith="BPBD")
    handover_void(handover=handover, by=User.objects.get(username="hsu"), reason="Salah catat")
    rows, _body = _csv(client_for(None).get(reverse("opendata:handovers-csv")))
    assert [r["status"] for r in rows if r["certificate_number"] == handover.number] == ["void"]
    monthly, _body = _csv(client_for(None).get(reverse("opendata:monthly-csv")))
    assert sum(int(r["handed_over_disaster_agency"]) for r in monthly) == 0


def test_the_open_data_page_is_public_and_cacheable(db):
    response = client_for(None).get(reverse("opendata:index"))
    assert response.status_code == 200
    assert "max-age=600" in response["Cache-Control"] and "public" in response["Cache-Control"]
    assert reverse("opendata:handovers-csv") in response.content.decode()
