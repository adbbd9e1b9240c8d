import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from sigap.lib.errors import DomainError
from sigap.lib.spreadsheet import RegionCodes, Report, by_key, create_all
from sigap.organisations.models import Organisation
from sigap.partners.forms import PARTNER_IMPORT_COLUMNS
from sigap.partners.models import Partner, PartnerProduct, Status
from sigap.regions.models import Region, code_within

PARTNER_FIELDS = ["name", "nib", "owner_name", "address", "region", "phone", "sector", "assisting_office",
                  "joined_on", "status"]


def _assisting_offices(by):
    """The offices that may assist a partner ``by`` registers: the industry offices they see."""
    return Organisation.objects.visible_to(by).industry_offices()


def _check_registrar(by) -> None:
    if not by.is_officer:
        raise DomainError(_("Only industry office staff register IKM partners."))


def _check_address(*, by, region: Region) -> None:
    if not code_within(region.code, by.region_code):
        raise DomainError(_("This address is outside your region."), field="district")


def _check_assisting_office(office: Organisation | None, *, allowed: set) -> None:
    if office is None or office.pk not in allowed:
        raise DomainError(_("Choose an industry office of your region."), field="assisting_office")


def _check_scope(*, by, region: Region, assisting_office: Organisation) -> None:
    _check_registrar(by)
    _check_address(by=by, region=region)
    _check_assisting_office(assisting_office, allowed=set(
        _assisting_offices(by).filter(pk=assisting_office.pk).values_list("pk", flat=True)))


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


@transaction.atomic
def partners_import(*, rows, by) -> int:
    """Register the partners of an Excel import, all or none (``rows`` from ``read_rows`` with
    PARTNER_IMPORT_COLUMNS). Each row passes partner_create's rules: an officer, an address in their region, an
    assisting office of their region, the model's validators; and its NIB is new, in SIGAP and in the file.
    Regions, offices and NIBs are looked up once for the whole file. Returns how many were registered."""
    _check_registrar(by)
    report = Report(PARTNER_IMPORT_COLUMNS)
    rows = list(rows)
    # The form offers districts and villages only.
    regions = by_key(Region.objects.filter(level__gte=3), "code", (row.values.get("region") for row in rows))
    near_regions = RegionCodes(by)
    offices = {office.code.upper(): office for office in _assisting_offices(by)}
    allowed = {office.pk for office in offices.values()}
    taken = by_key(Partner.objects.only("nib"), "nib", (row.values.get("nib") for row in rows))
    first_row_of = {}
    partners = []
    for row in rows:
        report.add_row(row)
        values = row.values
        partner = Partner(**{name: values[name] for name in PARTNER_FIELDS if name in values
                             and name not in {"region", "assisting_office"}})
        region = regions.get(values.get("region"))
        if region is not None:
            partner.region = region
            report.check(row.number, "region", _check_address, by=by, region=region)
        elif values.get("region"):
            report.add_unknown(row.number, "region", _("No village or district has this code."), values["region"],
                               near_regions.near(values["region"]))
        if "assisting_office" in values:
            code = values["assisting_office"]
            office = offices.get(code.upper()) if code else by.organisation
            if office is None:
                report.add_unknown(row.number, "assisting_office", _("Choose an industry office of your region."),
                                   code, {office.code: office.name for office in offices.values()})
            elif report.check(row.number, "assisting_office", _check_assisting_office, office, allowed=allowed):
                partner.assisting_office = office
        nib = values.get("nib")
        if nib in taken:
            report.add(row.number, "nib", Partner._meta.get_field("nib").error_messages["unique"])
        elif nib in first_row_of:
            report.add(row.number, "nib", _("This NIB is also on row %(row)s.") % {"row": first_row_of[nib]})
        elif nib:
            first_row_of[nib] = row.number
        # Foreign keys and uniqueness are checked above, against what was loaded once.
        report.check_model(row, partner, checked={"region", "assisting_office"})
        partners.append(partner)
    report.refuse_if_any()
    return create_all(partners, Partner, by=by)


def _as_date(month) -> datetime.date:
    return month.date() if isinstance(month, datetime.datetime) else month


def partners_by_month(partners, *, first: datetime.date, last: datetime.date) -> list[dict]:
    """Active partners at the end of each month and partners who joined in it, in one small query.

    A partner is active at a month's end when it had joined by then and had not left. The database counts the
    partners who joined and who left in each month up to ``last``; the running totals are added up here, so the
    cost follows the number of months, not of partners times months.
    """
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(datetime.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if not months:
        return []
    after_last = datetime.date(year, month, 1)  # the first day after the last month

    joined, left = defaultdict(int), defaultdict(int)
    # One scan: a partner's joining and leaving months together (a partner leaves on or after it joins).
    rows = (partners.filter(joined_on__lt=after_last).order_by()
            .annotate(joined=TruncMonth("joined_on"), left=TruncMonth("left_on"))
            .values_list("joined", "left").annotate(count=Count("pk")))
    for joined_month, left_month, count in rows:
        joined[_as_date(joined_month)] += count
        if left_month is not None and _as_date(left_month) < after_last:
            left[_as_date(left_month)] += count
    active = sum(n for m, n in joined.items() if m < months[0]) - sum(n for m, n in left.items() if m < months[0])
    rows = []
    for month_start in months:
        active += joined.get(month_start, 0) - left.get(month_start, 0)
        rows.append({"month": month_start, "active": active, "new": joined.get(month_start, 0)})
    return rows
