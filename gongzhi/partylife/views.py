"""Organisational-life pages for meetings: recording a meeting, its attendance on one screen, the
台账. Thin: parse, call, render. The overview pages are in overview_views."""

import datetime as dt
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongzhi.core.forms import add_service_errors
from gongzhi.core.pagination import capped_page
from gongzhi.org import selectors as org_selectors
from gongzhi.people.models import MemberStatus
from gongzhi.people.selectors import member_list

from . import selectors, services
from .forms import MeetingForm, WindowForm
from .ledger_export import ledger_xlsx
from .models import AttendanceStatus


@login_required
def meeting_create(request):
    scope = request.scope
    if not request.GET.get("org"):  # choose the organisation first
        orgs = selectors.organizations_with_rules(scope=scope)
        return render(request, "partylife/meeting_choose.html", {"orgs": capped_page(orgs, request.GET.get("page"))})
    org = org_selectors.org_get(scope=scope, pk=request.GET["org"])
    members = member_list(scope=scope, organization=org, status=MemberStatus.ACTIVE)
    form = MeetingForm(request.POST or None, members=members, today=dt.date.today())
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(scope=scope, acting_user=request.user, organization=org, **form.service_kwargs())
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已记录会议。应到 %(n)s 人，默认全部出席：请在下方标出请假和缺席的党员。") % {"n": meeting.attendance.count()})
            return redirect("partylife:meeting", meeting.pk)
    context = {"form": form, "org": org, "ancestors": org_selectors.org_ancestors(scope=scope, node=org)}
    return render(request, "partylife/meeting_form.html", context)


@login_required
def meeting_detail(request, pk):
    """The meeting, and its attendance on one screen: 出席 by default, 请假 with a reason, 缺席."""
    scope = request.scope
    meeting = selectors.meeting_get(scope=scope, pk=pk)
    rows = list(selectors.meeting_attendance(scope=scope, meeting=meeting))
    errors = []
    if request.method == "POST":
        statuses = {r.member_id: (request.POST.get(f"s{r.member_id}", r.status), request.POST.get(f"r{r.member_id}", ""))
                    for r in rows}
        try:
            services.attendance_record(scope=scope, acting_user=request.user, meeting=meeting, statuses=statuses)
        except ValidationError as e:
            errors = e.messages
            for r in rows:  # show what was entered
                r.status, r.leave_reason = statuses[r.member_id]
        else:
            messages.success(request, _("已保存出席情况。"))
            return redirect("partylife:meeting", meeting.pk)
    present = sum(1 for r in rows if r.status == AttendanceStatus.PRESENT)
    context = {
        "meeting": meeting, "rows": rows, "errors": errors, "statuses": AttendanceStatus.choices,
        "present": present, "leave": sum(1 for r in rows if r.status == AttendanceStatus.LEAVE),
        "absent": sum(1 for r in rows if r.status == AttendanceStatus.ABSENT),
        "quorum": services.quorum(meeting), "agenda": list(meeting.agenda.all()),
        "ancestors": org_selectors.org_ancestors(scope=scope, node=meeting.organization),
    }
    return render(request, "partylife/meeting_detail.html", context)


def window(request) -> tuple[WindowForm, dt.date, dt.date]:
    """The period asked for (start, end), or this year's whole months so far."""
    start, end = selectors.default_window(dt.date.today())
    asked = "start" in request.GET or "end" in request.GET
    form = WindowForm(request.GET if asked else None, initial={"start": start, "end": end})
    if form.is_valid():
        start, end = form.cleaned_data["start"] or start, form.cleaned_data["end"] or end
    return form, start, end


@login_required
@require_GET
def ledger(request, pk):
    """The printable 台账: every meeting of the organisation (and those below it) in the period,
    with who attended; the same as an .xlsx with ?format=xlsx."""
    scope = request.scope
    org = org_selectors.org_get(scope=scope, pk=pk)
    form, start, end = window(request)
    meetings = selectors.ledger(scope=scope, organization=org, start=start, end=end)
    if request.GET.get("format") == "xlsx":
        content = ledger_xlsx(meetings)
        name = f"{org.name}-台账-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
        return FileResponse(io.BytesIO(content), as_attachment=True, filename=name,
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    context = {"org": org, "form": form, "start": start, "end": end, "meetings": meetings, "query": request.GET.urlencode(),
               "ancestors": org_selectors.org_ancestors(scope=scope, node=org)}
    return render(request, "partylife/ledger.html", context)
