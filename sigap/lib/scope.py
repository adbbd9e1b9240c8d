"""The one rule of who sees which records, for models that hang off a region, a partner or an agency."""

from sigap.accounts.models import Role
from sigap.regions.models import in_region


def scoped(queryset, user, *, region: str, partner: str | None = None, agency: str | None = None):
    """What ``user`` may see of ``queryset``.

    Office staff see the records whose ``region`` (a path to a Region foreign key, e.g. "office__region") lies in
    their region; a partner user sees those whose ``partner`` path is their business; an agency user those whose
    ``agency`` path is their organisation. Everyone else sees nothing.
    """
    if not user.is_authenticated:
        return queryset.none()
    if user.has_region_scope:
        return queryset.filter(in_region(user.region_code, region))
    if partner and user.role == Role.PARTNER and user.partner_id:
        return queryset.filter(**{f"{partner}_id": user.partner_id})
    if agency and user.role == Role.AGENCY and user.organisation_id:
        return queryset.filter(**{f"{agency}_id": user.organisation_id})
    return queryset.none()
