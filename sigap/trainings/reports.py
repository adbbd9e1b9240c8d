"""What the certificate and the training report PDFs show."""

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from sigap.production.models import Batch
from sigap.stock.models import DocumentLine
from sigap.trainings.models import LONGEST_TRAINING_DAYS, Attendance, AttendanceMode
from sigap.trainings.progress import training_progress
from sigap.trainings.services import certificate_eligible


# The report's attendance table: a column per day for a training up to a month long, a column per week for a
# longer one; columns of several weeks where that would make more than a year's 53 columns (a training saved
# longer than 366 days before trainings were bounded) or more than 3,000 cells (many participants): the PDF's
# time follows its cells. Tables of at most 14 columns fit the page's width.
DAILY_COLUMNS_UP_TO = 31
MAX_REPORT_COLUMNS = 53
MAX_ATTENDANCE_CELLS = 3000
COLUMNS_PER_TABLE = 14


@dataclass(frozen=True)
class ReportColumn:
    first: datetime.date
    last: datetime.date
    with_year: bool = False

    @property
    def day_count(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def label(self) -> str:
        """18/05 for a day, 02/03–08/03 for a week (the dash lets a narrow column wrap), with the year for
        columns of several weeks."""
        def short(day):
            return f"{day.day:02d}/{day.month:02d}" + (f"/{day.year:04d}" if self.with_year else "")
        return short(self.first) if self.first == self.last else f"{short(self.first)}–{short(self.last)}"


def _column_width(days: int, participants: int) -> int:
    """Days per column: one up to a month, else a week, else as many weeks as keep within the bounds."""
    most = max(1, min(MAX_REPORT_COLUMNS, MAX_ATTENDANCE_CELLS // max(1, participants)))
    if days <= min(DAILY_COLUMNS_UP_TO, most):
        return 1
    return 7 * math.ceil(math.ceil(days / 7) / most)


def report_columns(training, participants: int) -> list[ReportColumn]:
    """The attendance table's columns for ``participants`` rows, counted from the training's first day."""
    days, width = training.day_count, _column_width(training.day_count, participants)
    return [ReportColumn(training.starts_on + datetime.timedelta(days=start),
                         training.starts_on + datetime.timedelta(days=min(start + width, days) - 1),
                         with_year=days > LONGEST_TRAINING_DAYS)
            for start in range(0, days, width)]


def _attendance_cells(training, columns: list[ReportColumn], enrolments: list[int]) -> dict[int, list[str]]:
    """Each participant's mark per day ("Online", "—" when none), or their days present per week ("5/7")."""
    width = _column_width(training.day_count, len(enrolments))
    days = (Attendance.objects.filter(enrolment__training=training, day__gte=training.starts_on,
                                      day__lte=training.ends_on).values_list("enrolment_id", "day", "mode"))
    if width == 1:
        labels = dict(AttendanceMode.choices)
        marks = {pk: ["—"] * len(columns) for pk in enrolments}
        for enrolment_id, day, mode in days.iterator(chunk_size=2000):
            marks[enrolment_id][(day - training.starts_on).days] = str(labels.get(mode, mode))
        return marks
    present = {pk: [0] * len(columns) for pk in enrolments}
    for enrolment_id, day, _mode in days.exclude(mode=AttendanceMode.ABSENT).iterator(chunk_size=2000):
        present[enrolment_id][(day - training.starts_on).days // width] += 1
    return {pk: [f"{count}/{column.day_count}" for count, column in zip(counts, columns)]
            for pk, counts in present.items()}


def certificate_context(enrolment) -> dict:
    days_present = enrolment.attendance.exclude(mode="absent").count()
    training = enrolment.training
    return {
        "enrolment": enrolment, "training": training, "person": enrolment.person, "office": training.office,
        "days_present": days_present, "days": training.day_count,
        "eligible": certificate_eligible(enrolment, days_present),
        "issued_on": timezone.localdate(),
    }


def report_context(training) -> dict:
    progress = training_progress(training, as_of=timezone.localdate())
    columns = report_columns(training, len(progress.participants))
    cells = _attendance_cells(training, columns, [row.enrolment.pk for row in progress.participants])
    attendance_rows = [(row.enrolment.person.name, cells[row.enrolment.pk]) for row in progress.participants]
    attendance_tables = [
        (columns[start:start + COLUMNS_PER_TABLE],
         [(name, marks[start:start + COLUMNS_PER_TABLE]) for name, marks in attendance_rows])
        for start in range(0, len(columns), COLUMNS_PER_TABLE)
    ]
    inspections = Batch.objects.filter(training=training).aggregate(
        batches=Count("pk"), inspected=Count("inspection"), accepted=Sum("inspection__accepted"),
        rejected=Sum("inspection__rejected"), awaiting=Count("pk", filter=Q(status="awaiting")),
    )
    issued = defaultdict(Decimal)
    for line in DocumentLine.objects.filter(
        document__in=[e.kit_id for e in training.enrolments.exclude(kit=None)], document__voided_posting=None
    ).select_related("item"):
        issued[line.item] += line.quantity
    components = list(training.product.components.select_related("material"))
    materials = [
        {"item": c.material, "issued": issued.get(c.material, Decimal(0)), "used": c.quantity * progress.produced}
        for c in components
    ]
    return {"training": training, "office": training.office, "progress": progress, "columns": columns,
            "attendance_rows": attendance_rows, "attendance_tables": attendance_tables, "inspections": inspections,
            "materials": materials, "generated_on": timezone.localdate()}
