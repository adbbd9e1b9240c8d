"""Excel round trips: what the partner, people and production lists export is the import template's columns (then
read-only ones the import reads past), so an edited export imports back, all or nothing, within the officer's
region. The templates name their sheets, list the valid codes on a sheet of codes and offer them as drop-down
lists; dates are date cells and numbers numbers. A production file imported twice is refused with the rows
already recorded until the operator confirms, and an unknown code is refused with the value and the closest
valid codes."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from conftest import client_for, xlsx_upload
from sigap.lib.spreadsheet import DuplicateRows, ImportRefused, read_rows
from sigap.partners.models import Partner
from sigap.people.models import Person
from sigap.production.forms import PRODUCTION_IMPORT_COLUMNS
from sigap.production.models import Batch
from sigap.production.services import production_import, production_record

DAY = datetime.date(2020, 6, 1)
READ_ONLY = "(hanya dibaca)"


def _workbook(response):
    assert response.status_code == 200, response.status_code
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def _export(user, name):
    return _workbook(client_for(user).get(reverse(f"{name}:export"), {"format": "xlsx"}))


def _template_header(user, name):
    return [cell.value for cell in _workbook(client_for(user).get(reverse(f"{name}:import-template"))).worksheets[0][1]]


def _upload(workbook, name="ekspor.xlsx"):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def _import(user, name, workbook, **data):
    return client_for(user).post(reverse(f"{name}:import"), {"file": _upload(workbook), **data})


def _column(sheet, header: str) -> int:
    return [cell.value for cell in sheet[1]].index(header) + 1


def _assert_template_columns_first(sheet, template_header):
    header = [cell.value for cell in sheet[1]]
    assert header[:len(template_header)] == template_header
    assert header[len(template_header):] and all(name.endswith(READ_ONLY) for name in header[len(template_header):])


@pytest.fixture
def batches(world):
    w = world
    w.tala_batch = production_record(producer=w.tala_partner, product=w.suit, quantity=10, produced_on=DAY,
                                     code="TALA-1", note="Minggu pertama", by=w.tala_officer)
    w.hsu_batch = production_record(producer=w.hsu_partner, product=w.mask, quantity=300, produced_on=DAY,
                                    code="HSU-1", by=w.hsu_officer)
    return w


# Round trips ----------------------------------------------------------------------------------------------------

def test_an_edited_partner_export_imports_back_all_or_nothing(world):
    workbook = _export(world.tala_officer, "partners")
    sheet = workbook.active
    assert sheet.title == "Mitra IKM"
    _assert_template_columns_first(sheet, _template_header(world.tala_officer, "partners"))
    assert sheet.max_row == 2 and sheet.cell(2, 1).value == "Konveksi Tuntung Pandang"
    name, nib, joined = (_column(sheet, header) for header in ("Nama usaha", "NIB", "Tanggal bergabung"))
    # The exported partner becomes a new one, and a copy of it a second one; one bad date refuses both.
    sheet.cell(2, name).value, sheet.cell(2, nib).value = "Konveksi Tuntung Baru", "9120001230020"
    sheet.append([cell.value for cell in sheet[2]])
    sheet.cell(3, name).value, sheet.cell(3, nib).value = "Konveksi Pelaihari", "9120001230021"
    sheet.cell(3, joined).value = "kemarin"
    response = _import(world.tala_officer, "partners", workbook)
    assert response.status_code == 200
    assert [(p.row, p.message) for p in response.context["refused"].problems] == [(3, "Masukkan tanggal yang valid.")]
    assert not Partner.objects.filter(nib__in=["9120001230020", "9120001230021"]).exists()

    sheet.cell(3, joined).value = datetime.date(2021, 1, 4)
    response = _import(world.tala_officer, "partners", workbook)
    assert response.status_code == 302
    new = {partner.nib: partner for partner in Partner.objects.filter(nib__in=["9120001230020", "9120001230021"])}
    assert {nib: (p.name, p.region_id, p.assisting_office, p.sector, p.phone) for nib, p in new.items()} == {
        "9120001230020": ("Konveksi Tuntung Baru", "63.01.03.1005", world.tala_office, "garment", "+6281251230001"),
        "9120001230021": ("Konveksi Pelaihari", "63.01.03.1005", world.tala_office, "garment", "+6281251230001"),
    }
    assert new["9120001230020"].joined_on == datetime.date(2019, 3, 12)
    assert new["9120001230021"].joined_on == datetime.date(2021, 1, 4)


def test_an_unchanged_partner_export_is_refused_as_already_registered(world):
    response = _import(world.tala_officer, "partners", _export(world.tala_officer, "partners"))
    assert response.status_code == 200
    assert [problem.column for problem in response.context["refused"].problems] == ["NIB"]
    assert Partner.objects.count() == 3


def test_an_edited_people_export_imports_back_all_or_nothing(world):
    Person.objects.create(name="Siti Aminah", nik="6301034502010001", sex="P", birth_date=datetime.date(2001, 2, 5),
                          address="Jl. Demo", region_id="63.01.03.1004", phone="+6281350001234")
    workbook = _export(world.tala_officer, "people")
    sheet = workbook.active
    assert sheet.title == "Peserta"
    _assert_template_columns_first(sheet, _template_header(world.tala_officer, "people"))
    birth = _column(sheet, "Tanggal lahir")
    assert sheet.cell(2, birth).value == datetime.datetime(2001, 2, 5)
    assert sheet.cell(2, birth).number_format == "yyyy-mm-dd"
    nik, name = _column(sheet, "NIK"), _column(sheet, "Nama")
    sheet.cell(2, nik).value, sheet.cell(2, name).value = "6301034502010002", "Siti Rahmah"
    sheet.append([cell.value for cell in sheet[2]])
    sheet.cell(3, nik).value = "6301034502010001"  # already registered: refuses the whole file
    response = _import(world.tala_officer, "people", workbook)
    assert response.status_code == 200 and response.context["refused"].problems[0].row == 3
    assert not Person.objects.filter(nik="6301034502010002").exists()

    sheet.delete_rows(3)
    assert _import(world.tala_officer, "people", workbook).status_code == 302
    person = Person.objects.get(nik="6301034502010002")
    assert (person.name, person.sex, person.birth_date, person.region_id, person.phone) == (
        "Siti Rahmah", "P", datetime.date(2001, 2, 5), "63.01.03.1004", "+6281350001234")


def test_an_edited_production_export_imports_back_all_or_nothing(batches):
    w = batches
    workbook = _export(w.tala_officer, "production")
    sheet = workbook.active
    assert sheet.title == "Laporan produksi"
    _assert_template_columns_first(sheet, _template_header(w.tala_officer, "production"))
    code, quantity, produced_on = (_column(sheet, header) for header in ("Kode batch", "Jumlah", "Tanggal produksi"))
    assert sheet.max_row == 2 and sheet.cell(2, code).value == "TALA-1"
    assert sheet.cell(2, produced_on).value == datetime.datetime(2020, 6, 1)
    assert sheet.cell(2, produced_on).number_format == "yyyy-mm-dd"
    assert sheet.cell(2, quantity).value == 10 and sheet.cell(2, quantity).data_type == "n"
    # A second row as exported: its batch code is taken, so nothing is recorded.
    sheet.append([cell.value for cell in sheet[2]])
    sheet.cell(2, code).value, sheet.cell(2, quantity).value = "TALA-2", 7
    response = _import(w.tala_officer, "production", workbook)
    assert [(p.row, p.column) for p in response.context["refused"].problems] == [(3, "Kode batch")]
    assert Batch.objects.count() == 2

    sheet.delete_rows(3)
    assert _import(w.tala_officer, "production", workbook).status_code == 302
    batch = Batch.objects.get(code="TALA-2")
    assert (batch.producer_partner, batch.product, batch.quantity, batch.produced_on, batch.note) == (
        w.tala_partner, w.suit, 7, DAY, "Minggu pertama")


def test_the_excel_exports_have_date_cells_and_number_cells(batches):
    sheet = _export(batches.tala_officer, "partners").active
    joined = sheet.cell(2, _column(sheet, "Tanggal bergabung"))
    assert joined.value == datetime.datetime(2019, 3, 12) and joined.is_date


# Scope ----------------------------------------------------------------------------------------------------------

@pytest.mark.security
def test_an_officers_export_holds_only_their_region(batches):
    w = batches
    assert [row[0] for row in _export(w.tala_officer, "production").active.iter_rows(min_row=2, values_only=True)] \
        == ["TALA-1"]
    assert [row[0] for row in _export(w.hsu_officer, "partners").active.iter_rows(min_row=2, values_only=True)] \
        == ["Sasirangan Amuntai Indah"]


@pytest.mark.security
def test_rows_of_another_region_in_an_export_are_refused_on_import(batches):
    w = batches
    workbook = _export(w.province_officer, "production")  # Tala's and HSU's batches
    sheet = workbook.active
    code = _column(sheet, "Kode batch")
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, code).value = f"BARU-{row}"
    response = _import(w.tala_officer, "production", workbook)
    hsu_row = next(row for row in range(2, sheet.max_row + 1) if sheet.cell(row, 2).value == "9120001230005")
    assert [(p.row, p.message) for p in response.context["refused"].problems] == [
        (hsu_row, "Tidak ada mitra IKM aktif dengan NIB ini di wilayah Anda.")]
    assert Batch.objects.count() == 2

    workbook = _export(w.province_officer, "partners")
    sheet = workbook.active
    nib = _column(sheet, "NIB")
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, nib).value = f"91200012301{row:02d}"
    response = _import(w.tala_officer, "partners", workbook)
    assert {p.message for p in response.context["refused"].problems} >= {"Alamat ini berada di luar wilayah Anda."}
    assert Partner.objects.count() == 3


# The templates ------------------------------------------------------------------------------------------------

def _validations(sheet) -> dict[str, str]:
    """The drop-down lists of a sheet: the first cell of each range -> the list's formula."""
    return {str(validation.sqref).split(":")[0]: validation.formula1
            for validation in sheet.data_validations.dataValidation if validation.type == "list"}


def _listed(workbook, formula: str) -> list:
    sheet_name, cells = formula.rsplit("!", 1)
    first, last = cells.replace("$", "").split(":")
    return [row[0] for row in workbook[sheet_name.strip("'")][f"{first}:{last}"]]


def test_the_production_template_offers_its_codes_as_drop_down_lists(world):
    workbook = _workbook(client_for(world.tala_officer).get(reverse("production:import-template")))
    assert workbook.sheetnames == ["Laporan produksi", "Petunjuk", "Kode"]
    data = workbook["Laporan produksi"]
    lists = _validations(data)
    assert [cell.value for cell in _listed(workbook, lists["D2"])] == ["baju-hazmat", "masker-kain-3-lapis"]
    assert [cell.value for cell in _listed(workbook, lists["B2"])] == ["9120001230001"]  # Tala's partners only
    assert ("baju-hazmat", "Baju hazmat") in list(workbook["Kode"].iter_rows(values_only=True))
    assert data.column_dimensions["F"].number_format == "yyyy-mm-dd"  # the date column
    assert data.column_dimensions["E"].number_format == "0"  # the quantity column


def test_the_partner_template_offers_sectors_offices_and_the_regions_of_the_office(world):
    client = client_for(world.tala_officer)
    workbook = _workbook(client.get(reverse("partners:import-template")))
    assert workbook.sheetnames == ["Mitra IKM", "Petunjuk", "Kode"]
    lists = _validations(workbook["Mitra IKM"])
    regions = [cell.value for cell in _listed(workbook, lists["F2"])]
    assert "63.01.03" in regions and "63.01.03.1005" in regions and not any(
        code.startswith("63.08") for code in regions)
    assert "garment" in [cell.value for cell in _listed(workbook, lists["G2"])]
    assert "DISNAKERIND-TALA" in [cell.value for cell in _listed(workbook, lists["I2"])]

    # A province has too many villages for a drop-down: it offers the districts, the villages stay on the sheet.
    workbook = _workbook(client_for(world.province_officer).get(reverse("partners:import-template")))
    regions = [cell.value for cell in _listed(workbook, _validations(workbook["Mitra IKM"])["F2"])]
    codes = [row[0] for row in workbook["Kode"].iter_rows(values_only=True)]
    assert regions and all(code.count(".") == 2 for code in regions)
    assert "63.08.05.1001" in codes


def test_the_people_template_names_its_sheet_and_lists_regions(world):
    workbook = _workbook(client_for(world.hsu_officer).get(reverse("people:import-template")))
    assert workbook.sheetnames == ["Peserta", "Petunjuk", "Kode"]
    regions = [cell.value for cell in _listed(workbook, _validations(workbook["Peserta"])["G2"])]
    assert "63.08.05.1001" in regions and not any(code.startswith("63.01") for code in regions)


# Duplicates and messages ----------------------------------------------------------------------------------------

PRODUCTION_HEADER = ["Batch code", "Partner NIB", "Participant NIK", "Product code", "Quantity", "Date produced",
                     "Note"]


def _production_file(*rows):
    return xlsx_upload([PRODUCTION_HEADER, *rows], "produksi.xlsx")


def test_the_same_production_file_is_refused_as_recorded_until_confirmed(world):
    rows = [["", "9120001230001", "", "baju-hazmat", 40, DAY, ""], ["", "9120001230001", "", "baju-hazmat", 12, DAY, ""]]
    client = client_for(world.tala_officer)
    url = reverse("production:import")
    response = client.get(url)
    assert "confirm" not in response.context["form"].fields  # offered only once rows are found recorded
    assert client.post(url, {"file": _production_file(*rows)}).status_code == 302
    assert Batch.objects.count() == 2

    response = client.post(url, {"file": _production_file(*rows)})
    assert response.status_code == 200 and response.context["duplicates"]
    codes = sorted(Batch.objects.values_list("code", flat=True))
    assert [(p.row, p.message) for p in response.context["refused"].problems] == [
        (2, f"Sudah tercatat sebagai batch {codes[0]}: produsen, produk, tanggal dan jumlah yang sama."),
        (3, f"Sudah tercatat sebagai batch {codes[1]}: produsen, produk, tanggal dan jumlah yang sama."),
    ]
    assert "Impor tetap" in response.content.decode()
    assert Batch.objects.count() == 2

    response = client.post(url, {"file": _production_file(*rows), "confirm": "on"})
    assert response.status_code == 302
    assert Batch.objects.count() == 4


def test_a_production_file_with_new_rows_only_is_not_a_duplicate(world):
    production_import(rows=read_rows(_production_file(["", "9120001230001", "", "baju-hazmat", 40, DAY, ""]),
                                     PRODUCTION_IMPORT_COLUMNS), by=world.tala_officer)
    with pytest.raises(DuplicateRows):
        production_import(rows=read_rows(_production_file(["", "9120001230001", "", "baju-hazmat", 40, DAY, ""]),
                                         PRODUCTION_IMPORT_COLUMNS), by=world.tala_officer)
    # Another quantity, day or product is another report.
    assert production_import(rows=read_rows(_production_file(
        ["", "9120001230001", "", "baju-hazmat", 41, DAY, ""],
        ["", "9120001230001", "", "baju-hazmat", 40, DAY - datetime.timedelta(days=1), ""],
        ["", "9120001230001", "", "masker-kain-3-lapis", 40, DAY, ""],
    ), PRODUCTION_IMPORT_COLUMNS), by=world.tala_officer) == 3


def test_an_unknown_code_is_refused_with_its_value_and_the_closest_codes(world):
    with pytest.raises(ImportRefused) as refused:
        production_import(rows=read_rows(_production_file(
            ["", "9120001230001", "", "baju-hazmet", 40, DAY, ""],
            ["", "9120001230001", "", "Masker kain", 40, DAY, ""],
        ), PRODUCTION_IMPORT_COLUMNS), by=world.tala_officer)
    assert [(p.row, p.message) for p in refused.value.problems] == [
        (2, "No active product has this code. (“baju-hazmet”) Did you mean: baju-hazmat (Baju hazmat)?"),
        (3, "No active product has this code. (“Masker kain”) Did you mean: masker-kain-3-lapis "
            "(Masker kain 3 lapis)?"),
    ]
    assert not Batch.objects.exists()


def test_an_unknown_region_is_refused_in_indonesian_with_the_closest_codes(world):
    workbook = _workbook(client_for(world.tala_officer).get(reverse("partners:import-template")))
    workbook.worksheets[0].append(["Konveksi Baru", "9120001230030", "Ibu Rina", "", "Jl. Bati-Bati",
                                   "63.01.03.1O05", "garment", DAY, ""])  # a letter O for a zero
    response = _import(world.tala_officer, "partners", workbook)
    [problem] = response.context["refused"].problems
    assert problem.message.startswith("Tidak ada desa/kelurahan atau kecamatan dengan kode ini. (“63.01.03.1O05”) "
                                      "Mungkin maksud Anda: 63.01.03.1005 (")
    assert not Partner.objects.filter(nib="9120001230030").exists()


def test_the_import_page_says_it_is_processing_while_a_file_is_checked(world):
    content = client_for(world.tala_officer).get(reverse("people:import")).content.decode()
    assert 'data-busy="Sedang diproses' in content and "data-busy-status hidden" in content
    assert "sigap/busy.js" in content


@pytest.mark.parametrize("name", ["partners", "people", "production"])
def test_the_export_links_say_the_file_is_being_prepared(batches, name):
    content = client_for(batches.tala_officer).get(reverse(f"{name}:list")).content.decode()
    assert content.count('data-busy="Sedang diproses… Berkas disiapkan') == 2
    assert "data-busy-status hidden" in content and "sigap/busy.js" in content
