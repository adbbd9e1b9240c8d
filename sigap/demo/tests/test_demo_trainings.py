"""The demo reproduces HSU's two trainings as the May 2020 report tells them."""

import datetime
from collections import defaultdict
from decimal import Decimal

import pytest

from sigap.demo.data import load_demo
from sigap.demo.trainings import DAILY_MASKS, MASK_PARTICIPANTS, MASK_TRAINING, SET_PARTICIPANTS, SET_TRAINING
from sigap.production.models import Batch
from sigap.quality.models import Inspection
from sigap.stock.ledger import audit, on_hand
from sigap.stock.models import StockDocument
from sigap.stock.services import location_for
from sigap.trainings.models import Attendance, Enrolment, HomeVisit, Programme, Training
from sigap.trainings.progress import training_progress

MAY_18, MAY_19, MAY_20 = (datetime.date(2020, 5, d) for d in (18, 19, 20))


def _counts():
    return tuple(model.objects.count() for model in (
        Programme, Training, Enrolment, Attendance, HomeVisit, Batch, Inspection, StockDocument))


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, loaded twice, once for the whole module; rolled back at the end. The settings are those the
    function-scoped ``_test_settings`` fixture gives every test (fast hasher, memory cache, files in a temporary
    folder), which a module-scoped fixture does not get."""
    from django.db import transaction
    from django.test import override_settings

    test_settings = override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        STORAGES={"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                  "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}},
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
    )
    with test_settings, django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        first = _counts()
        load_demo()
        second = _counts()
        yield first, second
        transaction.set_rollback(True)


def test_loading_the_demo_twice_adds_no_training_records(demo, db):
    first, second = demo
    assert second == first
    assert first[:3] == (1, 2, 12)   # one programme, two trainings, 5 + 7 participants


def test_hsu_s_online_mask_training_has_five_participants_over_three_days(demo, db):
    masks = Training.objects.get(title=MASK_TRAINING)
    assert (masks.office.code, masks.mode, masks.starts_on, masks.ends_on) == (
        "DISPERINDAGKOP-UKM-HSU", "online", MAY_18, MAY_20)
    assert masks.product.code == "masker-kain-3-lapis" and masks.target == 500 and masks.quota == 5
    assert sorted(e.person.name for e in masks.enrolments.all()) == sorted(MASK_PARTICIPANTS)
    assert {e.person.region_id[:5] for e in masks.enrolments.all()} == {"63.08"}
    assert list(masks.enrolments.values_list("target", flat=True)) == [100] * 5
    assert masks.health_expert.name == "dr. Rina Marlina"
    assert [p.name for p in masks.instructors.all()] == ["Hj. Masniah"]
    assert masks.programme.partner_offices.get().code == "DISPERIN-KALSEL"


def test_the_mask_training_made_500_masks_and_all_500_were_accepted(demo, db):
    masks = Training.objects.get(title=MASK_TRAINING)
    batches = Batch.objects.filter(training=masks)
    assert sum(b.quantity for b in batches) == 500 and batches.count() == 15
    assert {b.status for b in batches} == {"inspected"}
    inspections = Inspection.objects.filter(batch__training=masks)
    assert sum(i.accepted for i in inspections) == 500 and sum(i.rejected for i in inspections) == 0
    per_day = defaultdict(int)
    for batch in batches:
        per_day[batch.produced_on] += batch.quantity
    assert dict(per_day) == {MAY_18: 150, MAY_19: 175, MAY_20: 175}
    assert [5 * n for n in DAILY_MASKS] == [150, 175, 175]


def test_the_mask_training_progress_shows_every_participant_done(demo, db):
    masks = Training.objects.get(title=MASK_TRAINING)
    progress = training_progress(masks, as_of=datetime.date(2020, 5, 21))
    assert (progress.target, progress.produced, progress.accepted, progress.percent) == (500, 500, 500, 100)
    assert {(r.target, r.produced, r.accepted, r.days_present) for r in progress.participants} == {(100, 100, 100, 3)}
    assert progress.at_risk == [] and progress.forecast == MAY_20


def test_the_mask_training_had_one_home_visit_that_counts_as_attendance(demo, db):
    masks = Training.objects.get(title=MASK_TRAINING)
    visit = HomeVisit.objects.get(enrolment__training=masks)
    assert (visit.enrolment.person.name, visit.instructor.name, visit.visited_on) == ("Nor Aida", "Hj. Masniah",
                                                                                       MAY_19)
    assert Attendance.objects.get(enrolment=visit.enrolment, day=MAY_19).mode == "home_visit"
    assert Attendance.objects.filter(enrolment__training=masks).count() == 15
    assert Attendance.objects.filter(enrolment__training=masks, mode="absent").count() == 0


def test_the_mask_kits_came_from_the_province_and_were_used_up(demo, db):
    masks = Training.objects.get(title=MASK_TRAINING)
    enrolments = list(masks.enrolments.select_related("kit", "person"))
    assert all(e.kit is not None and e.kit.kind == "issue" for e in enrolments)
    fabric = enrolments[0].kit.lines.get(item__code="kain-sasirangan")
    assert fabric.quantity == Decimal("6")   # 0.06 m a mask x 100 masks
    hsu_store = location_for(masks.office)
    assert on_hand(fabric.item, hsu_store) == 0
    assert all(on_hand(fabric.item, location_for(e.person)) == 0 for e in enrolments)
    assert audit() == []


def test_the_planned_set_training_has_seven_participants_and_a_target_of_60(demo, db):
    sets = Training.objects.get(title=SET_TRAINING)
    assert (sets.product.code, sets.target, sets.quota, sets.mode) == ("set-apd", 60, 7, "offline")
    enrolments = list(sets.enrolments.select_related("person").order_by("person__name"))
    assert sorted(e.person.name for e in enrolments) == sorted(SET_PARTICIPANTS)
    assert [e.target for e in enrolments] == [9, 9, 9, 9, 8, 8, 8]
    assert sets.health_expert.name == "dr. Rina Marlina" and sets.instructors.count() == 1
    assert not Batch.objects.filter(training=sets).exists()
    assert not Attendance.objects.filter(enrolment__training=sets).exists()
