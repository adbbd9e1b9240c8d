from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sigap.lib.errors import DomainError
from sigap.lib.spreadsheet import RegionCodes, Report, by_key, create_all
from sigap.regions.models import Region, code_within
from sigap.people.forms import PERSON_IMPORT_COLUMNS, check_nik, check_nik_is_new, nik_taken_message
from sigap.people.models import Kind, Person

PERSON_FIELDS = ["name", "nik", "sex", "birth_date", "kind", "address", "region", "phone", "partner"]


def _check_registrar(by) -> None:
    if not by.is_officer:
        raise DomainError(_("Only industry office staff register people."))


def _check_address(*, by, region: Region) -> None:
    if not code_within(region.code, by.region_code):
        raise DomainError(_("This address is outside your region."), field="district")


def _check(*, by, fields, person: Person | None = None) -> None:
    _check_registrar(by)
    _check_address(by=by, region=fields["region"])
    problems = check_nik(fields["nik"], birth_date=fields.get("birth_date"), sex=fields.get("sex"))
    if problems:
        field, message = problems[0]
        raise DomainError(message, field=field)
    taken = check_nik_is_new(fields["nik"], by=by, person=person)
    if taken:
        raise DomainError(taken, field="nik")


def _save(person: Person, *, by) -> None:
    """Save; a registration of the same NIK that committed after _check() is refused like one before it."""
    person._history_user = by
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        taken = check_nik_is_new(person.nik, by=by, person=person if person.pk else None)
        if not taken:
            raise
        raise DomainError(taken, field="nik") from None


@transaction.atomic
def person_create(*, by, **fields) -> Person:
    """Register a participant, instructor or health expert; the NIK must be well formed, match, and be new in
    SIGAP (the refusal says where it is held only to officers, see nik_taken_message). A refusal writes nothing."""
    _check(by=by, fields=fields)
    person = Person(**{name: fields[name] for name in PERSON_FIELDS if name in fields})
    person.full_clean()
    _save(person, by=by)
    return person


@transaction.atomic
def person_update(*, person: Person, by, **fields) -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    if not Person.objects.editable_by(by).filter(pk=person.pk).exists():
        raise DomainError(_("You cannot change this person."))
    for name in PERSON_FIELDS:
        if name in fields:
            setattr(person, name, fields[name])
    _check(by=by, fields={name: getattr(person, name) for name in PERSON_FIELDS}, person=person)
    person.full_clean()
    _save(person, by=by)
    return person


@transaction.atomic
def people_import(*, rows, by) -> int:
    """Register the people of an Excel import, all or none (``rows`` from ``read_rows`` with
    PERSON_IMPORT_COLUMNS). Each row passes person_create's rules: an officer, an address in their region, a
    well-formed NIK that matches the birth date and sex, the model's validators; and its NIK is new, in SIGAP and
    in the file. Regions and NIKs are looked up once for the whole file. Returns how many were registered."""
    _check_registrar(by)
    report = Report(PERSON_IMPORT_COLUMNS)
    rows = list(rows)
    # The form offers districts and villages only.
    regions = by_key(Region.objects.filter(level__gte=3), "code", (row.values.get("region") for row in rows))
    near_regions = RegionCodes(by)
    taken = by_key(Person.objects.only("nik", "region"), "nik", (row.values.get("nik") for row in rows))
    taken_messages = {}  # by the holder's region: its office is looked up once, not for every row
    first_row_of = {}
    people = []
    for row in rows:
        report.add_row(row)
        values = row.values
        person = Person(**{name: values[name] for name in PERSON_FIELDS if name in values and name != "region"})
        person.kind = values.get("kind") or Kind.PARTICIPANT
        region = regions.get(values.get("region"))
        if region is not None:
            person.region = region
            report.check(row.number, "region", _check_address, by=by, region=region)
        elif values.get("region"):
            report.add_unknown(row.number, "region", _("No village or district has this code."), values["region"],
                               near_regions.near(values["region"]))
        nik = values.get("nik")
        if nik:
            for field, message in check_nik(nik, birth_date=values.get("birth_date"), sex=values.get("sex")):
                report.add(row.number, field, message)
        if nik in taken:
            holder = taken[nik]
            if holder.region_id not in taken_messages:
                taken_messages[holder.region_id] = nik_taken_message(holder, by=by)
            report.add(row.number, "nik", taken_messages[holder.region_id])
        elif nik in first_row_of:
            report.add(row.number, "nik", _("This NIK is also on row %(row)s.") % {"row": first_row_of[nik]})
        elif nik:
            first_row_of[nik] = row.number
        # Foreign keys and uniqueness are checked above, against what was loaded once.
        report.check_model(row, person, checked={"region", "nik", "partner"})
        people.append(person)
    report.refuse_if_any()
    return create_all(people, Person, by=by)
