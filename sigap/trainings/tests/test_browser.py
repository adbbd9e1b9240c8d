"""An instructor's day on a phone-sized screen: attendance, a home visit and a participant's output, in the
real browser (Debian's Chromium, 360 px, Indonesian), against the live server."""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from sigap.conftest import PHONE_WIDTH, page_width
from sigap.people.services import person_create
from sigap.production.models import Batch
from sigap.regions.models import Region
from sigap.trainings import services
from sigap.trainings.models import Attendance, HomeVisit

pytestmark = pytest.mark.browser

PASSWORD = "sandi-rahasia-1"
TITLE = "Bimtek Daring Masker Kain Amuntai"
PROBLEM = "Lapis kedua terlipat saat dijahit"
ACTION = "Instruktur menjahit ulang bersama peserta dengan pola"
# NIKs of Amuntai Tengah (63.08.05): district code, birth date DDMMYY (women's day + 40) and a serial.
INSTRUCTOR = {"name": "Hj. Masniah Rahman", "nik": "6308054503780001", "sex": "P",
              "birth_date": datetime.date(1978, 3, 5), "region_id": "63.08.05.1003"}
PARTICIPANTS = [
    {"name": "Ahmad Fadillah", "nik": "6308051201000002", "sex": "L", "birth_date": datetime.date(2000, 1, 12),
     "region_id": "63.08.05.1001"},
    {"name": "Nor Hasanah", "nik": "6308056307990003", "sex": "P", "birth_date": datetime.date(1999, 7, 23),
     "region_id": "63.08.05.1002"},
    {"name": "Rizal Maulana", "nik": "6308050102010004", "sex": "L", "birth_date": datetime.date(2001, 2, 1),
     "region_id": "63.08.05.2006"},
]
VISITED, ONLINE_1, ONLINE_2 = (p["name"] for p in PARTICIPANTS)
PRODUCER = ONLINE_1


def _person(world, kind, region_id, **fields):
    """Registered by the HSU officer through the people service, which checks the NIK against the region."""
    region = Region.objects.get(code=region_id)
    return person_create(by=world.hsu_officer, kind=kind, address="Jl. Norman Umar", region=region, **fields)


@pytest.fixture
def running_training(live_world):
    """An online HSU mask training that runs from yesterday to tomorrow, its instructor (whose user is
    world.instructor) and three enrolled participants from Amuntai Tengah."""
    w = live_world
    today = timezone.localdate()
    instructor = _person(w, "instructor", **INSTRUCTOR)
    w.instructor.person = instructor
    w.instructor.save()
    training = services.training_save(
        by=w.hsu_officer, office=w.hsu_office, title=TITLE, mode="online", starts_on=today - datetime.timedelta(1),
        ends_on=today + datetime.timedelta(1), product=w.mask, target=300, quota=5, instructors=[instructor])
    enrolments = {}
    for fields in PARTICIPANTS:
        person = _person(w, "participant", **fields)
        enrolments[person.name] = services.enrolment_create(training=training, person=person, by=w.hsu_officer)
    services.targets_split_evenly(training=training, by=w.hsu_officer)
    return SimpleNamespace(world=w, training=training, instructor=instructor, enrolments=enrolments, today=today)


def assert_fits(page: Page) -> None:
    width = page_width(page)
    assert width <= PHONE_WIDTH, f"{page.url} is {width} px wide on a {PHONE_WIDTH} px screen"


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}{reverse('login')}")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    assert_fits(page)
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button.primary").click()
    expect(page).to_have_url(f"{base}{reverse('home')}")
    assert_fits(page)


def open_training(page: Page, base: str, training) -> None:
    """From the main menu to the training list, and from there to the training."""
    page.locator("nav.menu").get_by_role("link", name="Pelatihan", exact=True).click()
    expect(page).to_have_url(f"{base}{reverse('trainings:list')}")
    expect(page.locator("main h1")).to_have_text("Pelatihan (Bimtek)")
    assert_fits(page)
    page.locator("main table.list").get_by_role("link", name=TITLE).click()
    expect(page).to_have_url(f"{base}{training.get_absolute_url()}")
    expect(page.locator("main h1")).to_have_text(TITLE)
    assert_fits(page)


def open_training_day_page(page: Page, base: str, label: str, name: str, training) -> None:
    """A link of the "training day" bar of the training page: Kehadiran, Kunjungan rumah, Catat hasil produksi."""
    page.locator("nav.subnav").get_by_role("link", name=label, exact=True).click()
    expect(page).to_have_url(f"{base}{reverse(f'trainings:{name}', args=[training.pk])}")
    assert_fits(page)


def save_and_return(page: Page, base: str, button: str, message: str, training) -> None:
    page.locator("main form.form").get_by_role("button", name=button, exact=True).click()
    expect(page).to_have_url(f"{base}{training.get_absolute_url()}")
    expect(page.locator(".messages li.success")).to_have_text(message)
    assert_fits(page)


def progress_cell(page: Page, name: str, column: str):
    """The cell of a participant's row of the progress table under a column heading."""
    table = page.locator("main table.list")
    headings = [text.strip() for text in table.locator("thead th").all_inner_texts()]
    return table.locator("tbody tr").filter(has_text=name).locator("td").nth(headings.index(column))


def mark_attendance(page: Page, base: str, run) -> None:
    open_training_day_page(page, base, "Kehadiran", "attendance", run.training)
    expect(page.locator("main h1")).to_have_text("Kehadiran")
    expect(page.get_by_label("Hari/tanggal")).to_have_value(run.today.isoformat())
    marks = {VISITED: "Dikunjungi di rumah", ONLINE_1: "Daring", ONLINE_2: "Daring"}
    for name, label in marks.items():
        radio = page.locator("ul.checklist li").filter(has_text=name).get_by_label(label, exact=True)
        radio.check()
        expect(radio).to_be_checked()
    assert_fits(page)
    save_and_return(page, base, "Simpan kehadiran", "Kehadiran berhasil disimpan.", run.training)
    for name in marks:  # the progress table counts the day for each of them
        expect(progress_cell(page, name, "Hari hadir")).to_have_text("1")


def record_home_visit(page: Page, base: str, run) -> None:
    open_training_day_page(page, base, "Kunjungan rumah", "visit", run.training)
    expect(page.locator("main h1")).to_have_text("Catat kunjungan rumah")
    form = page.locator("main form.form")
    form.get_by_label("Peserta").select_option(label=VISITED)
    # The signed-in instructor is chosen already, and the visit is dated today.
    expect(form.get_by_label("Instruktur")).to_have_value(str(run.instructor.pk))
    expect(form.get_by_label("Tanggal")).to_have_value(run.today.isoformat())
    form.get_by_label("Kendala").fill(PROBLEM)
    form.get_by_label("Tindakan yang dilakukan").fill(ACTION)
    assert_fits(page)
    save_and_return(page, base, "Simpan", "Kunjungan rumah berhasil dicatat.", run.training)
    expect(page.locator("main")).to_contain_text(f"{VISITED} ({INSTRUCTOR['name']}): {PROBLEM} → {ACTION}")


def record_output(page: Page, base: str, run) -> str:
    """Records the output; returns the message, which names the new batch."""
    open_training_day_page(page, base, "Catat hasil produksi", "output", run.training)
    expect(page.locator("main h1")).to_have_text("Catat hasil produksi peserta")
    form = page.locator("main form.form")
    form.get_by_label("Peserta").select_option(label=PRODUCER)
    form.get_by_label("Jumlah yang dibuat").fill("25")
    form.get_by_label("Tanggal").fill(run.today.isoformat())
    assert_fits(page)
    form.get_by_role("button", name="Simpan", exact=True).click()
    expect(page).to_have_url(f"{base}{run.training.get_absolute_url()}")
    message = page.locator(".messages li.success")
    expect(message).to_have_text(re.compile(r"^Hasil produksi berhasil dicatat sebagai batch \S+ dan menunggu "
                                            r"pemeriksaan mutu\.$"))
    assert_fits(page)
    return message.inner_text()


def test_an_instructors_day_on_a_phone_in_indonesian(page: Page, live_server, running_training):
    run = running_training
    w = run.world
    base = live_server.url
    requested, failed = [], []
    page.on("request", lambda request: requested.append(request.url))
    page.on("response", lambda response: response.status >= 400 and failed.append((response.status, response.url)))

    sign_in(page, base, w.instructor.username)
    open_training(page, base, run.training)
    expect(page.locator("main dl.facts")).to_contain_text(INSTRUCTOR["name"])
    mark_attendance(page, base, run)
    record_home_visit(page, base, run)
    message = record_output(page, base, run)

    # The training page shows the output in the progress table: 25 of the participant's 100.
    expect(page.locator("main h2").first).to_have_text("Capaian")
    expect(progress_cell(page, PRODUCER, "Target")).to_have_text("100")
    expect(progress_cell(page, PRODUCER, "Diproduksi")).to_have_text("25")
    expect(progress_cell(page, PRODUCER, "Diterima")).to_have_text("0")  # until a health expert inspects it
    for name in (VISITED, ONLINE_2):
        expect(progress_cell(page, name, "Diproduksi")).to_have_text("0")
    expect(page.locator("main")).to_contain_text("25 / 300")
    assert_fits(page)

    attendance = Attendance.objects.filter(enrolment__training=run.training)
    assert {(a.enrolment.person.name, a.day, a.mode, a.recorded_by_id) for a in attendance} == {
        (VISITED, run.today, "home_visit", w.instructor.pk),
        (ONLINE_1, run.today, "online", w.instructor.pk),
        (ONLINE_2, run.today, "online", w.instructor.pk),
    }
    visit = HomeVisit.objects.get()
    assert (visit.enrolment, visit.instructor, visit.visited_on, visit.problem, visit.action, visit.recorded_by) == (
        run.enrolments[VISITED], run.instructor, run.today, PROBLEM, ACTION, w.instructor)
    batch = Batch.objects.get()
    assert batch.training == run.training
    assert batch.producer_person == run.enrolments[PRODUCER].person and batch.producer_partner is None
    assert (batch.product, batch.quantity, batch.produced_on, batch.status) == (w.mask, 25, run.today, "awaiting")
    assert batch.reported_by == w.instructor
    assert batch.code == f"{run.today:%Y%m%d}-{batch.pk:05d}" and f" {batch.code} " in message

    assert any(url.endswith(".css") for url in requested) and any(url.endswith(".js") for url in requested)
    outside = [url for url in requested if not url.startswith(f"{base}/")]
    assert outside == [], f"requests left {base}: {outside}"
    assert failed == []
