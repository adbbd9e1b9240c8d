from django.db import transaction
from django.utils.translation import gettext as _

from sigap.lib.errors import DomainError
from sigap.regions.models import code_within
from sigap.people.forms import check_nik
from sigap.people.models import Person

PERSON_FIELDS = ["name", "nik", "sex", "birth_date", "kind", "address", "region", "phone", "partner"]


def _check(*, by, fields) -> None:
    if not by.is_officer:
        raise DomainError(_("Only industry office staff register people."))
    region = fields["region"]
    if not code_within(region.code, by.region_code):
        raise DomainError(_("This address is outside your region."), field="district")
    problems = check_nik(fields["nik"], birth_date=fields.get("birth_date"), sex=fields.get("sex"))
    if problems:
        field, message = problems[0]
        raise DomainError(message, field=field)


@transaction.atomic
def person_create(*, by, **fields) -> Person:
    """Register a participant, instructor or health expert; the NIK must be well formed and match."""
    _check(by=by, fields=fields)
    person = Person(**{name: fields[name] for name in PERSON_FIELDS if name in fields})
    person.full_clean()
    person._history_user = by
    person.save()
    return person


@transaction.atomic
def person_update(*, person: Person, by, **fields) -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    if not Person.objects.editable_by(by).filter(pk=person.pk).exists():
        raise DomainError(_("You cannot change this person."))
    for name in PERSON_FIELDS:
        if name in fields:
            setattr(person, name, fields[name])
    _check(by=by, fields={name: getattr(person, name) for name in PERSON_FIELDS})
    person.full_clean()
    person._history_user = by
    person.save()
    return person
