"""The fair split of a training's target, and each participant's progress, pace and the forecast."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sigap.quality.services import inspection_record
from sigap.trainings.progress import split_target, training_progress
from sigap.trainings.services import attendance_record, home_visit_record, output_record, targets_set
from sigap.trainings.tests.conftest import FIRST_DAY, LAST_DAY, PARTICIPANTS, enrol, make_training

DAY_2 = FIRST_DAY + datetime.timedelta(days=1)


# --- split_target ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("total, parts, shares", [
    (60, 7, [9, 9, 9, 9, 8, 8, 8]),   # HSU's PPE-set training: "about 9 sets per participant"
    (500, 5, [100] * 5),              # HSU's mask training: 500 masks by 5 participants
    (2, 5, [1, 1, 0, 0, 0]),
    (0, 3, [0, 0, 0]),
    (7, 1, [7]),
    (60, 0, []),
    (60, -1, []),
])
def test_a_target_is_split_as_evenly_as_whole_units_allow(total, parts, shares):
    assert split_target(total, parts) == shares


@settings(max_examples=300, deadline=None)
@given(total=st.integers(min_value=0, max_value=10_000_000), parts=st.integers(min_value=1, max_value=500))
def test_split_shares_add_up_differ_by_at_most_one_and_come_largest_first(total, parts):
    shares = split_target(total, parts)
    assert len(shares) == parts
    assert sum(shares) == total
    assert max(shares) - min(shares) <= 1
    assert shares == sorted(shares, reverse=True)
    assert all(isinstance(share, int) and share >= 0 for share in shares)


@given(total=st.integers(min_value=0, max_value=10_000), parts=st.integers(max_value=0))
def test_no_parts_means_no_shares(total, parts):
    assert split_target(total, parts) == []


# --- training_progress -------------------------------------------------------------------------------------------

@pytest.fixture
def running(hsu):
    """Three participants with 20 masks each to make on 18–20 May 2020. After two days:

    - Muhammad Fahri: 10 + 8 made, the first 10 inspected (9 accepted, 1 rejected); online, then visited at home.
    - Rahmat Hidayat: 5 made; absent on day one, online on day two.
    - Siti Nurhaliza: nothing made; in person on day one, absent on day two.
    """
    w = hsu
    w.training = make_training(w, target=60, quota=5)
    w.fahri, w.siti, w.rahmat = enrol(w, w.training, PARTICIPANTS[:3])
    targets_set(training=w.training, targets={w.fahri.pk: 20, w.siti.pk: 20, w.rahmat.pk: 20}, by=w.hsu_officer)
    attendance_record(training=w.training, day=FIRST_DAY, by=w.instructor,
                      marks={w.fahri: "online", w.rahmat: "absent", w.siti: "in_person"})
    attendance_record(training=w.training, day=DAY_2, by=w.instructor,
                      marks={w.fahri: "online", w.rahmat: "online", w.siti: "absent"})
    home_visit_record(enrolment=w.fahri, instructor=w.teacher, visited_on=DAY_2, problem="Lapis ketiga bergeser",
                      action="Dijahit ulang bersama", by=w.instructor)
    first = output_record(enrolment=w.fahri, quantity=10, produced_on=FIRST_DAY, by=w.instructor)
    output_record(enrolment=w.fahri, quantity=8, produced_on=DAY_2, by=w.instructor)
    output_record(enrolment=w.rahmat, quantity=5, produced_on=FIRST_DAY, by=w.instructor)
    inspection_record(batch=first, by=w.health_expert, inspected_on=DAY_2, sample_size=3, accepted=9, rejected=1,
                      reject_reason="Tali telinga lepas", results=[])
    return w


def _rows(progress):
    return {row.enrolment.person.name: row for row in progress.participants}


def test_progress_sums_each_participants_output_acceptance_and_days_present(running):
    progress = training_progress(running.training, as_of=DAY_2)
    rows = _rows(progress)
    assert {name: (r.target, r.produced, r.accepted, r.days_present) for name, r in rows.items()} == {
        "Muhammad Fahri": (20, 18, 9, 2),   # the home visit counts as a day present
        "Rahmat Hidayat": (20, 5, 0, 1),
        "Siti Nurhaliza": (20, 0, 0, 1),
    }
    assert (progress.target, progress.produced, progress.accepted) == (60, 23, 9)
    assert progress.percent == 38 and rows["Muhammad Fahri"].percent == 90
    assert progress.as_of == DAY_2


def test_the_projection_extends_each_participants_pace_to_the_last_day(running):
    rows = _rows(training_progress(running.training, as_of=DAY_2))
    # Two days elapsed and one to go: 18 + 18/2 = 27; 5 + round(2.5) = 7 (rounded half to even); 0.
    assert {name: r.projected for name, r in rows.items()} == {
        "Muhammad Fahri": 27, "Rahmat Hidayat": 7, "Siti Nurhaliza": 0}
    assert {name for name, r in rows.items() if r.at_risk} == {"Rahmat Hidayat", "Siti Nurhaliza"}


def test_the_forecast_divides_the_target_by_the_pace_so_far(running):
    # 23 masks in two days is 11.5 a day; 60 take ceil(5.2) = 6 days: 18 May + 5 = 23 May, after the last day.
    progress = training_progress(running.training, as_of=DAY_2)
    assert progress.forecast == datetime.date(2020, 5, 23)


def test_after_the_last_day_the_projection_is_what_was_made(running):
    progress = training_progress(running.training, as_of=datetime.date(2020, 6, 30))
    rows = _rows(progress)
    assert {name: r.projected for name, r in rows.items()} == {
        "Muhammad Fahri": 18, "Rahmat Hidayat": 5, "Siti Nurhaliza": 0}
    assert len(progress.at_risk) == 3
    # Pace counts only the three days of the training, not the weeks after: 23 / 3 a day -> 8 days.
    assert progress.forecast == FIRST_DAY + datetime.timedelta(days=7)


def test_a_reached_target_forecasts_the_day_of_the_last_output_and_nobody_is_at_risk(running):
    w = running
    output_record(enrolment=w.fahri, quantity=2, produced_on=LAST_DAY, by=w.instructor)
    output_record(enrolment=w.rahmat, quantity=15, produced_on=LAST_DAY, by=w.instructor)
    output_record(enrolment=w.siti, quantity=20, produced_on=DAY_2, by=w.instructor)
    progress = training_progress(w.training, as_of=LAST_DAY)
    assert progress.produced == 60 and progress.percent == 100
    assert progress.forecast == LAST_DAY
    assert progress.at_risk == []


def test_making_more_than_the_target_caps_the_percentage_at_100(running):
    w = running
    output_record(enrolment=w.fahri, quantity=30, produced_on=LAST_DAY, by=w.instructor)
    progress = training_progress(w.training, as_of=LAST_DAY)
    row = _rows(progress)["Muhammad Fahri"]
    assert row.produced == 48 and row.percent == 100 and not row.at_risk


def test_a_training_without_output_has_no_forecast(hsu):
    w = hsu
    training = make_training(w)
    enrol(w, training, PARTICIPANTS[:2])
    progress = training_progress(training, as_of=DAY_2)
    assert progress.produced == 0 and progress.forecast is None
    assert [r.days_present for r in progress.participants] == [0, 0]


def test_progress_counts_only_this_trainings_batches(running):
    w = running
    other = make_training(w, title="Bimtek Lanjutan", starts_on=datetime.date(2020, 6, 1),
                          ends_on=datetime.date(2020, 6, 3))
    from sigap.trainings.services import enrolment_create

    again = enrolment_create(training=other, person=w.fahri.person, by=w.hsu_officer)
    output_record(enrolment=again, quantity=40, produced_on=datetime.date(2020, 6, 1), by=w.instructor)
    assert _rows(training_progress(w.training, as_of=DAY_2))["Muhammad Fahri"].produced == 18
    assert _rows(training_progress(other, as_of=datetime.date(2020, 6, 1)))["Muhammad Fahri"].produced == 40


def test_before_the_first_day_nobody_is_at_risk_yet(hsu):
    from sigap.trainings.services import targets_split_evenly

    w = hsu
    training = make_training(w, target=60)
    enrol(w, training, PARTICIPANTS[:3])
    targets_split_evenly(training=training, by=w.hsu_officer)
    progress = training_progress(training, as_of=FIRST_DAY - datetime.timedelta(days=3))
    assert [row.target for row in progress.participants] == [20, 20, 20]
    assert all(row.projected is None for row in progress.participants) and progress.forecast is None
    assert progress.at_risk == []


def test_a_training_without_a_target_has_no_completion_forecast(hsu):
    w = hsu
    training = make_training(w, target=0)
    (enrolment,) = enrol(w, training, PARTICIPANTS[:1])
    output_record(enrolment=enrolment, quantity=12, produced_on=FIRST_DAY, by=w.instructor)
    progress = training_progress(training, as_of=DAY_2)
    assert progress.produced == 12
    assert progress.forecast is None or progress.forecast >= FIRST_DAY


def test_progress_lists_participants_by_name(hsu):
    w = hsu
    training = make_training(w)
    names = sorted(PARTICIPANTS[:7], reverse=True)
    enrol(w, training, names)
    progress = training_progress(training, as_of=DAY_2)
    assert [row.enrolment.person.name for row in progress.participants] == sorted(names)
