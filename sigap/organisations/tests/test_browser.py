"""A provincial officer registers the Tanah Bumbu industry office on a 360 px phone, picking its region level by
level, then without JavaScript."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from sigap.conftest import PHONE_WIDTH, page_width, sign_in
from sigap.organisations.models import Organisation

pytestmark = pytest.mark.browser


def _fill(form, *, name: str, code: str, kind: str) -> None:
    form.locator("input[name=name]").fill(name)
    form.locator("input[name=code]").fill(code)
    form.locator("select[name=kind]").select_option(kind)


def test_a_provincial_officer_picks_tanah_bumbu_then_a_kecamatan_on_a_phone(page: Page, live_server, live_world):
    base = live_server.url
    sign_in(page, base, live_world.province_officer.username)
    page.goto(f"{base}{reverse('organisations:create')}")
    assert page_width(page) <= PHONE_WIDTH
    form = page.locator("main form.form")
    _fill(form, name="BPBD Kabupaten Tanah Bumbu", code="BPBD-TANBU", kind="disaster_agency")
    expect(form.locator("select[name=province]")).to_have_value("63")  # the only province within reach
    form.locator("select[name=regency]").select_option("63.10")
    district = form.locator("select[name=district]")
    expect(district.locator('option[value="63.10.01"]')).to_be_attached()  # htmx filled the kecamatan
    district.select_option("63.10.01")
    expect(form.locator("select[name=village] option").nth(1)).to_have_attribute("value", re.compile(r"^63\.10\.01\."))
    form.locator("select[name=regency]").select_option("63.01")  # another regency empties the village select
    expect(form.locator("select[name=village] option")).to_have_count(1)
    expect(district.locator('option[value="63.01.01"]')).to_be_attached()
    form.locator("select[name=regency]").select_option("63.10")
    expect(district.locator('option[value="63.10.01"]')).to_be_attached()
    form.locator("button.primary").click()
    expect(page).to_have_url(re.compile(re.escape(base) + r"/organisations/\d+/$"))
    assert Organisation.objects.get(code="BPBD-TANBU").region_id == "63.10"


@pytest.mark.parametrize("browser_context_args", [{"java_script_enabled": False, "locale": "id-ID",
                                                   "viewport": {"width": PHONE_WIDTH, "height": 740}}])
def test_without_javascript_the_button_brings_the_next_level(page: Page, live_server, live_world,
                                                             browser_context_args):
    base = live_server.url
    sign_in(page, base, live_world.province_officer.username)
    page.goto(f"{base}{reverse('organisations:create')}")
    form = page.locator("main form.form")
    _fill(form, name="Dinas Perindustrian Kabupaten Tanah Bumbu", code="DISPERIN-TANBU",
          kind="district_industry_office")
    form.locator("select[name=regency]").select_option("63.10")
    form.get_by_role("button", name="Tampilkan wilayah di bawah yang dipilih").click()
    expect(form.locator("input[name=name]")).to_have_value("Dinas Perindustrian Kabupaten Tanah Bumbu")
    expect(form.locator('select[name=district] option[value="63.10.01"]')).to_be_attached()
    form.locator("button.primary").click()
    expect(page).to_have_url(re.compile(re.escape(base) + r"/organisations/\d+/$"))
    assert Organisation.objects.get(code="DISPERIN-TANBU").region_id == "63.10"
