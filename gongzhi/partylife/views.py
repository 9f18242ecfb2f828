"""Organisational-life pages for meetings: recording a meeting, its attendance on one screen, the
台账. Thin: parse, call, render. The overview pages are in overview_views."""

import datetime as dt
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongzhi.core.forms import add_service_errors
from gongzhi.core.uploads import file_response
from gongzhi.core.pagination import capped_page
from gongzhi.org import selectors as org_selectors
from gongzhi.people.models import MemberStatus
from gongzhi.people.selectors import member_get, member_list

from . import selectors, services, signin
from .forms import AttachmentForm, ExemptionForm, MeetingForm, SignInForm, WindowForm
from .ledger_export import ledger_xlsx
from .models import AttendanceStatus, MeetingAttachment, SignIn
from .qr import qr_svg


@login_required
def meeting_create(request):
    scope = request.scope
    if not request.GET.get("org"):  # choose the organisation first
        orgs = selectors.organizations_with_rules(scope=scope)
        return render(request, "partylife/meeting_choose.html", {"orgs": capped_page(orgs, request.GET.get("page"))})
    org = org_selectors.org_get(scope=scope, pk=request.GET["org"])
    members = member_list(scope=scope, organization=org, status=MemberStatus.ACTIVE)
    form = MeetingForm(request.POST or None, members=members, today=timezone.localdate())
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
        "attachments": list(meeting.attachments.all()), "attachment_form": AttachmentForm(),
        "signin_open": signin.is_open(meeting), "signed_in": sum(1 for r in rows if r.signed_in_at),
        "meeting": meeting, "rows": rows, "errors": errors, "statuses": AttendanceStatus.choices,
        "present": present, "leave": sum(1 for r in rows if r.status == AttendanceStatus.LEAVE),
        "absent": sum(1 for r in rows if r.status == AttendanceStatus.ABSENT),
        "quorum": services.quorum(meeting), "agenda": list(meeting.agenda.all()),
        "ancestors": org_selectors.org_ancestors(scope=scope, node=meeting.organization),
    }
    return render(request, "partylife/meeting_detail.html", context)


def window(request) -> tuple[WindowForm, dt.date, dt.date]:
    """The period asked for (start, end), or this year's whole months so far."""
    start, end = selectors.default_window(timezone.localdate())
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


# ---- QR sign-in (扫码签到) ----------------------------------------------------------------------


@login_required
@require_GET
def meeting_qr(request, pk):
    """The sign-in QR code, large enough to project, with a live count (htmx, ?count=1)."""
    meeting = selectors.meeting_get(scope=request.scope, pk=pk)
    if meeting.signin != SignIn.QR:
        messages.info(request, _("本次会议未使用扫码签到。"))
        return redirect("partylife:meeting", meeting.pk)
    signed, due = signin.signin_counts(meeting)
    context = {"meeting": meeting, "signed": signed, "due": due, "open": signin.is_open(meeting)}
    if request.GET.get("count"):
        return render(request, "partylife/partials/signin_count.html", context)
    url = request.build_absolute_uri(reverse("partylife:signin", args=[signin.token_for(meeting)]))
    context |= {"url": url, "qr": qr_svg(url), "ancestors": org_selectors.org_ancestors(scope=request.scope, node=meeting.organization)}
    return render(request, "partylife/meeting_qr.html", context)


@login_required
def signin_close(request, pk):
    meeting = selectors.meeting_get(scope=request.scope, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        signin.signin_close(scope=request.scope, acting_user=request.user, meeting=meeting)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("已结束签到：未签到的党员记为缺席，请在下方标出请假的党员。"))
    return redirect("partylife:meeting", meeting.pk)


def signin_page(request, token):
    """The page a member's phone opens from the QR code: no login; name and four digits."""
    meeting = signin.meeting_for_token(token)
    if meeting is None:
        raise Http404
    form = SignInForm(request.POST or None)
    done = error = None
    if request.method == "POST" and form.is_valid():
        try:
            done = signin.sign_in(meeting=meeting, name=form.cleaned_data["name"], digits=form.cleaned_data["digits"],
                                  address=request.META.get("REMOTE_ADDR", ""))
        except ValidationError as e:
            if hasattr(e, "error_dict"):
                add_service_errors(form, e)
            else:
                error = " ".join(e.messages)
    context = {"meeting": meeting, "form": form, "done": done, "error": error, "open": signin.is_open(meeting)}
    return render(request, "partylife/signin.html", context)


# ---- attachments ----------------------------------------------------------------------------------


@login_required
def attachment_upload(request, pk):
    meeting = selectors.meeting_get(scope=request.scope, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        services.attachment_add(scope=request.scope, acting_user=request.user, meeting=meeting, **form.cleaned_data)
        messages.success(request, _("已上传附件“%(name)s”。") % {"name": form.cleaned_data["file"].name})
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(reverse("partylife:meeting", args=[meeting.pk]) + "#attachments")


def _attachment(request, pk) -> MeetingAttachment:
    return request.scope.get(MeetingAttachment.objects.select_related("meeting__organization"), pk=pk)


@login_required
@require_GET
def attachment_download(request, pk):
    """Photos open in the browser; other files download. Only through this scoped view."""
    attachment = _attachment(request, pk)
    inline = attachment.file.name.lower().endswith((".jpg", ".jpeg", ".png", ".gif", ".webp", ".pdf"))
    return file_response(attachment.file, filename=attachment.name, as_attachment=not inline)


@login_required
def attachment_delete(request, pk):
    attachment = _attachment(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.attachment_delete(scope=request.scope, attachment=attachment)
    messages.success(request, _("已删除附件“%(name)s”。") % {"name": attachment.name})
    return redirect(reverse("partylife:meeting", args=[attachment.meeting_id]) + "#attachments")


# ---- exemptions (免于参加组织生活) ------------------------------------------------------------------


@login_required
def member_exemptions(request, pk):
    """A member's exemptions: record one (the recording user approves it), or end an open one."""
    scope = request.scope
    member = member_get(scope=scope, pk=pk)
    form = ExemptionForm(request.POST if request.POST.get("action") == "add" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "end":
                exemption = member.exemptions.filter(pk=request.POST.get("exemption")).first()
                if exemption is None:
                    raise Http404
                services.exemption_end(scope=scope, acting_user=request.user, exemption=exemption, on=timezone.localdate())
                messages.success(request, _("已结束免于参加组织生活，今天起恢复计入应到。"))
                return redirect("partylife:member_exemptions", member.pk)
            if form.is_valid():
                services.exemption_create(scope=scope, acting_user=request.user, member=member, **form.cleaned_data)
                messages.success(request, _("已记录%(name)s免于参加组织生活。") % {"name": member.person.name})
                return redirect("partylife:member_exemptions", member.pk)
        except ValidationError as e:
            if hasattr(e, "error_dict"):
                add_service_errors(form, e)
            else:
                messages.error(request, " ".join(e.messages))
    exemptions = member.exemptions.select_related("approved_by").order_by("-starts_on")
    return render(request, "partylife/member_exemptions.html", {"member": member, "form": form, "exemptions": exemptions, "today": timezone.localdate()})
