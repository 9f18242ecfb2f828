"""数据看板: every indicator for a unit (a place or a party organisation inside the user's grants,
`?place=` / `?org=`) and a period (`?year=` with `quarter=` or `month=`, or `start=&end=`), with
the drill-down to the child units, the alerts and the charts; `?screen=1` is the wall display."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from . import selectors, units
from .forms import PeriodForm


def _report_url(query: str) -> str:
    """The report generator's page for the same unit and period, once it is installed."""
    try:
        return f"{reverse('reports:report_new')}?{query}"
    except NoReverseMatch:
        return ""


@login_required
@require_GET
def dashboard(request):
    scope = request.scope
    asked = any(request.GET.get(k) for k in ("year", "quarter", "month", "start", "end"))
    form = PeriodForm(request.GET if asked else None, today=timezone.localdate())
    period = form.period()
    unit = units.unit_for(scope, place=request.GET.get("place"), org=request.GET.get("org"))
    board = selectors.dashboard(unit=unit, period=period)
    carried = form.carried()
    screen = request.GET.get("screen") == "1"

    def link(target, **extra):
        return "?" + urlencode({**target.query, **carried, **extra})

    context = {
        "board": board, "unit": unit, "form": form, "period": period, "screen": screen,
        "crumbs": [(a, link(a)) for a in units.ancestors(scope, unit)],
        "children": [(row, link(row.unit)) for row in board.children],
        "screen_url": link(unit, screen=1), "normal_url": link(unit),
        "report_url": _report_url(urlencode({**unit.query, **carried})),
        "alert_names_shown": selectors.ALERT_NAMES_SHOWN,
        "alert_slice": f":{selectors.ALERT_NAMES_SHOWN}", "alert_rest": f"{selectors.ALERT_NAMES_SHOWN}:",
    }
    board.charts["children"]["links"] = [href for _row, href in context["children"]]
    return render(request, "reports/screen.html" if screen else "reports/dashboard.html", context)
