from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from gongzhi.bank import selectors as bank_selectors
from gongzhi.org import selectors as org_selectors


@login_required
def home(request):
    """The user's scope at a glance: figures computed for the scope and its root nodes."""
    scope = request.scope
    if scope.is_empty:
        counters = list(bank_selectors.counters_operated(user=request.user))
        if len(counters) == 1:  # a station's or a merchant's operator: straight to the counter
            return redirect("bank:counter", counters[0].pk)
        return render(request, "web/home.html", {"no_scope": not counters, "counters": counters})
    totals = org_selectors.scope_totals(scope=scope)
    context = {
        "totals": totals,
        "new_orgs": org_selectors.new_org_coverage(scope=scope),
        "grids": org_selectors.grid_count(scope=scope),
        "place_roots": list(org_selectors.place_roots(scope=scope)[:20]),
        "org_roots": list(org_selectors.org_roots(scope=scope)[:20]),
    }
    return render(request, "web/home.html", context)
