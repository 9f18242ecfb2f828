from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from gongzhi.bank import selectors as bank_selectors
from gongzhi.mediation import selectors as mediation_selectors
from gongzhi.org import selectors as org_selectors

CASES_SHOWN = 50


@login_required
def home(request):
    """The user's scope at a glance: figures computed for the scope and its root nodes."""
    scope = request.scope
    if scope.is_empty:  # no role: a counter's operator, a mediator (调解志愿者, 社区法官 …), or not yet granted
        counters = list(bank_selectors.counters_operated(user=request.user))
        cases = list(mediation_selectors.handled_cases(user=request.user)[:CASES_SHOWN])
        if len(counters) == 1 and not cases:  # a station's or a merchant's operator: straight to the counter
            return redirect("bank:counter", counters[0].pk)
        return render(request, "web/home.html", {"no_scope": not (counters or cases), "counters": counters, "cases": cases,
                                                 "today": timezone.localdate()})
    totals = org_selectors.scope_totals(scope=scope)
    context = {
        "totals": totals,
        "new_orgs": org_selectors.new_org_coverage(scope=scope),
        "grids": org_selectors.grid_count(scope=scope),
        "place_roots": list(org_selectors.place_roots(scope=scope)[:20]),
        "org_roots": list(org_selectors.org_roots(scope=scope)[:20]),
    }
    return render(request, "web/home.html", context)
