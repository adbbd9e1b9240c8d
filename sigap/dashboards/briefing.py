"""The video-conference briefing: one key message per slide, from the same figures as the dashboard."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from sigap.dashboards.models import Measure
from sigap.dashboards.selectors import Area, Dashboard, Period, dashboard


def _n(value) -> str:
    value = Decimal(value)
    return number_format(value.normalize() if value != value.to_integral() else int(value), force_grouping=True)


@dataclass
class Slide:
    kicker: str  # the area (and period) the slide is about, in small type
    message: str  # the one thing to say, in large type
    figures: list[tuple[str, str]] = field(default_factory=list)  # (number, what it counts)
    section: bool = False  # opens a district's section of a province briefing


def period_label(period: Period) -> str:
    from django.utils.formats import date_format

    first, last = date_format(period.first, "YEAR_MONTH_FORMAT"), date_format(period.last, "YEAR_MONTH_FORMAT")
    return first if first == last else f"{first} – {last}"


def area_slides(board: Dashboard, name: str) -> list[Slide]:
    """What one area says: its production per product and where it went, trainings, sales, open requests."""
    slides = []
    for item_id, product in board.products.items():
        measures = board.by_product.get(item_id, {})
        produced = measures.get(Measure.PRODUCED, Decimal(0))
        handed = board.handovers_by_product.get(item_id, [])
        if not produced and not handed:
            continue
        figures = []
        if measures.get(Measure.ACCEPTED):
            figures.append((_n(measures[Measure.ACCEPTED]), _("passed the health expert's inspection")))
        for row in handed:
            label = _("to %(receiver)s") % {"receiver": row.receiver.name}
            if row.purpose_label:
                label = f"{label} · {row.purpose_label.lower()}"
            figures.append((_n(row.quantity), label))
        slides.append(Slide(name, _("%(quantity)s %(product)s produced") % {
            "quantity": _n(produced), "product": product.name}, figures))
    if board.trainings:
        slides.append(Slide(name, _("%(trainings)s trainings, %(participants)s participants") % {
            "trainings": _n(len(board.trainings)), "participants": _n(board.participants)},
            [(f"{_n(t.output)} / {_n(t.target)}", t.title) for t in board.trainings[:4]]))
    if board.sales_by_channel:
        slides.append(Slide(name, _("Rp %(amount)s of sales by IKM partners") % {"amount": _n(board.revenue)},
                            [(f"Rp {_n(amount)}", channel) for channel, _quantity, amount in board.sales_by_channel]))
    if board.open_requests:
        slides.append(Slide(name, _("%(count)s requests still open") % {"count": _n(len(board.open_requests))},
                            [(_n(sum(line.quantity for line in r.lines.all())), r.agency.name)
                             for r in board.open_requests[:4]]))
    return slides


def briefing(*, area: Area, name: str, period: Period, product=None) -> list[Slide]:
    """The slides for a district, or for a province with one section per district that has figures."""
    board = dashboard(area=area, period=period, product=product)
    kicker = f"{name} · {period_label(period)}"
    slides = [Slide(kicker, _("PPE production by small industries in %(area)s") % {"area": name}, [
        (_n(board.active_partners), _("active IKM partners")),
        (_n(board.totals[Measure.PRODUCED]), _("units produced")),
        (_n(board.totals[Measure.HANDED_OVER]), _("units handed over")),
    ])]
    if area.level == "regency":
        return slides + area_slides(board, name)
    for part in board.parts:
        if not (part.produced or part.handed_over or part.sold):
            continue
        part_name = part.name if part.code != area.code else _("Provincial office")
        part_board = dashboard(area=Area(part.code), period=period, product=product) if part.code != area.code \
            else None
        slides.append(Slide(part_name, part_name, [(_n(part.produced), _("units produced")),
                                                   (_n(part.handed_over), _("units handed over"))], section=True))
        if part_board is not None:
            slides.extend(area_slides(part_board, part_name))
    return slides
