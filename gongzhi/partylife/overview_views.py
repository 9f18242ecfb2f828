"""Overview pages of organisational life: the compliance table for the user's scope (with its
drill-down), an organisation's page (meetings, rates, warnings, birthdays), its month calendar
and the warnings."""

import calendar as pycalendar
import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from gongzhi.core.pagination import capped_page
from gongzhi.org import selectors as org_selectors
from gongzhi.org.selectors.common import Coverage

from . import selectors
from .views import window

MEMBER_ROWS = 50  # the member table lists the lowest rates first and stops here
CARRIED = ("start", "end", "lagging")  # what the drill-down links keep of the query string


def _node(request):
    """The organisation asked for with ?org= (in scope, else 404), or None."""
    pk = request.GET.get("org")
    return org_selectors.org_get(scope=request.scope, pk=pk) if pk else None


@login_required
@require_GET
def org_meetings(request, pk):
    scope = request.scope
    org = org_selectors.org_get(scope=scope, pk=pk)
    today = timezone.localdate()
    start, end = selectors.default_window(today)
    mine = next(iter(selectors.compliance(scope=scope, start=start, end=end, organization=org)), None)
    warnings = selectors.member_warnings(scope=scope, today=today, organization=org)
    members = list(selectors.member_attendance_rates(scope=scope, organization=org, start=start, end=end)[: MEMBER_ROWS + 1])
    for m in members:
        m.coverage = Coverage.of(m.present, m.due)
    context = {
        "birthdays": selectors.political_birthdays(scope=scope, month=today.month, today=today, organization=org), "month": today.month,
        "warnings": warnings, "attendance": selectors.attendance_rates(scope=scope, start=start, end=end, organization=org).get(org.pk),
        "org": org, "ancestors": org_selectors.org_ancestors(scope=scope, node=org),
        "page": capped_page(selectors.org_meetings(scope=scope, organization=org), request.GET.get("page")),
        "compliance": mine, "start": start, "end": end,
        "members": members[:MEMBER_ROWS], "members_capped": len(members) > MEMBER_ROWS, "member_rows": MEMBER_ROWS,
    }
    return render(request, "partylife/org_meetings.html", context)


@login_required
@require_GET
def compliance(request):
    """三会一课 落实率 along the organisation tree for a period: at the user's scope roots, or at
    ?org= (in scope, else 404) one row per child summed over its subtree, with the node's totals.
    The period and 只看落实滞后 are carried through the drill-down links."""
    form, start, end = window(request)
    scope = request.scope
    node = _node(request)
    level = selectors.compliance_drilldown(scope=scope, start=start, end=end, node=node)
    lagging_only = request.GET.get("lagging") == "1"
    carry = QueryDict(mutable=True)
    for key in CARRIED:
        if request.GET.get(key):
            carry[key] = request.GET[key]
    context = {
        "node": node, "level": level, "total": level.total, "form": form, "start": start, "end": end,
        "ancestors": [a for a in org_selectors.org_ancestors(scope=scope, node=node) if a.visible] if node else [],
        "education": selectors.education_coverage(scope=scope, start=start, end=end, node=node),
        "rows": [r for r in level.rows if r.lagging] if lagging_only else level.rows, "lagging_only": lagging_only,
        "carry": carry.urlencode(),
    }
    return render(request, "partylife/compliance.html", context)


@login_required
@require_GET
def warnings(request):
    """htmx, after the compliance table: the members to talk to (it reads a year of attendance,
    so the table does not wait for it); with ?org=, those of that organisation's subtree."""
    node = _node(request)
    found = selectors.member_warnings(scope=request.scope, today=timezone.localdate())
    if node is not None:
        found = [x for x in found if x.member.organization.path.startswith(node.path)]
    context = {
        "absences": [x for x in found if x.kind == "absences"], "inactive": [x for x in found if x.kind == "inactive"],
        "warn_months": settings.GONGZHI_INACTIVITY_WARN_MONTHS,
    }
    return render(request, "partylife/partials/warnings.html", context)


def month_asked(value: str | None, today: dt.date) -> dt.date:
    """The first day of the month in ?month=YYYY-MM; this month for anything else."""
    try:
        year, month = (int(part) for part in value.split("-"))
        if 1900 <= year <= 2100:
            return dt.date(year, month, 1)
    except (AttributeError, TypeError, ValueError):
        pass
    return today.replace(day=1)


def month_grid(month: dt.date, today: dt.date, meetings) -> list[list[dict]]:
    """The weeks (Monday first) of the month's grid, each day with its meetings."""
    by_day = defaultdict(list)
    for m in meetings:
        by_day[m.held_on].append(m)
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    return [[{"date": d, "in_month": d.month == month.month, "is_today": d == today, "meetings": by_day.get(d, [])}
             for d in week] for week in weeks]


@login_required
@require_GET
def calendar(request, pk):
    """An organisation's month (?month=YYYY-MM, else this month): its meetings on a grid and what
    the frequency rules require in the month, its quarter and its year, and whether it is met."""
    scope = request.scope
    org = org_selectors.org_get(scope=scope, pk=pk)
    today = timezone.localdate()
    month = month_asked(request.GET.get("month"), today)
    meetings = selectors.month_meetings(scope=scope, organization=org, month=month)
    context = {
        "org": org, "ancestors": org_selectors.org_ancestors(scope=scope, node=org), "month": month, "today": today,
        "weeks": month_grid(month, today, meetings), "meetings": meetings,
        "previous": (month - dt.timedelta(days=1)).replace(day=1), "next": (month + dt.timedelta(days=31)).replace(day=1),
        "this_month": today.replace(day=1),
        "requirements": selectors.month_requirements(scope=scope, organization=org, month=month, today=today),
    }
    return render(request, "partylife/calendar.html", context)
