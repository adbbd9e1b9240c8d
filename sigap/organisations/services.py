from django.db import transaction
from django.utils.translation import gettext as _

from sigap.accounts.models import role_fits_organisation_kind
from sigap.lib.errors import DomainError
from sigap.organisations.models import AGENCY_KINDS, Kind, Organisation, kinds_registered_by
from sigap.regions.models import Level, code_within


def check_office_staff(*, by, office: Organisation, refusal: str) -> None:
    """Refuse (with ``refusal``) anyone but office staff, and any office but an industry office of their region."""
    if not by.is_officer:
        raise DomainError(refusal)
    if not Organisation.objects.editable_by(by).industry_offices().filter(pk=office.pk).exists():
        raise DomainError(_("Choose an industry office of your region."), field="office")


FIELDS = ["name", "short_name", "code", "kind", "region", "address", "head_name", "head_title"]

# The levels of region each kind sits at: an office at its province or regency, an agency in a regency, a district
# or a village (a province's own agency, such as its BPBD, is registered by an administrator).
KIND_LEVELS = {
    Kind.PROVINCIAL_INDUSTRY_OFFICE: {Level.PROVINCE},
    Kind.MINISTRY: {Level.PROVINCE},
    Kind.DISTRICT_INDUSTRY_OFFICE: {Level.REGENCY},
    **{kind: {Level.REGENCY, Level.DISTRICT, Level.VILLAGE} for kind in AGENCY_KINDS},
}


def _check(*, by, kind, region):
    """The kind is one the user registers, the region inside the user's and at a level that kind sits at."""
    if not by.is_officer:
        raise DomainError(_("Only industry office staff register organisations."))
    if kind not in kinds_registered_by(by):
        raise DomainError(_("You may not register a %(kind)s.") % {"kind": Kind(kind).label.lower()}
                          if kind in Kind.values else _("Choose a kind of organisation."), field="kind")
    if not code_within(region.code, by.region_code):
        raise DomainError(_("This region is outside your region."), field="region")
    levels = set(KIND_LEVELS[kind])
    if by.is_admin and kind in AGENCY_KINDS:
        levels.add(Level.PROVINCE)
    if region.level not in levels:
        raise DomainError(_("A %(kind)s is registered at the level of: %(levels)s.") % {
            "kind": Kind(kind).label.lower(),
            "levels": ", ".join(str(Level(level).label).lower() for level in sorted(levels))}, field="region")


def _check_users_fit(*, organisation: Organisation, kind: str) -> None:
    """A new kind must fit the roles of the organisation's users (the database refuses it too): an office whose
    district officers sign in cannot become a task force under them."""
    misfits = [user for user in organisation.users.order_by("username").only("username", "role")
               if not role_fits_organisation_kind(user.role, kind)]
    if misfits:
        raise DomainError(_("Its users do not fit a %(kind)s: %(users)s. Change or deactivate their logins first.") % {
            "kind": Kind(kind).label.lower(), "users": ", ".join(user.username for user in misfits[:5])},
            field="kind")


@transaction.atomic
def organisation_create(*, by, **fields) -> Organisation:
    """Register an office or agency of a kind the officer registers, inside their region, at its kind's level."""
    _check(by=by, kind=fields.get("kind"), region=fields["region"])
    organisation = Organisation(**{k: fields[k] for k in FIELDS if k in fields})
    organisation.full_clean()
    organisation._history_user = by
    organisation.save()
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, by, **fields) -> Organisation:
    """Change an office or agency the officer manages; its new kind and region obey the same rules as a new one."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if not Organisation.objects.manageable_by(by).filter(pk=organisation.pk).exists():
        raise DomainError(_("You cannot change this organisation."))
    _check(by=by, kind=fields.get("kind", organisation.kind), region=fields.get("region", organisation.region))
    if fields.get("kind", organisation.kind) != organisation.kind:
        _check_users_fit(organisation=organisation, kind=fields["kind"])
    for name in FIELDS:
        if name in fields:
            setattr(organisation, name, fields[name])
    organisation.full_clean()
    organisation._history_user = by
    organisation.save()
    return organisation
