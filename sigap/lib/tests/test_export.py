import pytest

from sigap.lib.export import neutralise


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
