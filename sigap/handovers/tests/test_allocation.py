"""The pure allocation function: ``propose(shortfall, candidates, weeks)`` splits what stock cannot cover among
partners, nearest tier first, within each partner's capacity over the weeks, in proportion to weekly capacity
inside a tier. No database."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sigap.handovers.allocation import Candidate, Proposal, Share, propose

EXAMPLES = 200

weeks_st = st.one_of(
    st.integers(min_value=1, max_value=104).map(lambda days: max(1, days) / 7),  # as the service computes them
    st.floats(min_value=0.1, max_value=26, allow_nan=False, allow_infinity=False),
)


@st.composite
def candidates_st(draw, max_size=8):
    size = draw(st.integers(min_value=0, max_value=max_size))
    return [Candidate(key=f"P{i}", weekly_capacity=draw(st.integers(min_value=0, max_value=2000)),
                      tier=draw(st.integers(min_value=0, max_value=3)))
            for i in range(size)]


shortfall_st = st.integers(min_value=0, max_value=100_000)


def given_allocations(test):
    return settings(max_examples=EXAMPLES, deadline=None)(
        given(shortfall=shortfall_st, candidates=candidates_st(), weeks=weeks_st)(test))


def quantities(proposal: Proposal) -> dict:
    return {share.key: share.quantity for share in proposal.shares}


def capacity(candidate: Candidate, weeks: float) -> int:
    return max(0, candidate.capacity(weeks))


# Properties


@given_allocations
def test_no_share_exceeds_its_candidates_capacity_over_the_weeks(shortfall, candidates, weeks):
    proposal = propose(shortfall, candidates, weeks)
    by_key = {c.key: c for c in candidates}
    for share in proposal.shares:
        assert 0 < share.quantity <= capacity(by_key[share.key], weeks)


@given_allocations
def test_allocated_and_unallocated_add_up_to_the_shortfall(shortfall, candidates, weeks):
    proposal = propose(shortfall, candidates, weeks)
    assert proposal.allocated + proposal.unallocated == shortfall
    assert proposal.unallocated >= 0
    assert proposal.allocated == min(shortfall, sum(capacity(c, weeks) for c in candidates))


@given_allocations
def test_something_stays_unallocated_only_when_every_candidate_is_at_capacity(shortfall, candidates, weeks):
    proposal = propose(shortfall, candidates, weeks)
    if proposal.unallocated > 0:
        given_ = quantities(proposal)
        assert all(given_.get(c.key, 0) == capacity(c, weeks) for c in candidates)


@given_allocations
def test_a_nearer_tier_is_full_before_a_farther_tier_gets_anything(shortfall, candidates, weeks):
    proposal = propose(shortfall, candidates, weeks)
    given_ = quantities(proposal)
    for share in proposal.shares:
        nearer = [c for c in candidates if c.tier < share.tier]
        assert all(given_.get(c.key, 0) == capacity(c, weeks) for c in nearer), (share, nearer)


@given_allocations
def test_shares_within_a_tier_follow_weekly_capacity(shortfall, candidates, weeks):
    """Inside a tier, partners that are not yet full get amounts in proportion to their weekly capacity, to
    within a unit per round of the split (at most one round per partner); a full partner had at least the pace
    of the others."""
    proposal = propose(shortfall, candidates, weeks)
    given_ = quantities(proposal)
    for tier in {c.tier for c in candidates}:
        group = [c for c in candidates if c.tier == tier and c.weekly_capacity > 0]
        rounds = len(group)
        open_ = [c for c in group if given_.get(c.key, 0) < capacity(c, weeks)]
        for a in open_:
            for b in open_:
                # |q_a / w_a - q_b / w_b| <= rounds * (1 / w_a + 1 / w_b), multiplied out to stay in integers
                qa, qb, wa, wb = given_.get(a.key, 0), given_.get(b.key, 0), a.weekly_capacity, b.weekly_capacity
                assert abs(qa * wb - qb * wa) <= rounds * (wa + wb), (a, qa, b, qb)
        for full in (c for c in group if c not in open_ and capacity(c, weeks) > 0):
            for other in open_:
                q_full, q_other = given_.get(full.key, 0), given_.get(other.key, 0)
                assert (q_full + rounds) * other.weekly_capacity >= q_other * full.weekly_capacity


@settings(max_examples=EXAMPLES, deadline=None)
@given(shortfall=shortfall_st, candidates=candidates_st(), weeks=weeks_st)
def test_the_proposal_is_deterministic_and_ordered_by_tier(shortfall, candidates, weeks):
    proposal = propose(shortfall, candidates, weeks)
    assert proposal == propose(shortfall, list(candidates), weeks)
    assert [s.tier for s in proposal.shares] == sorted(s.tier for s in proposal.shares)
    by_key = {c.key: c for c in candidates}
    for share in proposal.shares:
        assert (share.weekly_capacity, share.tier) == (by_key[share.key].weekly_capacity, by_key[share.key].tier)
        assert share.days_needed == math.ceil(7 * share.quantity / share.weekly_capacity)
        assert share.days_needed <= math.ceil(7 * weeks)
    assert proposal.days_needed == max((s.days_needed for s in proposal.shares), default=0)


@settings(max_examples=100, deadline=None)
@given(shortfall=st.integers(min_value=-1000, max_value=-1), candidates=candidates_st(), weeks=weeks_st)
def test_a_negative_shortfall_allocates_nothing(shortfall, candidates, weeks):
    proposal = propose(shortfall, candidates, weeks)
    assert proposal.shares == [] and proposal.allocated == 0 and proposal.unallocated == 0


# Examples


def test_1000_in_two_weeks_go_to_the_nearer_partner_that_can_make_1200():
    near, far = Candidate("near", 600, 0), Candidate("far", 300, 1)
    proposal = propose(1000, [far, near], 2)
    assert proposal.shares == [Share("near", 1000, 600, 0)]
    assert proposal.unallocated == 0 and proposal.days_needed == 12  # 1000 at 600 a week


def test_the_farther_tier_gets_only_what_the_nearer_cannot_make():
    proposal = propose(1500, [Candidate("near", 600, 0), Candidate("far", 300, 1)], 2)
    assert quantities(proposal) == {"near": 1200, "far": 300} and proposal.unallocated == 0


def test_what_nobody_can_make_by_the_date_is_left_unallocated():
    proposal = propose(2000, [Candidate("near", 600, 0), Candidate("far", 300, 1)], 2)
    assert quantities(proposal) == {"near": 1200, "far": 600} and proposal.unallocated == 200


def test_a_tier_is_shared_in_proportion_to_weekly_capacity():
    proposal = propose(900, [Candidate("a", 600, 1), Candidate("b", 300, 1)], 2)
    assert quantities(proposal) == {"a": 600, "b": 300}
    proposal = propose(100, [Candidate("a", 1, 0), Candidate("b", 1, 0), Candidate("c", 2, 0)], 52)
    assert quantities(proposal) == {"a": 25, "b": 25, "c": 50}


def test_partners_of_a_tier_finish_at_about_the_same_time():
    # 1000 over 10 and 200 a week: 47.6 and 952.4, the remainder unit to the larger fraction.
    proposal = propose(1000, [Candidate("small", 10, 0), Candidate("big", 200, 0)], 6)
    assert quantities(proposal) == {"small": 48, "big": 952}
    assert [s.days_needed for s in proposal.shares] == [34, 34]


def test_remainders_go_one_by_one_and_never_beyond_the_total():
    proposal = propose(10, [Candidate(k, 1, 0) for k in "abc"], 52)
    assert sorted(quantities(proposal).values()) == [3, 3, 4] and proposal.unallocated == 0


def test_partners_without_capacity_or_time_get_nothing():
    assert propose(100, [], 2) == Proposal([], 100)
    assert propose(100, [Candidate("idle", 0, 0)], 2) == Proposal([], 100)
    # 3 a week over one day (the shortest the service asks for) is 3/7 of a unit: nothing can be promised.
    assert propose(100, [Candidate("slow", 3, 0)], 1 / 7) == Proposal([], 100)
    assert propose(0, [Candidate("near", 600, 0)], 2) == Proposal([], 0)


@pytest.mark.parametrize("days, weekly, expected", [(14, 40, 80), (10, 40, 57), (7, 40, 40), (1, 40, 5)])
def test_capacity_is_whole_units_made_by_the_date(days, weekly, expected):
    assert Candidate("p", weekly, 0).capacity(max(1, days) / 7) == expected
