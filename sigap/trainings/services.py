"""Running a training: creating it, enrolling participants, targets, attendance, home visits, output and kits."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from pathlib import Path

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _, ngettext

from sigap.accounts.models import Role
from sigap.lib.dates import check_document_date, check_planned_date
from sigap.lib.errors import DomainError
from sigap.organisations.models import Organisation
from sigap.organisations.services import check_office_staff
from sigap.people.models import Kind as PersonKind, Person
from sigap.production.models import MAX_BATCH, Batch
from sigap.production.services import class_batch_save, production_record
from sigap.stock.ledger import on_hand
from sigap.stock.models import Balance, DocumentKind, DocumentLine
from sigap.stock.services import issue_record, location_for_office, transfer_gather
from sigap.trainings.models import (
    Attendance, AttendanceMode, Enrolment, HomeVisit, LearningMaterial, Mode, Programme, ProgrammeTarget, Training,
    programme_length_refusal, training_length_refusal,
)
from sigap.trainings.progress import split_target

TRAINING_FIELDS = ["programme", "office", "title", "mode", "starts_on", "ends_on", "place", "meeting_link",
                   "product", "target", "quota", "health_expert", "min_attendance_percent", "description"]
MATERIAL_EXTENSIONS = {".pdf", ".mp4", ".jpg", ".jpeg", ".png", ".docx", ".pptx", ".xlsx"}
MATERIAL_MAX_BYTES = 20 * 1024 * 1024


def _check_web_link(url: str, field: str) -> None:
    if url and not url.lower().startswith(("http://", "https://")):
        raise DomainError(_("A link must start with http:// or https://."), field=field)


def _check_officer_of(*, by, office: Organisation) -> None:
    check_office_staff(by=by, office=office, refusal=_("Only industry office staff organise trainings."))


def _check_runner(*, by, training: Training) -> None:
    """Officers and instructors of the training's region run its days."""
    if not (by.is_officer or by.role == Role.INSTRUCTOR):
        raise DomainError(_("Your role does not run trainings."))
    if not Training.objects.visible_to(by).filter(pk=training.pk).exists():
        raise DomainError(_("This training is outside your region."))


@transaction.atomic
def programme_create(*, by, name: str, year: int, office: Organisation, starts_on, ends_on, budget_source="",
                     partner_offices=(), targets=()) -> Programme:
    """Start an office's programme: dated from SIGAP's earliest date to the end of the year after next, shorter
    than five years."""
    _check_officer_of(by=by, office=office)
    check_planned_date(starts_on, field="starts_on")
    check_planned_date(ends_on, field="ends_on")
    if ends_on < starts_on:
        raise DomainError(_("The end comes before the start."), field="ends_on")
    if refusal := programme_length_refusal(starts_on, ends_on):
        raise DomainError(refusal, field="ends_on")
    programme = Programme(name=name, year=year, office=office, budget_source=budget_source, starts_on=starts_on,
                          ends_on=ends_on)
    programme.full_clean()
    programme.save()
    programme.partner_offices.set(partner_offices)
    ProgrammeTarget.objects.bulk_create(
        [ProgrammeTarget(programme=programme, product=p, quantity=q) for p, q in targets if q])
    return programme


@transaction.atomic
def training_save(*, by, training: Training | None = None, instructors=None, **fields) -> Training:
    """Create or change a training. Instructors must be instructors, the health expert a health expert. Its days
    run from SIGAP's earliest date to the end of the year after next, at most 366 of them."""
    office = fields.get("office", training.office if training else None)
    _check_officer_of(by=by, office=office)
    if training is not None and not Training.objects.editable_by(by).filter(pk=training.pk).exists():
        raise DomainError(_("You cannot change this training."))
    for name in ("starts_on", "ends_on"):
        if fields.get(name) is not None:
            check_planned_date(fields[name], field=name)
    if fields.get("ends_on") and fields.get("starts_on") and fields["ends_on"] < fields["starts_on"]:
        raise DomainError(_("The last day comes before the first."), field="ends_on")
    _check_web_link(fields.get("meeting_link", ""), "meeting_link")
    if fields.get("product") is not None and fields["product"].kind != "product":
        raise DomainError(_("Choose a product, not a raw material."), field="product")
    expert = fields.get("health_expert")
    if expert is not None and expert.kind != PersonKind.HEALTH_EXPERT:
        raise DomainError(_("%(name)s is not registered as a health expert.") % {"name": expert.name},
                          field="health_expert")
    for person in instructors or []:
        if person.kind != PersonKind.INSTRUCTOR:
            raise DomainError(_("%(name)s is not registered as an instructor.") % {"name": person.name},
                              field="instructors")
    training = training or Training()
    taught_before = (Training.objects.filter(pk=training.pk).values_list("product", flat=True).first()
                     if training.pk else None)
    for name in TRAINING_FIELDS:
        if name in fields:
            setattr(training, name, fields[name])
    if training.product_id is not None and (training.product_id != taught_before or not training.product_name):
        training.product_name = training.product.name
    if training.starts_on and training.ends_on and (
            refusal := training_length_refusal(training.starts_on, training.ends_on)):
        raise DomainError(refusal, field="ends_on")
    if training.pk and training.enrolments.count() > training.quota:
        raise DomainError(_("More participants are enrolled than this quota."), field="quota")
    training.full_clean()
    training._history_user = by
    training.save()
    if instructors is not None:
        training.instructors.set(instructors)
    return training


@transaction.atomic
def enrolment_create(*, training: Training, person: Person, by) -> Enrolment:
    """Enrol a participant, within the quota and once only. The training row is locked so two officers
    enrolling at once cannot pass the quota together."""
    training = Training.objects.select_for_update().get(pk=training.pk)
    _check_officer_of(by=by, office=training.office)
    if person.kind != PersonKind.PARTICIPANT:
        raise DomainError(_("Only people registered as participants can be enrolled."), field="person")
    if training.enrolments.filter(person=person).exists():
        raise DomainError(_("%(name)s is already enrolled.") % {"name": person.name}, field="person")
    if training.enrolments.count() >= training.quota:
        raise DomainError(_("The training is full (quota %(quota)s).") % {"quota": training.quota})
    return Enrolment.objects.create(training=training, person=person)


@transaction.atomic
def targets_set(*, training: Training, targets: dict[int, int], by) -> None:
    """Set each participant's share; the shares must add up to the training's target."""
    _check_officer_of(by=by, office=training.office)
    enrolments = {e.pk: e for e in training.enrolments.select_for_update()}
    if set(targets) != set(enrolments):
        raise DomainError(_("Give a target for every participant."))
    if any(value < 0 for value in targets.values()):
        raise DomainError(_("Targets cannot be negative."))
    total = sum(targets.values())
    if total != training.target:
        raise DomainError(_("The targets add up to %(total)s, not the training's %(target)s.")
                          % {"total": total, "target": training.target})
    for pk, value in targets.items():
        enrolments[pk].target = value
    Enrolment.objects.bulk_update(enrolments.values(), ["target"])


def targets_split_evenly(*, training: Training, by) -> None:
    enrolments = list(training.enrolments.order_by("person__name", "pk"))
    shares = split_target(training.target, len(enrolments))
    targets_set(training=training, targets={e.pk: s for e, s in zip(enrolments, shares)}, by=by)


@transaction.atomic
def attendance_record(*, training: Training, day: datetime.date, marks: dict[Enrolment, str], by) -> None:
    """Mark who took part on a training day, and how (online, in person, visited at home, absent)."""
    _check_runner(by=by, training=training)
    _check_day(training, day)
    for enrolment, mode in marks.items():
        if enrolment.training_id != training.pk:
            raise DomainError(_("This participant is not in this training."))
        if mode not in AttendanceMode.values:
            raise DomainError(_("Unknown attendance mark."))
        Attendance.objects.update_or_create(enrolment=enrolment, day=day,
                                            defaults={"mode": mode, "recorded_by": by})


def _check_day(training: Training, day: datetime.date) -> None:
    if not training.starts_on <= day <= training.ends_on:
        raise DomainError(_("%(day)s is not a day of this training.") % {"day": day.strftime("%d-%m-%Y")},
                          field="day")
    if day > timezone.localdate():
        raise DomainError(_("Attendance cannot be recorded ahead."), field="day")
    check_document_date(day, field="day")


def present_modes(training: Training) -> list[str]:
    """How a participant is present on a day of this training: online, in person, or either (hybrid)."""
    return {Mode.ONLINE: [AttendanceMode.ONLINE], Mode.OFFLINE: [AttendanceMode.IN_PERSON]}.get(
        training.mode, [AttendanceMode.ONLINE, AttendanceMode.IN_PERSON])


@dataclass(frozen=True)
class DayRow:
    """One participant's line of a training day: present (how) or absent (why), and the units made that day."""

    enrolment: Enrolment
    mode: str
    quantity: int = 0
    reason: str = ""


class DayRefused(DomainError):
    """A training day with rows to correct; ``errors`` maps an enrolment's id to its row's messages."""

    def __init__(self, errors: dict[int, list[str]]):
        super().__init__(ngettext("The day was not saved: %(count)s participant's row needs a correction.",
                                  "The day was not saved: %(count)s participants' rows need a correction.",
                                  len(errors)) % {"count": len(errors)})
        self.errors = errors


def _day_row_errors(row: DayRow, *, allowed: set[str]) -> list[str]:
    errors = []
    if row.mode not in allowed:
        errors.append(_("Choose present or absent."))
    elif row.mode == AttendanceMode.ABSENT and not row.reason.strip():
        errors.append(_("Give the reason for the absence."))
    if not isinstance(row.quantity, int) or isinstance(row.quantity, bool) or not 0 <= row.quantity <= MAX_BATCH:
        errors.append(_("The output must be a whole number from 0 to %(max)s.")
                      % {"max": f"{MAX_BATCH:,}".replace(",", ".")})
    return errors


@transaction.atomic
def training_day_record(*, training: Training, day: datetime.date, rows: list[DayRow], by) -> Batch | None:
    """Record a training day for the whole class at once: each participant present (as the training runs: online,
    in person) or absent with a reason, and the units each made that day. The day's output is one production
    batch with a line per participant (``class_batch_save``), so the health expert inspects the day once. All or
    nothing: a row to correct refuses the whole day (``DayRefused`` names the rows); saving the day again changes
    its marks and, until it is inspected, its batch. Returns the day's batch (None when nobody made anything)."""
    _check_runner(by=by, training=training)
    # One save of a class's day at a time: the second one sees the first one's batch.
    training = Training.objects.select_for_update().select_related("office__region", "product").get(pk=training.pk)
    _check_day(training, day)
    enrolments = {e.pk: e for e in training.enrolments.select_related("person")}
    if {row.enrolment.pk for row in rows} != set(enrolments) or len(rows) != len(enrolments):
        raise DomainError(_("Record every participant of the training, once."))
    existing = {a.enrolment_id: a for a in Attendance.objects.filter(enrolment__training=training, day=day)}
    errors = {}
    for row in rows:
        allowed = {*present_modes(training), AttendanceMode.ABSENT}
        if getattr(existing.get(row.enrolment.pk), "mode", None) == AttendanceMode.HOME_VISIT:
            allowed.add(AttendanceMode.HOME_VISIT)
        if row_errors := _day_row_errors(row, allowed=allowed):
            errors[row.enrolment.pk] = row_errors
    if errors:
        raise DayRefused(errors)
    for row in rows:
        reason = row.reason.strip()[:120] if row.mode == AttendanceMode.ABSENT else ""
        Attendance.objects.update_or_create(enrolment=enrolments[row.enrolment.pk], day=day,
                                            defaults={"mode": row.mode, "absence_reason": reason, "recorded_by": by})
    return class_batch_save(training=training, produced_on=day, by=by,
                            lines=[(enrolments[row.enrolment.pk].person, row.quantity) for row in rows])


@transaction.atomic
def home_visit_record(*, enrolment: Enrolment, instructor: Person, visited_on: datetime.date, problem: str,
                      action: str, by) -> HomeVisit:
    """An instructor visited a participant who was stuck; the day counts as attended."""
    training = enrolment.training
    _check_runner(by=by, training=training)
    if instructor.kind != PersonKind.INSTRUCTOR:
        raise DomainError(_("%(name)s is not registered as an instructor.") % {"name": instructor.name},
                          field="instructor")
    if visited_on < training.starts_on or visited_on > timezone.localdate():
        raise DomainError(_("The visit date must be between the first day of the training and today."),
                          field="visited_on")
    check_document_date(visited_on, field="visited_on")
    if not problem.strip() or not action.strip():
        raise DomainError(_("Say what the problem was and what was done."))
    visit = HomeVisit.objects.create(enrolment=enrolment, instructor=instructor, visited_on=visited_on,
                                     problem=problem.strip(), action=action.strip(), recorded_by=by)
    if training.starts_on <= visited_on <= training.ends_on:
        Attendance.objects.update_or_create(enrolment=enrolment, day=visited_on,
                                            defaults={"mode": AttendanceMode.HOME_VISIT, "recorded_by": by})
    return visit


@transaction.atomic
def output_record(*, enrolment: Enrolment, quantity: int, produced_on: datetime.date, by, note: str = ""):
    """A participant's output for a day, recorded as a production batch of the training's product: it waits
    for a health expert's inspection like any other production."""
    training = enrolment.training
    _check_runner(by=by, training=training)
    if produced_on < training.starts_on:
        raise DomainError(_("Output cannot come before the training started."), field="produced_on")
    return production_record(producer=enrolment.person, product=training.product, quantity=quantity,
                             produced_on=produced_on, by=by, note=note, training=training)


def kit_lines(enrolment: Enrolment) -> list[tuple]:
    """The materials a participant needs for their target, by the product's bill of materials."""
    product = enrolment.training.product
    # Rounded up to what the ledger keeps (0.001), so a kit is never short.
    return [(c.material, (c.quantity * enrolment.target).quantize(Decimal("0.001"), rounding=ROUND_CEILING))
            for c in product.components.select_related("material") if c.quantity * enrolment.target > 0]


def kit_reference(enrolment: Enrolment) -> str:
    """The reference every issue of one participant's kit carries, so a kit issued in parts adds up."""
    return f"KIT-{enrolment.pk:05d}"


def _kit_issued(enrolments) -> dict[tuple[int, int], Decimal]:
    """What the kits' issues (not void) brought each participant, by (enrolment, material)."""
    by_reference = {kit_reference(e): e.pk for e in enrolments}
    rows = (DocumentLine.objects.filter(document__kind=DocumentKind.ISSUE, document__reference__in=by_reference,
                                        document__voided_posting__isnull=True)
            .values("document__reference", "item_id").annotate(total=Sum("quantity")).order_by())
    return {(by_reference[row["document__reference"]], row["item_id"]): row["total"] for row in rows}


def kit_owed(enrolment: Enrolment, *, issued: dict | None = None) -> list[tuple]:
    """What of a participant's kit is still to be issued: the kit's lines less what its issues brought."""
    if enrolment.kit_id:
        return []
    issued = _kit_issued([enrolment]) if issued is None else issued
    owed = [(material, quantity - issued.get((enrolment.pk, material.pk), Decimal(0)))
            for material, quantity in kit_lines(enrolment)]
    return [(material, quantity) for material, quantity in owed if quantity > 0]


def kits_owed(training: Training) -> list[tuple]:
    """Per participant with a target and no complete kit: the materials still owed to them."""
    enrolments = [e for e in training.enrolments.select_related("person", "training__product")
                  .order_by("person__name", "pk") if e.target > 0 and not e.kit_id]
    issued = _kit_issued(enrolments)
    return [(e, owed) for e in enrolments if (owed := kit_owed(e, issued=issued))]


@transaction.atomic
def kit_issue(*, enrolment: Enrolment, office: Organisation, date: datetime.date, by, partial: bool = False):
    """Issue a participant's kit of raw materials from an office's store to their home, through the ledger.
    A shortfall refuses the whole kit; with ``partial`` the part the store covers is issued and the rest stays
    owed (``kit_owed``) until a later issue completes it."""
    enrolment = Enrolment.objects.select_for_update().select_related("training__product").get(pk=enrolment.pk)
    if enrolment.kit_id:
        raise DomainError(_("A kit was already issued to %(name)s.") % {"name": enrolment.person.name})
    if enrolment.target <= 0:
        raise DomainError(_("Set the participant's target first; the kit is computed from it."))
    if not kit_lines(enrolment):
        raise DomainError(_("The product has no bill of materials to compute a kit from."))
    owed = kit_owed(enrolment)
    lines = owed
    if partial:
        check_office_staff(by=by, office=office, refusal=_("Only industry office staff record stock documents."))
        store = location_for_office(office)
        lines = [(material, min(quantity, on_hand(material, store))) for material, quantity in owed]
        lines = [(material, quantity) for material, quantity in lines if quantity > 0]
        if not lines:
            raise DomainError(_("The store holds none of the materials still owed to %(name)s.")
                              % {"name": enrolment.person.name})
    document = issue_record(office=office, recipient=enrolment.person, date=date, lines=lines, by=by,
                            reference=kit_reference(enrolment),
                            note=_("Kit for %(training)s") % {"training": enrolment.training.title})
    if lines == owed:
        enrolment.kit = document
        enrolment.save(update_fields=["kit"])
    return document


@transaction.atomic
def output_collect(*, training: Training, office: Organisation, date: datetime.date, by):
    """Collect the training's product from every participant's home into the office's store as ONE transfer
    document, a line per home, through the ledger: the accepted output the inspections left at the homes."""
    _check_officer_of(by=by, office=office)
    if not Training.objects.editable_by(by).filter(pk=training.pk).exists():
        raise DomainError(_("You cannot change this training."))
    lines = [(home, training.product, quantity) for home, quantity in output_at_homes(training)]
    if not lines:
        raise DomainError(_("None of %(product)s is at the participants' homes.")
                          % {"product": training.product.name})
    return transfer_gather(office=office, destination=location_for_office(office), date=date, lines=lines, by=by,
                           note=_("Output of %(training)s collected") % {"training": training.title})


def output_at_homes(training: Training) -> list[tuple]:
    """(home, quantity) of the training's product at each participant's home that holds some."""
    balances = (Balance.objects.filter(item_id=training.product_id, quantity__gt=0,
                                       location__person__enrolments__training=training)
                .select_related("location").order_by("location__name", "pk"))
    return [(balance.location, balance.quantity) for balance in balances]


@transaction.atomic
def material_add(*, training: Training, title: str, by, url: str = "", file=None) -> LearningMaterial:
    """Attach an instruction video link or a handout (PDF, video, picture or office document, at most 20 MB)."""
    _check_runner(by=by, training=training)
    if bool(url) == bool(file):
        raise DomainError(_("Give either a link or a file."))
    _check_web_link(url, "url")
    if file is not None:
        if Path(file.name).suffix.lower() not in MATERIAL_EXTENSIONS:
            raise DomainError(_("Upload a PDF, MP4, JPEG, PNG, DOCX, PPTX or XLSX file."), field="file")
        if file.size > MATERIAL_MAX_BYTES:
            raise DomainError(_("The file is larger than 20 MB."), field="file")
    # The file is stored under a random name (``material_path``); its own name comes back with the download.
    original_name = "".join(c for c in Path(file.name).name if c.isprintable())[-255:] if file is not None else ""
    material = LearningMaterial(training=training, title=title, url=url, file=file or "", original_name=original_name)
    material.full_clean()
    material.save()
    return material


def certificate_eligible(enrolment: Enrolment, days_present: int) -> bool:
    training = enrolment.training
    return 100 * days_present >= training.min_attendance_percent * training.day_count
