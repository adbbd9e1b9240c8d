"""Stock documents: receipts from the province, issues to producers, transfers, counts, and voiding.

Each runs in one transaction: the document and its ledger posting are written together or not at all.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from sigap.lib.dates import check_document_date
from sigap.lib.errors import DomainError
from sigap.regions.models import code_within
from sigap.organisations.models import Organisation
from sigap.organisations.services import check_office_staff
from sigap.partners.models import Partner
from sigap.people.models import Person
from sigap.stock import ledger
from sigap.stock.models import (
    Adjustment, DocumentKind, DocumentLine, Location, LocationKind, PostingKind, StockDocument,
)


def location_for_office(office: Organisation) -> Location:
    location, _created = Location.objects.get_or_create(
        organisation=office, defaults={"kind": LocationKind.OFFICE_STORE, "name": str(office), "region": office.region}
    )
    return location


def location_for_partner(partner: Partner) -> Location:
    location, _created = Location.objects.get_or_create(
        partner=partner, defaults={"kind": LocationKind.PARTNER_WORKSHOP, "name": partner.name,
                                   "region": partner.region},
    )
    return location


def location_for_person(person: Person) -> Location:
    location, _created = Location.objects.get_or_create(
        person=person, defaults={"kind": LocationKind.PERSON_HOME, "name": person.name, "region": person.region}
    )
    return location


def location_for(owner) -> Location:
    if isinstance(owner, Organisation):
        return location_for_office(owner)
    if isinstance(owner, Partner):
        return location_for_partner(owner)
    if isinstance(owner, Person):
        return location_for_person(owner)
    raise TypeError(f"no location for {owner!r}")


def _check_office(*, by, office: Organisation) -> None:
    check_office_staff(by=by, office=office, refusal=_("Only industry office staff record stock documents."))


def _check_date(day: datetime.date, field: str = "date") -> None:
    check_document_date(day, field=field)


def _check_lines(lines) -> list[tuple]:
    lines = [(item, Decimal(quantity)) for item, quantity in lines]
    if not lines:
        raise DomainError(_("Add at least one line."))
    seen = set()
    for item, quantity in lines:
        if quantity <= 0:
            raise DomainError(_("Quantities must be more than zero."))
        if item.pk in seen:
            raise DomainError(_("%(item)s is listed twice.") % {"item": item.name})
        seen.add(item.pk)
    return lines


def _document(*, kind, office, day, lines, by, source=None, destination, supplier=None, reference="", note=""):
    document = StockDocument.objects.create(
        kind=kind, office=office, date=day, reference=reference, supplier=supplier, source=source,
        destination=destination, note=note, created_by=by,
    )
    DocumentLine.objects.bulk_create([DocumentLine(document=document, item=i, quantity=q) for i, q in lines])
    return document


@transaction.atomic
def receipt_record(*, office: Organisation, supplier: Organisation | None, date: datetime.date, lines,
                   by, reference: str = "", note: str = "") -> StockDocument:
    """Materials (or goods) received into an office's store, e.g. from the provincial industry office."""
    _check_office(by=by, office=office)
    _check_date(date)
    lines = _check_lines(lines)
    store = location_for_office(office)
    document = _document(kind=DocumentKind.RECEIPT, office=office, day=date, lines=lines, by=by, destination=store,
                         supplier=supplier, reference=reference, note=note)
    document.posting = ledger.post(
        kind=PostingKind.RECEIPT, by=by, document=document, note=document.number, on=date,
        lines=[ledger.Line(item, store, quantity) for item, quantity in lines],
    )
    document.save(update_fields=["posting"])
    return document


@transaction.atomic
def issue_record(*, office: Organisation, recipient: Partner | Person, date: datetime.date, lines, by,
                 note: str = "", reference: str = "") -> StockDocument:
    """Materials issued from an office's store to a partner's workshop or a participant's home.
    Refused, with nothing written, when the store does not hold enough."""
    _check_office(by=by, office=office)
    _check_date(date)
    lines = _check_lines(lines)
    if not code_within(recipient.region_id, by.region_code):
        raise DomainError(_("The recipient is outside your region."), field="recipient")
    store, destination = location_for_office(office), location_for(recipient)
    document = _document(kind=DocumentKind.ISSUE, office=office, day=date, lines=lines, by=by, source=store,
                         destination=destination, note=note, reference=reference)
    document.posting = ledger.post(
        kind=PostingKind.ISSUE, by=by, document=document, note=document.number, on=date,
        lines=[line for item, quantity in lines for line in (ledger.Line(item, store, -quantity),
                                                              ledger.Line(item, destination, quantity))],
    )
    document.save(update_fields=["posting"])
    return document


@transaction.atomic
def transfer_record(*, office: Organisation, source: Location, destination: Location, date: datetime.date,
                    lines, by, note: str = "") -> StockDocument:
    """Goods moved between two locations the officer may see (e.g. a district store to the province's)."""
    _check_office(by=by, office=office)
    _check_date(date)
    lines = _check_lines(lines)
    if source.pk == destination.pk:
        raise DomainError(_("Choose two different locations."), field="destination")
    visible = Location.objects.visible_to(by)
    if not visible.filter(pk=source.pk).exists():
        raise DomainError(_("You cannot move stock out of this location."), field="source")
    document = _document(kind=DocumentKind.TRANSFER, office=office, day=date, lines=lines, by=by, source=source,
                         destination=destination, note=note)
    document.posting = ledger.post(
        kind=PostingKind.TRANSFER, by=by, document=document, note=document.number, on=date,
        lines=[line for item, quantity in lines for line in (ledger.Line(item, source, -quantity),
                                                              ledger.Line(item, destination, quantity))],
    )
    document.save(update_fields=["posting"])
    return document


@transaction.atomic
def transfer_gather(*, office: Organisation, destination: Location, date: datetime.date, lines, by,
                    note: str = "") -> StockDocument:
    """Goods gathered from several locations of the office's region (partners' workshops, participants' homes)
    into one destination as ONE transfer document with a line per source and item. All or nothing: a source that
    holds too little refuses the whole document through the ledger."""
    _check_office(by=by, office=office)
    _check_date(date)
    lines = [(source, item, Decimal(quantity)) for source, item, quantity in lines]
    if not lines:
        raise DomainError(_("Add at least one line."))
    visible = set(Location.objects.visible_to(by).filter(pk__in={source.pk for source, _i, _q in lines})
                  .values_list("pk", flat=True))
    seen = set()
    for source, item, quantity in lines:
        if quantity <= 0:
            raise DomainError(_("Quantities must be more than zero."))
        if source.pk == destination.pk:
            raise DomainError(_("Choose two different locations."), field="destination")
        if source.pk not in visible or not code_within(source.region_id, office.region_id):
            raise DomainError(_("You cannot move stock out of %(location)s.") % {"location": source.name})
        if (source.pk, item.pk) in seen:
            raise DomainError(_("%(item)s from %(location)s is listed twice.")
                              % {"item": item.name, "location": source.name})
        seen.add((source.pk, item.pk))
    document = StockDocument.objects.create(kind=DocumentKind.TRANSFER, office=office, date=date,
                                            destination=destination, note=note, created_by=by)
    DocumentLine.objects.bulk_create([DocumentLine(document=document, source=source, item=item, quantity=quantity)
                                      for source, item, quantity in lines])
    arriving: dict = {}
    for _source, item, quantity in lines:
        arriving[item] = arriving.get(item, Decimal(0)) + quantity
    document.posting = ledger.post(
        kind=PostingKind.TRANSFER, by=by, document=document, note=document.number, on=date,
        lines=[ledger.Line(item, source, -quantity) for source, item, quantity in lines]
        + [ledger.Line(item, destination, quantity) for item, quantity in arriving.items()],
    )
    document.save(update_fields=["posting"])
    return document


@transaction.atomic
def document_void(*, document: StockDocument, by, reason: str) -> StockDocument:
    """Void a receipt, issue or transfer by reversing its posting; the document stays, marked void."""
    document = StockDocument.objects.select_for_update().get(pk=document.pk)
    if not StockDocument.objects.visible_to(by).filter(pk=document.pk).exists() or not by.is_officer:
        raise DomainError(_("You cannot void this document."))
    if document.is_void:
        raise DomainError(_("This document is already void."))
    if not reason.strip():
        raise DomainError(_("Give the reason for voiding."), field="reason")
    document.voided_posting = ledger.reverse(posting=document.posting, by=by, note=reason, document=document)
    document.void_reason = reason.strip()
    document.save(update_fields=["voided_posting", "void_reason"])
    return document


@transaction.atomic
def adjustment_record(*, location: Location, item, counted: Decimal, counted_on: datetime.date, reason: str,
                      by) -> Adjustment:
    """Bring the books to a physical count; the difference is posted with its reason."""
    if not by.is_officer or not Location.objects.visible_to(by).filter(pk=location.pk).exists():
        raise DomainError(_("You cannot count stock at this location."))
    _check_date(counted_on, "counted_on")
    if counted < 0:
        raise DomainError(_("A count cannot be negative."), field="counted")
    if not reason.strip():
        raise DomainError(_("Give the reason for the difference."), field="reason")
    difference = Decimal(counted) - ledger.on_hand(item, location)
    if difference == 0:
        raise DomainError(_("The count equals the books; there is nothing to adjust."), field="counted")
    adjustment = Adjustment.objects.create(location=location, item=item, counted=counted, difference=difference,
                                           reason=reason.strip(), counted_on=counted_on, created_by=by)
    adjustment.posting = ledger.post(kind=PostingKind.ADJUSTMENT, by=by, note=reason, document=adjustment, on=counted_on,
                                     lines=[ledger.Line(item, location, difference)])
    adjustment.save(update_fields=["posting"])
    return adjustment
