"""Member-points pages (党员积分): the rankings of the user's scope or an organisation's subtree
(tiles, the distribution chart, the ranked table, the .xlsx), a member's statement, the manual
entry, the approvals, and the actions on one entry (approve, reject, reverse). Thin: parse,
call, render. Every object is fetched through the user's scope first: out of scope is a 404
before anything else, on pages and actions alike."""

import io
import re
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from gongzhi.core.forms import add_service_errors
from gongzhi.core.pagination import LIST_CAP, PER_PAGE, CappedPage, capped_page
from gongzhi.core.querystring import query_with
from gongzhi.org import selectors as org_selectors
from gongzhi.people.forms import tree_options
from gongzhi.people.selectors import member_get, organization_filter_choices

from . import selectors, services
from .export import ranking_xlsx
from .forms import EntryForm, RankingForm, points_text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GRADE_TONES = {"excellent": "ok", "pass": "info", "basic": "warn", "fail": "danger"}  # badges
TILE_TONES = {"excellent": "ok", "pass": "ok", "fail": "red"}
SOURCE_LABELS = {
    "attendance": gettext_lazy("会议出席"), "lecture": gettext_lazy("讲授党课"), "training": gettext_lazy("培训学时"),
    "volunteer": gettext_lazy("志愿服务"), "manual": gettext_lazy("人工录入"), "reversal": gettext_lazy("冲正"),
}
MEETING_EVIDENCE = re.compile(r"^会议#(\d+)$")


def _years(today) -> list[int]:
    return sorted(set(selectors.cycles_with_entries()) | {today.year}, reverse=True)


def _year_asked(request, today) -> int:
    form = RankingForm(request.GET if "year" in request.GET else None, years=_years(today), default=today.year)
    return form.chosen_year()


def _list_page(rows: list, number) -> CappedPage:
    """A page of a list already in memory, for the shared pager."""
    page = Paginator(rows, PER_PAGE).get_page(number)
    return CappedPage(rows=list(page.object_list), page=page, count=len(rows), cap=max(len(rows), LIST_CAP))


# ---- rankings -------------------------------------------------------------------------------------


@login_required
@require_GET
def ranking(request):
    """Every 在册 member of the scope (or ?org='s subtree, in scope else 404) for ?year=, best
    first; ?q= keeps the names containing it (ranks stay those of the whole list); ?format=xlsx
    downloads every row."""
    scope, today = request.scope, timezone.localdate()
    node = org_selectors.org_get(scope=scope, pk=request.GET["org"]) if request.GET.get("org") else None
    options = tree_options(organization_filter_choices(scope=scope), blank=_("全部党组织"), selected=node)
    form = RankingForm(request.GET, years=_years(today), default=today.year, org_options=options)
    year, name = form.chosen_year(), form.searched_name()
    rows = selectors.standings(scope=scope, cycle=year, organization=node, today=today)
    if name:
        named = selectors.members_named(scope=scope, q=name)
        shown = [s for s in rows if s.member_id in named]
    else:
        shown = rows
    if request.GET.get("format") == "xlsx":
        selectors.with_names(shown)
        title = _("%(scope)s %(year)s年度党员积分排名") % {"scope": node.name if node else "、".join(map(str, scope.labels)), "year": year}
        filename = f"{node.name if node else _('党员积分')}-{year}年度排名.xlsx"
        return FileResponse(io.BytesIO(ranking_xlsx(shown, title=title)), as_attachment=True, filename=filename, content_type=XLSX)
    page = _list_page(shown, request.GET.get("page"))
    selectors.with_names(page.rows)
    for s in page.rows:
        s.tone = GRADE_TONES.get(s.grade.code, "") if s.grade else ""
    bands = selectors.distribution(rows)
    context = {
        "form": form, "year": year, "node": node, "name": name, "page": page, "members": len(rows),
        "average": points_text((sum(s.score for s in rows) / len(rows)).quantize(Decimal("0.1"))) if rows else None,
        "counts": selectors.grade_counts(rows), "bands": bands,
        "chart": {"labels": [b for b, _n in bands], "counts": [n for _b, n in bands]},
        "ancestors": [a for a in org_selectors.org_ancestors(scope=scope, node=node) if a.visible] if node else [],
        "export_query": query_with(request.GET, format="xlsx", page=None),
    }
    return render(request, "points/ranking.html", context)


# ---- a member's statement -------------------------------------------------------------------------


def _source(entry) -> dict:
    """How to show where an entry came from: a label, and the meeting it refers to if any."""
    meeting = None
    if entry.source_kind == "attendance":
        found = MEETING_EVIDENCE.match(entry.evidence or "")
        meeting = int(found.group(1)) if found else None
    elif entry.source_kind == "lecture" and entry.source_id.isdigit():
        meeting = int(entry.source_id)
    evidence = "" if entry.source_kind == "attendance" and meeting else entry.evidence
    return {"label": SOURCE_LABELS.get(entry.source_kind, entry.source_kind), "meeting": meeting, "evidence": evidence}


@login_required
@require_GET
def statement(request, pk):
    """A member's year (?year=): the base, each counting entry with its rule, version, source and
    who entered and approved it, reversals marked; pending and rejected entries apart."""
    scope, today = request.scope, timezone.localdate()
    member = member_get(scope=scope, pk=pk)
    year = _year_asked(request, today)
    s = selectors.member_statement(scope=scope, member=member, cycle=year, today=today)
    reversed_ids = {e.reverses_id for e in s.entries if e.reverses_id}
    for e in s.entries + s.pending:
        e.source = _source(e)
        e.is_reversed = e.pk in reversed_ids
    added = sum((e.amount for e in s.entries if e.amount > 0), Decimal(0))
    context = {
        "member": member, "s": s, "year": year, "years": _years(today),
        "added_label": _signed(added) if added else "0", "deducted_label": points_text(s.delta - added),
        "score_note": _("加减分合计 %(delta)s") % {"delta": _signed(s.delta) if s.delta else "0"},
        "grade_label": s.grade.label if s.grade else "—", "grade_tone": TILE_TONES.get(s.grade.code, "") if s.grade else "",
        "can_approve": services.can_approve(request.user),
        "pending": [e for e in s.pending if e.status == "pending"], "rejected": [e for e in s.pending if e.status == "rejected"],
        "ancestors": org_selectors.org_ancestors(scope=scope, node=member.organization),
    }
    return render(request, "points/statement.html", context)


# ---- manual entry ---------------------------------------------------------------------------------


@login_required
def entry_new(request):
    """A manual entry for ?member= (in scope, else 404): it waits for a secretary's approval."""
    scope, today = request.scope, timezone.localdate()
    if not request.GET.get("member"):
        messages.info(request, _("请先在排名中点击党员姓名，再在其积分明细中录入积分。"))
        return redirect("points:ranking")
    member = member_get(scope=scope, pk=request.GET["member"])
    form = EntryForm(request.POST or None, rules_on=lambda day: selectors.manual_rules(member=member, on=day), today=today)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.entry_create(scope=scope, acting_user=request.user, member=member, today=today, **form.service_kwargs())
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已为%(name)s录入“%(rule)s”%(amount)s分，待支部书记审核后计入积分。")
                             % {"name": member.person.name, "rule": entry.rule.name, "amount": _signed(entry.amount)})
            return redirect(reverse("points:statement", args=[member.pk]) + f"?year={entry.cycle}")
    context = {"form": form, "member": member, "rules": list(form.rules.values()),
               "ancestors": org_selectors.org_ancestors(scope=scope, node=member.organization)}
    return render(request, "points/entry_form.html", context)


def _signed(amount: Decimal) -> str:
    return f"+{points_text(amount)}" if amount > 0 else points_text(amount)


# ---- approvals and the actions on one entry -------------------------------------------------------


@login_required
@require_GET
def approvals(request):
    """Manual entries waiting in scope, oldest first; approvers decide each, others read."""
    page = capped_page(selectors.pending_entries(scope=request.scope), request.GET.get("page"))
    context = {"page": page, "can_approve": services.can_approve(request.user), "next": request.get_full_path()}
    return render(request, "points/approvals.html", context)


def _back(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def _act(request, pk, action):
    """Fetch the entry in scope (404 first), then require POST, then run `action(entry, reason)`;
    PermissionDenied from the service answers 403."""
    entry = selectors.entry_get(scope=request.scope, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        done = action(entry, request.POST.get("reason", ""))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, done)
    statement = reverse("points:statement", args=[entry.member_id]) + f"?year={entry.cycle}"
    return redirect(_back(request, statement))


@login_required
def entry_approve(request, pk):
    def approve(entry, _reason):
        entry = services.entry_approve(scope=request.scope, acting_user=request.user, entry=entry)
        return _("已通过：%(name)s“%(rule)s”%(amount)s分已计入积分。") % {
            "name": entry.member.person.name, "rule": entry.rule.name, "amount": _signed(entry.amount)}

    return _act(request, pk, approve)


@login_required
def entry_reject(request, pk):
    def reject(entry, reason):
        services.entry_reject(scope=request.scope, acting_user=request.user, entry=entry, reason=reason)
        return _("已退回%(name)s的“%(rule)s”，不计入积分。") % {"name": entry.member.person.name, "rule": entry.rule.name}

    return _act(request, pk, reject)


@login_required
def entry_reverse(request, pk):
    def reverse_entry(entry, reason):
        services.entry_reverse(scope=request.scope, acting_user=request.user, entry=entry, reason=reason)
        return _("已冲正%(name)s的“%(rule)s”%(amount)s分。") % {"name": entry.member.person.name, "rule": entry.rule.name, "amount": _signed(entry.amount)}

    return _act(request, pk, reverse_entry)
