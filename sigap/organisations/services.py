from django.db import transaction
from django.utils.translation import gettext as _

from sigap.lib.errors import DomainError
from sigap.regions.models import code_within
from sigap.organisations.models import Organisation

def check_office_staff(*, by, office: Organisation, refusal: str) -> None:
    """Refuse (with ``refusal``) anyone but office staff, and any office but an industry office of their region."""
    if not by.is_officer:
        raise DomainError(refusal)
    if not Organisation.objects.editable_by(by).industry_offices().filter(pk=office.pk).exists():
        raise DomainError(_("Choose an industry office of your region."), field="office")


FIELDS = ["name", "short_name", "code", "kind", "region", "address", "head_name", "head_title"]


def _check(*, by, region):
    if not by.is_officer:
        raise DomainError(_("Only industry office staff register organisations."))
    if not code_within(region.code, by.region_code):
        raise DomainError(_("This region is outside your region."), field="region")


@transaction.atomic
def organisation_create(*, by, **fields) -> Organisation:
    """Register an office or agency inside the officer's region."""
    _check(by=by, region=fields["region"])
    organisation = Organisation(**{k: fields[k] for k in FIELDS if k in fields})
    organisation.full_clean()
    organisation._history_user = by
    organisation.save()
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, by, **fields) -> Organisation:
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if not Organisation.objects.editable_by(by).filter(pk=organisation.pk).exists():
        raise DomainError(_("You cannot change this organisation."))
    _check(by=by, region=fields.get("region", organisation.region))
    for name in FIELDS:
        if name in fields:
            setattr(organisation, name, fields[name])
    organisation.full_clean()
    organisation._history_user = by
    organisation.save()
    return organisation
