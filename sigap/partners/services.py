import datetime

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sigap.lib.errors import DomainError
from sigap.organisations.models import Organisation
from sigap.partners.models import Partner, PartnerProduct, Status
from sigap.regions.models import Region, code_within

PARTNER_FIELDS = ["name", "nib", "owner_name", "address", "region", "phone", "sector", "assisting_office",
                  "joined_on", "status"]


def _check_scope(*, by, region: Region, assisting_office: Organisation) -> None:
    if not by.is_officer:
        raise DomainError(_("Only industry office staff register IKM partners."))
    if not code_within(region.code, by.region_code):
        raise DomainError(_("This address is outside your region."), field="district")
    if not Organisation.objects.visible_to(by).industry_offices().filter(pk=assisting_office.pk).exists():
        raise DomainError(_("Choose an industry office of your region."), field="assisting_office")


def _set_products(partner: Partner, products: list[tuple]) -> None:
    """Replace the partner's products with (item, weekly_capacity) pairs."""
    seen = set()
    for item, _capacity in products:
        if item.pk in seen:
            raise DomainError(_("%(product)s is listed twice.") % {"product": item.name})
        if item.kind != "product":
            raise DomainError(_("%(item)s is a raw material, not a product.") % {"item": item.name})
        seen.add(item.pk)
    partner.capabilities.exclude(item__in=seen).delete()
    for item, capacity in products:
        if capacity is None or capacity < 1:
            raise DomainError(_("Weekly capacity must be at least 1."))
        PartnerProduct.objects.update_or_create(partner=partner, item=item, defaults={"weekly_capacity": capacity})


@transaction.atomic
def partner_create(*, by, products: list[tuple] = (), **fields) -> Partner:
    """Register an IKM partner in the officer's region; the audit trail records who did it."""
    _check_scope(by=by, region=fields["region"], assisting_office=fields["assisting_office"])
    partner = Partner(**{name: fields[name] for name in PARTNER_FIELDS if name in fields})
    if partner.status == Status.INACTIVE and partner.left_on is None:
        partner.left_on = timezone.localdate()
    partner.full_clean()
    partner._history_user = by
    partner.save()
    _set_products(partner, list(products))
    return partner


@transaction.atomic
def partner_update(*, partner: Partner, by, products: list[tuple] | None = None, **fields) -> Partner:
    """Change a partner. Deactivating records the day it left; reactivating clears it."""
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    if not Partner.objects.editable_by(by).filter(pk=partner.pk).exists():
        raise DomainError(_("You cannot change this partner."))
    _check_scope(
        by=by, region=fields.get("region", partner.region), assisting_office=fields.get("assisting_office",
                                                                                         partner.assisting_office),
    )
    was_active = partner.status == Status.ACTIVE
    for name in PARTNER_FIELDS:
        if name in fields:
            setattr(partner, name, fields[name])
    if was_active and partner.status == Status.INACTIVE:
        partner.left_on = timezone.localdate()
    elif partner.status == Status.ACTIVE:
        partner.left_on = None
    partner.full_clean()
    partner._history_user = by
    partner.save()
    if products is not None:
        _set_products(partner, list(products))
    return partner


def _month_end(year: int, month: int) -> datetime.date:
    first_of_next = datetime.date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - datetime.timedelta(days=1)


def partners_by_month(partners, *, first: datetime.date, last: datetime.date) -> list[dict]:
    """Active partners at the end of each month and partners who joined in it, in one query.

    A partner is active at a month's end when it had joined by then and had not left.
    """
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    aggregates = {}
    for index, (year, month) in enumerate(months):
        end = _month_end(year, month)
        aggregates[f"active_{index}"] = Count(
            "pk", filter=Q(joined_on__lte=end) & (Q(left_on__isnull=True) | Q(left_on__gt=end))
        )
        aggregates[f"new_{index}"] = Count("pk", filter=Q(joined_on__year=year, joined_on__month=month))
    totals = partners.order_by().aggregate(**aggregates) if aggregates else {}
    return [
        {"month": datetime.date(year, month, 1), "active": totals[f"active_{i}"], "new": totals[f"new_{i}"]}
        for i, (year, month) in enumerate(months)
    ]
