import datetime

import pytest
from django.test import RequestFactory

from sigap.lib.export import local_time, neutralise, requested_format


@pytest.mark.parametrize("value, expected", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+6281234", "'+6281234"),
    ("-1", "'-1"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\tcmd", "'\tcmd"),
    ("Konveksi", "Konveksi"),
    (42, 42),
    (None, None),
])
def test_cells_a_spreadsheet_would_run_are_kept_as_text(value, expected):
    assert neutralise(value) == expected


@pytest.mark.parametrize("query, expected", [({}, "csv"), ({"format": "xlsx"}, "xlsx"), ({"format": "exe"}, "csv"),
                                             ({"format": "XLSX"}, "csv")])
def test_an_unknown_format_is_answered_with_csv(query, expected):
    assert requested_format(RequestFactory().get("/", query)) == expected


def test_a_time_is_written_as_the_office_reads_it_in_wita():
    moment = datetime.datetime(2020, 6, 1, 6, 5, tzinfo=datetime.UTC)
    assert local_time(moment) == "2020-06-01 14:05"
    assert local_time(None) == ""
