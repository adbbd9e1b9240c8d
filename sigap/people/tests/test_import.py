import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from conftest import client_for, xlsx_upload
from sigap.lib.spreadsheet import ImportRefused, read_rows
from sigap.people.forms import PERSON_IMPORT_COLUMNS
from sigap.people.models import Person
from sigap.people.services import people_import

HEADER = ["Name", "NIK", "Sex", "Birth date", "Role", "Street address", "Region code", "Phone/WhatsApp"]
SITI = ["Siti Aminah", "6301034502010001", "P", datetime.date(2001, 2, 5), "", "Jl. Demo", "63.01.03.1004", ""]
BUDI = ["Budi", "6301 0305 0201 0002", "Laki-laki", "2001-02-05", "instructor", "Jl. Demo", "63.01.03",
        "0812-5123-0002"]


def xlsx(*rows, header=HEADER):
    return xlsx_upload([header, *rows], "orang.xlsx")


def problems(by, *rows) -> list[tuple]:
    with pytest.raises(ImportRefused) as refused:
        people_import(rows=read_rows(xlsx(*rows), PERSON_IMPORT_COLUMNS), by=by)
    return [(p.row, p.column, p.message) for p in refused.value.problems]


def test_a_filled_template_registers_the_people_with_who_registered_them(world):
    client = client_for(world.tala_officer)
    response = client.get(reverse("people:import-template"))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert [cell.value for cell in workbook.worksheets[0][1]][:3] == ["Nama", "NIK", "Jenis kelamin"]
    workbook.worksheets[0].append(SITI)
    workbook.worksheets[0].append(BUDI)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = client.post(reverse("people:import"), {"file": SimpleUploadedFile("orang.xlsx", buffer.getvalue())})
    assert response.status_code == 302 and response.url == reverse("people:list")
    siti, budi = Person.objects.get(nik="6301034502010001"), Person.objects.get(nik="6301030502010002")
    assert (siti.kind, siti.sex, siti.birth_date, siti.region_id) == (
        "participant", "P", datetime.date(2001, 2, 5), "63.01.03.1004")
    assert (budi.kind, budi.sex, budi.phone) == ("instructor", "L", "+6281251230002")
    assert siti.history.get().history_user == world.tala_officer


def test_one_bad_row_imports_nothing_and_the_page_names_its_row_and_column(world):
    wrong_day = [*BUDI[:3], "2001-02-06", *BUDI[4:]]
    response = client_for(world.tala_officer).post(reverse("people:import"), {"file": xlsx(SITI, wrong_day)})
    assert response.status_code == 200 and not Person.objects.exists()
    problem = response.context["refused"].problems[0]
    assert (problem.row, problem.column, problem.message) == (
        3, "Tanggal lahir", "Tanggal lahir tidak sesuai dengan yang tercantum di NIK.")


def test_the_nik_checks_of_the_form_apply_to_every_row(world):
    assert problems(world.tala_officer, [*SITI[:1], "123", *SITI[2:]], [*SITI[:2], "L", *SITI[3:]]) == [
        (2, "NIK", "NIK is 16 digits."),
        (3, "Sex", "The sex does not match the NIK (women's day of birth is increased by 40)."),
    ]


def test_duplicate_niks_in_the_file_and_in_sigap_are_refused(world):
    Person.objects.create(name="Budi", nik="6301030502010002", sex="L", birth_date=datetime.date(2001, 2, 5),
                          address="Jl. A", region_id="63.01.03")
    assert problems(world.tala_officer, SITI, SITI, BUDI) == [
        (3, "NIK", "This NIK is also on row 2."),
        (4, "NIK", "Another person is already registered with this NIK."),
    ]
    assert Person.objects.count() == 1


@pytest.mark.parametrize("column, value, message", [
    (6, "63.08.05.1001", "This address is outside your region."),
    (6, "63.01.03.9999", "No village or district has this code. (“63.01.03.9999”) Did you mean: 63.01.03.2029 "
                         "(Pemuda), 63.01.03.2009 (Tampang), 63.01.09 (Batu Ampar)?"),
    (3, timezone.localdate() + datetime.timedelta(days=1), "The birth date cannot be in the future."),
    (4, "boss", "Select a valid choice. boss is not one of the available choices."),
])
def test_each_cell_is_checked_by_the_forms_rules(world, column, value, message):
    row = list(SITI)
    row[column] = value
    assert (2, HEADER[column], message) in problems(world.tala_officer, row)
    assert not Person.objects.exists()


def test_only_officers_import_people(world):
    for user in (world.instructor, world.health_expert, world.partner_user):
        client = client_for(user)
        assert client.post(reverse("people:import"), {"file": xlsx(SITI)}).status_code == 403
        assert client.get(reverse("people:import-template")).status_code == 403
    assert not Person.objects.exists()
