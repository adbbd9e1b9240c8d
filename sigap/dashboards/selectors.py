"""What the dashboards, the briefing and the open data show, read from the summary figures.

A dashboard is about one area: a regency or city (a district office's), a province (with a row per regency), or
all of Indonesia (a row per province). Its queries are the same few whatever the area or the length of the
history: the figures are summed per month by ``sigap.dashboards.figures`` as documents are posted.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Sum

from sigap.dashboards.models import Measure, MonthlyFigure, RegionStock, parse_handover_dimension


# Every measure but the stock movements, listed rather than excluded so that an index on (province, measure, month)
# can narrow the rows.
FLOWS = [measure for measure in Measure.values if measure != Measure.STOCK]
PART_MEASURES = {Measure.PRODUCED, Measure.ACCEPTED, Measure.HANDED_OVER, Measure.SOLD}  # the overview's columns


def _decimal(value) -> Decimal:
    """A sum as a Decimal: PostgreSQL gives one, SQLite a float (brought back through its shortest repr)."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


def month_add(month: datetime.date, months: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """Whole months from ``first`` to ``last`` (both the first day of their month)."""

    first: datetime.date
    last: datetime.date

    @property
    def months(self) -> list[datetime.date]:
        months, month = [], self.first
        while month <= self.last:
            months.append(month)
            month = month_add(month, 1)
        return months

    @property
    def end(self) -> datetime.date:
        """The period's last day."""
        return month_add(self.last, 1) - datetime.timedelta(days=1)


@dataclass(frozen=True)
class Area:
    """A regency or city ("63.01"), a province ("63"), or all of Indonesia (None)."""

    code: str | None

    @property
    def level(self) -> str:
        if self.code is None:
            return "country"
        return "province" if len(self.code) == 2 else "regency"

    def figures(self, queryset):
        """``queryset`` of figures narrowed to this area."""
        if self.code is None:
            return queryset
        if self.level == "province":
            return queryset.filter(province=self.code)
        return queryset.filter(region_code=self.code)

    @property
    def part_field(self) -> str | None:
        """The figures' field that names the parts of this area (its regencies, or the provinces)."""
        return {"country": "province", "province": "region_code"}.get(self.level)


def latest_month(area: Area) -> datetime.date | None:
    """The last month anything was recorded in the area."""
    return area.figures(MonthlyFigure.objects.exclude(measure=Measure.STOCK)).aggregate(last=Max("month"))["last"]


@dataclass
class Part:
    """One regency of a province, or one province of the country, in the overview table."""

    code: str
    name: str
    produced: Decimal = Decimal(0)
    accepted: Decimal = Decimal(0)
    handed_over: Decimal = Decimal(0)
    sold: Decimal = Decimal(0)


@dataclass(frozen=True)
class Handed:
    receiver: object
    purpose: str
    quantity: Decimal

    @property
    def purpose_label(self) -> str:
        from sigap.handovers.models import Purpose

        return Purpose(self.purpose).label if self.purpose in Purpose.values else ""


@dataclass
class Dashboard:
    area: Area
    period: Period
    product: object | None
    products: dict[int, object]
    active_partners: int = 0
    new_partners: int = 0
    partners_by_month: list[dict] = field(default_factory=list)
    trainings: list = field(default_factory=list)
    programmes: list = field(default_factory=list)
    produced_by_month: dict[int, list[Decimal]] = field(default_factory=dict)  # product id → one value per month
    totals: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))  # measure → quantity
    by_product: dict[int, dict[str, Decimal]] = field(default_factory=dict)  # product id → measure → quantity
    handed_over_to: list[tuple[object, Decimal]] = field(default_factory=list)  # (organisation, quantity)
    handovers_by_product: dict[int, list["Handed"]] = field(default_factory=dict)
    sales_by_channel: list[tuple[str, Decimal, Decimal]] = field(default_factory=list)  # (channel, quantity, Rp)
    stock: list[tuple[object, Decimal]] = field(default_factory=list)  # (item, on hand)
    open_requests: list = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)

    @property
    def participants(self) -> int:
        return sum(t.participant_count for t in self.trainings)

    @property
    def acceptance_rate(self) -> float | None:
        inspected = self.totals[Measure.ACCEPTED] + self.totals[Measure.REJECTED]
        return float(self.totals[Measure.ACCEPTED] / inspected) if inspected else None

    TOP_RECEIVERS = 10

    @property
    def top_receivers(self) -> list[tuple[object, Decimal]]:
        """The receivers that got the most; a province's dashboard names ten and sums up the rest."""
        return self.handed_over_to[:self.TOP_RECEIVERS]

    @property
    def other_receivers(self) -> tuple[int, Decimal]:
        rest = self.handed_over_to[self.TOP_RECEIVERS:]
        return len(rest), sum((quantity for _receiver, quantity in rest), Decimal(0))

    @property
    def product_rows(self) -> list[tuple[object, dict[str, Decimal]]]:
        return [(self.products[pk], measures) for pk, measures in self.by_product.items()]

    @property
    def revenue(self) -> Decimal:
        return sum((amount for _channel, _quantity, amount in self.sales_by_channel), Decimal(0))


def dashboard(*, area: Area, period: Period, product=None) -> Dashboard:
    """Every figure of an area's dashboard for a period, optionally for one product, in a fixed number of
    queries."""
    from sigap.handovers.models import SupplyRequest
    from sigap.items.models import Item
    from sigap.market.models import Channel
    from sigap.organisations.models import Organisation
    from sigap.partners.models import Partner
    from sigap.partners.services import partners_by_month
    from sigap.regions.models import in_region
    from sigap.trainings.models import Programme, Training

    products = {item.pk: item for item in Item.objects.filter(kind="product").order_by("name")}
    board = Dashboard(area=area, period=period, product=product, products=products)
    months = period.months
    month_index = {month: i for i, month in enumerate(months)}

    figures = area.figures(MonthlyFigure.objects.filter(month__gte=period.first, month__lte=period.last))
    if product is not None:
        figures = figures.filter(item=product)
    part_field = area.part_field
    by_part = {}
    # Summed in the database to what the page shows: by product and measure (and part), and production by month.
    # Grouping by month as well would hand Python every month x regency x product x measure of a province: many
    # thousand rows on a national ledger.
    rows = (figures.filter(measure__in=FLOWS)
            .values_list("item_id", "measure", *([part_field] if part_field else []))
            .annotate(quantity=Sum("quantity")).order_by())
    produced = defaultdict(lambda: [Decimal(0)] * len(months))
    for item_id, month, quantity in (figures.filter(measure=Measure.PRODUCED).values_list("item_id", "month")
                                     .annotate(quantity=Sum("quantity")).order_by()):
        produced[item_id][month_index[month]] += _decimal(quantity)
    by_product = defaultdict(lambda: defaultdict(Decimal))
    for item_id, measure, *part_code, quantity in rows:
        quantity = _decimal(quantity)
        board.totals[measure] += quantity
        by_product[item_id][measure] += quantity
        if part_field:
            code = part_code[0]
            part = by_part.get(code)
            if part is None:
                part = by_part[code] = Part(code, code)
            if measure in PART_MEASURES:
                setattr(part, measure, getattr(part, measure) + quantity)
    board.produced_by_month = {pk: produced[pk] for pk in products if pk in produced}
    board.by_product = {pk: dict(by_product[pk]) for pk in products if pk in by_product}

    splits = (figures.filter(measure__in=[Measure.HANDED_OVER, Measure.SOLD])
              .values_list("measure", "dimension", "item_id")
              .annotate(quantity=Sum("quantity"), amount=Sum("amount")).order_by())
    handed, sold = defaultdict(Decimal), defaultdict(lambda: [Decimal(0), Decimal(0)])
    for measure, dimension, item_id, quantity, amount in splits:
        quantity = _decimal(quantity)
        if measure == Measure.HANDED_OVER:
            receiver_id, purpose = parse_handover_dimension(dimension)
            handed[(receiver_id, purpose, item_id)] += quantity
        else:
            sold[dimension][0] += quantity
            sold[dimension][1] += _decimal(amount)
    receivers = Organisation.objects.in_bulk({receiver_id for receiver_id, _purpose, _item in handed})
    by_receiver = defaultdict(Decimal)
    for (receiver_id, purpose, item_id), quantity in sorted(handed.items(), key=lambda kv: -kv[1]):
        if quantity:
            by_receiver[receiver_id] += quantity
            board.handovers_by_product.setdefault(item_id, []).append(
                Handed(receivers[receiver_id], purpose, quantity))
    board.handed_over_to = sorted(((receivers[pk], quantity) for pk, quantity in by_receiver.items()),
                                  key=lambda r: -r[1])
    board.sales_by_channel = sorted(((Channel(channel).label if channel in Channel.values else channel, q, a)
                                     for channel, (q, a) in sold.items()), key=lambda r: -r[2])

    stock = area.figures(RegionStock.objects.filter(quantity__gt=0))
    if product is not None:
        stock = stock.filter(item=product)
    stock_rows = stock.values("item_id").annotate(quantity=Sum("quantity")).order_by()
    items = Item.objects.in_bulk([row["item_id"] for row in stock_rows])
    board.stock = sorted(((items[row["item_id"]], Decimal(str(row["quantity"]))) for row in stock_rows),
                         key=lambda r: (r[0].kind != "product", r[0].name))

    partners = Partner.objects.filter(in_region(area.code))
    if product is not None:
        partners = partners.filter(capabilities__item=product).distinct()
    board.partners_by_month = partners_by_month(partners, first=period.first, last=period.last)
    board.active_partners = board.partners_by_month[-1]["active"] if board.partners_by_month else 0
    board.new_partners = sum(row["new"] for row in board.partners_by_month)

    trainings = (Training.objects.filter(in_region(area.code, "office__region"), starts_on__lte=period.end,
                                         ends_on__gte=period.first).select_related("product", "programme")
                 .annotate(participant_count=Count("enrolments", distinct=True)).order_by("-starts_on", "pk"))
    if product is not None:
        trainings = trainings.filter(product=product)
    board.trainings = list(trainings)
    _training_output(board, area)

    programmes = (Programme.objects.filter(in_region(area.code, "office__region"), starts_on__lte=period.end,
                                           ends_on__gte=period.first)
                  .prefetch_related("targets__product").order_by("-starts_on", "pk"))
    board.programmes = _programme_progress(list(programmes), area, product)

    requests = (SupplyRequest.objects.open().filter(in_region(area.code, "office__region"))
                .select_related("agency").prefetch_related("lines__product").order_by("needed_by", "pk"))
    board.open_requests = list(requests)

    if part_field:
        board.parts = _parts(area, by_part)
    return board


def _training_output(board: Dashboard, area: Area) -> None:
    """Each training's output so far, from the figures produced under it (whatever the month)."""
    ids = [str(t.pk) for t in board.trainings]
    output = dict(area.figures(MonthlyFigure.objects.filter(measure=Measure.PRODUCED, dimension__in=ids))
                  .values_list("dimension").annotate(total=Sum("quantity")).order_by()) if ids else {}
    for training in board.trainings:
        training.output = Decimal(str(output.get(str(training.pk), 0)))


def _programme_progress(programmes: list, area: Area, product) -> list[dict]:
    """Target against output per programme and product, from the figures of the programme's trainings."""
    from sigap.trainings.models import Training

    if not programmes:
        return []
    training_programme = dict(Training.objects.filter(programme__in=programmes).values_list("pk", "programme_id"))
    output = defaultdict(Decimal)
    if training_programme:
        rows = (area.figures(MonthlyFigure.objects.filter(measure=Measure.PRODUCED,
                                                           dimension__in=[str(pk) for pk in training_programme]))
                .values_list("dimension", "item_id").annotate(total=Sum("quantity")).order_by())
        for dimension, item_id, total in rows:
            output[(training_programme[int(dimension)], item_id)] += Decimal(str(total))
    result = []
    for programme in programmes:
        for target in programme.targets.all():
            if product is None or target.product_id == product.pk:
                result.append({"programme": programme, "product": target.product, "target": target.quantity,
                               "output": output[(programme.pk, target.product_id)]})
    return result


def _parts(area: Area, by_part: dict[str, Part]) -> list[Part]:
    """Every regency of the province (or province of the country), with its figures, including the quiet ones."""
    from sigap.regions.models import Level, Region

    level = Level.REGENCY if area.level == "province" else Level.PROVINCE
    regions = Region.objects.within(area.code).filter(level=level)
    parts = []
    for code, name in regions.order_by("code").values_list("code", "name"):
        part = by_part.get(code, Part(code, name))
        part.name = name
        parts.append(part)
    if area.code is not None and area.code in by_part:  # the provincial office's own figures
        parts.append(by_part[area.code])
    return parts
