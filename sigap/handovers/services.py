"""Handovers (BAST), receipt and voiding, agencies' requests and their allocation to partners."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from sigap.accounts.models import Role
from sigap.dashboards import figures
from sigap.dashboards.models import Measure, handover_dimension
from sigap.handovers import allocation
from sigap.handovers.models import (
    DEFAULT_PATTERN, RECEIVER_KINDS, Handover, HandoverLine, NumberScheme, ProductionOrder, RequestLine,
    RequestStatus, Sequence, Status, SupplyRequest,
)
from sigap.lib.dates import check_document_date, check_planned_date
from sigap.lib.errors import DomainError
from sigap.organisations.models import Organisation
from sigap.organisations.services import check_office_staff
from sigap.partners.models import Partner, PartnerProduct
from sigap.production.models import Batch
from sigap.stock import ledger
from sigap.regions.models import code_within
from sigap.stock.models import Balance, Location, LocationKind, PostingKind
from sigap.stock.services import location_for_office, transfer_gather

ROMAN_MONTHS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def format_number(pattern: str, *, seq: int, office_code: str, day: datetime.date) -> str:
    return pattern.format(seq=seq, office=office_code, month=ROMAN_MONTHS[day.month - 1], year=day.year)


def check_pattern(pattern: str) -> None:
    """A pattern must make numbers that no other office and no other year can repeat."""
    if "{seq" not in pattern or "{office" not in pattern or "{year" not in pattern:
        raise DomainError(_("The pattern needs {seq}, {office} and {year}."), field="pattern")
    try:
        format_number(pattern, seq=1, office_code="X", day=datetime.date(2020, 1, 1))
    except (KeyError, ValueError, IndexError):
        raise DomainError(_("The pattern may use only {seq}, {office}, {month} and {year}."),
                          field="pattern") from None


def next_number(*, office: Organisation, day: datetime.date) -> str:
    """The office's next certificate number for that year. The sequence row is locked, so two handovers
    posted at once never share a number, and a number is never reused, not even after voiding."""
    Sequence.objects.get_or_create(office=office, year=day.year)
    sequence = Sequence.objects.select_for_update().get(office=office, year=day.year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    scheme = NumberScheme.objects.filter(office=office).values_list("pattern", flat=True).first()
    number = format_number(scheme or DEFAULT_PATTERN, seq=sequence.last, office_code=office.code, day=day)
    if Handover.objects.filter(number=number).exists():
        raise DomainError(_("The office's number pattern gives %(number)s, which is already used. Put {office} and "
                            "{year} in the pattern.") % {"number": number})
    return number


def _check_officer_of(*, by, office: Organisation) -> None:
    check_office_staff(by=by, office=office, refusal=_("Only industry office staff hand goods over."))


def _check_nip(nip: str, field: str) -> None:
    if nip and not (len(nip) == 18 and nip.isdigit()):
        raise DomainError(_("A NIP is 18 digits."), field=field)


def _record_figures(handover: Handover, *, sign: int) -> None:
    """Count a handover on its date for the giving office's regency; a void takes it out of that same day."""
    figures.record([(handover.office.region_id, line.product_id, Measure.HANDED_OVER,
                     handover_dimension(handover.receiver_id, handover.purpose), sign * line.quantity, 0)
                    for line in handover.lines.all()], day=handover.handed_over_on)


@transaction.atomic
def handover_create(*, office: Organisation, receiver: Organisation, giver_name: str, giver_position: str,
                    receiver_name: str, receiver_position: str, purpose: str, handed_over_on: datetime.date,
                    place: str, lines: list[tuple], by, giver_nip: str = "", receiver_nip: str = "",
                    request: SupplyRequest | None = None) -> Handover:
    """Hand goods from an office's store to an agency or office, with a numbered certificate. The goods leave
    the store through the ledger; a shortfall refuses the whole handover and uses no number."""
    _check_officer_of(by=by, office=office)
    if receiver.kind not in RECEIVER_KINDS:
        raise DomainError(_("Goods are handed over to a task force, disaster agency, health facility, industry "
                            "office or ministry."), field="receiver")
    if receiver.pk == office.pk:
        raise DomainError(_("An office cannot hand goods over to itself."), field="receiver")
    check_document_date(handed_over_on, field="handed_over_on")
    for field, value in [("giver_name", giver_name), ("giver_position", giver_position),
                         ("receiver_name", receiver_name), ("receiver_position", receiver_position),
                         ("place", place)]:
        if not value.strip():
            raise DomainError(_("Both signatories, their positions and the place are needed."), field=field)
    _check_nip(giver_nip, "giver_nip")
    _check_nip(receiver_nip, "receiver_nip")
    if not lines:
        raise DomainError(_("Add at least one line."))
    for product, quantity, batch in lines:
        if product.kind != "product":
            raise DomainError(_("%(item)s is a raw material, not a product.") % {"item": product.name})
        if quantity < 1:
            raise DomainError(_("Quantities must be more than zero."))
        if batch is not None and (batch.product_id != product.pk
                                  or not Batch.objects.visible_to(by).filter(pk=batch.pk).exists()):
            raise DomainError(_("Batch %(code)s is not a batch of %(product)s.") % {"code": batch.code,
                                                                                     "product": product.name})
    if request is not None:
        if request.agency_id != receiver.pk or request.status != RequestStatus.OPEN:
            raise DomainError(_("That request is not an open request of this receiver."), field="request")

    store = location_for_office(office)
    totals = defaultdict(int)
    for product, quantity, _batch in lines:
        totals[product] += quantity
    handover = Handover.objects.create(
        number=next_number(office=office, day=handed_over_on), office=office, receiver=receiver,
        giver_name=giver_name.strip(), giver_position=giver_position.strip(), giver_nip=giver_nip,
        receiver_name=receiver_name.strip(), receiver_position=receiver_position.strip(), receiver_nip=receiver_nip,
        purpose=purpose, handed_over_on=handed_over_on, place=place.strip(), request=request, created_by=by,
    )
    HandoverLine.objects.bulk_create(
        [HandoverLine(handover=handover, product=p, product_name=p.name, product_unit=p.unit, quantity=q, batch=b)
         for p, q, b in lines])
    handover.posting = ledger.post(
        kind=PostingKind.HANDOVER, by=by, document=handover, note=handover.number, on=handed_over_on,
        lines=[ledger.Line(product, store, -quantity) for product, quantity in totals.items()],
    )
    handover.save(update_fields=["posting"])
    _record_figures(handover, sign=1)
    if request is not None:
        _update_request_status(request)
    return handover


@dataclass(frozen=True)
class Move:
    """Goods to bring into the office's store before a handover: from a workshop or a participant's home."""
    source: Location
    product: object
    quantity: int


GATHERED_FROM = (LocationKind.PARTNER_WORKSHOP, LocationKind.PERSON_HOME)


def handover_gathering_plan(*, office: Organisation, lines: list[tuple], by) -> list[Move] | None:
    """What to move into the office's store so that a handover's lines are covered: from the partners' workshops
    and participants' homes of the office's region that the officer sees, the fullest first. An empty list when
    the store already holds enough; None when the region together does not."""
    totals = defaultdict(int)
    for product, quantity, _batch in lines:
        totals[product] += quantity
    store = location_for_office(office)
    moves = []
    for product, quantity in totals.items():
        missing = quantity - int(ledger.on_hand(product, store))
        if missing <= 0:
            continue
        held = (Balance.objects.filter(item=product, quantity__gte=1, location__kind__in=GATHERED_FROM,
                                       location__in=Location.objects.visible_to(by))
                .select_related("location").order_by("-quantity", "location__name", "pk"))
        for balance in held:
            if missing <= 0:
                break
            if not code_within(balance.location.region_id, office.region_id):
                continue
            take = min(missing, int(balance.quantity))  # whole pieces, as a handover counts them
            moves.append(Move(balance.location, product, take))
            missing -= take
        if missing > 0:
            return None
    return moves


def plan_key(moves: list[Move]) -> str:
    """The plan as the confirmation page showed it, so what is posted is what the officer confirmed."""
    return ";".join(f"{m.source.pk}:{m.product.pk}:{m.quantity}" for m in moves)


@transaction.atomic
def handover_create_gathered(*, office: Organisation, lines: list[tuple], by, confirmed_plan: str,
                             handed_over_on: datetime.date, **fields) -> Handover:
    """Move the goods a handover needs from the region's workshops and homes into the office's store, then hand
    them over: one transfer document and the handover, posted in one transaction through the ledger. If either
    part is refused nothing stays, and the certificate number is used only when both succeed. The plan must be
    the one the officer confirmed; stock that moved in the meantime asks for a new confirmation."""
    _check_officer_of(by=by, office=office)
    moves = handover_gathering_plan(office=office, lines=lines, by=by)
    if moves is None:
        raise DomainError(_("The office's region does not hold enough of these goods, not even in the workshops "
                            "and participants' homes."))
    if plan_key(moves) != confirmed_plan:
        raise DomainError(_("Stock has changed since the transfer was shown; check it again."))
    if moves:
        transfer_gather(office=office, destination=location_for_office(office), date=handed_over_on, by=by,
                        lines=[(m.source, m.product, m.quantity) for m in moves],
                        note=_("Gathered into the store for a handover"))
    return handover_create(office=office, lines=lines, by=by, handed_over_on=handed_over_on, **fields)


@transaction.atomic
def handover_confirm_receipt(*, handover: Handover, by, received: dict[int, int], note: str = "") -> Handover:
    """The receiving agency confirms what actually arrived, once."""
    handover = Handover.objects.select_for_update().get(pk=handover.pk)
    if by.role != Role.AGENCY or by.organisation_id != handover.receiver_id:
        raise DomainError(_("Only the receiving organisation confirms receipt."))
    if handover.status == Status.VOID:
        raise DomainError(_("This handover is void."))
    if handover.status == Status.RECEIVED:
        raise DomainError(_("Receipt was already confirmed."))
    lines = list(handover.lines.all())
    if set(received) != {line.pk for line in lines}:
        raise DomainError(_("Give the quantity received for every line."))
    for line in lines:
        quantity = received[line.pk]
        if quantity < 0 or quantity > line.quantity:
            raise DomainError(_("The quantity received must be between 0 and the %(quantity)s handed over.")
                              % {"quantity": line.quantity})
        line.received_quantity = quantity
    HandoverLine.objects.bulk_update(lines, ["received_quantity"])
    handover.status = Status.RECEIVED
    handover.received_at = timezone.now()
    handover.received_by = by
    handover.received_note = note.strip()
    handover.save(update_fields=["status", "received_at", "received_by", "received_note"])
    return handover


@transaction.atomic
def handover_void(*, handover: Handover, by, reason: str) -> Handover:
    """Void a handover: its goods go back into the store by a reversal; the number stays used."""
    handover = Handover.objects.select_for_update().get(pk=handover.pk)
    _check_officer_of(by=by, office=handover.office)
    if handover.status == Status.VOID:
        raise DomainError(_("This handover is already void."))
    if not reason.strip():
        raise DomainError(_("Give the reason for voiding."), field="reason")
    handover.voided_posting = ledger.reverse(posting=handover.posting, by=by, note=reason, document=handover)
    handover.status = Status.VOID
    handover.void_reason = reason.strip()
    handover.save(update_fields=["voided_posting", "status", "void_reason"])
    _record_figures(handover, sign=-1)
    if handover.request_id:
        _update_request_status(handover.request)
    return handover


@dataclass
class LineProgress:
    line: RequestLine
    handed_over: int

    @property
    def owed(self) -> int:
        return max(0, self.line.quantity - self.handed_over)


def request_progress(request: SupplyRequest) -> list[LineProgress]:
    """Each requested product with what handovers (not void) have delivered and what is still owed."""
    delivered = dict(
        HandoverLine.objects.filter(handover__request=request).exclude(handover__status=Status.VOID)
        .values("product_id").annotate(total=Sum("quantity")).values_list("product_id", "total")
    )
    return [LineProgress(line, delivered.get(line.product_id, 0)) for line in request.lines.select_related("product")]


def _update_request_status(request: SupplyRequest) -> None:
    request = SupplyRequest.objects.select_for_update().get(pk=request.pk)
    if request.status == RequestStatus.CANCELLED:
        return
    owed = sum(p.owed for p in request_progress(request))
    request.status = RequestStatus.OPEN if owed else RequestStatus.FULFILLED
    request.save(update_fields=["status"])


@transaction.atomic
def request_create(*, agency: Organisation, office: Organisation, needed_by: datetime.date, lines: list[tuple],
                   by, note: str = "") -> SupplyRequest:
    """An agency (or an officer on its behalf) asks an industry office for products by a date."""
    if by.role == Role.AGENCY:
        if by.organisation_id != agency.pk:
            raise DomainError(_("You can only request for your own organisation."), field="agency")
    elif not (by.is_officer and Organisation.objects.visible_to(by).filter(pk=agency.pk).exists()):
        raise DomainError(_("You cannot record a request for this organisation."), field="agency")
    if agency.kind not in RECEIVER_KINDS or agency.is_industry_office:
        raise DomainError(_("Requests come from a task force, disaster agency, health facility or ministry."),
                          field="agency")
    if not office.is_industry_office:
        raise DomainError(_("Requests go to an industry office."), field="office")
    if needed_by < timezone.localdate() and by.role == Role.AGENCY:
        raise DomainError(_("The date needed cannot be in the past."), field="needed_by")
    check_planned_date(needed_by, field="needed_by")
    if not lines:
        raise DomainError(_("Add at least one line."))
    seen = set()
    for product, quantity in lines:
        if product.kind != "product" or quantity < 1 or product.pk in seen:
            raise DomainError(_("Each line needs a product, once, and a quantity above zero."))
        seen.add(product.pk)
    request = SupplyRequest.objects.create(agency=agency, office=office, needed_by=needed_by, note=note,
                                           created_by=by)
    RequestLine.objects.bulk_create([RequestLine(request=request, product=p, quantity=q) for p, q in lines])
    return request


def _tier(partner: Partner, agency: Organisation) -> int:
    target = agency.region_id
    district = partner.region_id[:8]
    if len(target) >= 8 and target[:8] == district:
        return 0
    if partner.region_id[:5] == target[:5]:
        return 1
    if partner.region_id[:2] == target[:2]:
        return 2
    return 3


def allocation_propose(*, request: SupplyRequest, product, as_of: datetime.date) -> tuple[int, allocation.Proposal]:
    """What stock cannot cover of one requested product, split among active partners of the office's region
    that make it. Returns (shortfall, proposal)."""
    owed = next((p.owed for p in request_progress(request) if p.line.product_id == product.pk), 0)
    on_hand = int(ledger.on_hand(product, location_for_office(request.office)))
    already_ordered = request.orders.filter(product=product).aggregate(total=Sum("quantity"))["total"] or 0
    shortfall = max(0, owed - on_hand - already_ordered)
    capabilities = PartnerProduct.objects.filter(item=product, partner__in=_allowed_partners(request, product))
    committed = _committed(product, as_of=as_of, until=request.needed_by)
    candidates = [allocation.Candidate(c.partner, c.weekly_capacity, _tier(c.partner, request.agency),
                                       committed.get(c.partner_id, 0))
                  for c in capabilities.select_related("partner")]
    weeks = max(1, (request.needed_by - as_of).days) / 7
    return shortfall, allocation.propose(shortfall, candidates, weeks)


def _allowed_partners(request: SupplyRequest, product):
    """Active partners of the office's region that make the product."""
    return Partner.objects.in_region(request.office.region_id).active().filter(capabilities__item=product)


def _committed(product, *, as_of: datetime.date, until: datetime.date) -> dict[int, int]:
    """Units of the product each partner already owes on orders due between now and ``until``."""
    return dict(
        ProductionOrder.objects.filter(product=product, due_on__gte=as_of, due_on__lte=until)
        .values("partner_id").annotate(total=Sum("quantity")).values_list("partner_id", "total")
    )


@transaction.atomic
def allocation_confirm(*, request: SupplyRequest, product, quantities: dict[Partner, int], due_on: datetime.date,
                       by) -> list[ProductionOrder]:
    """Turn an (adjusted) allocation into production orders the partners see. Each order stays within the
    partner's weekly capacity up to the due date."""
    _check_officer_of(by=by, office=request.office)
    if request.status != RequestStatus.OPEN:
        raise DomainError(_("This request is not open."))
    if due_on < timezone.localdate():
        raise DomainError(_("The due date cannot be in the past."), field="due_on")
    check_planned_date(due_on, field="due_on")
    shortfall, _proposal = allocation_propose(request=request, product=product, as_of=timezone.localdate())
    wanted = {p: q for p, q in quantities.items() if q}
    if any(q < 0 for q in quantities.values()):
        raise DomainError(_("Quantities cannot be negative."))
    if sum(wanted.values()) > shortfall:
        raise DomainError(_("That is more than the %(shortfall)s still needed.") % {"shortfall": shortfall})
    allowed = set(_allowed_partners(request, product).filter(pk__in=[p.pk for p in wanted])
                  .values_list("pk", flat=True))
    for partner in wanted:
        if partner.pk not in allowed:
            raise DomainError(_("%(partner)s is not an active partner of this region that makes %(product)s.")
                              % {"partner": partner.name, "product": product.name})
    today = timezone.localdate()
    weeks = max(1, (due_on - today).days) / 7
    capacities = {c.partner_id: c.weekly_capacity for c in PartnerProduct.objects.filter(item=product,
                                                                                         partner__in=list(wanted))}
    committed = _committed(product, as_of=today, until=due_on)
    orders = []
    for partner, quantity in wanted.items():
        capacity = int(capacities.get(partner.pk, 0) * weeks) - committed.get(partner.pk, 0)
        if quantity > capacity:
            raise DomainError(_("%(partner)s can make at most %(capacity)s by then.")
                              % {"partner": partner.name, "capacity": capacity})
        orders.append(ProductionOrder(request=request, partner=partner, product=product, quantity=quantity,
                                      due_on=due_on, created_by=by))
    return ProductionOrder.objects.bulk_create(orders)
