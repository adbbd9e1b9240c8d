"""Handovers posted at the same moment, on PostgreSQL: real row locks, one connection per thread.

Each thread opens its own connection (Django gives every thread one) and closes it at the end; a barrier lets
them start together. The data is committed (``transactional_db``), so every thread sees it; the tables are
flushed afterwards and sigap/conftest.py loads the regions again for the tests that follow.
"""

import datetime
import threading

import pytest
from django.db import connection, connections

from conftest import make_world
from sigap.handovers.models import Handover, Sequence
from sigap.handovers.services import handover_create
from sigap.stock.ledger import InsufficientStock, audit, on_hand
from sigap.stock.services import location_for_office, receipt_record

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: row locks and real concurrency"),
]

JUNE_2020 = datetime.date(2020, 6, 15)
JUNE_2019 = datetime.date(2019, 6, 14)
TIMEOUT = 60


@pytest.fixture
def committed_world(transactional_db):
    world = make_world()
    world.store = location_for_office(world.tala_office)
    return world


def run_together(calls):
    """Run each call in its own thread, all released at once by a barrier; return ("ok", value) or
    ("error", exception) per call, in order."""
    barrier = threading.Barrier(len(calls), timeout=TIMEOUT)
    results = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait()
            results[index] = ("ok", call())
        except Exception as error:  # noqa: BLE001 - reported to the test
            results[index] = ("error", error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, call), daemon=True) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a handover hung (deadlock?)"
    return results


def handover_call(w, *, by, quantity, day):
    return lambda: handover_create(
        office=w.tala_office, receiver=w.gtpp_tala, giver_name="Masturi", giver_position="Kepala Dinas",
        receiver_name="H. Dahnial Kifli", receiver_position="Sekretaris Daerah", purpose="use", handed_over_on=day,
        place="Pelaihari", lines=[(w.suit, quantity, None)], by=by)


def test_two_officers_taking_the_same_last_units_at_once_one_succeeds_and_the_store_ends_at_zero(committed_world):
    """Twenty rounds. In even rounds both handovers fall in the same year, so they also queue for the same
    number; in odd rounds they fall in different years, so they meet only at the stock balance."""
    w = committed_world
    rounds, last_units = 20, 4
    numbers = []
    for round_ in range(rounds):
        receipt_record(office=w.tala_office, supplier=w.province_office, date=datetime.date(2020, 6, 1),
                       lines=[(w.suit, last_units)], by=w.tala_officer)
        other_day = JUNE_2020 if round_ % 2 == 0 else JUNE_2019
        results = run_together([handover_call(w, by=w.tala_officer, quantity=last_units, day=JUNE_2020),
                                handover_call(w, by=w.province_officer, quantity=last_units, day=other_day)])
        outcomes = sorted(kind for kind, _value in results)
        assert outcomes == ["error", "ok"], (round_, results)
        error = next(value for kind, value in results if kind == "error")
        assert isinstance(error, InsufficientStock), (round_, error)
        numbers.append(next(value for kind, value in results if kind == "ok").number)
        assert on_hand(w.suit, w.store) == 0, round_

    assert Handover.objects.count() == rounds and len(set(numbers)) == rounds
    # A refused handover gives its number back: each year's numbers run on without a gap.
    by_year = {year: sorted(n for n in numbers if n.endswith(f"/{year}")) for year in (2019, 2020)}
    for year, taken in by_year.items():
        assert taken == [f"{i:03d}/BAST/DISNAKERIND-TALA/VI/{year}" for i in range(1, len(taken) + 1)]
        last = Sequence.objects.filter(office=w.tala_office, year=year).values_list("last", flat=True).first()
        assert (last or 0) == len(taken)
    assert audit() == []


def test_ten_handovers_at_once_get_ten_consecutive_numbers(committed_world):
    w = committed_world
    receipt_record(office=w.tala_office, supplier=w.province_office, date=datetime.date(2020, 6, 1),
                   lines=[(w.suit, 100)], by=w.tala_officer)
    officers = [w.tala_officer, w.province_officer]
    results = run_together([handover_call(w, by=officers[i % 2], quantity=7, day=JUNE_2020) for i in range(10)])
    assert [kind for kind, _value in results] == ["ok"] * 10, results
    numbers = sorted(value.number for _kind, value in results)
    assert numbers == [f"{i:03d}/BAST/DISNAKERIND-TALA/VI/2020" for i in range(1, 11)]
    assert sorted(Handover.objects.values_list("number", flat=True)) == numbers
    assert Sequence.objects.get(office=w.tala_office, year=2020).last == 10
    assert on_hand(w.suit, w.store) == 30
    assert audit() == []
