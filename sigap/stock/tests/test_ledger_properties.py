"""Random sequences of stock events driven through ``ledger.post()`` and ``ledger.reverse()`` only.

A Hypothesis state machine receives materials into office stores, issues them to partner workshops and
participants' homes, accepts production (products in, fabric consumed), transfers, adjusts and reverses, and
also tries what must be refused (overdrawing, reversing twice, reversing a reversal, zero or too fine
quantities, one balance listed twice). It keeps its own plain model of what each (item, location) should hold.
After every step the books must agree with themselves (``audit()`` is empty), no balance may be negative, and
the database must equal the model.

Each example runs inside a savepoint that its teardown rolls back, so the 1,000 examples share one test world.
"""

import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine, initialize, invariant, precondition, rule, run_state_machine_as_test,
)

from django.db import transaction

from sigap.people.models import Person
from sigap.stock import ledger
from sigap.stock.ledger import InsufficientStock, LedgerError, Line
from sigap.stock.models import Balance, Movement, Posting, PostingKind
from sigap.stock.services import location_for_office, location_for_partner, location_for_person

EXAMPLES = 1000
STEPS = 10

# Small quantities with at most three decimals (what the ledger keeps): whole pieces and fractional metres.
quantities = st.one_of(
    st.integers(min_value=1, max_value=12).map(D),
    st.sampled_from(["0.5", "0.25", "0.125", "1.5", "2.75", "0.001", "3.333"]).map(D),
    st.decimals(min_value=D("0.001"), max_value=D("25"), places=3),
)

mostly = st.sampled_from([True, True, True, False])


@dataclass(eq=False)
class Record:
    """A posting the machine made, with the net change it expects of each (item pk, location pk)."""

    pk: int
    kind: str
    deltas: dict
    lines: int
    reversed: bool = False
    is_reversal: bool = field(init=False)

    def __post_init__(self):
        self.is_reversal = self.kind == PostingKind.REVERSAL

    def __repr__(self):
        return f"<{self.kind} #{self.pk}{' reversed' if self.reversed else ''}>"


class LedgerMachine(RuleBasedStateMachine):
    """The world (items, locations, officer) is set as class attributes by the test that runs the machine."""

    w = None

    def __init__(self):
        super().__init__()
        self.savepoint = transaction.atomic()
        self.savepoint.__enter__()
        # (item pk, location pk) -> what should be on hand, for every pair a posting has touched: exactly the
        # Balance rows there should be (a refused posting must not leave even an empty one behind).
        self.expected: dict[tuple[int, int], D] = {}
        self.records: list[Record] = []
        self.postings = Posting.objects.count()
        self.movements = Movement.objects.count()

    def teardown(self):
        transaction.set_rollback(True)
        self.savepoint.__exit__(None, None, None)

    # What the machine does ---------------------------------------------------------------------------

    def _deltas(self, lines):
        deltas = defaultdict(D)
        for item, location, quantity in lines:
            deltas[(item.pk, location.pk)] += quantity
        return dict(deltas)

    def _post(self, kind, lines):
        """Post, or when the model says a balance would go negative, check the refusal and that it wrote nothing."""
        deltas = self._deltas(lines)
        short = {k for k, d in deltas.items() if self.expected.get(k, 0) + d < 0}
        if short:
            refused = self._refused(InsufficientStock, lambda: ledger.post(
                kind=kind, by=self.w.officer, lines=[Line(i, loc, q) for i, loc, q in lines]))
            assert {(s.item.pk, s.location.pk) for s in refused.shortfalls} == short
            for s in refused.shortfalls:
                key = (s.item.pk, s.location.pk)
                assert (s.available, s.requested) == (self.expected.get(key, 0), -deltas[key])
            return None
        posting = ledger.post(kind=kind, by=self.w.officer, lines=[Line(i, loc, q) for i, loc, q in lines])
        return self._booked(posting, kind, deltas, len(lines))

    def _booked(self, posting, kind, deltas, lines):
        assert posting.kind == kind
        for key, delta in deltas.items():
            self.expected[key] = self.expected.get(key, D(0)) + delta
        self.postings += 1
        self.movements += lines
        record = Record(posting.pk, kind, deltas, lines)
        self.records.append(record)
        return record

    def _refused(self, error, attempt):
        """``attempt`` must raise ``error`` (and nothing more specific when ``error`` is LedgerError) and
        leave postings, movements and balances exactly as they were, i.e. as the unchanged model says."""
        with pytest.raises(error) as refused:
            attempt()
        if error is LedgerError:
            assert not isinstance(refused.value, InsufficientStock), refused.value
        self._the_database_equals_the_model()
        return refused.value

    def _the_database_equals_the_model(self):
        """Exactly the balance rows the model expects, with its quantities, and its numbers of postings and
        movements. Returns the balances."""
        kept = {(i, loc): q for i, loc, q in Balance.objects.values_list("item_id", "location_id", "quantity")}
        assert kept == self.expected
        assert (Posting.objects.count(), Movement.objects.count()) == (self.postings, self.movements)
        return kept

    def _on_hand(self, item, location):
        return self.expected.get((item.pk, location.pk), D(0))

    def _source(self, data, items, locations):
        """Where to take from: mostly an (item, location) that holds something, sometimes any."""
        held = [(i, loc) for i in items for loc in locations if self._on_hand(i, loc) > 0]
        if held and data.draw(mostly, label="from a place that holds some"):
            return data.draw(st.sampled_from(held), label="item, from")
        return data.draw(st.sampled_from(items), label="item"), data.draw(st.sampled_from(locations), label="from")

    def _taken(self, data, item, location):
        """How much to take: mostly all or part of what is there, sometimes any amount (then maybe refused)."""
        on_hand = self._on_hand(item, location)
        if on_hand > 0 and data.draw(mostly, label="no more than there is"):
            return data.draw(st.one_of(st.just(on_hand), st.decimals(min_value=D("0.001"), max_value=on_hand,
                                                                       places=3)), label="quantity")
        return data.draw(quantities, label="quantity")

    # Rules -------------------------------------------------------------------------------------------

    @initialize(data=st.data())
    def opening_stock(self, data):
        """Hypothesis leaves some rules out of some examples; start each with stock in the stores (and fabric
        at a workshop), so that the rules which take stock out are not nearly all refused."""
        for store in self.w.stores:
            items = data.draw(st.lists(st.sampled_from(self.w.items), min_size=1, unique=True), label="items")
            self._post(PostingKind.RECEIPT, [(item, store, data.draw(quantities, label="quantity")) for item in items])
        workshop = data.draw(st.sampled_from(self.w.workshops), label="workshop")
        if self._on_hand(self.w.fabric, self.w.stores[0]):
            quantity = self._taken(data, self.w.fabric, self.w.stores[0])
            self._post(PostingKind.ISSUE, [(self.w.fabric, self.w.stores[0], -quantity),
                                           (self.w.fabric, workshop, quantity)])

    @rule(data=st.data(), quantity=quantities)
    def receive(self, data, quantity):
        item = data.draw(st.sampled_from(self.w.items), label="item")
        store = data.draw(st.sampled_from(self.w.stores), label="store")
        self._post(PostingKind.RECEIPT, [(item, store, quantity)])

    @rule(data=st.data())
    def issue(self, data):
        item, store = self._source(data, self.w.items, self.w.stores)
        recipient = data.draw(st.sampled_from(self.w.recipients), label="recipient")
        quantity = self._taken(data, item, store)
        self._post(PostingKind.ISSUE, [(item, store, -quantity), (item, recipient, quantity)])

    @rule(data=st.data(), pieces=st.integers(min_value=1, max_value=30))
    def accept_production(self, data, pieces):
        _fabric, workshop = self._source(data, [self.w.fabric], self.w.workshops)
        product = data.draw(st.sampled_from(self.w.products), label="product")
        metres = self._taken(data, self.w.fabric, workshop)
        self._post(PostingKind.PRODUCTION, [(product, workshop, D(pieces)), (self.w.fabric, workshop, -metres)])

    @rule(data=st.data())
    def transfer(self, data):
        item, source = self._source(data, self.w.items, self.w.locations)
        destination = data.draw(st.sampled_from([loc for loc in self.w.locations if loc != source]), label="to")
        quantity = self._taken(data, item, source)
        self._post(PostingKind.TRANSFER, [(item, source, -quantity), (item, destination, quantity)])

    @rule(data=st.data(), down=st.booleans())
    def adjust(self, data, down):
        if down:
            item, location = self._source(data, self.w.items, self.w.locations)
            self._post(PostingKind.ADJUSTMENT, [(item, location, -self._taken(data, item, location))])
        else:
            item = data.draw(st.sampled_from(self.w.items), label="item")
            location = data.draw(st.sampled_from(self.w.locations), label="location")
            self._post(PostingKind.ADJUSTMENT, [(item, location, data.draw(quantities, label="quantity"))])

    @rule(data=st.data(), extra=quantities, with_a_good_line=st.booleans())
    def overdraw(self, data, extra, with_a_good_line):
        """Take more than is on hand, possibly next to a line that alone would be fine: refused, nothing written."""
        item = data.draw(st.sampled_from(self.w.items), label="item")
        location = data.draw(st.sampled_from(self.w.locations), label="location")
        wanted = self._on_hand(item, location) + extra
        lines = [(item, location, -wanted)]
        if with_a_good_line:
            other = data.draw(st.sampled_from([loc for loc in self.w.locations if loc != location]), label="to")
            lines.append((item, other, wanted))
        assert self._post(PostingKind.ISSUE, lines) is None

    @rule(data=st.data(), flaw=st.sampled_from(["zero", "finer than a thousandth", "same balance twice"]))
    def malformed_posting(self, data, flaw):
        """Lines the ledger cannot keep are refused before anything is looked at, next to good lines too."""
        item = data.draw(st.sampled_from(self.w.items), label="item")
        store = data.draw(st.sampled_from(self.w.stores), label="store")
        quantity = data.draw(quantities, label="quantity")
        good = (item, store, quantity)
        bad = {
            "zero": (item, store, D("0.000")),
            "finer than a thousandth": (item, store, quantity + D("0.0005")),
            "same balance twice": (item, store, -quantity),
        }[flaw]
        lines = [good, bad] if flaw == "same balance twice" else data.draw(st.permutations([good, bad]), label="lines")
        self._refused(LedgerError, lambda: ledger.post(
            kind=PostingKind.RECEIPT, by=self.w.officer, lines=[Line(i, loc, q) for i, loc, q in lines]))

    @precondition(lambda self: self.records)
    @rule(data=st.data())
    def reverse(self, data):
        """Reverse any earlier posting; the model says whether the ledger must accept or refuse it."""
        record = data.draw(st.sampled_from(self.records), label="posting")
        posting = Posting(pk=record.pk)
        if record.is_reversal or record.reversed:
            self._refused(LedgerError, lambda: ledger.reverse(posting=posting, by=self.w.officer))
            return
        opposite = {k: -d for k, d in record.deltas.items()}
        short = {k for k, d in opposite.items() if self.expected[k] + d < 0}
        if short:
            refused = self._refused(InsufficientStock, lambda: ledger.reverse(posting=posting, by=self.w.officer))
            assert {(s.item.pk, s.location.pk) for s in refused.shortfalls} == short
            for s in refused.shortfalls:
                key = (s.item.pk, s.location.pk)
                assert (s.available, s.requested) == (self.expected[key], -opposite[key])
            return
        reversal = ledger.reverse(posting=posting, by=self.w.officer)
        assert reversal.reverses_id == record.pk
        record.reversed = True
        self._booked(reversal, PostingKind.REVERSAL, opposite, record.lines)

    @precondition(lambda self: any(r.reversed for r in self.records))
    @rule(data=st.data())
    def reverse_twice(self, data):
        record = data.draw(st.sampled_from([r for r in self.records if r.reversed]), label="reversed posting")
        self._refused(LedgerError, lambda: ledger.reverse(posting=Posting(pk=record.pk), by=self.w.officer))

    @precondition(lambda self: any(r.is_reversal for r in self.records))
    @rule(data=st.data())
    def reverse_a_reversal(self, data):
        record = data.draw(st.sampled_from([r for r in self.records if r.is_reversal]), label="reversal")
        self._refused(LedgerError, lambda: ledger.reverse(posting=Posting(pk=record.pk), by=self.w.officer))

    # After every step --------------------------------------------------------------------------------

    @invariant()
    def the_books_agree_with_themselves_and_with_the_model(self):
        assert ledger.audit() == []

        kept = self._the_database_equals_the_model()
        assert all(q >= 0 for q in kept.values()), kept

        # The same check as audit(), summed exactly in Python, and each movement's running balance.
        running = defaultdict(D)
        for item, location, quantity, after in (
            Movement.objects.order_by("pk").values_list("item_id", "location_id", "quantity", "balance_after")
        ):
            running[(item, location)] += quantity
            assert after == running[(item, location)] and after >= 0
        assert running == kept


@pytest.fixture
def ledger_world(world):
    w = world
    w.officer = w.tala_officer
    w.person = Person.objects.create(
        name="Peserta Tala", nik="6301034502010001", sex="P", birth_date="2001-02-05", address="Jl. Demo",
        region_id="63.01.03.1004")
    w.stores = [location_for_office(w.tala_office), location_for_office(w.hsu_office)]
    w.workshops = [location_for_partner(w.tala_partner), location_for_partner(w.hsu_partner)]
    w.home = location_for_person(w.person)
    w.recipients = [*w.workshops, w.home]
    w.locations = [*w.stores, *w.recipients]
    w.items = [w.fabric, w.mask, w.suit]
    w.products = [w.mask, w.suit]
    return w


def test_any_sequence_of_postings_and_reversals_keeps_every_balance_equal_to_its_movements_and_never_negative(
    ledger_world,
):
    machine = type("LedgerMachineInThisWorld", (LedgerMachine,), {"w": ledger_world})
    started = time.monotonic()
    run_state_machine_as_test(machine, settings=settings(
        max_examples=EXAMPLES, stateful_step_count=STEPS, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    ))
    print(f"{EXAMPLES} examples of up to {STEPS} steps in {time.monotonic() - started:.1f} s")
    # Every example rolled back its own savepoint.
    assert not Posting.objects.exists() and not Balance.objects.exists()
