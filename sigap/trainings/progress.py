"""Targets and progress of a training: the fair split, each participant's pace, and the forecast."""

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Q, Sum


def split_target(total: int, parts: int) -> list[int]:
    """Split a target as evenly as whole units allow: 60 over 7 is 9, 9, 9, 9, 8, 8, 8.

    Parts differ by at most one and add up to the total; the larger ones come first.
    """
    if parts <= 0:
        return []
    base, extra = divmod(total, parts)
    return [base + 1] * extra + [base] * (parts - extra)


@dataclass
class ParticipantProgress:
    enrolment: object
    target: int
    produced: int
    accepted: int
    days_present: int
    projected: int | None

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.produced / self.target)) if self.target else 0

    @property
    def at_risk(self) -> bool:
        """Behind: at this pace the participant will not reach the target by the last day."""
        if self.projected is None:  # nothing to judge before the first day
            return False
        return self.target > 0 and self.produced < self.target and self.projected < self.target


@dataclass
class TrainingProgress:
    participants: list[ParticipantProgress]
    target: int
    produced: int
    accepted: int
    forecast: datetime.date | None
    as_of: datetime.date

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.produced / self.target)) if self.target else 0

    @property
    def at_risk(self) -> list[ParticipantProgress]:
        return [p for p in self.participants if p.at_risk]


def training_progress(training, *, as_of: datetime.date) -> TrainingProgress:
    """Output and attendance per participant in four queries, and a completion forecast from the pace so far."""
    from sigap.production.models import Batch, BatchLine

    enrolments = list(training.enrolments.select_related("person").annotate(
        days_present=Count("attendance", filter=~Q(attendance__mode="absent")),
    ).order_by("person__name", "pk"))
    output = defaultdict(lambda: {"produced": 0, "accepted": 0})
    for row in (Batch.objects.filter(training=training, producer_person__isnull=False).values("producer_person_id")
                .annotate(produced=Sum("quantity"), accepted=Sum("inspection__accepted")).order_by()):
        output[row["producer_person_id"]]["produced"] += row["produced"] or 0
        output[row["producer_person_id"]]["accepted"] += row["accepted"] or 0
    # A class's day batches count each participant's line.
    for row in (BatchLine.objects.filter(batch__training=training).values("person_id")
                .annotate(produced=Sum("quantity"),
                          accepted=Sum(F("quantity") - F("rejected"), filter=Q(rejected__isnull=False)))
                .order_by()):
        output[row["person_id"]]["produced"] += row["produced"] or 0
        output[row["person_id"]]["accepted"] += row["accepted"] or 0
    first_day = training.starts_on
    elapsed = max(0, (min(as_of, training.ends_on) - first_day).days + 1)
    remaining = max(0, (training.ends_on - as_of).days)
    rows = []
    for enrolment in enrolments:
        produced = output.get(enrolment.person_id, {}).get("produced") or 0
        projected = produced + round(produced / elapsed * remaining) if elapsed else None
        rows.append(ParticipantProgress(enrolment, enrolment.target, produced,
                                        output.get(enrolment.person_id, {}).get("accepted") or 0,
                                        enrolment.days_present, projected))
    produced = sum(r.produced for r in rows)
    forecast = None
    if training.target <= 0:
        pass  # no target, nothing to forecast
    elif produced >= training.target:
        last = Batch.objects.filter(training=training).order_by("-produced_on").values_list("produced_on", flat=True)
        forecast = last.first()
    elif produced and elapsed:
        pace = produced / elapsed
        days_needed = math.ceil(training.target / pace)
        if days_needed <= (datetime.date.max - first_day).days:  # else no forecast: beyond the calendar
            forecast = first_day + datetime.timedelta(days=days_needed - 1)
    return TrainingProgress(rows, training.target, produced, sum(r.accepted for r in rows), forecast, as_of)
