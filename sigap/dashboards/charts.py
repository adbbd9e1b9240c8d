"""Charts as SVG drawn by templates: no JavaScript, and they print into PDFs as they are.

The functions here only compute geometry (in the SVG's own units); ``dashboards/_columns.svg`` and
``dashboards/_bars.svg`` draw it. Every chart also shows its figures as a table next to it.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format

PALETTE = ["#0b6e4f", "#2563eb", "#d97706", "#9333ea", "#dc2626", "#0891b2", "#65a30d", "#db2777"]
WIDTH = 640
PLOT_TOP, PLOT_BOTTOM, PLOT_LEFT = 12, 200, 56
HEIGHT = 240


def _nice_top(value: float) -> float:
    """A round axis maximum at or above ``value``: 1, 2, 2.5 or 5 times a power of ten."""
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _label(value) -> str:
    return number_format(Decimal(value).normalize() if isinstance(value, Decimal) else value, force_grouping=True)


@dataclass
class Rect:
    x: float
    y: float
    width: float
    height: float
    colour: str
    title: str


@dataclass
class ColumnChart:
    """Columns per category (month), stacked by series (product)."""

    rects: list[Rect] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)  # (y, label)
    categories: list[tuple[float, str]] = field(default_factory=list)  # (x of the column's middle, label)
    legend: list[tuple[str, str]] = field(default_factory=list)  # (colour, series name)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = PLOT_LEFT
    bottom: int = PLOT_BOTTOM

    @property
    def empty(self) -> bool:
        return not self.rects


def columns(categories: list[str], series: list[tuple[str, list]]) -> ColumnChart:
    chart = ColumnChart(legend=[(PALETTE[i % len(PALETTE)], name) for i, (name, _values) in enumerate(series)])
    if not categories:
        return chart
    totals = [sum((values[i] for _name, values in series), 0) for i in range(len(categories))]
    top = _nice_top(float(max(totals, default=0)))
    plot_height = PLOT_BOTTOM - PLOT_TOP
    slot = (WIDTH - PLOT_LEFT) / len(categories)
    bar = max(slot * 0.7, 1)
    for step in range(5):
        value = top * step / 4
        chart.ticks.append((PLOT_BOTTOM - plot_height * step / 4, _label(int(value) if value == int(value) else value)))
    every = max(1, round(len(categories) / 12))  # at most a dozen labels fit under the axis
    for i, category in enumerate(categories):
        x = PLOT_LEFT + slot * i + (slot - bar) / 2
        if i % every == 0:
            chart.categories.append((x + bar / 2, category))
        base = PLOT_BOTTOM
        for s, (name, values) in enumerate(series):
            value = float(values[i])
            if value <= 0:
                continue
            height = plot_height * value / top
            base -= height
            chart.rects.append(Rect(round(x, 1), round(base, 1), round(bar, 1), round(height, 1),
                                    PALETTE[s % len(PALETTE)], f"{category} · {name}: {_label(values[i])}"))
    return chart


@dataclass
class BarRow:
    label: str
    value: Decimal
    width: float
    target: Decimal | None = None
    target_x: float | None = None
    y: float = 0

    @property
    def text(self) -> str:
        return _label(self.value)

    @property
    def text_x(self) -> float:
        return BAR_LEFT + self.width + 4


BAR_LEFT, BAR_HEIGHT, BAR_GAP = 0, 14, 20
BAR_WIDTH = 520


@dataclass
class BarChart:
    """Horizontal bars, one per row, with an optional target mark."""

    rows: list[BarRow]
    width: int = WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def height(self) -> int:
        return len(self.rows) * (BAR_HEIGHT + BAR_GAP) + 4

    @property
    def empty(self) -> bool:
        return not self.rows


def bars(rows: list[tuple[str, Decimal, Decimal | None]]) -> BarChart:
    """``rows`` of (label, value, target or None); labels go in the table beside the chart."""
    top = _nice_top(float(max([max(v, t or 0) for _label_, v, t in rows], default=0)))
    chart_rows = []
    for i, (label, value, target) in enumerate(rows):
        row = BarRow(label=label, value=value, width=round(BAR_WIDTH * float(value) / top, 1),
                     target=target, y=i * (BAR_HEIGHT + BAR_GAP))
        if target:
            row.target_x = round(BAR_WIDTH * float(target) / top, 1)
        chart_rows.append(row)
    return BarChart(rows=chart_rows)
