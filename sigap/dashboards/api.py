"""The dashboard's figures as JSON: the same area, period and product rules as the dashboard page, and the same
selector (``sigap.dashboards.selectors.dashboard``), so the API and the page cannot disagree."""

import datetime
from decimal import Decimal

from ninja import Field, Query, Router, Schema

from sigap.api.forms import cleaned
from sigap.api.schemas import ERRORS, Quantity
from sigap.dashboards.forms import DashboardFilterForm
from sigap.dashboards.models import Measure
from sigap.dashboards.selectors import dashboard
from sigap.dashboards.views import dashboard_selection, require_dashboard_reader
from sigap.items.models import Item
from sigap.market.models import Channel

router = Router(tags=["dashboard"])

FLOWS = [measure for measure in Measure.values if measure != Measure.STOCK]  # stock is read as on hand, below
PART_MEASURES = ["produced", "accepted", "handed_over", "sold"]  # the page's overview columns

# Sums as exact decimal strings without trailing zeros, the same on PostgreSQL and SQLite ("20", not "20.000").


def _month(month: datetime.date) -> str:
    return month.strftime("%Y-%m")


class AreaOut(Schema):
    code: str | None = Field(..., description="A regency or city, a province, or null for all of Indonesia")
    name: str
    level: str = Field(..., description="regency, province or country")


class PeriodOut(Schema):
    start: str = Field(..., description="YYYY-MM")
    end: str = Field(..., description="YYYY-MM")
    months: list[str]


class ProductFigures(Schema):
    product: str
    name: str
    produced: Quantity = Decimal(0)
    accepted: Quantity = Decimal(0)
    rejected: Quantity = Decimal(0)
    handed_over: Quantity = Decimal(0)
    sold: Quantity = Decimal(0)


class ProducedByMonth(Schema):
    product: str
    name: str
    quantities: list[Quantity] = Field(..., description="One per month of the period")


class PartFigures(Schema):
    """A regency of the province (or a province of the country); the provincial office's own figures carry the
    province's code."""

    code: str
    name: str
    produced: Quantity
    accepted: Quantity
    handed_over: Quantity
    sold: Quantity


class ReceiverFigures(Schema):
    organisation_id: int
    name: str
    quantity: Quantity


class ChannelFigures(Schema):
    channel: str
    label: str
    quantity: Quantity
    amount: Quantity = Field(..., description="Rupiah")


class StockFigures(Schema):
    item: str
    name: str
    kind: str
    unit: str
    quantity: Quantity


class TrainingFigures(Schema):
    id: int
    title: str
    product: str
    participants: int
    target: int
    output: Quantity


class ProgrammeFigures(Schema):
    programme_id: int
    name: str
    product: str
    target: int
    output: Quantity


class PartnerMonth(Schema):
    month: str
    active: int
    new: int


class DashboardOut(Schema):
    area: AreaOut
    period: PeriodOut
    product: str | None
    warnings: list[str] = Field(..., description="What the selection changed, e.g. a period cut to five years")
    totals: dict[str, Quantity] = Field(..., description="Per measure: " + ", ".join(FLOWS))
    acceptance_rate: float | None
    revenue: Quantity
    active_partners: int
    new_partners: int
    participants: int
    open_requests: int
    by_product: list[ProductFigures]
    produced_by_month: list[ProducedByMonth]
    parts: list[PartFigures] = Field(..., description="For a province its regencies, for the country its provinces")
    handovers_by_receiver: list[ReceiverFigures]
    sales_by_channel: list[ChannelFigures]
    stock: list[StockFigures]
    trainings: list[TrainingFigures]
    programmes: list[ProgrammeFigures]
    partners_by_month: list[PartnerMonth]


class DashboardFilters(Schema):
    region: str | None = Field(None, description="A regency or province code within the caller's area")
    start: str | None = Field(None, description="First month, YYYY-MM")
    end: str | None = Field(None, description="Last month, YYYY-MM")
    product: str | None = Field(None, description="A product's code")


def _form(filters: DashboardFilters) -> DashboardFilterForm:
    """The page's filter form; a product is named by its code here (an unknown one stays as it is, so the form
    refuses it)."""
    data = {name: value for name, value in filters.dict().items() if value is not None}
    if "product" in data:
        data["product"] = Item.objects.filter(code=data["product"]).values_list("pk", flat=True).first() or \
            data["product"]
    return DashboardFilterForm(data or None)


def _figures(board, selection) -> dict:
    products = board.products
    channel_codes = {str(label): value for value, label in Channel.choices}
    return {
        "area": {"code": selection.area.code, "name": str(selection.name), "level": selection.area.level},
        "period": {"start": _month(board.period.first), "end": _month(board.period.last),
                   "months": [_month(month) for month in board.period.months]},
        "product": board.product.code if board.product else None,
        "warnings": [str(warning) for warning in selection.warnings],
        "totals": {measure: board.totals[measure] for measure in FLOWS},
        "acceptance_rate": board.acceptance_rate,
        "revenue": board.revenue,
        "active_partners": board.active_partners,
        "new_partners": board.new_partners,
        "participants": board.participants,
        "open_requests": len(board.open_requests),
        "by_product": [{"product": item.code, "name": item.name, **measures} for item, measures in board.product_rows],
        "produced_by_month": [{"product": products[pk].code, "name": products[pk].name, "quantities": values}
                              for pk, values in board.produced_by_month.items()],
        "parts": [{"code": part.code, "name": part.name, **{m: getattr(part, m) for m in PART_MEASURES}}
                  for part in board.parts],
        "handovers_by_receiver": [{"organisation_id": receiver.pk, "name": receiver.name, "quantity": quantity}
                                  for receiver, quantity in board.handed_over_to],
        "sales_by_channel": [{"channel": channel_codes.get(str(label), str(label)), "label": str(label),
                              "quantity": quantity, "amount": amount}
                             for label, quantity, amount in board.sales_by_channel],
        "stock": [{"item": item.code, "name": item.name, "kind": item.kind, "unit": item.unit, "quantity": quantity}
                  for item, quantity in board.stock],
        "trainings": [{"id": t.pk, "title": t.title, "product": t.product.code, "participants": t.participant_count,
                       "target": t.target, "output": t.output} for t in board.trainings],
        "programmes": [{"programme_id": p["programme"].pk, "name": p["programme"].name, "product": p["product"].code,
                        "target": p["target"], "output": p["output"]} for p in board.programmes],
        "partners_by_month": [{"month": _month(row["month"]), "active": row["active"], "new": row["new"]}
                              for row in board.partners_by_month],
    }


@router.get("", response={200: DashboardOut, **ERRORS})
def dashboard_figures(request, filters: DashboardFilters = Query(...)):
    """The dashboard of the caller's area (office staff), or of a regency within it: the same figures as the
    dashboard page. Without a period, the twelve months up to the last one with activity; at most five years.
    A region outside the caller's area is a 404; a filter that makes no sense a 422 (the page drops it)."""
    require_dashboard_reader(request.user)
    form = _form(filters)
    if form.is_bound:
        cleaned(form)
    selection = dashboard_selection(request.user, form)
    board = dashboard(area=selection.area, period=selection.period, product=selection.product)
    return _figures(board, selection)
