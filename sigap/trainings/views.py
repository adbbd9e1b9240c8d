import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sigap.accounts.access import require_officer, require_region_scope
from sigap.accounts.models import Role
from sigap.lib.dates import long_date
from sigap.lib.errors import DomainError, show_on_form
from sigap.lib.export import export_response, requested_format
from sigap.lib.files import private_file_response
from sigap.lib.pdf import pdf_response, render_pdf
from sigap.lib.phone import display_phone
from sigap.people.forms import PersonForm
from sigap.people.models import Kind as PersonKind
from sigap.people.services import person_create
from sigap.stock.ledger import InsufficientStock
from sigap.trainings import services
from sigap.trainings.forms import (
    AttendanceForm, EnrolForm, HomeVisitForm, KitForm, MaterialForm, OutputForm, ProgrammeForm,
    ProgrammeTargetFormSet, TrainingDayForm, TrainingFilterForm, TrainingForm,
)
from sigap.trainings.models import Attendance, Enrolment, LearningMaterial, Programme, Training
from sigap.trainings.progress import training_progress
from sigap.trainings.reports import certificate_context, report_context


def _visible(request, pk):
    return get_object_or_404(Training.objects.visible_to(request.user).select_related("office", "product"), pk=pk)


def _editable(request, pk):
    return get_object_or_404(Training.objects.editable_by(request.user).select_related("office", "product"), pk=pk)


def _may_run(user) -> bool:
    """Officers and instructors run a training's days: attendance, visits, output, materials."""
    return user.is_officer or user.role == Role.INSTRUCTOR


def _require_runner(user):
    if not _may_run(user):
        raise PermissionDenied


def _runnable(request, pk):
    training = _visible(request, pk)
    _require_runner(request.user)
    return training


def _listed_trainings(request):
    """The trainings the list shows, through its filters; the exports start from the same."""
    require_region_scope(request.user)
    filters = TrainingFilterForm(request.GET or None)
    trainings = filters.apply(Training.objects.visible_to(request.user))
    if request.GET.get("behind"):  # from the home page: the trainings under way behind their target's pace
        trainings = trainings.behind_target(on=timezone.localdate())
    return filters, trainings


@login_required
def training_list(request):
    filters, trainings = _listed_trainings(request)
    return render(request, "trainings/training_list.html", {
        "trainings": trainings.select_related("office", "product"), "filters": filters,
        "can_create": request.user.is_officer, "behind": bool(request.GET.get("behind")),
    })


@login_required
def training_export(request):
    """The training list with the current filters, with each training's participants and output."""
    _filters, trainings = _listed_trainings(request)
    trainings = trainings.with_totals().select_related("programme", "office", "product").order_by(
        "-starts_on", "title", "pk")
    header = [_("Title"), _("Programme"), _("Organising office"), _("Mode"), _("First day"), _("Last day"),
              _("Place"), _("Product"), _("Target output"), _("Participant quota"), _("Participants"),
              _("Produced")]

    def rows():
        for training in trainings.iterator(chunk_size=1000):
            yield [training.title, training.programme.name if training.programme else "", training.office.name,
                   training.get_mode_display(), training.starts_on.isoformat(), training.ends_on.isoformat(),
                   training.place, training.product.name, training.target, training.quota,
                   training.participant_count, training.produced]

    return export_response(requested_format(request), "pelatihan", header, rows())


@login_required
def participant_export(request):
    """Every participant of the listed trainings with their target and output; NIK and phone only for the
    roles that may see them."""
    _filters, trainings = _listed_trainings(request)
    user = request.user
    enrolments = Enrolment.objects.visible_to(user).filter(training__in=trainings).with_progress().select_related(
        "training__office", "person__region", "kit").order_by("-training__starts_on", "training__title",
                                                              "training_id", "person__name", "pk")
    header = [_("Training"), _("First day"), _("Last day"), _("Organising office"), _("Participant")]
    header += [_("NIK")] if user.can_see_nik else []
    header += [_("Sex"), _("Village or district")]
    header += [_("Phone/WhatsApp")] if user.can_see_phone else []
    header += [_("Target"), _("Produced"), _("Accepted"), _("Days present"), _("Material kit")]

    def rows():
        for enrolment in enrolments.iterator(chunk_size=1000):
            training, person = enrolment.training, enrolment.person
            row = [training.title, training.starts_on.isoformat(), training.ends_on.isoformat(),
                   training.office.name, person.name]
            row += [person.nik] if user.can_see_nik else []
            row += [person.get_sex_display(), person.region.label()]
            row += [display_phone(person.phone)] if user.can_see_phone else []
            row += [enrolment.target, enrolment.produced, enrolment.accepted, enrolment.days_present,
                    enrolment.kit.number if enrolment.kit else ""]
            yield row

    return export_response(requested_format(request), "peserta", header, rows())


@login_required
def training_detail(request, pk):
    training = _visible(request, pk)
    progress = training_progress(training, as_of=timezone.localdate())
    return render(request, "trainings/training_detail.html", {
        "training": training, "progress": progress,
        "materials": training.materials.all(),
        "instructors": training.instructors.all(),
        "visits": training_home_visits(training),
        "can_edit": request.user.is_officer and Training.objects.editable_by(request.user).filter(pk=pk).exists(),
        "can_run": _may_run(request.user),
    })


def training_home_visits(training):
    from sigap.trainings.models import HomeVisit

    return HomeVisit.objects.filter(enrolment__training=training).select_related("enrolment__person", "instructor")


@login_required
@require_http_methods(["GET", "POST"])
def training_edit(request, pk=None):
    training = _editable(request, pk) if pk else None
    require_officer(request.user)
    form = TrainingForm(request.POST or None, instance=training, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        instructors = data.pop("instructors")
        try:
            saved = services.training_save(by=request.user, training=Training.objects.get(pk=pk) if pk else None,
                                           instructors=instructors, **data)
        except DomainError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("Training saved."))
            return redirect(saved)
    return render(request, "trainings/training_form.html", {"form": form, "training": training})


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request, pk):
    training = _editable(request, pk)
    form = EnrolForm(request.POST or None, user=request.user, training=training, prefix="existing")
    new_person = PersonForm(request.POST or None, user=request.user, prefix="new",
                            initial={"kind": PersonKind.PARTICIPANT})
    if request.method == "POST":
        creating = request.POST.get("action") == "create"
        chosen = new_person if creating else form
        if chosen.is_valid():
            try:
                with transaction.atomic():
                    if creating:
                        fields = {k: v for k, v in new_person.cleaned_data.items() if k not in {"district", "village"}}
                        person = person_create(by=request.user, **{**fields, "kind": PersonKind.PARTICIPANT})
                    else:
                        person = form.cleaned_data["person"]
                        if person is None:
                            raise DomainError(_("Choose a participant."), field="person")
                    services.enrolment_create(training=training, person=person, by=request.user)
            except DomainError as error:
                show_on_form(chosen, error)
            else:
                messages.success(request, _("%(name)s enrolled.") % {"name": person.name})
                return redirect(training)
    return render(request, "trainings/enrol_form.html", {"training": training, "form": form,
                                                          "new_person": new_person})


@login_required
@require_http_methods(["GET", "POST"])
def targets(request, pk):
    training = _editable(request, pk)
    enrolments = list(training.enrolments.select_related("person"))
    if request.method == "POST":
        try:
            if request.POST.get("action") == "split":
                services.targets_split_evenly(training=training, by=request.user)
            else:
                values = {e.pk: int(request.POST.get(f"t{e.pk}", "x")) for e in enrolments}
                services.targets_set(training=training, targets=values, by=request.user)
        except ValueError:
            messages.error(request, _("Targets are whole numbers."))
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Targets saved."))
            return redirect(training)
    return render(request, "trainings/targets_form.html", {"training": training, "enrolments": enrolments,
                                                            "posted": request.POST})


def _parse_day(value):
    try:
        return parse_date(value or "")
    except ValueError:
        return None


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request, pk):
    training = _runnable(request, pk)
    enrolments = training.enrolments.select_related("person")
    day = _parse_day(request.GET.get("day")) or min(timezone.localdate(), training.ends_on)
    existing = {a.enrolment_id: a.mode for a in Attendance.objects.filter(enrolment__training=training, day=day)} \
        if request.method == "GET" else {}
    initial = {"day": day, **{f"p{pk}": mode for pk, mode in existing.items()}}
    form = AttendanceForm(request.POST or None, enrolments=enrolments, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(training=training, day=form.cleaned_data["day"], marks=form.marks(),
                                       by=request.user)
        except DomainError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("Attendance saved."))
            return redirect(training)
    return render(request, "trainings/attendance_form.html", {"training": training, "form": form})


def _day_shown(training, value):
    """The day the grid opens on: the one asked for, else today within the training's days."""
    if value:
        return _parse_day(value)
    return min(max(timezone.localdate(), training.starts_on), training.ends_on)


@login_required
@require_http_methods(["GET", "POST"])
def training_day(request, pk):
    """A training day for the whole class on one screen: attendance and each participant's output, saved at once.
    The day is chosen with a GET form (``?date=``), so another day always opens with its own entries."""
    training = _runnable(request, pk)
    day = _day_shown(training, request.GET.get("date"))
    context = {"training": training, "day": day, "days": training.days if training.day_count <= 31 else []}
    if day is None or not training.starts_on <= day <= training.ends_on:
        context["refusal"] = _("Choose a day of this training, from %(first)s to %(last)s.") % {
            "first": long_date(training.starts_on), "last": long_date(training.ends_on)}
        return render(request, "trainings/training_day.html", context, status=400 if request.GET.get("date") else 200)
    enrolments = list(training.enrolments.select_related("person").order_by("person__name", "pk"))
    marks = {a.enrolment_id: a for a in Attendance.objects.filter(enrolment__training=training, day=day)}
    batch = training.batches.filter(produced_on=day, producer_partner=None, producer_person=None).first()
    output = dict(batch.lines.values_list("person_id", "quantity")) if batch else {}
    form = TrainingDayForm(request.POST or None, training=training, enrolments=enrolments,
                           modes=services.present_modes(training), marks=marks, output=output)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.training_day_record(training=training, day=day, rows=form.day_rows(), by=request.user)
        except services.DayRefused as error:
            form.add_error(None, error.message)
            form.show_row_errors(error.errors)
        except DomainError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("%(day)s saved.") % {"day": long_date(day)} + " " + (
                _("The output is batch %(code)s; it awaits inspection.") % {"code": batch.code} if batch else
                _("Nobody made anything that day.")))
            return redirect(f"{reverse('trainings:day', args=[training.pk])}?date={day.isoformat()}")
    singles = dict(training.batches.filter(produced_on=day, producer_person__isnull=False)
                   .values_list("producer_person").annotate(total=Sum("quantity")).order_by())
    one_day = datetime.timedelta(days=1)
    context.update({
        "form": form, "batch": batch, "recorded": bool(marks or batch),
        "rows": [(*row, singles.get(row[0].person_id)) for row in form.rows()],
        "previous": day - one_day if day > training.starts_on else None,
        "next": day + one_day if day < training.ends_on else None,
    })
    return render(request, "trainings/training_day.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def home_visit(request, pk):
    training = _runnable(request, pk)
    form = HomeVisitForm(request.POST or None, training=training, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.home_visit_record(by=request.user, **form.cleaned_data)
        except DomainError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("Home visit recorded."))
            return redirect(training)
    return render(request, "trainings/simple_form.html", {"training": training, "form": form,
                                                           "title": _("Record a home visit")})


@login_required
@require_http_methods(["GET", "POST"])
def output(request, pk):
    training = _runnable(request, pk)
    form = OutputForm(request.POST or None, training=training)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.output_record(by=request.user, **form.cleaned_data)
        except DomainError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("Output recorded as batch %(code)s; it awaits inspection.")
                             % {"code": batch.code})
            return redirect(training)
    return render(request, "trainings/simple_form.html", {"training": training, "form": form,
                                                           "title": _("Record a participant's output")})


@login_required
@require_http_methods(["GET", "POST"])
def kit(request, pk, enrolment_pk):
    """Issue a participant's kit. A shortfall links to the receipt form with the missing materials filled in, and
    offers to issue the part the store covers; the page lists what is still owed to whom."""
    training = _editable(request, pk)
    enrolment = get_object_or_404(training.enrolments.select_related("person", "training__product"), pk=enrolment_pk)
    form = KitForm(request.POST or None, user=request.user)
    receive_url = None
    if request.method == "POST" and form.is_valid():
        partial = "partial" in request.POST
        try:
            services.kit_issue(enrolment=enrolment, by=request.user, partial=partial, **form.cleaned_data)
        except InsufficientStock as error:
            show_on_form(form, error)
            receive_url = _receipt_url(form.cleaned_data["office"], error.shortfalls)
        except DomainError as error:
            show_on_form(form, error)
        else:
            enrolment.refresh_from_db(fields=["kit"])
            if enrolment.kit_id:
                messages.success(request, _("Kit issued to %(name)s.") % {"name": enrolment.person.name})
                return redirect(training)
            messages.success(request, _("Part of the kit issued to %(name)s; the rest is still owed.")
                             % {"name": enrolment.person.name})
            return redirect("trainings:kit", pk=training.pk, enrolment_pk=enrolment.pk)
    return render(request, "trainings/kit_form.html", {
        "training": training, "enrolment": enrolment, "form": form, "lines": services.kit_lines(enrolment),
        "owed": services.kit_owed(enrolment), "receive_url": receive_url, "kits_owed": services.kits_owed(training),
    })


def _receipt_url(office, shortfalls) -> str:
    """The receipt form with the office and each missing material's quantity filled in."""
    query = [("office", office.pk)]
    for shortfall in shortfalls:
        query += [("item", shortfall.item.pk), ("quantity", format(shortfall.missing.normalize(), "f"))]
    return f"{reverse('stock:receipt-create')}?{urlencode(query)}"


@login_required
@require_http_methods(["GET", "POST"])
def collect(request, pk):
    """Collect the accepted output still at the participants' homes into an office's store: one transfer."""
    training = _editable(request, pk)
    require_officer(request.user)
    form = KitForm(request.POST or None, user=request.user)
    form.fields["office"].label = _("Into the store of")
    if request.method == "POST" and form.is_valid():
        try:
            document = services.output_collect(training=training, by=request.user, **form.cleaned_data)
        except DomainError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("%(number)s recorded.") % {"number": document.number})
            return redirect(document)
    return render(request, "trainings/collect_form.html", {
        "training": training, "form": form, "homes": services.output_at_homes(training),
    })


@login_required
@require_http_methods(["GET", "POST"])
def material(request, pk):
    training = _runnable(request, pk)
    form = MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.material_add(training=training, by=request.user, **form.cleaned_data)
        except DomainError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("Learning material added."))
            return redirect(training)
    return render(request, "trainings/simple_form.html", {"training": training, "form": form, "multipart": True,
                                                           "title": _("Add learning material")})


@login_required
def material_file(request, pk, material_pk):
    """A handout, for the readers of its training only, whatever name it was stored under."""
    material = get_object_or_404(LearningMaterial.objects.visible_to(request.user).exclude(file=""),
                                 training_id=pk, pk=material_pk)
    return private_file_response(material.file, filename=material.download_name)


@login_required
def certificate(request, pk, enrolment_pk):
    training = _visible(request, pk)
    enrolment = get_object_or_404(Enrolment.objects.filter(training=training).select_related("person"),
                                  pk=enrolment_pk)
    context = certificate_context(enrolment)
    if not context["eligible"]:
        messages.error(request, _("%(name)s did not meet the attendance needed for a certificate.")
                       % {"name": enrolment.person.name})
        return redirect(training)
    return pdf_response(render_pdf("trainings/certificate.pdf.html", context), f"sertifikat-{enrolment.pk}.pdf")


@login_required
def report(request, pk):
    training = _visible(request, pk)
    return pdf_response(render_pdf("trainings/report.pdf.html", report_context(training)), f"laporan-bimtek-{training.pk}.pdf")


def visible_programmes(user):
    """Programmes led by an office the user sees; only an office's staff read them."""
    from sigap.organisations.models import Organisation

    if not user.has_region_scope:
        return Programme.objects.none()
    return Programme.objects.filter(office__in=Organisation.objects.visible_to(user))


@login_required
def programme_list(request):
    require_region_scope(request.user)
    programmes = visible_programmes(request.user).select_related("office").prefetch_related(
        "targets__product", "trainings")
    return render(request, "trainings/programme_list.html", {"programmes": programmes,
                                                              "can_create": request.user.is_officer})


@login_required
@require_http_methods(["GET", "POST"])
def programme_create(request):
    require_officer(request.user)
    form = ProgrammeForm(request.POST or None, user=request.user)
    targets_formset = ProgrammeTargetFormSet(request.POST or None, prefix="targets")
    if request.method == "POST" and form.is_valid() and targets_formset.is_valid():
        data = dict(form.cleaned_data)
        partner_offices = data.pop("partner_offices")
        targets_list = [(f.cleaned_data["product"], f.cleaned_data["quantity"]) for f in targets_formset.forms
                        if f.cleaned_data]
        try:
            services.programme_create(by=request.user, partner_offices=partner_offices, targets=targets_list, **data)
        except DomainError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("Programme saved."))
            return redirect("trainings:programme-list")
    return render(request, "trainings/programme_form.html", {"form": form, "formset": targets_formset})
