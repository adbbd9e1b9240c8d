"""The ledger under real concurrency, on PostgreSQL: threads with their own connections post at the same moment.

Balance rows are locked (SELECT ... FOR UPDATE) in one fixed order before they change, so postings that touch
the same balances queue instead of overselling or deadlocking. SQLite has no row locks (a writer takes the whole
database), so these tests run only on PostgreSQL.
"""

import threading
from decimal import Decimal as D

import pytest
from django.db import OperationalError, connection, transaction

from sigap.stock import ledger
from sigap.stock.ledger import InsufficientStock, LedgerError, Line
from sigap.stock.models import Balance, Movement, Posting, PostingKind
from sigap.stock.services import location_for_office, location_for_partner

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]

THREADS = 20
ROUNDS = 25


def race(threads: int, work) -> list:
    """Run ``work(i)`` in ``threads`` threads released together by a barrier, each on its own connection.

    Returns, per thread, ("ok", result) or ("error", exception)."""
    barrier = threading.Barrier(threads)
    outcomes: list = [None] * threads

    def run(i):
        try:
            connection.ensure_connection()  # connect before the barrier, so that the posts really start together
            barrier.wait(timeout=30)
            outcomes[i] = ("ok", work(i))
        except BaseException as error:  # noqa: BLE001 - every outcome is inspected by the test
            outcomes[i] = ("error", error)
        finally:
            connection.close()

    pool = [threading.Thread(target=run, args=(i,), name=f"ledger-race-{i}") for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in pool), "a thread is still waiting: a lock was never released"
    return outcomes


def errors(outcomes, kind=None):
    return [value for status, value in outcomes if status == "error" and (kind is None or isinstance(value, kind))]


@pytest.fixture
def committed_world(transactional_db):
    from conftest import make_world

    w = make_world()
    w.store = location_for_office(w.tala_office)
    w.other_store = location_for_office(w.hsu_office)
    w.workshops = [location_for_partner(w.tala_partner), location_for_partner(w.hsu_partner)]
    w.officer = w.tala_officer
    return w


def test_twenty_threads_racing_for_the_last_ten_units_sell_exactly_ten_every_time(committed_world):
    w = committed_world
    issued = D(0)
    for round_ in range(ROUNDS):
        ledger.post(kind=PostingKind.RECEIPT, by=w.officer, lines=[Line(w.fabric, w.store, D(10))])
        movements = Movement.objects.count()

        def issue_one(i):
            # Half the threads issue to a workshop whose balance row may not exist yet (first round).
            workshop = w.workshops[i % 2]
            return ledger.post(kind=PostingKind.ISSUE, by=w.officer,
                               lines=[Line(w.fabric, w.store, D(-1)), Line(w.fabric, workshop, D(1))])

        outcomes = race(THREADS, issue_one)
        sold = [value for status, value in outcomes if status == "ok"]
        short = errors(outcomes, InsufficientStock)
        assert errors(outcomes) == short, f"round {round_}: {errors(outcomes)}"
        assert (len(sold), len(short)) == (10, THREADS - 10), f"round {round_}"
        assert all(e.shortfalls[0].available == 0 and e.shortfalls[0].requested == 1 for e in short)
        issued += 10
        assert ledger.on_hand(w.fabric, w.store) == 0
        assert ledger.on_hand(w.fabric, w.workshops[0]) + ledger.on_hand(w.fabric, w.workshops[1]) == issued
        assert Movement.objects.count() == movements + 2 * 10
        assert ledger.audit() == []
    # No movement ever showed the store below zero, and the store's history counts down 10..0 each round.
    store_history = list(Movement.objects.filter(item=w.fabric, location=w.store).order_by("pk")
                         .values_list("balance_after", flat=True))
    assert store_history == [D(q) for _ in range(ROUNDS) for q in [10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]]


def test_postings_touching_the_same_two_balances_in_opposite_line_order_do_not_deadlock(committed_world):
    w = committed_world
    ledger.post(kind=PostingKind.RECEIPT, by=w.officer,
                lines=[Line(w.fabric, w.store, D(1000)), Line(w.fabric, w.other_store, D(1000))])
    postings_each, quantity = 20, D("0.5")

    def shuttle(i):
        # Even threads move store -> other store listing the store first; odd threads move the other way and list
        # the other store first. Locking in line order, the two kinds would each hold one row and wait for the other.
        a, b = (w.store, w.other_store) if i % 2 == 0 else (w.other_store, w.store)
        for _ in range(postings_each):
            ledger.post(kind=PostingKind.TRANSFER, by=w.officer,
                        lines=[Line(w.fabric, a, -quantity), Line(w.fabric, b, quantity)])
        return postings_each

    outcomes = race(THREADS, shuttle)
    assert errors(outcomes) == []
    assert Posting.objects.filter(kind=PostingKind.TRANSFER).count() == THREADS * postings_each
    # As many threads went each way, so both stores end where they began.
    assert ledger.on_hand(w.fabric, w.store) == ledger.on_hand(w.fabric, w.other_store) == 1000
    assert ledger.audit() == []


def test_many_products_and_materials_in_shuffled_line_order_do_not_deadlock(committed_world):
    """Production at two workshops, each posting listing its four balances in a different order."""
    w = committed_world
    for workshop in w.workshops:
        ledger.post(kind=PostingKind.RECEIPT, by=w.officer, lines=[Line(w.fabric, w.store, D(500))])
        ledger.post(kind=PostingKind.ISSUE, by=w.officer,
                    lines=[Line(w.fabric, w.store, D(-500)), Line(w.fabric, workshop, D(500))])
    rounds = 10

    def produce(i):
        lines = [
            Line(w.mask, w.workshops[0], D(2)), Line(w.fabric, w.workshops[0], D("-0.25")),
            Line(w.suit, w.workshops[1], D(1)), Line(w.fabric, w.workshops[1], D("-1.5")),
        ]
        for r in range(rounds):
            shift = (i + r) % len(lines)
            ordered = lines[shift:] + lines[:shift]
            ledger.post(kind=PostingKind.PRODUCTION, by=w.officer, lines=ordered[::-1] if i % 2 else ordered)
        return rounds

    outcomes = race(THREADS, produce)
    assert errors(outcomes) == []
    postings = THREADS * rounds
    assert ledger.on_hand(w.mask, w.workshops[0]) == 2 * postings
    assert ledger.on_hand(w.suit, w.workshops[1]) == postings
    assert ledger.on_hand(w.fabric, w.workshops[0]) == 500 - D("0.25") * postings
    assert ledger.on_hand(w.fabric, w.workshops[1]) == 500 - D("1.5") * postings
    assert ledger.audit() == []


def test_a_posting_reversed_by_ten_threads_at_once_is_reversed_exactly_once(committed_world):
    w = committed_world
    for _round in range(5):
        receipt = ledger.post(kind=PostingKind.RECEIPT, by=w.officer, lines=[Line(w.suit, w.store, D(7))])
        outcomes = race(10, lambda i: ledger.reverse(posting=receipt, by=w.officer))
        reversals = [value for status, value in outcomes if status == "ok"]
        refused = errors(outcomes, LedgerError)
        assert errors(outcomes) == refused
        assert (len(reversals), len(refused)) == (1, 9)
        assert not any(isinstance(e, InsufficientStock) for e in refused)
        assert Posting.objects.filter(reverses=receipt).count() == 1
        assert ledger.on_hand(w.suit, w.store) == 0
    assert ledger.audit() == []


def test_the_race_harness_does_see_a_deadlock_when_rows_are_locked_in_line_order(committed_world):
    """A control for the tests above: two threads that lock the same two balance rows in opposite order, the
    way a ledger without a fixed lock order would, do deadlock, and the harness reports PostgreSQL's error."""
    w = committed_world
    ledger.post(kind=PostingKind.RECEIPT, by=w.officer,
                lines=[Line(w.fabric, w.store, D(1)), Line(w.fabric, w.other_store, D(1))])
    rows = [Balance.objects.get(item=w.fabric, location=w.store).pk,
            Balance.objects.get(item=w.fabric, location=w.other_store).pk]
    both_hold_one = threading.Barrier(2)

    def lock_in_line_order(i):
        first, second = rows if i == 0 else rows[::-1]
        with transaction.atomic():
            list(Balance.objects.select_for_update().filter(pk=first))
            both_hold_one.wait(timeout=30)
            list(Balance.objects.select_for_update().filter(pk=second))

    outcomes = race(2, lock_in_line_order)
    deadlocks = errors(outcomes, OperationalError)
    assert len(deadlocks) == 1 and "deadlock detected" in str(deadlocks[0])
    assert ledger.audit() == []
