"""Trainings (Bimtek) in the API: programmes, trainings, their participants, attendance, targets and output, with
the same scopes, forms and services as the training pages."""

import datetime
from decimal import Decimal
from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from sigap.accounts.access import require_officer, require_region_scope
from sigap.api.forms import FormInvalid, cleaned, field_names
from sigap.api.pagination import Page
from sigap.api.schemas import ERRORS, ITEM_CODE, REGION_CODE, TEXT, FilterDate, Input, Overdraw, WholeNumber
from sigap.items.models import Item
from sigap.people.templatetags.personal_data import nik_for, phone_for
from sigap.regions.models import in_region
from sigap.trainings import services
from sigap.trainings.forms import (
    AttendanceForm, EnrolForm, KitForm, OutputForm, ProgrammeForm, ProgrammeTargetFormSet, TrainingForm,
)
from sigap.trainings.models import Attendance, Enrolment, Mode, Training
from sigap.trainings.progress import training_progress
from sigap.trainings.views import (
    _editable, _runnable, _visible, visible_programmes,
)

router = Router(tags=["trainings"])

# The forms' and the services' field names → the API's
FIELD_NAMES = {"programme": "programme_id", "office": "office_id", "partner_offices": "partner_office_ids",
               "instructors": "instructor_ids", "health_expert": "health_expert_id", "enrolment": "enrolment_id",
               "person": "person_id"}
ModeCode = Literal[tuple(Mode.values)]
# Codes and search text are checked before they reach a query (PostgreSQL refuses NUL characters, for one).


def _product_pks(codes) -> dict[str, int]:
    return dict(Item.objects.filter(code__in=list(codes)).values_list("code", "pk"))


# --- programmes ---------------------------------------------------------------------------------------------------

class ProgrammeTargetOut(Schema):
    product: str
    quantity: int


class ProgrammeOut(Schema):
    id: int
    name: str
    year: int
    office_id: int
    partner_office_ids: list[int]
    budget_source: str
    starts_on: datetime.date
    ends_on: datetime.date
    targets: list[ProgrammeTargetOut]

    @staticmethod
    def resolve_partner_office_ids(programme):
        return [office.pk for office in programme.partner_offices.all()]

    @staticmethod
    def resolve_targets(programme):
        return [{"product": t.product.code, "quantity": t.quantity} for t in programme.targets.all()]


class ProgrammeFilters(Schema):
    q: str = Field("", max_length=200, pattern=TEXT, description="A part of the name.")
    region: str | None = Field(None, pattern=REGION_CODE,
                               description="A Kemendagri region code; programmes led by an office in it or below it.")
    year: int | None = Field(None, ge=2000, le=2100)
    product: str | None = Field(None, pattern=ITEM_CODE,
                                description="An item code; programmes with a target for this product.")
    date_from: FilterDate | None = Field(None, description="Programmes still running on or after this day.")
    date_to: FilterDate | None = Field(None, description="Programmes started on or before this day.")


class ProgrammeTargetIn(Input):
    product: str = Field(..., pattern=ITEM_CODE, description="An item code.")
    quantity: WholeNumber


class ProgrammeIn(Input):
    name: str
    year: WholeNumber
    office_id: int
    partner_office_ids: list[int] = []
    budget_source: str = ""
    starts_on: datetime.date
    ends_on: datetime.date
    targets: list[ProgrammeTargetIn] = []


def _programmes(request):
    return visible_programmes(request.user).select_related("office").prefetch_related(
        "partner_offices", "targets__product")


def _programme_targets(targets: list[dict]) -> list[tuple]:
    """The programme page's target formset, filled from the payload: (product, quantity) pairs or FormInvalid."""
    pks = _product_pks(t["product"] for t in targets)
    data = {"targets-TOTAL_FORMS": len(targets), "targets-INITIAL_FORMS": 0}
    for n, target in enumerate(targets):
        data[f"targets-{n}-product"] = pks.get(target["product"], target["product"])
        data[f"targets-{n}-quantity"] = target["quantity"]
    formset = ProgrammeTargetFormSet(data, prefix="targets")
    if not formset.is_valid():
        errors = {}
        for n, form_errors in enumerate(formset.errors):
            for field, messages in form_errors.items():
                errors[f"targets.{n}.{field}"] = [str(m) for m in messages]
        for message in formset.non_form_errors():
            errors.setdefault("targets", []).append(str(message))
        raise FormInvalid(errors)
    return [(f.cleaned_data["product"], f.cleaned_data["quantity"]) for f in formset.forms if f.cleaned_data]


@router.get("/programmes", response={200: list[ProgrammeOut], **ERRORS})
@paginate(Page)
def programme_list(request, filters: ProgrammeFilters = Query(...)):
    """Programmes led by an office the caller sees (an office's staff), newest first; filter by region code
    (prefix) of the lead office, year, product targeted, dates."""
    require_region_scope(request.user)
    programmes = _programmes(request)
    if filters.q.strip():
        programmes = programmes.filter(name__icontains=filters.q.strip())
    if filters.region:
        programmes = programmes.filter(in_region(filters.region, "office__region"))
    if filters.year:
        programmes = programmes.filter(year=filters.year)
    if filters.product:
        programmes = programmes.filter(targets__product__code=filters.product)
    if filters.date_from:
        programmes = programmes.filter(ends_on__gte=filters.date_from)
    if filters.date_to:
        programmes = programmes.filter(starts_on__lte=filters.date_to)
    return programmes.order_by("-year", "name", "pk").distinct()


@router.get("/programmes/{programme_id}", response={200: ProgrammeOut, **ERRORS})
def programme_detail(request, programme_id: int):
    return get_object_or_404(_programmes(request), pk=programme_id)


@router.post("/programmes", response={201: ProgrammeOut, **ERRORS})
def programme_create(request, payload: ProgrammeIn):
    """Start a programme with its targets per product: the same checks as the programme page (officers, for an
    industry office of their region)."""
    require_officer(request.user)
    body = payload.dict()
    form = ProgrammeForm({"name": body["name"], "year": body["year"], "office": body["office_id"],
                          "partner_offices": body["partner_office_ids"], "budget_source": body["budget_source"],
                          "starts_on": body["starts_on"], "ends_on": body["ends_on"]}, user=request.user)
    fields = dict(cleaned(form, FIELD_NAMES))
    targets = _programme_targets(body["targets"])
    partner_offices = fields.pop("partner_offices")
    with field_names(FIELD_NAMES):
        programme = services.programme_create(by=request.user, partner_offices=partner_offices, targets=targets,
                                              **fields)
    return Status(201, _programmes(request).get(pk=programme.pk))


# --- trainings ----------------------------------------------------------------------------------------------------

class TrainingOut(Schema):
    id: int
    title: str
    programme_id: int | None
    office_id: int
    mode: str
    starts_on: datetime.date
    ends_on: datetime.date
    place: str
    meeting_link: str
    product: str = Field(..., alias="product.code")
    target: int
    quota: int
    instructor_ids: list[int]
    health_expert_id: int | None
    min_attendance_percent: int
    description: str
    participant_count: int
    produced: int

    @staticmethod
    def resolve_instructor_ids(training):
        return [person.pk for person in training.instructors.all()]


class ParticipantProgressOut(Schema):
    enrolment_id: int
    person_id: int
    name: str
    target: int
    produced: int
    accepted: int
    days_present: int
    projected: int | None
    percent: int
    at_risk: bool


class TrainingProgressOut(Schema):
    as_of: datetime.date
    target: int
    produced: int
    accepted: int
    percent: int
    forecast: datetime.date | None = Field(..., description="The day the target is expected to be reached.")
    participants: list[ParticipantProgressOut]


class TrainingDetailOut(TrainingOut):
    progress: TrainingProgressOut

    @staticmethod
    def resolve_progress(training):
        progress = training_progress(training, as_of=timezone.localdate())
        return {"as_of": progress.as_of, "target": progress.target, "produced": progress.produced,
                "accepted": progress.accepted, "percent": progress.percent, "forecast": progress.forecast,
                "participants": [
                    {"enrolment_id": p.enrolment.pk, "person_id": p.enrolment.person_id,
                     "name": p.enrolment.person.name, "target": p.target, "produced": p.produced,
                     "accepted": p.accepted, "days_present": p.days_present, "projected": p.projected,
                     "percent": p.percent, "at_risk": p.at_risk} for p in progress.participants]}


class TrainingFilters(Schema):
    q: str = Field("", max_length=200, pattern=TEXT, description="A part of the title.")
    region: str | None = Field(None, pattern=REGION_CODE,
                               description="A Kemendagri region code; trainings of an office in it or below it.")
    date_from: FilterDate | None = Field(None, description="Trainings with a day on or after this one.")
    date_to: FilterDate | None = Field(None, description="Trainings with a day on or before this one.")
    product: str | None = Field(None, pattern=ITEM_CODE, description="The item code of the product taught.")
    mode: ModeCode | None = None
    programme_id: int | None = None
    office_id: int | None = None


class TrainingIn(Input):
    title: str
    programme_id: int | None = None
    office_id: int
    mode: str
    starts_on: datetime.date
    ends_on: datetime.date
    place: str = ""
    meeting_link: str = ""
    product: str = Field(..., pattern=ITEM_CODE, description="The item code of the product taught.")
    target: WholeNumber = 0
    quota: WholeNumber
    instructor_ids: list[int] = []
    health_expert_id: int | None = None
    min_attendance_percent: WholeNumber = 80
    description: str = ""


class TrainingPatch(Input):
    title: str | None = None
    programme_id: int | None = None
    office_id: int | None = None
    mode: str | None = None
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    place: str | None = None
    meeting_link: str | None = None
    product: str | None = Field(None, pattern=ITEM_CODE)
    target: WholeNumber | None = None
    quota: WholeNumber | None = None
    instructor_ids: list[int] | None = None
    health_expert_id: int | None = None
    min_attendance_percent: WholeNumber | None = None
    description: str | None = None


def _trainings(request):
    return Training.objects.visible_to(request.user).with_totals().select_related("product").prefetch_related(
        "instructors")


def _training_detail(request, training_id: int) -> Training:
    return get_object_or_404(_trainings(request), pk=training_id)


def _training_form_data(payload: dict, training: Training | None) -> dict:
    """The training form's fields from a payload, starting from the training's current values on a change; a
    field sent as null is emptied."""
    data = {}
    if training is not None:
        data = {"title": training.title, "programme_id": training.programme_id, "office_id": training.office_id,
                "mode": training.mode, "starts_on": training.starts_on, "ends_on": training.ends_on,
                "place": training.place, "meeting_link": training.meeting_link, "product": training.product.code,
                "target": training.target, "quota": training.quota,
                "instructor_ids": [p.pk for p in training.instructors.all()],
                "health_expert_id": training.health_expert_id,
                "min_attendance_percent": training.min_attendance_percent, "description": training.description}
    data.update(payload)
    product = data.pop("product") or ""
    data["product"] = _product_pks([product]).get(product, product)
    data["instructors"] = data.pop("instructor_ids") or []
    for api_name, form_name in [("programme_id", "programme"), ("office_id", "office"),
                                ("health_expert_id", "health_expert")]:
        data[form_name] = data.pop(api_name, None)
    return {name: "" if value is None else value for name, value in data.items()}


def _save_training(request, form, training: Training | None) -> Training:
    fields = dict(cleaned(form, FIELD_NAMES))
    instructors = fields.pop("instructors")
    with field_names(FIELD_NAMES):
        return services.training_save(by=request.user, training=training, instructors=instructors, **fields)


@router.get("", response={200: list[TrainingOut], **ERRORS})
@paginate(Page)
def training_list(request, filters: TrainingFilters = Query(...)):
    """Trainings run by an office of the caller's region (an office's staff), newest first, with their number of
    participants and units produced; filter by region code (prefix), dates, product, mode, programme, office."""
    require_region_scope(request.user)
    trainings = _trainings(request)
    if filters.q.strip():
        trainings = trainings.filter(title__icontains=filters.q.strip())
    if filters.region:
        trainings = trainings.filter(in_region(filters.region, "office__region"))
    if filters.date_from:
        trainings = trainings.filter(ends_on__gte=filters.date_from)
    if filters.date_to:
        trainings = trainings.filter(starts_on__lte=filters.date_to)
    if filters.product:
        trainings = trainings.filter(product__code=filters.product)
    if filters.mode:
        trainings = trainings.filter(mode=filters.mode)
    if filters.programme_id is not None:
        trainings = trainings.filter(programme_id=filters.programme_id)
    if filters.office_id is not None:
        trainings = trainings.filter(office_id=filters.office_id)
    return trainings.order_by("-starts_on", "title", "pk")


@router.get("/{training_id}", response={200: TrainingDetailOut, **ERRORS})
def training_detail(request, training_id: int):
    """A training with its progress: each participant's target, output (reported and accepted), days present and
    projection, and when the training's target is expected to be reached."""
    return _training_detail(request, training_id)


@router.post("", response={201: TrainingDetailOut, **ERRORS})
def training_create(request, payload: TrainingIn):
    """Plan a training: the same checks as the training page (officers, for an industry office of their region;
    instructors and the health expert registered as such)."""
    require_officer(request.user)
    form = TrainingForm(_training_form_data(payload.dict(), None), user=request.user)
    training = _save_training(request, form, None)
    return Status(201, _training_detail(request, training.pk))


@router.patch("/{training_id}", response={200: TrainingDetailOut, **ERRORS})
def training_update(request, training_id: int, payload: TrainingPatch):
    """Change a training; only the fields sent change (null empties an optional one)."""
    training = _editable(request, training_id)
    require_officer(request.user)
    form = TrainingForm(_training_form_data(payload.dict(exclude_unset=True), training), instance=training,
                        user=request.user)
    _save_training(request, form, Training.objects.get(pk=training.pk))
    return _training_detail(request, training.pk)


# --- participants (enrolments) and their targets -----------------------------------------------------------------

class EnrolmentOut(Schema):
    id: int
    person_id: int
    name: str = Field(..., alias="person.name")
    nik: str = Field(..., description="Masked unless the caller may see NIKs.")
    sex: str = Field(..., alias="person.sex")
    region_code: str = Field(..., alias="person.region_id")
    phone: str = Field(..., description="Masked unless the caller may see phone numbers.")
    target: int
    produced: int
    accepted: int
    days_present: int
    kit_number: str | None
    enrolled_at: datetime.datetime

    @staticmethod
    def resolve_nik(enrolment, context):
        return nik_for(enrolment.person.nik, context["request"].user)

    @staticmethod
    def resolve_phone(enrolment, context):
        return phone_for(enrolment.person.phone, context["request"].user)

    @staticmethod
    def resolve_kit_number(enrolment):
        return enrolment.kit.number if enrolment.kit_id else None


class EnrolmentIn(Input):
    person_id: int = Field(..., description="A registered participant of the caller's region.")


class ParticipantTargetIn(Input):
    enrolment_id: int
    target: WholeNumber


class ParticipantTargetsIn(Input):
    targets: list[ParticipantTargetIn]


class ParticipantTargetOut(Schema):
    enrolment_id: int
    person_id: int
    name: str
    target: int


def _enrolments(training: Training):
    return (Enrolment.objects.filter(training=training).with_progress().select_related("person", "kit")
            .order_by("person__name", "pk"))


def _targets(training: Training) -> list[dict]:
    return [{"enrolment_id": e.pk, "person_id": e.person_id, "name": e.person.name, "target": e.target}
            for e in training.enrolments.select_related("person").order_by("person__name", "pk")]


@router.get("/{training_id}/enrolments", response={200: list[EnrolmentOut], **ERRORS})
@paginate(Page)
def enrolment_list(request, training_id: int):
    """A training's participants by name, with their target, output and days present."""
    return _enrolments(_visible(request, training_id))


@router.post("/{training_id}/enrolments", response={201: EnrolmentOut, **ERRORS})
def enrolment_create(request, training_id: int, payload: EnrolmentIn):
    """Enrol a registered participant: the same checks as the enrol page (officers of the training's region;
    a participant of their region, not enrolled yet, within the quota)."""
    training = _editable(request, training_id)
    form = EnrolForm({"person": payload.person_id}, user=request.user, training=training)
    person = cleaned(form, FIELD_NAMES)["person"]
    with field_names(FIELD_NAMES):
        enrolment = services.enrolment_create(training=training, person=person, by=request.user)
    return Status(201, _enrolments(training).get(pk=enrolment.pk))


@router.put("/{training_id}/targets", response={200: list[ParticipantTargetOut], **ERRORS})
def targets_set(request, training_id: int, payload: ParticipantTargetsIn):
    """Set every participant's share of the training's target; the shares must add up to it."""
    training = _editable(request, training_id)
    targets = {}
    for n, share in enumerate(payload.targets):
        if share.enrolment_id in targets:
            raise FormInvalid({f"targets.{n}.enrolment_id": [_("This participant is listed twice.")]})
        targets[share.enrolment_id] = share.target
    services.targets_set(training=training, targets=targets, by=request.user)
    return _targets(training)


@router.post("/{training_id}/targets/split", response={200: list[ParticipantTargetOut], **ERRORS})
def targets_split(request, training_id: int):
    """Split the training's target evenly over its participants (60 over 7 is 9, 9, 9, 9, 8, 8, 8)."""
    training = _editable(request, training_id)
    services.targets_split_evenly(training=training, by=request.user)
    return _targets(training)


# --- running the days: attendance and output ----------------------------------------------------------------------

class AttendanceMarkOut(Schema):
    enrolment_id: int
    person_id: int
    name: str
    mode: str | None = Field(..., description="online, in_person, home_visit or absent; null when not marked.")


class AttendanceDayOut(Schema):
    day: datetime.date
    marks: list[AttendanceMarkOut]


class AttendanceMarkIn(Input):
    enrolment_id: int
    mode: str = Field(..., description="online, in_person, home_visit or absent.")


class AttendanceIn(Input):
    day: datetime.date
    marks: list[AttendanceMarkIn] = Field(..., description="A mark for every participant, as on the page.")


class TrainingOutputIn(Input):
    enrolment_id: int
    quantity: WholeNumber
    produced_on: datetime.date


class TrainingOutputOut(Schema):
    id: int
    code: str
    product: str
    quantity: int
    produced_on: datetime.date
    status: str
    enrolment_id: int
    person_id: int


def _attendance_day(training: Training, day: datetime.date) -> dict:
    marks = dict(Attendance.objects.filter(enrolment__training=training, day=day).values_list("enrolment_id", "mode"))
    return {"day": day, "marks": [
        {"enrolment_id": e.pk, "person_id": e.person_id, "name": e.person.name, "mode": marks.get(e.pk)}
        for e in training.enrolments.select_related("person").order_by("person__name", "pk")]}


@router.get("/{training_id}/attendance", response={200: AttendanceDayOut, **ERRORS})
def attendance_day(request, training_id: int, day: datetime.date | None = None):
    """Who took part on a training day, and how (by default today, or the last day once the training is over)."""
    training = _runnable(request, training_id)
    return _attendance_day(training, day or min(timezone.localdate(), training.ends_on))


@router.post("/{training_id}/attendance", response={200: AttendanceDayOut, **ERRORS})
def attendance_record(request, training_id: int, payload: AttendanceIn):
    """Mark every participant for a training day (officers and instructors of the training's region). A day
    cannot be marked ahead, nor outside the training."""
    training = _runnable(request, training_id)
    enrolments = list(training.enrolments.select_related("person").order_by("person__name", "pk"))
    known = {e.pk for e in enrolments}
    data = {"day": payload.day}
    index = {}
    errors = {}
    for n, mark in enumerate(payload.marks):
        if mark.enrolment_id not in known:
            errors[f"marks.{n}.enrolment_id"] = [_("This participant is not in this training.")]
        elif mark.enrolment_id in index:
            errors[f"marks.{n}.enrolment_id"] = [_("This participant is listed twice.")]
        else:
            index[mark.enrolment_id] = n
            data[f"p{mark.enrolment_id}"] = mark.mode
    missing = [e.person.name for e in enrolments if e.pk not in index]
    if missing:  # the page's form asks for a mark for every participant
        errors.setdefault("marks", []).append(_("Give a mark for every participant; missing: %(names)s.")
                                              % {"names": ", ".join(missing)})
    if errors:
        raise FormInvalid(errors)
    form = AttendanceForm(data, enrolments=enrolments)
    names = {f"p{pk}": f"marks.{n}.mode" for pk, n in index.items()}
    with field_names(FIELD_NAMES):
        services.attendance_record(training=training, day=cleaned(form, names)["day"], marks=form.marks(),
                                   by=request.user)
    return _attendance_day(training, payload.day)


@router.post("/{training_id}/output", response={201: TrainingOutputOut, **ERRORS})
def output_record(request, training_id: int, payload: TrainingOutputIn):
    """A participant's output for a day, recorded as a production batch of the training's product that awaits
    inspection (officers and instructors of the training's region)."""
    training = _runnable(request, training_id)
    form = OutputForm({"enrolment": payload.enrolment_id, "quantity": payload.quantity,
                       "produced_on": payload.produced_on}, training=training)
    fields = cleaned(form, FIELD_NAMES)
    with field_names(FIELD_NAMES):
        batch = services.output_record(by=request.user, **fields)
    enrolment = fields["enrolment"]
    return Status(201, {"id": batch.pk, "code": batch.code, "product": training.product.code,
                        "quantity": batch.quantity, "produced_on": batch.produced_on, "status": batch.status,
                        "enrolment_id": enrolment.pk, "person_id": enrolment.person_id})


# --- material kits ------------------------------------------------------------------------------------------------

class KitIn(Input):
    enrolment_id: int
    office_id: int = Field(..., description="The industry office whose store the materials leave.")
    date: datetime.date
    partial: bool = Field(False, description="Issue the part of the kit the store covers; the rest stays owed. "
                                             "Without it a shortfall refuses the whole kit with 409.")


class KitLineOut(Schema):
    item: str
    quantity: str


class KitOut(Schema):
    document_id: int
    number: str
    enrolment_id: int
    lines: list[KitLineOut]
    owed: list[KitLineOut] = Field(..., description="What is still owed to the participant after this issue.")
    complete: bool


def _kit_lines(lines) -> list[dict]:
    return [{"item": item.code, "quantity": format(Decimal(quantity).normalize(), "f")} for item, quantity in lines]


@router.post("/{training_id}/kits", response={201: KitOut, **ERRORS, 409: Overdraw})
def kit_issue(request, training_id: int, payload: KitIn):
    """Issue a participant's material kit from an office's store to their home (the page's service). More than the
    store holds is refused with 409 and the shortfall per material, nothing written, unless ``partial`` asks for
    the part the store covers."""
    training = _editable(request, training_id)
    enrolment = (training.enrolments.filter(pk=payload.enrolment_id)
                 .select_related("person", "training__product").first())
    if enrolment is None:
        raise FormInvalid({"enrolment_id": [_("This participant is not in this training.")]})
    form = KitForm({"office": payload.office_id, "date": payload.date}, user=request.user)
    fields = cleaned(form, FIELD_NAMES | {"office": "office_id"})
    with field_names(FIELD_NAMES):
        document = services.kit_issue(enrolment=enrolment, by=request.user, partial=payload.partial, **fields)
    enrolment.refresh_from_db(fields=["kit"])
    issued = [(line.item, line.quantity) for line in document.lines.select_related("item")]
    return Status(201, {"document_id": document.pk, "number": document.number, "enrolment_id": enrolment.pk,
                        "lines": _kit_lines(issued),
                        "owed": _kit_lines(services.kit_owed(enrolment)), "complete": enrolment.kit_id is not None})
