"""An office brings its people on board by itself, on 360 px phones, in Indonesian: the provincial officer registers
the Tanah Bumbu industry office (63.10, which the test world does not use) and invites its district officer by
WhatsApp; on the officer's own phone the invitation sets a password and signs in; the officer registers an IKM
partner and invites its user, who on a third phone sets a password and records production. Nothing but
``live_world`` (the province's office and officer) is made in set-up."""

import collections
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from sigap.accounts.models import Role, User
from sigap.conftest import sign_in
from sigap.organisations.models import Kind, Organisation
from sigap.partners.models import Partner
from sigap.production.models import Batch, Status
from sigap.tests.onboarding import accept_invitation, choose, fits, invite, open_logins, register_office, success, \
    tap, taps

pytestmark = pytest.mark.browser

OFFICE = "Dinas Perindustrian dan Perdagangan Kabupaten Tanah Bumbu"
OFFICE_SHORT = "Disperindag Tanbu"
OFFICER, OFFICER_PHONE, OFFICER_PASSWORD = "sari.tanbu", "0812 5131 0100", "pesisir-batulicin-7"
PARTNER = "Konveksi Batulicin Jaya"
PARTNER_USER, PARTNER_PHONE, PARTNER_PASSWORD = "masitah", "0813 5131 0200", "jahitan-rapi-2026"
MADE = 40
# From the provincial officer's sign-in to the partner's first batch (three people, three phones): what the
# journey costs today, so that a change that makes it longer is noticed. Taps are clicks on links and buttons and
# choices in a select; typing is not counted. Page loads are the documents the phones fetch, redirects included.
TAPS, PAGE_LOADS = 31, 31


def _phone(browser, browser_context_args, requests: collections.Counter, refused: list) -> Page:
    """Another person's phone: a fresh browser context, its requests counted, its console watched for the
    Content-Security-Policy (the autouse guard watches only the ``page`` fixture)."""
    context = browser.new_context(**browser_context_args)
    _watch(context, requests, refused)
    return context.new_page()


def _watch(context, requests: collections.Counter, refused: list) -> None:
    def count(request):
        requests.update(["htmx" if request.headers.get("hx-request") else request.resource_type])
        if not request.url.startswith("http://127.0.0.1:"):
            requests.update(["outside SIGAP"])

    context.on("request", count)
    context.on("console", lambda m: "Content Security Policy" in m.text and refused.append(m.text))


def _register_partner(page: Page, base: str, suit_pk: int) -> None:
    tap(page.locator("nav.menu").get_by_role("link", name="Mitra IKM", exact=True))
    fits(page)
    tap(page.locator(f'main a.button[href="{reverse("partners:create")}"]'))
    expect(page.locator("main h1")).to_have_text("Daftarkan mitra")
    form = page.locator("main form.form")
    form.locator("input[name=name]").fill(PARTNER)
    form.locator("input[name=nib]").fill("9120001310001")
    form.locator("input[name=owner_name]").fill("Hj. Masitah")
    form.locator("input[name=address]").fill("Jl. Raya Batulicin No. 12")
    choose(form.locator("select[name=district]"), value="63.10.01")  # the officer's regency: kecamatan first
    village = form.locator("select[name=village]")
    expect(village.locator('option[value="63.10.01.1007"]')).to_be_attached()  # htmx brought the villages
    choose(village, value="63.10.01.1007")
    form.locator("input[name=phone]").fill(PARTNER_PHONE)
    choose(form.locator("select[name=sector]"), value="garment")
    choose(form.locator("select[name=assisting_office]"), label=OFFICE_SHORT)
    form.locator("input[name=joined_on]").fill("2020-04-01")
    choose(form.locator("select[name='products-0-item']"), value=str(suit_pk))
    form.locator("input[name='products-0-weekly_capacity']").fill("60")
    fits(page)
    tap(form.locator("button.primary"))
    expect(page).to_have_url(re.compile(re.escape(base) + r"/partners/\d+/$"))
    success(page, f"Mitra {PARTNER} berhasil didaftarkan.")


def _record_production(page: Page, base: str, suit_name: str) -> None:
    tap(page.locator("nav.menu").get_by_role("link", name="Produksi", exact=True))
    expect(page).to_have_url(f"{base}{reverse('production:list')}")
    fits(page)
    tap(page.locator("main").get_by_role("link", name="Catat produksi", exact=True))
    expect(page.locator("main h1")).to_have_text("Catat produksi")
    fits(page)
    form = page.locator("main form.form")
    choose(form.locator("select[name=product]"), label=suit_name)
    form.locator("input[name=quantity]").fill(str(MADE))
    expect(form.locator("input[name=produced_on]")).to_have_value(timezone.localdate().isoformat())
    tap(form.locator("button.primary"))
    expect(page).to_have_url(re.compile(re.escape(base) + r"/production/\d+/$"))
    success(page, re.compile(r"^Batch \S+ berhasil dicatat dan kini menunggu pemeriksaan mutu\.$"))


def test_an_office_brings_its_people_on_board_from_phones(page: Page, browser, browser_context_args, live_server,
                                                           live_world):
    w = live_world
    base = live_server.url
    requests, refused = collections.Counter(), []
    _watch(page.context, requests, refused)
    taps.clear()

    # The provincial officer registers the office and invites its district officer.
    sign_in(page, base, w.province_officer.username)
    taps["tap"] += 1
    fits(page)
    office_pk = register_office(
        page, base, name=OFFICE, short_name=OFFICE_SHORT, code="DISPERINDAG-TANBU",
        kind=Kind.DISTRICT_INDUSTRY_OFFICE, regency="63.10", head_name="H. Rahmat Hidayat",
        head_title="Kepala Dinas Perindustrian dan Perdagangan")
    open_logins(page, base, office_name=OFFICE)
    officer_link = invite(page, base, username=OFFICER, first_name="Sari", role=Role.DISTRICT_OFFICER,
                          organisation=OFFICE_SHORT, phone=OFFICER_PHONE, position="Kepala Seksi IKM")

    # On her own phone, the district officer sets her password, registers a partner and invites its user.
    officer = _phone(browser, browser_context_args, requests, refused)
    accept_invitation(officer, base, officer_link, username=OFFICER, password=OFFICER_PASSWORD)
    _register_partner(officer, base, w.suit.pk)
    open_logins(officer, base)
    partner_link = invite(officer, base, username=PARTNER_USER, first_name="Masitah", role=Role.PARTNER,
                          partner=PARTNER, phone=PARTNER_PHONE)

    # On a third phone, the partner's user sets a password and records a batch.
    partner = _phone(browser, browser_context_args, requests, refused)
    accept_invitation(partner, base, partner_link, username=PARTNER_USER, password=PARTNER_PASSWORD)
    _record_production(partner, base, w.suit.name)
    tapped, page_loads, signed_up = taps["tap"], requests["document"], sum(requests.values())

    # The used link says so, and whom to ask for a new one.
    officer.goto(officer_link)
    expect(officer.locator("main h1")).to_have_text("Tautan ini tidak dapat dipakai")
    expect(officer.locator("main")).to_contain_text("Tautan ini sudah dipakai")
    expect(officer.locator("main")).to_contain_text(f"minta tautan baru kepada {w.province_office.name}")
    fits(officer)

    # What the pages wrote.
    office = Organisation.objects.get(pk=office_pk)
    assert (office.name, office.short_name, office.kind, office.region_id) == (
        OFFICE, OFFICE_SHORT, Kind.DISTRICT_INDUSTRY_OFFICE, "63.10")
    district_officer = User.objects.get(username=OFFICER)
    assert (district_officer.role, district_officer.organisation, district_officer.partner,
            district_officer.invited_by, district_officer.is_invited) == (
        Role.DISTRICT_OFFICER, office, None, w.province_officer, False)
    assert district_officer.check_password(OFFICER_PASSWORD)
    assert district_officer.phone == "+6281251310100"
    the_partner = Partner.objects.get(name=PARTNER)
    assert (the_partner.assisting_office, the_partner.region_id) == (office, "63.10.01.1007")
    partner_user = User.objects.get(username=PARTNER_USER)
    assert (partner_user.role, partner_user.partner, partner_user.organisation, partner_user.invited_by,
            partner_user.is_invited) == (Role.PARTNER, the_partner, None, district_officer, False)
    assert partner_user.check_password(PARTNER_PASSWORD)
    batch = Batch.objects.get()
    assert (batch.producer_partner, batch.producer_person, batch.product, batch.quantity, batch.status) == (
        the_partner, None, w.suit, MADE, Status.AWAITING_INSPECTION)

    assert refused == []  # nothing refused by the Content-Security-Policy, on any of the three phones
    assert requests["outside SIGAP"] == 0
    assert tapped <= TAPS and page_loads <= PAGE_LOADS, (tapped, page_loads)
    print(f"\nonboarding: {tapped} taps, {signed_up} requests ({dict(requests)})")
