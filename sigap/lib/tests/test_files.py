import re

import pytest

from sigap.lib.files import is_plain_path, random_name


@pytest.mark.parametrize("path", [
    "listings/12/0f3a9c.jpg", "listings/12/0f3a9c-480.jpg", "trainings/3/modul_jahit.v2.pdf", "a", "foto_ké.jpg",
])
def test_plain_paths_are_accepted(path):
    assert is_plain_path(path)


@pytest.mark.security
@pytest.mark.parametrize("path", [
    "", "/", "listings/../trainings/1/a.pdf", "listings/..", "..", "../x", "listings/./a.jpg", "./a.jpg",
    "listings//a.jpg", "listings/a.jpg/", "/etc/passwd", "listings\\..\\a.jpg", "listings/a\\b.jpg",
    "listings/%2e%2e/a.jpg", "listings/%252e/a.jpg", "listings/.hidden", "C:/windows/a", "listings/a\x00.jpg",
    "listings/a .jpg", "listings/a\n.jpg", "listings/\uff0e\uff0e/a.jpg", "listings/a\u2215b.jpg",
])
def test_paths_not_written_the_one_plain_way_are_refused(path):
    assert not is_plain_path(path)


def test_a_random_name_keeps_only_a_plain_lower_case_extension():
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", random_name("Modul Jahit Hazmat.PDF"))
    assert re.fullmatch(r"[0-9a-f]{32}", random_name("tanpa-ekstensi"))
    assert re.fullmatch(r"[0-9a-f]{32}", random_name("x.p df"))
    assert re.fullmatch(r"[0-9a-f]{32}", random_name("..\\..\\x.p%2fdf"))
    assert re.fullmatch(r"[0-9a-f]{32}\.jpg", random_name(suffix=".jpg"))
    assert random_name("a.pdf") != random_name("a.pdf")
