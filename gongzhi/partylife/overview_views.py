"""Overview pages of organisational life: the compliance table for the user's scope (with its
drill-down), an organisation's page (meetings, rates, warnings, birthdays) and the warnings."""

import datetime as dt

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from gongzhi.core.pagination import capped_page
from gongzhi.org import selectors as org_selectors
from gongzhi.org.selectors.common import Coverage

from . import selectors
from .views import window


@login_required
@require_GET
def org_meetings(request, pk):
    scope = request.scope
    org = org_selectors.org_get(scope=scope, pk=pk)
    start, end = selectors.default_window(dt.date.today())
    rows = selectors.compliance(scope=scope, start=start, end=end)
    mine = next((c for c in rows if c.organization.pk == org.pk), None)
    today = dt.date.today()
    warnings = selectors.member_warnings(scope=scope, today=today, organization=org)
    context = {
        "birthdays": selectors.political_birthdays(scope=scope, month=today.month, today=today, organization=org), "month": today.month,
        "warnings": warnings, "attendance": selectors.attendance_rates(scope=scope, start=start, end=end).get(org.pk),
        "org": org, "ancestors": org_selectors.org_ancestors(scope=scope, node=org),
        "page": capped_page(selectors.org_meetings(scope=scope, organization=org), request.GET.get("page")),
        "compliance": mine, "start": start, "end": end,
    }
    return render(request, "partylife/org_meetings.html", context)


@login_required
@require_GET
def compliance(request):
    """三会一课 落实率 of every organisation in scope for a period, with what each is missing."""
    form, start, end = window(request)
    scope = request.scope
    rows = selectors.compliance(scope=scope, start=start, end=end)
    lagging_only = request.GET.get("lagging") == "1"
    rates = selectors.attendance_rates(scope=scope, start=start, end=end)
    for c in rows:
        c.attendance = rates.get(c.organization.pk)
    context = {
        "attendance": Coverage.of(sum(r.numerator for r in rates.values()), sum(r.denominator for r in rates.values())),
        "education": selectors.education_coverage(scope=scope, start=start, end=end),
        "form": form, "start": start, "end": end, "total": selectors.total(rows),
        "rows": [c for c in rows if c.lagging] if lagging_only else rows, "lagging_only": lagging_only,
        "lagging": sum(1 for c in rows if c.lagging), "count": len(rows),
    }
    return render(request, "partylife/compliance.html", context)


@login_required
@require_GET
def warnings(request):
    """htmx, after the compliance table: the members to talk to (it reads a year of attendance,
    so the table does not wait for it)."""
    found = selectors.member_warnings(scope=request.scope, today=dt.date.today())
    context = {
        "absences": [x for x in found if x.kind == "absences"], "inactive": [x for x in found if x.kind == "inactive"],
        "warn_months": settings.GONGZHI_INACTIVITY_WARN_MONTHS,
    }
    return render(request, "partylife/partials/warnings.html", context)
