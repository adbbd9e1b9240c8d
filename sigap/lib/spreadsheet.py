"""Importing rows from an uploaded Excel file, and the template to fill in.

An import is all or nothing: every row is checked first, every problem is reported by row and column (a
``Report``), and the caller writes only when there are none. Each column cleans its cells with a form field, so
a cell is refused with the same validators and messages as the page that records one record at a time.

A file is refused before openpyxl parses it when it is larger than ``SIGAP_IMPORT_MAX_BYTES``, is not a zip
archive (every .xlsx is one), or would unpack to more than ``SIGAP_IMPORT_MAX_UNPACKED_BYTES`` or at a ratio no
spreadsheet has (a zip bomb). openpyxl then reads it streaming (``read_only``), taking cached values rather
than formulas (``data_only``).
"""

import datetime
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils import translation
from django.utils.translation import gettext as _, gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from sigap.lib.errors import DomainError
from sigap.lib.export import neutralise
from sigap.regions.models import Region

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Worksheet XML packs 5 to 30 times; a part that unpacks to 200 times its size is made to fill memory.
MAX_RATIO = 200
RATIO_APPLIES_FROM = 1024 * 1024  # bytes unpacked: small parts may pack as they like
MAX_PROBLEMS_SHOWN = 500
LOOKUP_CHUNK = 500  # values per IN (…) query: SQLite limits the parameters of one statement


# Problems and refusals ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    row: int | None  # Excel's row number (the header is row 1); None for the file as a whole
    column: str  # the column's name in the user's language, or "" for the whole row or file
    message: str


class ImportRefused(DomainError):
    """Nothing was imported. ``problems`` lists the first ``MAX_PROBLEMS_SHOWN``; ``total`` counts them all."""

    def __init__(self, problems: list[Problem], *, total: int | None = None):
        self.problems = problems
        self.total = total if total is not None else len(problems)
        super().__init__(problems[0].message if problems else _("Nothing was imported."))

    @classmethod
    def file(cls, message: str) -> "ImportRefused":
        return cls([Problem(None, "", message)])


class Report:
    """Collects the problems of an import's rows; ``refuse_if_any()`` ends the import when there are some."""

    def __init__(self, columns: Sequence["Column"]):
        self._labels = {column.key: column.label for column in columns}
        self.problems: list[Problem] = []
        self.total = 0

    def add(self, row: int, key: str | None, message: str) -> None:
        self.total += 1
        if len(self.problems) < MAX_PROBLEMS_SHOWN:
            label = self._labels.get(key)
            self.problems.append(Problem(row, str(label) if label is not None else "", str(message)))

    def add_refusal(self, row: int, key: str | None, error: DomainError | ValidationError) -> None:
        for message in error.messages if isinstance(error, ValidationError) else [error.message]:
            self.add(row, key, message)

    def add_row(self, row: "Row") -> None:
        """The problems found while cleaning the row's cells."""
        for key, error in row.problems:
            self.add_refusal(row.number, key, error)

    def check(self, row: int, key: str | None, rule, /, *args, **kwargs) -> bool:
        """Runs one of a service's rules; the DomainError it raises becomes a problem of this row and column."""
        try:
            rule(*args, **kwargs)
        except DomainError as error:
            self.add(row, key, error.message)
            return False
        return True

    def check_model(self, row: "Row", instance, *, checked: set[str]) -> None:
        """The model's own field validation for the cells of a row that were clean, except ``checked`` (foreign
        keys and uniqueness, which the import checks against what it loaded once)."""
        try:
            instance.full_clean(exclude=[f.name for f in instance._meta.fields
                                         if f.name not in row.values or f.name in checked],
                                validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    self.add(row.number, field, message)

    def __bool__(self) -> bool:
        return self.total > 0

    def refuse_if_any(self) -> None:
        if self.total:
            raise ImportRefused(self.problems, total=self.total)


# Columns --------------------------------------------------------------------------------------------------

class ChoiceByNameField(forms.ChoiceField):
    """A choice typed as its code or as its name in any of SIGAP's languages ("P", "Perempuan" or "Female")."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return ""
        return self._codes().get(_folded(value), value)  # validate() refuses an unknown one with Django's message

    def _codes(self) -> dict[str, str]:
        if not hasattr(self, "_codes_by_name"):
            codes = {}
            for language, _name in settings.LANGUAGES:
                with translation.override(language):
                    codes.update({_folded(str(label)): code for code, label in self.choices if code})
            codes.update({_folded(str(code)): code for code, _label in self.choices if code})
            self._codes_by_name = codes
        return self._codes_by_name


@dataclass(frozen=True)
class Column:
    """One column of an import: its key in the row's values, the form field that cleans its cells (its label is
    the column's name), what to enter and an example for the template's instructions."""

    key: str
    field: forms.Field
    hint: str = ""  # what to enter; the field's help text when empty
    example: object = ""
    choices_in_template: bool = False  # list the field's choices where the column is explained

    @property
    def label(self):
        return self.field.label

    @property
    def help(self) -> str:
        """What to enter, with the valid codes when the column lists them."""
        text = str(self.hint or self.field.help_text)
        if self.choices_in_template:
            text += " " + "; ".join(f"{code} = {label}" for code, label in self.field.choices if code)
        return text.strip()

    @property
    def required(self) -> bool:
        return self.field.required

    @property
    def is_text(self) -> bool:
        return not isinstance(self.field, (forms.DateField, forms.IntegerField, forms.DecimalField))

    def clean(self, value):
        return self.field.clean(_cell(value, field=self.field))

    def names(self) -> set[str]:
        """The names this column may have in a file's header: its label in each language, or its key."""
        names = {_folded(self.key)}
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                names.add(_folded(str(self.label)))
        return names


def _folded(text: str) -> str:
    return " ".join(text.replace("*", " ").split()).casefold()


def _cell(value, *, field: forms.Field):
    """A cell's value as the column's form field expects it: a date or a number as it is when the field takes
    one, anything else as text. Excel turns what looks like a number into one, so a text column takes whole
    numbers back as their digits; a long one that Excel has already rounded is refused."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(field, forms.DateField):
        return value if isinstance(value, datetime.date) else str(value)
    if isinstance(field, (forms.IntegerField, forms.DecimalField)):
        return value if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)
    if isinstance(value, (datetime.date, datetime.time, datetime.timedelta)):
        raise ValidationError(_("Enter text here, not a date or a time."), code="not_text")
    if isinstance(value, float) and value.is_integer():
        if abs(value) >= 1e15:
            raise ValidationError(_("Excel has rounded this long number: format the column as Text and type it "
                                    "again."), code="rounded")
        return str(int(value))
    return str(value)


# Reading --------------------------------------------------------------------------------------------------

@dataclass
class Row:
    number: int  # Excel's row number: the header is row 1
    values: dict  # column key -> cleaned value; a column whose cell was refused is left out
    problems: list[tuple[str, ValidationError]]

    def has(self, *keys: str) -> bool:
        return all(key in self.values for key in keys)


def _check_archive(upload) -> None:
    """Refuses what is not a zip archive or would unpack to too much, without unpacking anything. The sizes are
    the archive's own claims, but Python's zipfile stops unpacking a part at its claimed size."""
    limit = settings.SIGAP_IMPORT_MAX_UNPACKED_BYTES
    not_excel = _("This is not an Excel (.xlsx) file. Download the template, fill it in and save it as .xlsx.")
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise ImportRefused.file(not_excel) from None
    total = 0
    for entry in entries:
        total += entry.file_size
        packed = max(entry.compress_size, 1)
        if total > limit or (entry.file_size > RATIO_APPLIES_FROM and entry.file_size / packed > MAX_RATIO):
            raise ImportRefused.file(_("This file unpacks to far more data than a spreadsheet holds; it was not "
                                       "opened."))
    if not any(entry.filename.startswith("xl/") for entry in entries):  # a .docx or .odt is a zip archive too
        raise ImportRefused.file(not_excel)


def open_workbook(upload):
    """The uploaded workbook, opened for streaming, or ImportRefused with what is wrong with the file."""
    if upload.size > settings.SIGAP_IMPORT_MAX_BYTES:
        raise ImportRefused.file(_("The file is larger than %(size)s MB.") % {
            "size": settings.SIGAP_IMPORT_MAX_BYTES // (1024 * 1024)})
    if upload.size == 0:
        raise ImportRefused.file(_("The file is empty."))
    upload.seek(0)
    _check_archive(upload)
    upload.seek(0)
    try:
        return load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged file; none of them is worth a 500
        raise ImportRefused.file(_("This Excel file is damaged or is not a workbook; it could not be read.")) from None


def _header(cells: tuple, columns: Sequence[Column]) -> list[Column | None]:
    """The column of each position of the header row; refuses missing, unknown and repeated columns."""
    by_name = {}
    for column in columns:
        for name in column.names():
            by_name[name] = column
    positions, seen, unknown = [], set(), []
    for cell in cells:
        name = _folded(str(cell)) if cell is not None else ""
        column = by_name.get(name)
        if not name:
            positions.append(None)
        elif column is None:
            unknown.append(str(cell).strip())
            positions.append(None)
        elif column.key in seen:
            raise ImportRefused.file(_("The column %(column)s appears twice.") % {"column": column.label})
        else:
            seen.add(column.key)
            positions.append(column)
    missing = [str(column.label) for column in columns if column.key not in seen]
    problems = []
    if missing:
        problems.append(Problem(1, "", _("Columns missing: %(columns)s. Use the template.") % {
            "columns": ", ".join(missing)}))
    if unknown:
        problems.append(Problem(1, "", _("Columns the template does not have: %(columns)s.") % {
            "columns": ", ".join(unknown[:20])}))
    if problems:
        raise ImportRefused(problems)
    return positions


def read_rows(upload, columns: Sequence[Column]) -> Iterator[Row]:
    """The rows of the upload's first sheet under the template's header, each cell cleaned by its column.

    Blank rows are skipped. Raises ImportRefused for a problem with the file as a whole: not a workbook, a
    header without the template's columns, no rows, more than ``SIGAP_IMPORT_MAX_ROWS`` rows.
    """
    workbook = open_workbook(upload)
    unreadable = _("This Excel file is damaged or is not a workbook; it could not be read.")
    limit = settings.SIGAP_IMPORT_MAX_ROWS
    try:
        try:
            sheet = workbook.worksheets[0]
            # The size a file declares is not trusted: rows are read as they are, not padded to it.
            sheet.reset_dimensions()
            cells = sheet.iter_rows(values_only=True)
            header = next(cells, None)
        except Exception:
            raise ImportRefused.file(unreadable) from None
        if header is None or all(cell is None or str(cell).strip() == "" for cell in header):
            raise ImportRefused.file(_("The file is empty: the first row must hold the template's column names."))
        positions = _header(header, columns)
        while positions and positions[-1] is None:
            positions.pop()
        width = len(positions)
        count, number = 0, 1
        while True:
            try:
                values = next(cells, None)
            except Exception:
                raise ImportRefused.file(unreadable) from None
            if values is None:
                break
            number += 1
            values = values[:width]  # cells beyond the template's columns are not read
            if all(value is None or (isinstance(value, str) and not value.strip()) for value in values):
                continue
            count += 1
            if count > limit:
                raise ImportRefused.file(_("The file has more than %(max)s rows; split it into several files.") % {
                    "max": limit})
            yield _clean_row(number, values, positions)
        if count == 0:
            raise ImportRefused.file(_("The file has no rows to import under its header."))
    finally:
        workbook.close()


def _clean_row(number: int, values: tuple, positions: list[Column | None]) -> Row:
    row = Row(number, {}, [])
    for index, column in enumerate(positions):
        if column is None:
            continue
        try:
            row.values[column.key] = column.clean(values[index] if index < len(values) else None)
        except ValidationError as error:
            row.problems.append((column.key, error))
    return row


def by_key(queryset, field: str, keys: Iterable) -> dict:
    """The records of ``queryset`` whose ``field`` is one of ``keys``, as a dict keyed by that field; a few
    queries whatever the number of keys."""
    keys = sorted({key for key in keys if key not in (None, "")})
    found = {}
    for start in range(0, len(keys), LOOKUP_CHUNK):
        for record in queryset.filter(**{f"{field}__in": keys[start:start + LOOKUP_CHUNK]}):
            found[getattr(record, field)] = record
    return found


# The template ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CodeList:
    """A sheet of valid codes for the template: a title, a header and rows."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence]


def template_workbook(columns: Sequence[Column], *, lists: Sequence[CodeList] = ()) -> bytes:
    """An .xlsx with the columns' names in the user's language on the first sheet (text columns formatted as
    Text, so Excel keeps leading zeros and 16-digit numbers), a sheet explaining each column, and one sheet per
    list of valid codes."""
    workbook = Workbook()
    data = workbook.active
    data.title = _sheet_title(_("Data"))
    data.append([str(column.label) for column in columns])
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        data[f"{letter}1"].font = Font(bold=True)
        data.column_dimensions[letter].width = max(14, len(str(column.label)) + 4)
        if column.is_text:
            data.column_dimensions[letter].number_format = "@"
    data.freeze_panes = "A2"

    guide = workbook.create_sheet(_sheet_title(_("Instructions")))
    guide.append([_("Fill in the first sheet, one row per record, and upload the file. Every row is checked "
                    "first: nothing is imported unless every row is right.")])
    guide.append([])
    guide.append([_("Column"), _("Required"), _("What to enter"), _("Example")])
    for column in columns:
        guide.append([str(column.label), _("yes") if column.required else _("no"), column.help,
                      neutralise(column.example)])
    for letter, width in zip("ABCD", (24, 10, 80, 24)):
        guide.column_dimensions[letter].width = width

    for code_list in lists:
        sheet = workbook.create_sheet(_sheet_title(str(code_list.title)))
        sheet.append([str(name) for name in code_list.header])
        for row in code_list.rows:
            sheet.append([neutralise(value) for value in row])
        for index in range(1, len(code_list.header) + 1):
            sheet.column_dimensions[get_column_letter(index)].width = 24
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def region_code_lists(user) -> list[CodeList]:
    """The districts and villages of the user's region as a sheet for a template; none for all of Indonesia."""
    if user.region_code is None:  # 90,000 regions: a list to look up, not to scroll
        return []
    regions = Region.objects.within(user.region_code).filter(level__gte=3).select_related("parent")
    return [CodeList(_("Region codes"), [_("Code"), _("Name"), _("In")],
                     ((region.code, region.label(), region.parent.name) for region in regions))]


def template_response(filename: str, columns: Sequence[Column], *, lists: Sequence[CodeList] = ()) -> FileResponse:
    return FileResponse(io.BytesIO(template_workbook(columns, lists=lists)), as_attachment=True,
                        filename=f"{filename}.xlsx", content_type=XLSX)


def _sheet_title(title: str) -> str:
    """Excel refuses some characters in sheet names and more than 31 of them."""
    return "".join(" " if ch in "[]:*?/\\" else ch for ch in title)[:31]


def create_all(objects: list, model, *, by) -> int:
    """Write an import's records with their history in one transaction; a record someone else registered
    meanwhile refuses the whole file."""
    from django.db import IntegrityError, transaction
    from simple_history.utils import bulk_create_with_history

    try:
        with transaction.atomic():
            bulk_create_with_history(objects, model, batch_size=IMPORT_BATCH_SIZE, default_user=by)
    except IntegrityError:
        raise ImportRefused.file(_("Someone registered some of these records while the file was checked; "
                                   "upload it again to see which.")) from None
    return len(objects)


IMPORT_BATCH_SIZE = 2000


def import_page(request, *, title: str, columns: Sequence[Column], run, done, template_url: str, back_url: str):
    """The upload page of an import: ``run(rows=…, by=…)`` imports all rows or raises ImportRefused, whose
    problems the page lists; ``done(count)`` is the message on success, and the page goes back to ``back_url``."""
    from django.contrib import messages
    from django.shortcuts import redirect, render

    form = ImportForm(request.POST or None, request.FILES or None)
    refused = None
    if request.method == "POST" and form.is_valid():
        try:
            count = run(rows=read_rows(form.cleaned_data["file"], columns), by=request.user)
        except ImportRefused as error:
            refused = error
        else:
            messages.success(request, done(count))
            return redirect(back_url)
    return render(request, "import.html", {"title": title, "form": form, "refused": refused, "columns": columns,
                                           "template_url": template_url, "back_url": back_url})


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel file (.xlsx)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs.update({"accept": ".xlsx," + XLSX})

    @property
    def max_rows(self) -> int:
        return settings.SIGAP_IMPORT_MAX_ROWS

    @property
    def max_mb(self) -> int:
        return settings.SIGAP_IMPORT_MAX_BYTES // (1024 * 1024)
