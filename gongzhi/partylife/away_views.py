"""在外党员 pages. Staff (login, scoped): an organisation's away members and who has reported this
quarter, their personal links; one report, read and replied to. Members (no login, through
their personal link): their own page and the report form, phone first. Thin: parse, call, render."""


import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gongzhi.core.forms import add_service_errors
from gongzhi.core.pagination import capped_page
from gongzhi.core.token_pages import token_page
from gongzhi.org import selectors as org_selectors

from . import away
from .forms_away import ReplyForm, ReportForm
from .qr import qr_svg


@login_required
@require_http_methods(["GET", "POST"])
def away_list(request, pk):
    """The organisation's away members with 本季度已汇报 / 未汇报; POST generates (shown once) or
    voids a member's personal link."""
    scope = request.scope
    org = org_selectors.org_get(scope=scope, pk=pk)
    quarters = away.recent_quarters(timezone.localdate())
    quarter = away.Quarter.parse(request.GET.get("quarter")) or quarters[0]
    new_link = None
    if request.method == "POST":
        member = away.member_get(scope=scope, organization=org, pk=request.POST.get("member"))
        action = request.POST.get("action")
        if action not in ("create", "revoke"):
            return redirect(request.get_full_path())
        if action == "revoke":
            away.link_revoke(scope=scope, acting_user=request.user, member=member)
            messages.success(request, _("已作废%(name)s的专属链接。") % {"name": member.person.name})
            return redirect(request.get_full_path())
        try:
            _link, token = away.link_create(scope=scope, acting_user=request.user, member=member)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
            return redirect(request.get_full_path())
        new_link = _shown_once(request, member, token)
    members = away.away_members(scope=scope, organization=org, quarter_start=quarter.start, quarter_end=quarter.end)
    total, reported = away.away_counts(members)
    missing_only = request.GET.get("missing") == "1"
    page = capped_page(members.filter(reported=False) if missing_only else members, request.GET.get("page"))
    page.rows = away.away_rows(page.rows, quarter_start=quarter.start, quarter_end=quarter.end)
    context = {
        "org": org, "ancestors": org_selectors.org_ancestors(scope=scope, node=org), "page": page, "new_link": new_link,
        "quarter": quarter, "quarters": quarters, "is_current": quarter == quarters[0], "missing_only": missing_only,
        "total": total, "reported": reported, "missing": total - reported,
    }
    response = render(request, "partylife/away/away_list.html", context)
    if new_link:
        response["Cache-Control"] = "no-store"  # the link is shown once: keep it out of every cache
    return response


def _shown_once(request, member, token: str) -> dict:
    url = request.build_absolute_uri(reverse("partylife:member_home", args=[token]))
    png = segno.make(url, error="m", micro=False).png_data_uri(scale=8, border=2)
    return {"member": member, "url": url, "svg": qr_svg(url, scale=6), "png": png}


@login_required
@require_http_methods(["GET", "POST"])
def report_detail(request, pk):
    """One report, and 阅示: mark it read with an optional reply the member sees."""
    scope = request.scope
    report = away.report_get(scope=scope, pk=pk)
    form = ReplyForm(request.POST or None, initial={"reply": report.reply})
    if request.method == "POST" and form.is_valid():
        try:
            away.report_mark_read(scope=scope, acting_user=request.user, report=report, reply=form.cleaned_data["reply"])
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已阅示，回复已发给党员。") if report.reply else _("已标记为已阅。"))
            return redirect("partylife:report", report.pk)
    org = report.member.organization
    context = {
        "report": report, "form": form, "org": org, "ancestors": org_selectors.org_ancestors(scope=scope, node=org),
        "others": [r for r in away.member_reports(report.member, scope=scope, limit=11) if r.pk != report.pk][:10],
    }
    return render(request, "partylife/away/report_detail.html", context)


# ---- members' own pages (no login) ------------------------------------------------------------


# a member's own pages: the member of a live personal link (unknown, voided, or of a member who left: 404)
member_page = token_page(away.member_for_token, "partylife/away/link_invalid.html")


@member_page
@require_http_methods(["GET"])
def member_home(request, member, token):
    today = timezone.localdate()
    birthday = member.political_birthday(today)
    quarter = away.Quarter.of(today)
    reports = away.member_reports(member)
    context = {
        "member": member, "token": token, "reports": reports, "quarter": quarter,
        "reported_this_quarter": any(timezone.localdate(r.submitted_at) >= quarter.start for r in reports),
        "birthday": birthday if birthday and birthday[0].month == today.month and birthday[1] > 0 else None,
    }
    return render(request, "partylife/away/member_home.html", context)


@member_page
@require_http_methods(["GET", "POST"])
def member_report(request, member, token):
    form = ReportForm(request.POST or None, initial={"location": member.away_location})
    if request.method == "POST" and form.is_valid():
        try:
            away.report_submit(member=member, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("汇报已提交，支部阅示后会在这里显示。"))
            return redirect("partylife:member_home", token)
    return render(request, "partylife/away/member_report.html", {"member": member, "token": token, "form": form})
