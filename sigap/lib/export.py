"""Lists as CSV or Excel, streamed so memory stays flat however long the list.

Every text cell that a spreadsheet would read as a formula (= + - @, or a leading tab or carriage return) is
prefixed with an apostrophe, so an exported name like "=HYPERLINK(…)" stays text (CSV/formula injection).
"""

import csv
import datetime
import tempfile
from collections.abc import Iterable, Sequence

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "xlsx")


def requested_format(request) -> str:
    """The ``format`` a download link asks for; anything unknown gets CSV."""
    fmt = request.GET.get("format", "csv")
    return fmt if fmt in FORMATS else "csv"


def local_time(moment) -> str:
    """An aware datetime as the office reads it ("2020-06-01 14:05"), since spreadsheets keep no time zone."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    def write(self, value):
        return value


def _csv_lines(header: Sequence[str], rows: Iterable[Sequence]):
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so Excel opens the file as UTF-8
    yield writer.writerow([str(h) for h in header])
    for row in rows:
        yield writer.writerow([neutralise("" if value is None else value) for value in row])


DATE_FORMAT = "yyyy-mm-dd"


def _xlsx_value(sheet, value):
    """A date as a date cell (Excel sorts and filters it as a date), anything else as it is."""
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    return neutralise(value)


def export_response(fmt: str, filename: str, header: Sequence[str], rows: Iterable[Sequence], *, sheet: str = ""):
    """A download of ``rows`` under ``header``; ``fmt`` is "csv" or "xlsx". In Excel, ``sheet`` names the sheet,
    dates are date cells and numbers numbers."""
    if fmt == "xlsx":
        workbook = Workbook(write_only=True)  # rows go to disk as they come
        worksheet = workbook.create_sheet(title=str(sheet)[:31] or None)
        worksheet.append([str(h) for h in header])
        for row in rows:
            worksheet.append([_xlsx_value(worksheet, value) for value in row])
        handle = tempfile.TemporaryFile()
        workbook.save(handle)
        handle.seek(0)
        return FileResponse(handle, as_attachment=True, filename=f"{filename}.xlsx",
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response = StreamingHttpResponse(_csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
