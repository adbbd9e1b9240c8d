from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sigap.dashboards import charts
from sigap.dashboards.briefing import briefing, period_label
from sigap.dashboards.forms import DashboardFilterForm
from sigap.dashboards.models import Measure
from sigap.dashboards.selectors import Area, Period, dashboard, latest_month, month_add
from sigap.lib.pdf import pdf_response, render_pdf
from sigap.regions.models import Level, Region, code_within

LONGEST_PERIOD = 60  # months


@dataclass(frozen=True)
class Selection:
    area: Area
    name: str
    period: Period
    product: object | None
    own: str | None  # the user's own area: a regency, a province, or None for all of Indonesia
    warnings: list[str]


def require_dashboard_reader(user) -> None:
    """Dashboards are for an office's staff (and administrators): they show a whole area."""
    if not user.has_region_scope:
        raise PermissionDenied


def dashboard_selection(user, form: DashboardFilterForm) -> Selection:
    """The area, period and product ``form`` asks for, within what ``user`` may see (the page and the API).

    A district office sees its regency; a provincial office its province and each of its regencies; an
    administrator all of Indonesia. An area outside the user's own answers 404; a filter that makes no sense is
    dropped with a warning.
    """
    require_dashboard_reader(user)
    warnings = []
    if form.is_bound and not form.is_valid():
        warnings.append(_("Some filters were not understood and were left out."))
    own = user.region_code
    own = None if own is None else own[:5]
    code = form.valid_value("region") or own
    if code != own and (code is None or not code_within(code, own)):
        raise Http404
    area = Area(code)
    name = Region.objects.filter(code=code).values_list("name", flat=True).first() if code else _("Indonesia")
    if name is None:
        raise Http404
    last = form.valid_value("end") or latest_month(area) or timezone.localdate().replace(day=1)
    first = form.valid_value("start") or month_add(last, -11)
    if first > last:
        first = month_add(last, -11)
    if month_add(first, LONGEST_PERIOD) <= last:
        warnings.append(_("A dashboard covers at most five years; the first months were left out."))
        first = month_add(last, -(LONGEST_PERIOD - 1))
    return Selection(area, name, Period(first, last), form.valid_value("product"), own, warnings)


def _selection(request):
    form = DashboardFilterForm(request.GET or None)
    selection = dashboard_selection(request.user, form)
    for warning in selection.warnings:
        messages.warning(request, warning)
    return form, selection.area, selection.name, selection.period, selection.product, selection.own


def _charts(board):
    months = [month.strftime("%m/%y") for month in board.period.months]
    products = board.products
    return {
        "production": charts.columns(months, [(products[pk].name, values)
                                              for pk, values in board.produced_by_month.items()]),
        "partners": charts.columns(months, [(_("New partners"), [row["new"] for row in board.partners_by_month])]),
        "targets": charts.bars([(t.title, t.output, t.target or None) for t in board.trainings[:10]]),
        "programmes": charts.bars([(f"{p['programme'].name} · {p['product'].name}", p["output"], p["target"])
                                   for p in board.programmes[:10]]),
        "handovers": charts.bars([(receiver.name, quantity, None) for receiver, quantity in board.top_receivers]),
        "stock": charts.bars([(item.name, quantity, None) for item, quantity in board.stock if item.kind == "product"]),
    }


@login_required
def dashboard_view(request):
    form, area, name, period, product, own = _selection(request)
    board = dashboard(area=area, period=period, product=product)
    return render(request, "dashboards/dashboard.html", {
        "form": form, "board": board, "area": area, "name": name, "period_label": period_label(period),
        "charts": _charts(board), "areas": _area_choices(own), "query": request.GET.urlencode(),
        "totals": {measure: board.totals[measure] for measure in Measure.values},
    })


def _area_choices(own: str | None) -> list[tuple[str, str]]:
    """The areas a user can pick: their own and, for a province or the country, the areas in it."""
    if own is not None and len(own) > 2:
        return []
    level = Level.PROVINCE if own is None else Level.REGENCY
    return list(Region.objects.within(own).filter(level__lte=level).values_list("code", "name"))


def _slides(request):
    _form, area, name, period, product, _own = _selection(request)
    return name, period, briefing(area=area, name=name, period=period, product=product)


@login_required
def briefing_view(request):
    name, period, slides = _slides(request)
    return render(request, "dashboards/briefing.html", {"name": name, "slides": slides,
                                                        "period_label": period_label(period),
                                                        "query": request.GET.urlencode()})


@login_required
def briefing_pdf(request):
    name, period, slides = _slides(request)
    content = render_pdf("dashboards/briefing.pdf.html", {"name": name, "slides": slides,
                                                          "period_label": period_label(period)})
    return pdf_response(content, f"paparan-{slugify(name) or 'sigap'}.pdf")


