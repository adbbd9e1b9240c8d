"""A five-participant, five-day Bimtek recorded through the training-day grid on a 360 px phone, in Indonesian, with
its requests and taps counted against one participant-day through the single output form."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from sigap.conftest import PHONE_WIDTH, page_width, painted, sign_in
from sigap.production.models import Batch, Status
from sigap.trainings import services
from sigap.trainings.models import Attendance
from sigap.trainings.tests.conftest import PARTICIPANTS, make_person

pytestmark = pytest.mark.browser

OUTPUT = [[3, 4, 5, 6, 7], [5, 5, 5, 5, 5], [2, 0, 4, 4, 6], [8, 8, 7, 9, 8], [1, 2, 3, 4, 5]]  # per day, per person
ABSENT = (2, 3)  # on the third day Rahmat Hidayat (the fourth by name) is ill


class Counter:
    """The page's document and XHR requests, and the person's taps (a click or a filled field each)."""

    def __init__(self, page: Page):
        self.requests = 0
        self.taps = 0
        page.on("request", self._count)

    def _count(self, request):
        if request.resource_type in ("document", "xhr", "fetch"):
            self.requests += 1

    def click(self, locator):
        self.taps += 1
        locator.click()

    def fill(self, locator, value):
        self.taps += 1
        locator.fill(value)

    def choose(self, locator, label):
        self.taps += 2  # open the list, pick the line
        locator.select_option(label=label)

    def reset(self):
        self.requests = self.taps = 0


@pytest.fixture
def class_of_five(live_world):
    """An online HSU mask training over the last five days before yesterday, with five participants."""
    w = live_world
    today = timezone.localdate()
    first = today - datetime.timedelta(days=6)
    w.training = services.training_save(
        by=w.hsu_officer, office=w.hsu_office, title="Bimtek Masker Lima Hari", mode="online", starts_on=first,
        ends_on=first + datetime.timedelta(days=4), product=w.mask, target=250, quota=5, instructors=[])
    w.enrolments = [services.enrolment_create(training=w.training, person=make_person(name), by=w.hsu_officer)
                    for name in sorted(PARTICIPANTS[:5])]  # the grid's order
    return w


def assert_fits(page: Page) -> None:
    width = page_width(page)
    assert width <= PHONE_WIDTH, f"{page.url} is {width} px wide on a {PHONE_WIDTH} px screen"


def test_a_five_day_class_is_recorded_through_the_grid_on_a_phone(page: Page, live_server, class_of_five):
    w = class_of_five
    base = live_server.url
    training = w.training
    sign_in(page, base, w.instructor.username)
    count = Counter(page)

    # Before: one participant-day through the participant's own output form, from the training's page.
    page.goto(f"{base}{training.get_absolute_url()}")
    painted(page)
    count.reset()
    count.click(page.locator("nav.subnav").get_by_role("link", name="Catat hasil produksi", exact=True))
    form = page.locator("main form.form")
    count.choose(form.get_by_label("Peserta"), w.enrolments[0].person.name)
    count.fill(form.get_by_label("Jumlah yang dibuat"), "3")
    count.fill(form.get_by_label("Tanggal"), training.starts_on.isoformat())
    count.click(form.get_by_role("button", name="Simpan", exact=True))
    expect(page).to_have_url(f"{base}{training.get_absolute_url()}")
    painted(page)
    single = (count.requests, count.taps)
    assert single == (3, 6)  # the form, its POST and the training page it returns to
    Batch.objects.filter(producer_person__isnull=False).delete()  # measured only

    # After: every day of the class through the grid.
    count.reset()
    count.click(page.locator("nav.subnav").get_by_role("link", name="Catat hari pelatihan", exact=True))
    expect(page.locator("main h1")).to_have_text("Hari pelatihan")
    painted(page)
    assert_fits(page)
    grid = page.locator("main form.day-grid")
    expect(grid.locator("input[inputmode=numeric]")).to_have_count(5)
    expect(grid.locator("legend")).to_have_text([e.person.name for e in w.enrolments])
    for number, day in enumerate(training.days):
        url = f"{base}{reverse('trainings:day', args=[training.pk])}?date={day.isoformat()}"
        if page.url != url:
            count.click(page.locator(f'nav.day-nav a[href="?date={day.isoformat()}"]'))
            expect(page).to_have_url(url)
            painted(page)
        expect(page.locator("main p.note").first).to_contain_text("Hari ini belum dicatat")
        for person, enrolment in enumerate(w.enrolments):
            row = grid.locator("fieldset.participant").filter(
                has=page.locator("legend", has_text=enrolment.person.name))
            expect(row.get_by_label("Daring", exact=True)).to_be_checked()  # as the training runs: online
            if (number, person) == ABSENT:
                count.click(row.get_by_label("Tidak hadir", exact=True))
                count.fill(row.get_by_label("Alasan jika tidak hadir"), "Sakit")
            if OUTPUT[number][person]:
                count.fill(row.locator("input[inputmode=numeric]"), str(OUTPUT[number][person]))
        assert_fits(page)
        count.click(grid.get_by_role("button", name="Simpan catatan hari ini", exact=True))
        expect(page).to_have_url(url)
        expect(page.locator(".messages li.success")).to_contain_text("menunggu pemeriksaan")
        painted(page)
        # The saved day opens with its entries.
        expect(page.locator("main p.note").first).to_contain_text("Hari ini sudah dicatat")
    grid_counts = (count.requests, count.taps)
    # Requests: 1 to open the grid (on the last day), 5 day links, 5 saves each a POST and the day it returns to.
    # Taps: 1 + 5 links + 24 outputs (one is 0, left empty) + 2 for the absence and its reason + 5 saves.
    assert grid_counts == (16, 37)

    # Opening a recorded day shows it, never a blank day that would overwrite it.
    page.goto(f"{base}{reverse('trainings:day', args=[training.pk])}?date={training.starts_on.isoformat()}")
    painted(page)
    first_row = grid.locator("fieldset.participant").first
    expect(first_row.locator("input[inputmode=numeric]")).to_have_value(str(OUTPUT[0][0]))

    assert Attendance.objects.filter(enrolment__training=training).count() == 25
    absent = Attendance.objects.get(mode="absent")
    assert (absent.day, absent.enrolment, absent.absence_reason) == (training.days[2], w.enrolments[3], "Sakit")
    batches = Batch.objects.filter(training=training, status=Status.AWAITING_INSPECTION)
    assert batches.count() == 5  # the health expert inspects 5 batches, not one per participant-day
    assert sorted(batches.values_list("produced_on", "quantity")) == [
        (day, sum(OUTPUT[i])) for i, day in enumerate(training.days)]
    print(f"\nSingle output form, one participant-day: {single[0]} requests, {single[1]} taps "
          f"(x25 participant-days: {25 * single[0]} requests, {25 * single[1]} taps, 25 batches); "
          f"grid, 5 participants x 5 days: {grid_counts[0]} requests, {grid_counts[1]} taps, {batches.count()} batches")
