import csv
import datetime
import io

from django.urls import reverse
from openpyxl import load_workbook

from conftest import client_for
from sigap.partners.models import Partner
from sigap.people.models import Person


def _csv(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_partner_export_follows_the_scope_and_the_filters(world):
    rows = _csv(client_for(world.tala_officer).get(reverse("partners:export")))
    assert [row[0] for row in rows[1:]] == ["Konveksi Tuntung Pandang"]
    rows = _csv(client_for(world.province_officer).get(reverse("partners:export"), {"q": "amuntai"}))
    assert [row[0] for row in rows[1:]] == ["Sasirangan Amuntai Indah"]


def test_an_exported_name_that_looks_like_a_formula_stays_text(world):
    Partner.objects.filter(pk=world.tala_partner.pk).update(name='=HYPERLINK("http://evil","klik")')
    rows = _csv(client_for(world.tala_officer).get(reverse("partners:export")))
    assert rows[1][0] == "'=HYPERLINK(\"http://evil\",\"klik\")"


def test_the_excel_export_opens_with_the_same_rows(world):
    response = client_for(world.province_officer).get(reverse("partners:export"), {"format": "xlsx"})
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 3 and {values[1][0], values[2][0]} == {"Konveksi Tuntung Pandang", "Sasirangan Amuntai Indah"}


def test_phone_numbers_are_left_out_for_a_partner_user(world):
    officer = _csv(client_for(world.tala_officer).get(reverse("partners:export")))
    partner = _csv(client_for(world.partner_user).get(reverse("partners:export")))
    assert "0812-5123-0001" in officer[1] and len(partner[0]) == len(officer[0]) - 1
    assert not any("0812" in cell for cell in partner[1])


def test_nik_is_exported_only_to_officers(world):
    Person.objects.create(name="Siti", nik="6308054307000002", sex="P", birth_date=datetime.date(2000, 7, 3),
                          address="Jl. A", region_id="63.08.05.1001", phone="+6281350001234")
    officer = _csv(client_for(world.hsu_officer).get(reverse("people:export")))
    instructor = _csv(client_for(world.instructor).get(reverse("people:export")))
    assert "6308054307000002" in officer[1]
    assert not any("6308054307000002" in cell for cell in instructor[1])
    assert "0813-5000-1234" in instructor[1]  # instructors may call participants
    tala = _csv(client_for(world.tala_officer).get(reverse("people:export")))
    assert tala[1:] == []


def test_an_unknown_format_falls_back_to_csv(world):
    response = client_for(world.tala_officer).get(reverse("partners:export"), {"format": "exe"})
    assert response["Content-Type"].startswith("text/csv")
