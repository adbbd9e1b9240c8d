import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from conftest import client_for, xlsx_upload
from sigap.dashboards.models import DailyFigure
from sigap.lib.spreadsheet import ImportRefused, read_rows
from sigap.people.models import Person
from sigap.production.forms import PRODUCTION_IMPORT_COLUMNS
from sigap.production.models import Batch
from sigap.production.services import production_import, production_record

HEADER = ["Batch code", "Partner NIB", "Participant NIK", "Product code", "Quantity", "Date produced", "Note"]
DAY = datetime.date(2020, 6, 1)
SUITS = ["", "9120001230001", "", "baju-hazmat", 40, DAY, "Minggu pertama"]


@pytest.fixture
def participant(world):
    return Person.objects.create(name="Siti", nik="6301034502010001", sex="P", birth_date=datetime.date(2001, 2, 5),
                                 address="Jl. Demo", region_id="63.01.03.1004")


def xlsx(*rows, header=HEADER):
    return xlsx_upload([header, *rows], "produksi.xlsx")


def problems(by, *rows) -> list[tuple]:
    with pytest.raises(ImportRefused) as refused:
        production_import(rows=read_rows(xlsx(*rows), PRODUCTION_IMPORT_COLUMNS), by=by)
    return [(p.row, p.column, p.message) for p in refused.value.problems]


def test_a_filled_template_records_batches_numbered_like_one_recorded_on_the_form(world, participant):
    client = client_for(world.tala_officer)
    response = client.get(reverse("production:import-template"))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert [cell.value for cell in workbook.worksheets[0][1]][:1] == ["Kode batch"]
    assert ("baju-hazmat", "Baju hazmat") in list(workbook.worksheets[2].iter_rows(values_only=True))
    workbook.worksheets[0].append(SUITS)
    workbook.worksheets[0].append(["hz-7", None, "6301 0345 0201 0001", "masker-kain-3-lapis", "150", "2020-06-02",
                                   None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = client.post(reverse("production:import"),
                           {"file": SimpleUploadedFile("produksi.xlsx", buffer.getvalue())})
    assert response.status_code == 302 and response.url == reverse("production:list")
    suits = Batch.objects.get(producer_partner=world.tala_partner)
    assert suits.code == f"20200601-{suits.pk:05d}" and suits.status == "awaiting"
    assert (suits.quantity, suits.note, suits.region_id, suits.reported_by) == (
        40, "Minggu pertama", "63.01.03.1005", world.tala_officer)
    assert suits.location.partner == world.tala_partner
    masks = Batch.objects.get(producer_person=participant)
    assert (masks.code, masks.quantity, masks.location.person) == ("HZ-7", 150, participant)
    # The summary figures count them as production_record would.
    produced = DailyFigure.objects.filter(measure="produced", region_code="63.01")
    assert produced.aggregate(total=Sum("quantity"))["total"] == 190


def test_one_bad_row_imports_nothing_and_the_page_names_its_row_and_column(world):
    response = client_for(world.tala_officer).post(reverse("production:import"), {
        "file": xlsx(SUITS, SUITS, [*SUITS[:4], 0, *SUITS[5:]])})
    assert response.status_code == 200 and not Batch.objects.exists()
    problem = response.context["refused"].problems[0]
    assert (problem.row, problem.column, problem.message) == (4, "Jumlah", "Jumlah harus antara 1 dan 1.000.000.")


@pytest.mark.parametrize("column, value, message", [
    (4, 1_000_001, "The quantity must be between 1 and 1.000.000."),
    (4, 2.5, "Enter a whole number."),
    (5, timezone.localdate() + datetime.timedelta(days=1), "The date cannot be in the future."),
    (5, "besok", "Enter a valid date."),
    (3, "kain-sasirangan", "Choose a product, not a raw material."),
    (3, "payung", "No active product has this code. (“payung”)"),
    (1, "9120001230005", "No active IKM partner with this NIB in your region."),  # an HSU partner
    (2, "6301034502010001", "Choose either a partner or a participant."),
    (0, "x" * 41, "Ensure this value has at most 40 characters (it has 41)."),
])
def test_each_row_passes_the_rules_of_production_record(world, column, value, message):
    row = list(SUITS)
    row[column] = value
    [(number, _column, text)] = problems(world.tala_officer, row)
    assert (number, text) == (2, message)
    assert not Batch.objects.exists()


def test_a_participant_must_be_in_the_officers_region(world, participant):
    row = ["", "", participant.nik, "baju-hazmat", 5, DAY, ""]
    assert problems(world.hsu_officer, row) == [
        (2, "Participant NIK", "No participant with this NIK in your region.")]


def test_batch_codes_must_be_new_in_the_file_and_in_sigap(world):
    production_record(producer=world.tala_partner, product=world.suit, quantity=1, produced_on=DAY, code="HZ-1",
                      by=world.tala_officer)
    assert problems(world.tala_officer, ["hz-2", *SUITS[1:]], [" HZ-2 ", *SUITS[1:]], ["hz-1", *SUITS[1:]]) == [
        (3, "Batch code", "This batch code is also on row 2."),
        (4, "Batch code", "Another batch already has this code."),
    ]
    assert Batch.objects.count() == 1


def test_only_officers_import_production_reports(world):
    for user in (world.partner_user, world.instructor, world.health_expert, world.agency_user):
        client = client_for(user)
        assert client.post(reverse("production:import"), {"file": xlsx(SUITS)}).status_code == 403
        assert client.get(reverse("production:import-template")).status_code == 403
    assert not Batch.objects.exists()
    assert reverse("production:import") not in client_for(world.partner_user).get(
        reverse("production:list")).content.decode()


def test_imported_batches_and_batches_recorded_one_by_one_never_share_a_key_or_a_code(world):
    before = production_record(producer=world.tala_partner, product=world.suit, quantity=1, produced_on=DAY,
                               by=world.tala_officer)
    rows = read_rows(xlsx(SUITS, SUITS), PRODUCTION_IMPORT_COLUMNS)
    assert production_import(rows=rows, by=world.tala_officer) == 2
    after = production_record(producer=world.tala_partner, product=world.suit, quantity=1, produced_on=DAY,
                              by=world.tala_officer)
    codes = list(Batch.objects.order_by("pk").values_list("code", flat=True))
    assert len(set(codes)) == 4 and codes[0] == before.code and codes[-1] == after.code
    assert all(code == f"20200601-{pk:05d}" for pk, code in Batch.objects.values_list("pk", "code"))
