import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from conftest import client_for, xlsx_upload
from sigap.lib.spreadsheet import ImportRefused, read_rows
from sigap.partners.forms import PARTNER_IMPORT_COLUMNS
from sigap.partners.models import Partner
from sigap.partners.services import partners_import

HEADER = ["Business name", "NIB", "Owner", "Phone/WhatsApp", "Street address", "Region code", "Sector",
          "Date joined", "Assisting office code"]
ROW = ["Konveksi Pelaihari", "9120 0012 3000 9", "Hj. Aminah", "0812-5123-0009", "Jl. Pelaihari", "63.01.03.1004",
       "garment", "2020-06-01", ""]


def xlsx(*rows, header=HEADER):
    return xlsx_upload([header, *rows], "mitra.xlsx")


def problems(by, *rows, header=HEADER) -> list[tuple]:
    with pytest.raises(ImportRefused) as refused:
        partners_import(rows=read_rows(xlsx(*rows, header=header), PARTNER_IMPORT_COLUMNS), by=by)
    return [(p.row, p.column, p.message) for p in refused.value.problems]


def test_the_template_speaks_the_users_language_and_lists_the_officers_offices_and_regions(world):
    response = client_for(world.tala_officer).get(reverse("partners:import-template"))
    assert response["Content-Disposition"] == 'attachment; filename="impor-mitra-ikm.xlsx"'
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    header = [cell.value for cell in workbook.worksheets[0][1]]
    assert header[:3] == ["Nama usaha", "NIB", "Pemilik"] and len(header) == len(PARTNER_IMPORT_COLUMNS)
    codes = {row[0] for sheet in workbook.worksheets[2:] for row in sheet.iter_rows(values_only=True)}
    assert {"DISNAKERIND-TALA", "DISPERIN-KALSEL", "63.01.03", "63.01.03.1004"} <= codes
    assert not any(code.startswith("63.08") for code in codes if code) and "DISPERINDAG-PASER" not in codes


def test_a_filled_template_registers_the_partners_with_who_registered_them(world):
    client = client_for(world.tala_officer)
    workbook = load_workbook(io.BytesIO(b"".join(client.get(reverse("partners:import-template")).streaming_content)))
    workbook.worksheets[0].append(ROW)
    workbook.worksheets[0].append(["Sasirangan Tala", "9120001230010", "Ibu Rina", "", "Jl. Bati-Bati", "63.01.03",
                                   "Garmen dan tekstil", "2021-01-04", "DISPERIN-KALSEL"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = client.post(reverse("partners:import"), {"file": SimpleUploadedFile("mitra.xlsx", buffer.getvalue())})
    assert response.status_code == 302 and response.url == reverse("partners:list")
    first = Partner.objects.get(nib="9120001230009")
    assert (first.region_id, first.phone, first.assisting_office, first.status) == (
        "63.01.03.1004", "+6281251230009", world.tala_office, "active")
    second = Partner.objects.get(nib="9120001230010")
    assert second.sector == "garment" and second.assisting_office == world.province_office
    assert first.history.get().history_user == world.tala_officer


def test_one_bad_row_imports_nothing_and_the_page_names_its_row_and_column_in_indonesian(world):
    upload = xlsx(ROW, [*ROW[:1], "12345", *ROW[2:]])
    response = client_for(world.tala_officer).post(reverse("partners:import"), {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200 and not Partner.objects.filter(nib="9120001230009").exists()
    assert "<td class=\"num\">3</td><td>NIB</td><td>NIB terdiri dari 13 digit.</td>" in page


def test_duplicate_nibs_in_the_file_and_in_sigap_are_refused(world):
    again = [*ROW[:1], world.tala_partner.nib, *ROW[2:]]
    assert problems(world.tala_officer, ROW, ROW, again) == [
        (3, "NIB", "This NIB is also on row 2."),
        (4, "NIB", "Another partner is already registered with this NIB."),
    ]
    assert Partner.objects.count() == 3


def test_an_address_or_an_office_outside_the_officers_region_is_refused(world):
    hsu = [*ROW[:5], "63.08.05.1001", *ROW[6:]]
    paser_office = [*ROW[:1], "9120001230011", *ROW[2:8], "DISPERINDAG-PASER"]
    assert problems(world.tala_officer, hsu, paser_office) == [
        (2, "Region code", "This address is outside your region."),
        (3, "Assisting office code", "Choose an industry office of your region. (“DISPERINDAG-PASER”) Did you "
                                     "mean: DISPERIN-KALSEL (Dinas Perindustrian Provinsi Kalimantan Selatan), "
                                     "DISNAKERIND-TALA (Disnakerind Kabupaten Tanah Laut)?"),
    ]


@pytest.mark.parametrize("column, value, message", [
    (5, "99.99.99", "No village or district has this code. (“99.99.99”)"),
    (5, "63.01", "No village or district has this code. (“63.01”) Did you mean: 63.01.11 (Bumi Makmur), "
                 "63.01.10 (Bajuin), 63.01.09 (Batu Ampar)?"),  # a regency is not an address
    (6, "bakery", "Select a valid choice. bakery is not one of the available choices."),
    (7, "kemarin", "Enter a valid date."),
    (3, "12345", "Enter an Indonesian phone number, e.g. 0812-3456-7890 or +62 812 3456 7890."),
    (0, "", "This field is required."),
    (0, "x" * 201, "Ensure this value has at most 200 characters (it has 201)."),
])
def test_each_cell_is_checked_by_the_forms_rules(world, column, value, message):
    row = list(ROW)
    row[column] = value
    assert problems(world.tala_officer, row) == [(2, HEADER[column], message)]
    assert not Partner.objects.filter(nib="9120001230009").exists()


def test_a_file_without_the_templates_columns_is_refused(world):
    assert problems(world.tala_officer, ROW[:-1], header=HEADER[:-1])[0][2] == (
        "Columns missing: Assisting office code. Use the template.")
    assert "Columns the template does not have: Colour." in problems(
        world.tala_officer, ROW + ["red"], header=HEADER + ["Colour"])[0][2]


def test_a_broken_upload_gets_a_message_not_an_error_page(world):
    upload = SimpleUploadedFile("mitra.xlsx", b"\x00\x01 not a spreadsheet")
    response = client_for(world.tala_officer).post(reverse("partners:import"), {"file": upload})
    assert response.status_code == 200
    assert response.context["refused"].problems[0].message.startswith("Ini bukan berkas Excel (.xlsx)")
    assert Partner.objects.count() == 3


def test_only_officers_import_partners(world):
    for user in (world.partner_user, world.instructor, world.health_expert):
        client = client_for(user)
        assert client.get(reverse("partners:import")).status_code == 403
        assert client.post(reverse("partners:import"), {"file": xlsx(ROW)}).status_code == 403
        assert client.get(reverse("partners:import-template")).status_code == 403
    assert Partner.objects.count() == 3


def test_the_list_links_to_the_import_for_officers_only(world):
    url = reverse("partners:import")
    assert url in client_for(world.tala_officer).get(reverse("partners:list")).content.decode()
    assert url not in client_for(world.partner_user).get(reverse("partners:list")).content.decode()


def test_an_oversized_upload_or_a_zip_bomb_gets_a_message_and_imports_nothing(world, settings):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<sheetData>" + b"0" * (20 * 1024 * 1024) + b"</sheetData>")
    client = client_for(world.tala_officer)
    response = client.post(reverse("partners:import"), {"file": SimpleUploadedFile("bom.xlsx", buffer.getvalue())})
    assert response.status_code == 200 and "jauh lebih besar daripada lembar kerja" in response.context["refused"].message
    settings.SIGAP_IMPORT_MAX_BYTES = 1024
    response = client.post(reverse("partners:import"), {"file": xlsx(ROW)})
    assert response.status_code == 200 and "Ukuran berkas melebihi" in response.context["refused"].message
    assert Partner.objects.count() == 3
