"""Importing rows from an uploaded Excel file, and the template to fill in.

An import is all or nothing: every row is checked first, every problem is reported by row and column (a
``Report``), and the caller writes only when there are none. Each column cleans its cells with a form field, so
a cell is refused with the same validators and messages as the page that records one record at a time.

A file is refused before openpyxl parses it when it is larger than ``SIGAP_IMPORT_MAX_BYTES``, is not a zip
archive (every .xlsx is one), or would unpack to more than ``SIGAP_IMPORT_MAX_UNPACKED_BYTES`` or at a ratio no
spreadsheet has (a zip bomb). Then the header row of the first sheet and the workbook's shared-string table (the
one copy of each distinct text, which openpyxl loads whole) are read streaming: a header without the template's
columns, or more distinct texts than an import of ``SIGAP_IMPORT_MAX_ROWS`` rows can hold, is refused before
openpyxl loads anything. openpyxl then reads the file streaming (``read_only``), taking cached values rather
than formulas (``data_only``).
"""

import datetime
import difflib
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from xml.parsers import expat

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils import translation
from django.utils.translation import gettext as _, gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS

from sigap.lib.errors import DomainError
from sigap.lib.export import neutralise
from sigap.regions.models import Region

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Worksheet XML packs 5 to 30 times; a part that unpacks to 200 times its size is made to fill memory.
MAX_RATIO = 200
RATIO_APPLIES_FROM = 1024 * 1024  # bytes unpacked: small parts may pack as they like
MAX_PROBLEMS_SHOWN = 500
# Distinct texts a workbook may hold besides an import's rows: the header, the instructions and the code lists of
# the template (an administrator's list of every partner holds two texts for each).
OTHER_TEXTS = 300_000
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

    def add_unknown(self, row: int, key: str, message: str, value, choices: dict) -> None:
        """A code that is not one of ``choices`` (code -> name): the message, the value as the file has it, and
        the closest valid codes by code or by name."""
        self.add(row, key, unknown_code_message(message, value, choices))

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


def close_codes(value, choices: dict, *, n: int = 3) -> list[str]:
    """The codes of ``choices`` (code -> name) closest to ``value``, compared with the codes and with the names."""
    text = str(value).strip()
    if not text or not choices:
        return []
    found = difflib.get_close_matches(text.upper(), {str(code).upper(): code for code in choices}, n=n, cutoff=0.6)
    by_upper = {str(code).upper(): code for code in choices}
    codes = [by_upper[match] for match in found]
    by_name = {}
    for code, name in choices.items():
        by_name.setdefault(_folded(str(name)), code)
    for match in difflib.get_close_matches(_folded(text), by_name, n=n, cutoff=0.6):
        if by_name[match] not in codes:
            codes.append(by_name[match])
    return codes[:n]


def unknown_code_message(message: str, value, choices: dict) -> str:
    """``message`` with the refused value and, when there are some, the closest valid codes with their names."""
    text = _("%(message)s (“%(value)s”)") % {"message": message, "value": value}
    close = close_codes(value, choices)
    if close:
        text += " " + _("Did you mean: %(codes)s?") % {
            "codes": ", ".join(f"{code} ({choices[code]})" for code in close)}
    return text


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


def read_only_label(label) -> str:
    """The name of an exported column that an import reads past (a producer's name beside its NIB, a status)."""
    return _("%(column)s (read only)") % {"column": label}


def _is_read_only(name: str) -> bool:
    """Whether a folded header names a read-only column of an export, in any of SIGAP's languages."""
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            marker = _folded(read_only_label("")).strip()
        if name.endswith(marker):
            return True
    return False


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


def open_workbook(upload, columns: Sequence[Column]):
    """The uploaded workbook, opened for streaming, or ImportRefused with what is wrong with the file (its header
    included: it is checked before openpyxl loads the workbook's texts)."""
    if upload.size > settings.SIGAP_IMPORT_MAX_BYTES:
        raise ImportRefused.file(_("The file is larger than %(size)s MB.") % {
            "size": settings.SIGAP_IMPORT_MAX_BYTES // (1024 * 1024)})
    if upload.size == 0:
        raise ImportRefused.file(_("The file is empty."))
    upload.seek(0)
    _check_archive(upload)
    upload.seek(0)
    _check_header_and_texts(upload, columns)
    upload.seek(0)
    try:
        return load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged file; none of them is worth a 500
        raise ImportRefused.file(_unreadable()) from None


def _unreadable() -> str:
    return _("This Excel file is damaged or is not a workbook; it could not be read.")


# Reading ahead of openpyxl ------------------------------------------------------------------------------------

ROW, CELL, VALUE, INLINE, TEXT, RUN = (f"{SHEET_MAIN_NS} {name}" for name in ("row", "c", "v", "is", "t", "r"))
TABLE, STRING = f"{SHEET_MAIN_NS} sst", f"{SHEET_MAIN_NS} si"
CHUNK = 64 * 1024


class _Stop(Exception):
    """Ends a streaming read once it has what it needs."""


class _Damaged(Exception):
    pass


def _stream(archive: zipfile.ZipFile, name: str, reader) -> None:
    """Feeds one part of the archive to expat in chunks, with ``reader.attach(parser)`` setting the handlers:
    nothing but what they keep stays in memory. A DTD is refused (no spreadsheet has one; it is how XML is made
    to expand)."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True

    def no_dtd(*args):
        raise _Damaged

    parser.StartDoctypeDeclHandler = no_dtd
    parser.EntityDeclHandler = no_dtd
    reader.attach(parser)
    try:
        with archive.open(name) as part:
            while chunk := part.read(CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _Stop:
        pass


class _FirstRow:
    """The cells of a worksheet's first row as (column, type, value), the value as the XML has it (a shared
    text's number, an inline text), read as openpyxl's worksheet reader reads them. ``cells`` stays None when
    openpyxl's first row would be empty: the sheet has no row, or its first row is not row 1."""

    def __init__(self):
        self.cells: list[tuple[int, str, str | None]] | None = None
        self._path: list[str] = []  # the elements open inside the row
        self._cell: dict = {}

    def attach(self, parser) -> None:
        parser.StartElementHandler, parser.EndElementHandler = self._start, self._end
        parser.CharacterDataHandler = self._text

    def _start(self, name, attrs):
        path, cell = self._path, self._cell
        if self.cells is None:
            if name != ROW:
                return
            if attrs.get("r") is not None and float(attrs["r"]) != 1:
                raise _Stop
            self.cells = []
        path.append(name)
        if name == CELL and len(path) == 2:
            coordinate = attrs.get("r")
            column = coordinate_to_tuple(coordinate)[1] if coordinate else (
                self.cells[-1][0] + 1 if self.cells else 1)
            cell.clear()
            cell.update(column=column, type=attrs.get("t", "n"), value=None)
        elif (name == VALUE and len(path) == 3) or (name == TEXT and self._inline_text()):
            cell["text"] = []

    def _end(self, name):
        path, cell = self._path, self._cell
        if self.cells is None:
            return
        if name == VALUE and len(path) == 3 and cell.get("type") != "inlineStr":
            cell["value"] = "".join(cell.pop("text")) or None
        elif name == TEXT and self._inline_text() and cell.get("type") == "inlineStr":
            cell["value"] = (cell["value"] or "") + "".join(cell.pop("text"))
        elif name == CELL and len(path) == 2:
            self.cells.append((cell["column"], cell["type"], cell["value"]))
        path.pop()
        if not path:
            raise _Stop

    def _text(self, data):
        if "text" in self._cell:
            self._cell["text"].append(data)

    def _inline_text(self) -> bool:
        """A text of the cell's inline string (row, c, is, t), or of one of its runs (row, c, is, r, t)."""
        path = self._path
        return path[2:] == [INLINE, TEXT] or path[2:] == [INLINE, RUN, TEXT]


class _SharedTexts:
    """Counts the texts of the shared-string table as it streams, refusing more than ``limit`` (and first a table
    that says it holds more), and calls ``found`` with the texts at the positions ``wanted`` once it has them
    all; after that it only counts."""

    def __init__(self, wanted: set[int], *, limit: int, found):
        self.wanted, self.limit, self.found = wanted, limit, found
        self.count = 0
        self.texts: dict[int, str] = {}
        self._path: list[str] = []
        self._current: list[str] = []

    def attach(self, parser) -> None:
        self._parser = parser
        parser.StartElementHandler, parser.EndElementHandler = self._start, self._end
        parser.CharacterDataHandler = self._text

    def _too_many(self) -> ImportRefused:
        return ImportRefused.file(_("This file holds more distinct texts than an import of %(rows)s rows can; it "
                                    "was not opened.") % {"rows": settings.SIGAP_IMPORT_MAX_ROWS})

    def _start(self, name, attrs):
        self._path.append(name)
        if name == TABLE and len(self._path) == 1:
            declared = attrs.get("uniqueCount", "")
            if declared.isdigit() and int(declared) > self.limit:
                raise self._too_many()
            if not self.wanted:
                self._only_count()
        elif name == STRING:
            self._current.clear()

    def _end(self, name):
        self._path.pop()
        if name == STRING:
            if self.count in self.wanted:
                self.texts[self.count] = "".join(self._current).replace("x005F_", "")  # as openpyxl reads it
            self._counted()
            if len(self.texts) == len(self.wanted):
                self.found(self.texts)
                self._only_count()

    def _text(self, data):
        # a text of the string (si, t) or of one of its runs (si, r, t); not of its phonetic guide (si, rPh, t)
        path = self._path
        if self.count in self.wanted and path[-1] == TEXT and (
                path[-2] == STRING or (path[-2] == RUN and path[-3] == STRING)):
            self._current.append(data)

    def _counted(self):
        self.count += 1
        if self.count > self.limit:
            raise self._too_many()

    def _only_count(self):
        """One call per element from here on: the rest of the table is counted, not read."""
        def end(name):
            if name == STRING:
                self._counted()

        self._parser.StartElementHandler = self._parser.CharacterDataHandler = None
        self._parser.EndElementHandler = end


def _check_header_and_texts(upload, columns: Sequence[Column]) -> None:
    """Refuses, before openpyxl loads the workbook, a first sheet whose header is not the template's and a
    shared-string table with more texts than ``SIGAP_IMPORT_MAX_ROWS`` rows of these columns (and the template's
    other sheets) can hold. The header's texts are read from the table first; the rest is only counted."""
    limit = settings.SIGAP_IMPORT_MAX_ROWS * len(columns) + OTHER_TEXTS
    try:
        reader = ExcelReader(upload, read_only=True, data_only=True, keep_links=False)
        try:
            reader.read_manifest()
            reader.read_workbook()  # the workbook part and its relationships: which part is the first sheet
            sheets = [rel.target for _sheet, rel in reader.parser.find_sheets()
                      if rel.target in reader.valid_files and "chartsheet" not in rel.Type]
            if not sheets:
                raise _Damaged
            first_row = _FirstRow()
            _stream(reader.archive, sheets[0], first_row)
            if first_row.cells is None:
                _check_header((), columns)
            cells = first_row.cells
            wanted = {int(value) for _column, kind, value in cells if kind == "s" and value is not None}

            def check(texts: dict[int, str]) -> None:
                _check_header(_header_values(cells, texts), columns)

            if not wanted:
                check({})
            table = reader.package.find(SHARED_STRINGS)
            if table is not None and table.PartName[1:] in reader.valid_files:
                texts = _SharedTexts(wanted, limit=limit, found=check)
                _stream(reader.archive, table.PartName[1:], texts)
                if len(texts.texts) < len(wanted):
                    raise _Damaged  # a cell names a text the table does not have
            elif wanted:
                raise _Damaged
        finally:
            reader.archive.close()
    except ImportRefused:
        raise
    except Exception:  # a damaged or hostile file, whichever of its parts is wrong
        raise ImportRefused.file(_unreadable()) from None


def _header_values(cells: list[tuple[int, str, str | None]], texts: dict[int, str]) -> tuple:
    """The header row's values placed by column, as openpyxl would give them (a number as a number)."""
    width = cells[-1][0] if cells else 0
    values: list = [None] * width
    for column, kind, value in cells:
        if column > width or value is None:
            continue
        if kind == "s":
            value = texts[int(value)]
        elif kind == "n":
            value = float(value) if any(mark in value for mark in ".eE") else int(value)
        elif kind == "b":
            value = bool(int(value))
        values[column - 1] = value
    return tuple(values)


def _check_header(header, columns: Sequence[Column]) -> list[Column | None]:
    """The header row's column positions, without the empty ones at its end; refuses an empty header."""
    if header is None or all(cell is None or str(cell).strip() == "" for cell in header):
        raise ImportRefused.file(_("The file is empty: the first row must hold the template's column names."))
    positions = _header(header, columns)
    while positions and positions[-1] is None:
        positions.pop()
    return positions


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
        if not name or (column is None and _is_read_only(name)):
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
    workbook = open_workbook(upload, columns)
    unreadable = _unreadable()
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
        positions = _check_header(header, columns)
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
    """A list of valid codes for the template's code sheet: a title, a header and rows (the code first). With
    ``column`` (an import column's key) the column's cells offer the codes as a drop-down list."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence]
    column: str = ""
    dropdown_rows: int | None = None  # the drop-down offers only the first rows (the districts before the villages)


# A drop-down longer than this is no help (and Excel slows down): the codes stay on the code sheet to look up.
MAX_DROPDOWN = 1000
DATE_FORMAT = "yyyy-mm-dd"


def template_workbook(columns: Sequence[Column], *, lists: Sequence[CodeList] = (), title: str = "") -> bytes:
    """An .xlsx whose first sheet (``title``) has the columns' names in the user's language (text columns
    formatted as Text, so Excel keeps leading zeros and 16-digit numbers; date columns as dates), a sheet
    explaining each column, and a sheet of the valid codes ("Codes") from which the columns that take them offer
    a drop-down list."""
    workbook = Workbook()
    data = workbook.active
    data.title = _sheet_title(title or _("Data"))
    data.append([str(column.label) for column in columns])
    letters = {}
    for index, column in enumerate(columns, start=1):
        letter = letters[column.key] = get_column_letter(index)
        data[f"{letter}1"].font = Font(bold=True)
        data.column_dimensions[letter].width = max(14, len(str(column.label)) + 4)
        if column.is_text:
            data.column_dimensions[letter].number_format = "@"
        elif isinstance(column.field, forms.DateField):
            data.column_dimensions[letter].number_format = DATE_FORMAT
        elif isinstance(column.field, forms.IntegerField):
            data.column_dimensions[letter].number_format = "0"
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

    if lists:
        _code_sheet(workbook, data, lists, letters)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _code_sheet(workbook, data, lists: Sequence[CodeList], letters: dict) -> None:
    """The code lists one under the other on one sheet, each under its title; a list of at most MAX_DROPDOWN
    codes becomes its column's drop-down (a warning, not a refusal, for a code typed that is not listed: the
    import checks every code anyway and names the closest ones)."""
    codes = workbook.create_sheet(_sheet_title(_("Codes")))
    quoted = codes.title.replace("'", "''")
    for code_list in lists:
        codes.append([str(code_list.title)])
        codes.cell(row=codes.max_row, column=1).font = Font(bold=True)
        codes.append([str(name) for name in code_list.header])
        first = codes.max_row + 1
        for row in code_list.rows:
            codes.append([neutralise(value) for value in row])
        last = codes.max_row
        codes.append([])
        if code_list.dropdown_rows is not None:
            last = min(last, first + code_list.dropdown_rows - 1)
        if code_list.column in letters and first <= last <= first + MAX_DROPDOWN - 1:
            letter = letters[code_list.column]
            validation = DataValidation(
                type="list", formula1=f"'{quoted}'!$A${first}:$A${last}", allow_blank=True, showErrorMessage=True,
                errorStyle="warning", errorTitle=_("Not in the list"),
                error=_("This code is not in the list on the sheet of codes."))
            validation.add(f"{letter}2:{letter}{settings.SIGAP_IMPORT_MAX_ROWS + 1}")
            data.add_data_validation(validation)
    for letter, width in zip("ABC", (24, 40, 24)):
        codes.column_dimensions[letter].width = width


def region_code_lists(user) -> list[CodeList]:
    """The districts and villages of the user's region for a template's code sheet, the districts first; the
    region column's drop-down offers them all when they are few enough (a regency's), else the districts only (a
    province's). None for all of Indonesia."""
    if user.region_code is None:  # 90,000 regions: a list to look up, not to scroll
        return []
    regions = sorted(Region.objects.within(user.region_code).filter(level__gte=3).select_related("parent"),
                     key=lambda region: (region.level, region.code))
    districts = sum(1 for region in regions if region.level == 3)
    return [CodeList(_("Region codes"), [_("Code"), _("Name"), _("In")],
                     [(region.code, region.label(), region.parent.name) for region in regions], column="region",
                     dropdown_rows=None if len(regions) <= MAX_DROPDOWN else districts)]


class RegionCodes:
    """The villages and districts (code -> name) a mistyped region code may have meant, loaded once per import on
    the first unknown code: those of the user's region, or for all of Indonesia those under the code's regency."""

    def __init__(self, user):
        self.user = user
        self._by_scope: dict = {}

    def near(self, value) -> dict:
        scope = self.user.region_code
        if scope is None:
            scope = ".".join(str(value).split(".")[:2])
            if len(scope) != 5:
                return {}
        if scope not in self._by_scope:
            self._by_scope[scope] = dict(Region.objects.within(scope).filter(level__gte=3)
                                         .order_by("code").values_list("code", "name"))
        return self._by_scope[scope]


def template_response(filename: str, columns: Sequence[Column], *, lists: Sequence[CodeList] = (),
                      title: str = "") -> FileResponse:
    return FileResponse(io.BytesIO(template_workbook(columns, lists=lists, title=title)), as_attachment=True,
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


class DuplicateRows(ImportRefused):
    """Nothing was imported: rows of the file are already recorded. The operator may import it anyway."""


def import_page(request, *, title: str, columns: Sequence[Column], run, done, template_url: str, back_url: str,
                confirm_duplicates: bool = False):
    """The upload page of an import: ``run(rows=…, by=…)`` imports all rows or raises ImportRefused, whose
    problems the page lists; ``done(count)`` is the message on success, and the page goes back to ``back_url``.
    With ``confirm_duplicates`` ``run`` also takes ``allow_duplicates``: the page's "import anyway" box, offered
    once DuplicateRows has listed the rows already recorded."""
    from django.contrib import messages
    from django.shortcuts import redirect, render

    form = ImportForm(request.POST or None, request.FILES or None, confirm=confirm_duplicates)
    refused = None
    if request.method == "POST" and form.is_valid():
        extra = {"allow_duplicates": form.cleaned_data["confirm"]} if confirm_duplicates else {}
        try:
            count = run(rows=read_rows(form.cleaned_data["file"], columns), by=request.user, **extra)
        except ImportRefused as error:
            refused = error
        else:
            messages.success(request, done(count))
            return redirect(back_url)
    duplicates = isinstance(refused, DuplicateRows)
    if "confirm" in form.fields and not duplicates:  # offered once the rows already recorded have been listed
        del form.fields["confirm"]
    return render(request, "import.html", {"title": title, "form": form, "refused": refused, "columns": columns,
                                           "duplicates": duplicates,
                                           "template_url": template_url, "back_url": back_url})


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel file (.xlsx)"))
    confirm = forms.BooleanField(
        label=gettext_lazy("Import anyway"), required=False,
        help_text=gettext_lazy("Only after checking the rows listed as already recorded: they will be recorded "
                               "a second time."))

    def __init__(self, *args, confirm: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs.update({"accept": ".xlsx," + XLSX})
        if not confirm:
            del self.fields["confirm"]

    @property
    def max_rows(self) -> int:
        return settings.SIGAP_IMPORT_MAX_ROWS

    @property
    def max_mb(self) -> int:
        return settings.SIGAP_IMPORT_MAX_BYTES // (1024 * 1024)
