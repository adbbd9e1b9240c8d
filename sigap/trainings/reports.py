"""What the certificate and the training report PDFs show."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from sigap.production.models import Batch
from sigap.stock.models import DocumentLine
from sigap.trainings.models import Attendance
from sigap.trainings.progress import training_progress
from sigap.trainings.services import certificate_eligible


def certificate_context(enrolment) -> dict:
    days_present = enrolment.attendance.exclude(mode="absent").count()
    training = enrolment.training
    return {
        "enrolment": enrolment, "training": training, "person": enrolment.person, "office": training.office,
        "days_present": days_present, "days": len(training.days),
        "eligible": certificate_eligible(enrolment, days_present),
        "issued_on": timezone.localdate(),
    }


def report_context(training) -> dict:
    progress = training_progress(training, as_of=timezone.localdate())
    marks = defaultdict(dict)
    for attendance in Attendance.objects.filter(enrolment__training=training):
        marks[attendance.enrolment_id][attendance.day] = attendance.get_mode_display()
    attendance_rows = [
        (row.enrolment.person.name, [marks[row.enrolment.pk].get(day, "—") for day in training.days])
        for row in progress.participants
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
    return {"training": training, "office": training.office, "progress": progress, "days": training.days,
            "attendance_rows": attendance_rows, "inspections": inspections, "materials": materials,
            "generated_on": timezone.localdate()}
