"""Splitting what stock cannot cover among partners, nearest first, within their weekly capacity.

For one product the problem is a linear programme: choose x_i (units for partner i) to minimise
sum(distance_i * x_i) subject to sum(x_i) = shortfall and 0 <= x_i <= capacity_i (weekly capacity times the
weeks until the date needed). With one equality constraint and box bounds, filling the cheapest partners first
is exactly optimal (the fractional-knapsack argument), so no solver is needed. Partners at the same distance
share their tier in proportion to their weekly capacity, so they finish at about the same time.
"""

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    key: object  # the partner (or its id)
    weekly_capacity: int
    tier: int  # 0 same district (kecamatan), 1 same regency, 2 same province, 3 elsewhere
    committed: int = 0  # already owed on other orders in the same period

    def capacity(self, weeks: float) -> int:
        return max(0, math.floor(self.weekly_capacity * weeks) - self.committed)


@dataclass(frozen=True)
class Share:
    key: object
    quantity: int
    weekly_capacity: int
    tier: int

    @property
    def days_needed(self) -> int:
        return math.ceil(7 * self.quantity / self.weekly_capacity) if self.quantity else 0


@dataclass(frozen=True)
class Proposal:
    shares: list[Share]
    unallocated: int  # what the partners cannot make by the date

    @property
    def allocated(self) -> int:
        return sum(s.quantity for s in self.shares)

    @property
    def days_needed(self) -> int:
        return max((s.days_needed for s in self.shares), default=0)


def _proportional(total: int, weights: list[int], caps: list[int]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` without passing ``caps`` (largest remainder, then refill)."""
    result = [0] * len(weights)
    remaining = total
    active = [i for i in range(len(weights)) if caps[i] > 0]
    while remaining > 0 and active:
        weight = sum(weights[i] for i in active)
        raw = {i: remaining * weights[i] / weight for i in active}
        take = {i: min(math.floor(raw[i]), caps[i] - result[i]) for i in active}
        leftover = remaining - sum(take.values())
        for i in sorted(active, key=lambda i: (raw[i] - math.floor(raw[i]), weights[i]), reverse=True):
            if leftover == 0:
                break
            if take[i] < caps[i] - result[i]:
                take[i] += 1
                leftover -= 1
        for i in active:
            result[i] += take[i]
        remaining = total - sum(result)
        active = [i for i in active if result[i] < caps[i]]
    return result


def propose(shortfall: int, candidates: list[Candidate], weeks: float) -> Proposal:
    """Allocate ``shortfall`` units over ``candidates`` within ``weeks``; never above anyone's capacity."""
    remaining = max(0, shortfall)
    shares = []
    for tier in sorted({c.tier for c in candidates}):
        group = [c for c in candidates if c.tier == tier and c.weekly_capacity > 0]
        if remaining == 0 or not group:
            continue
        caps = [c.capacity(weeks) for c in group]
        amounts = _proportional(min(remaining, sum(caps)), [c.weekly_capacity for c in group], caps)
        for candidate, amount in zip(group, amounts):
            if amount:
                shares.append(Share(candidate.key, amount, candidate.weekly_capacity, candidate.tier))
        remaining -= sum(amounts)
    return Proposal(shares, remaining)
