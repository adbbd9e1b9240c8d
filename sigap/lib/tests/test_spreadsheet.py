import datetime
import io
import zipfile

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook

from conftest import xlsx_upload
from sigap.lib.spreadsheet import (ChoiceByNameField, CodeList, Column, ImportRefused, Report, read_rows,
                                   template_workbook)
from sigap.people.models import Sex

COLUMNS = [
    Column("name", forms.CharField(label=_("Name"), max_length=20)),
    Column("quantity", forms.IntegerField(label=_("Quantity"))),
    Column("day", forms.DateField(label=_("Date produced"))),
    Column("note", forms.CharField(label=_("Note"), required=False)),
]
HEADER = ["Name", "Quantity", "Date produced", "Note"]


def xlsx(*rows):
    return xlsx_upload(rows)


def read(upload, columns=COLUMNS):
    return list(read_rows(upload, columns))


def refusal(upload, columns=COLUMNS) -> list[str]:
    with pytest.raises(ImportRefused) as refused:
        read(upload, columns)
    return [problem.message for problem in refused.value.problems]


def test_rows_are_cleaned_by_their_columns_and_numbered_as_excel_numbers_them():
    rows = read(xlsx(HEADER, ["Masker", 40, datetime.datetime(2020, 6, 1), None], [],
                     ["Baju", "12", "2020-06-02", "x"]))
    assert [row.number for row in rows] == [2, 4]  # the blank row 3 is skipped but still counted
    assert rows[0].values == {"name": "Masker", "quantity": 40, "day": datetime.date(2020, 6, 1), "note": ""}
    assert rows[1].values["quantity"] == 12 and rows[1].values["day"] == datetime.date(2020, 6, 2)


def test_a_cell_of_the_wrong_type_is_a_problem_of_its_row_and_column():
    [row] = read(xlsx(HEADER, ["Masker", "empat puluh", 45000, "x" * 3]))
    assert set(row.values) == {"name", "note"}
    assert {key: error.messages for key, error in row.problems} == {
        "quantity": ["Enter a whole number."], "day": ["Enter a valid date."]}


def test_the_columns_may_come_in_any_order_and_in_either_language():
    with translation.override("id"):
        rows = read(xlsx(["Tanggal produksi", "Catatan", "nama", "Jumlah"], ["2020-06-01", "", "Masker", 5]))
    assert rows[0].values["name"] == "Masker" and rows[0].values["quantity"] == 5


@pytest.mark.parametrize("header, message", [
    (["Name", "Quantity", "Note"], "Columns missing: Date produced. Use the template."),
    (HEADER + ["Colour"], "Columns the template does not have: Colour."),
    (HEADER + ["Name"], "The column Name appears twice."),
])
def test_a_header_without_the_templates_columns_is_refused(header, message):
    assert refusal(xlsx(header, ["Masker", 1, "2020-06-01", "", ""])) == [message]


def test_an_empty_file_a_sheet_without_a_header_and_a_header_without_rows_are_refused():
    assert refusal(SimpleUploadedFile("data.xlsx", b"")) == ["The file is empty."]
    assert "the first row must hold" in refusal(xlsx())[0]
    assert refusal(xlsx(HEADER, [None, None])) == ["The file has no rows to import under its header."]


def test_more_rows_than_the_limit_are_refused(settings):
    settings.SIGAP_IMPORT_MAX_ROWS = 3
    rows = [["Masker", 1, "2020-06-01", ""]] * 4
    assert refusal(xlsx(HEADER, *rows)) == ["The file has more than 3 rows; split it into several files."]
    assert len(read(xlsx(HEADER, *rows[:3]))) == 3


def test_a_file_that_is_not_an_excel_workbook_is_refused():
    assert "not an Excel (.xlsx) file" in refusal(SimpleUploadedFile("data.xlsx", b"name;quantity\nMasker;40\n"))[0]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert "not an Excel (.xlsx) file" in refusal(SimpleUploadedFile("data.xlsx", buffer.getvalue()))[0]


def test_a_damaged_workbook_is_refused_with_a_message():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook><sheets><sheet")
    assert "damaged" in refusal(SimpleUploadedFile("data.xlsx", buffer.getvalue()))[0]


def test_a_file_over_the_size_limit_is_refused_unread(settings):
    settings.SIGAP_IMPORT_MAX_BYTES = 1024 * 1024
    upload = SimpleUploadedFile("data.xlsx", b"PK" + b"\0" * (1024 * 1024))
    assert refusal(upload) == ["The file is larger than 1 MB."]


def _bomb(size: int) -> SimpleUploadedFile:
    """A valid-looking workbook whose sheet unpacks from a few kilobytes to ``size`` bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<sheetData>" + b" " * size + b"</sheetData>")
    return SimpleUploadedFile("data.xlsx", buffer.getvalue())


def test_a_zip_bomb_is_refused_before_it_is_unpacked(monkeypatch):
    upload = _bomb(30 * 1024 * 1024)
    assert upload.size < 100 * 1024
    monkeypatch.setattr("sigap.lib.spreadsheet.load_workbook", lambda *a, **k: pytest.fail("parsed a zip bomb"))
    assert refusal(upload) == ["This file unpacks to far more data than a spreadsheet holds; it was not opened."]


def test_a_file_that_unpacks_to_more_than_the_cap_is_refused(settings):
    settings.SIGAP_IMPORT_MAX_UNPACKED_BYTES = 10_000
    rows = [[f"Masker {n}", n, "2020-06-01", "catatan yang agak panjang"] for n in range(1, 400)]
    assert "unpacks to far more data" in refusal(xlsx(HEADER, *rows))[0]


def test_text_columns_take_whole_numbers_back_as_digits_but_not_rounded_ones():
    columns = [Column("nik", forms.CharField(label="NIK"))]
    assert read(xlsx(["NIK"], [9120001230001]), columns)[0].values == {"nik": "9120001230001"}
    # Excel keeps 15 significant digits: a NIK typed into a General cell comes back as 6.30103450201E+15.
    with pytest.raises(forms.ValidationError, match="Excel has rounded this long number"):
        columns[0].clean(6301034502010000.0)
    [row] = read(xlsx(["NIK"], [datetime.date(2020, 1, 1)]), columns)
    assert row.problems[0][1].messages == ["Enter text here, not a date or a time."]


def test_a_choice_is_taken_by_its_code_or_its_name_in_either_language():
    field = ChoiceByNameField(label="Sex", choices=Sex.choices)
    assert [field.clean(value) for value in ("P", "female", "Perempuan", "laki-laki")] == ["P", "P", "P", "L"]
    with pytest.raises(forms.ValidationError):
        field.clean("X")


def test_a_report_names_row_and_column_and_keeps_only_the_first_problems(monkeypatch):
    monkeypatch.setattr("sigap.lib.spreadsheet.MAX_PROBLEMS_SHOWN", 2)
    report = Report(COLUMNS)
    for number in (2, 3, 4):
        report.add(number, "quantity", "Too many.")
    report.add(5, None, "Whole row.")
    with pytest.raises(ImportRefused) as refused:
        report.refuse_if_any()
    assert refused.value.total == 4 and len(refused.value.problems) == 2
    assert (refused.value.problems[0].row, refused.value.problems[0].column) == (2, "Quantity")


def test_the_template_has_the_header_a_guide_and_the_code_lists_with_formulas_neutralised():
    content = template_workbook([Column("nik", forms.CharField(label="NIK")), *COLUMNS], lists=[
        CodeList("Products", ["Code", "Name"], [("baju-hazmat", "=HYPERLINK(\"http://evil\")")])])
    workbook = load_workbook(io.BytesIO(content))
    data, guide, codes = workbook.worksheets
    assert [cell.value for cell in data[1]] == ["NIK"] + HEADER and data.max_row == 1
    assert data.column_dimensions["A"].number_format == "@"  # Excel keeps leading zeros and 16 digits
    assert data.column_dimensions["C"].number_format != "@"  # a number column stays a number
    assert ["Name", "yes"] in [[row[0], row[1]] for row in guide.iter_rows(values_only=True)]
    assert codes.title == "Codes" and codes["A1"].value == "Products" and codes["A3"].value == "baju-hazmat"
    assert codes["B3"].value.startswith("'=")
    # A filled template reads back.
    data.append(["6301034502010001", "Masker", 4, datetime.date(2020, 6, 1), None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    columns = [Column("nik", forms.CharField(label="NIK")), *COLUMNS]
    assert read(SimpleUploadedFile("t.xlsx", buffer.getvalue()), columns)[0].values["nik"] == "6301034502010001"


# Excel keeps every distinct text of a workbook once, in a shared-string table that openpyxl loads whole; a few
# megabytes of zip can hold millions of them. -------------------------------------------------------------------

SHARED_STRINGS = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _as_excel_saves_it(rows, *, more=(), declared=True, tail="") -> SimpleUploadedFile:
    """A workbook whose cells' texts are in the shared-string table, as Excel saves one (openpyxl writes them
    inline): the rows' texts first, then ``more``. The table declares how many it holds (``declared=True``), a
    given number, or nothing (None); ``tail`` is written after its last text."""
    texts: list[str] = []
    cells = []
    for number, row in enumerate(rows, start=1):
        xml = []
        for column, value in enumerate(row, start=1):
            ref = f"{chr(64 + column)}{number}"
            if isinstance(value, str):
                texts.append(value)
                xml.append(f'<c r="{ref}" t="s"><v>{len(texts) - 1}</v></c>')
            else:
                xml.append(f'<c r="{ref}"><v>{value}</v></c>')
        cells.append(f'<row r="{number}">{"".join(xml)}</row>')
    texts.extend(more)
    count = {True: f' count="{len(texts)}" uniqueCount="{len(texts)}"', None: ""}.get(
        declared, f' count="{declared}" uniqueCount="{declared}"')
    table = (f'<sst xmlns="{MAIN}"{count}>' + "".join(f"<si><t>{text}</t></si>" for text in texts) + tail
             + "</sst>")
    base = zipfile.ZipFile(xlsx([]))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in base.namelist():
            content = base.read(name)
            if name == "[Content_Types].xml":
                content = content.replace(b"</Types>", f'<Override PartName="/xl/sharedStrings.xml" '
                                                       f'ContentType="{SHARED_STRINGS}"/></Types>'.encode())
            elif name == "xl/worksheets/sheet1.xml":
                content = f'<worksheet xmlns="{MAIN}"><sheetData>{"".join(cells)}</sheetData></worksheet>'.encode()
            archive.writestr(name, content)
        archive.writestr("xl/sharedStrings.xml", table)
    return SimpleUploadedFile("data.xlsx", buffer.getvalue())


def test_a_workbook_saved_with_shared_strings_reads_as_one_saved_inline():
    upload = _as_excel_saves_it([HEADER, ["Masker", 40, "2020-06-01", "catatan"], ["Baju", 2, "2020-06-02", "x"]])
    rows = read(upload)
    assert [row.values["name"] for row in rows] == ["Masker", "Baju"]
    assert rows[0].values == {"name": "Masker", "quantity": 40, "day": datetime.date(2020, 6, 1), "note": "catatan"}


@pytest.mark.security
@pytest.mark.parametrize("declared", [True, 3, None], ids=["declared", "understated", "undeclared"])
def test_more_distinct_texts_than_an_import_can_hold_are_refused_before_openpyxl_loads_them(
        settings, monkeypatch, declared):
    settings.SIGAP_IMPORT_MAX_ROWS = 10
    monkeypatch.setattr("sigap.lib.spreadsheet.OTHER_TEXTS", 20)  # 10 rows x 4 columns + 20 = 60 texts at most
    monkeypatch.setattr("sigap.lib.spreadsheet.load_workbook", lambda *a, **k: pytest.fail("loaded the table"))
    upload = _as_excel_saves_it([HEADER, ["Masker", 1, "2020-06-01", ""]],
                                more=[f"teks {n}" for n in range(200)], declared=declared)
    assert refusal(upload) == ["This file holds more distinct texts than an import of 10 rows can; it was not "
                               "opened."]


def test_as_many_distinct_texts_as_the_largest_import_holds_are_read(settings, monkeypatch):
    settings.SIGAP_IMPORT_MAX_ROWS = 10
    monkeypatch.setattr("sigap.lib.spreadsheet.OTHER_TEXTS", 20)
    rows = [[f"Masker {n}", n, f"2020-06-{n:02}", f"catatan {n}"] for n in range(1, 11)]
    upload = _as_excel_saves_it([HEADER, *rows], more=[f"kode {n}" for n in range(20)])  # 4 + 30 + 20 = 54
    assert [row.values["quantity"] for row in read(upload)] == list(range(1, 11))


@pytest.mark.security
def test_a_wrong_header_is_refused_before_the_rest_of_the_shared_strings_are_read(monkeypatch):
    monkeypatch.setattr("sigap.lib.spreadsheet.load_workbook", lambda *a, **k: pytest.fail("loaded the table"))
    # After the header's texts the table is cut short: reading it to the end would find it damaged.
    upload = _as_excel_saves_it([["Name", "Qty", "Date produced", "Note"], ["Masker", 1, "2020-06-01", ""]],
                                more=[f"teks {n}" for n in range(1000)], tail="<si><t>terpotong")
    assert refusal(upload) == ["Columns missing: Quantity. Use the template.",
                               "Columns the template does not have: Qty."]


@pytest.mark.security
def test_a_header_row_that_is_not_the_first_is_refused_before_the_shared_strings_are_read(monkeypatch):
    monkeypatch.setattr("sigap.lib.spreadsheet.load_workbook", lambda *a, **k: pytest.fail("loaded the table"))
    upload = _as_excel_saves_it([HEADER], tail="<si><t>terpotong")
    upload = SimpleUploadedFile("data.xlsx", _replaced(upload, "xl/worksheets/sheet1.xml", b'<row r="1">',
                                                       b'<row r="2">'))
    assert "the first row must hold" in refusal(upload)[0]


def _replaced(upload, name: str, old: bytes, new: bytes) -> bytes:
    source = zipfile.ZipFile(upload)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for entry in source.namelist():
            content = source.read(entry)
            archive.writestr(entry, content.replace(old, new) if entry == name else content)
    return buffer.getvalue()
