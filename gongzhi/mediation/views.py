"""Mediation pages: the case list (with its Excel export), intake, a case with its timeline and
actions (each a POST to the case's page with an `action` field), the 调解协议书 (print page, PDF,
Word), a session's scan, the mediators and the figures by tier and category. Thin: parse, call
one selector or service, render. A case's page is fetched through `selectors.case_get`: its
details are open only to its handlers and their supervisors, anyone else gets a 404."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongzhi.core.forms import add_service_errors
from gongzhi.core.pagination import capped_page
from gongzhi.core.pdf import in_chinese, pdf_response
from gongzhi.core.querystring import query_with
from gongzhi.core.uploads import file_response
from gongzhi.people.selectors import community_get, community_options

from . import selectors, services
from .document import agreement_docx, agreement_of
from .export import cases_xlsx
from .forms import (
    AgreeForm, AssignForm, CaseFilterForm, CaseForm, CloseForm, ConfirmForm, EscalateForm, FollowUpForm, MediatorForm, PartyForm, SessionForm,
)
from .models import CaseStatus, MediationRules, PartyRole

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXPORT_CAP = 20_000


def _pick(options, raw):
    """The option whose pk was asked for, or None."""
    return next((o for o in options if str(o.pk) == (raw or "")), None)


def _filtered(request):
    scope, today = request.scope, timezone.localdate()
    tiers, categories = selectors.tiers(), selectors.categories(active_only=False)
    form = CaseFilterForm(request.GET, communities=community_options(scope), tiers=tiers, categories=categories)
    form.is_valid()
    f = form.cleaned_data
    raw = request.GET.get("community")
    community = community_get(scope, raw) if raw else None  # another 社区: 404
    cases = selectors.case_list(scope=scope, user=request.user, community=community, tier=_pick(tiers, f.get("tier")),
                                category=_pick(categories, f.get("category")), status=f.get("status") or "", overdue=bool(f.get("overdue")),
                                q=(f.get("q") or "").strip(), today=today)
    return form, community, cases


@login_required
@require_GET
def case_list(request):
    """Cases in scope and the user's own; ?community= ?tier= ?category= ?status= ?overdue=1 ?q=;
    ?format=xlsx exports the filtered list."""
    today, rules = timezone.localdate(), MediationRules.current()
    form, community, cases = _filtered(request)
    if request.GET.get("format") == "xlsx":
        return _export(cases, today)
    page = capped_page(cases, request.GET.get("page"))
    context = {"form": form, "page": page, "community": community, "today": today, "rules": rules,
               "due": selectors.due_counts(scope=request.scope, today=today, rules=rules),
               "warn_until": today + dt.timedelta(days=rules.warn_days),
               "overdue_query": query_with(request.GET, overdue="1", status=None, page=None),
               "export_query": query_with(request.GET, page=None, format="xlsx"), "can_intake": bool(community_options(request.scope))}
    return render(request, "mediation/cases.html", context)


def _export(cases, today):
    """The filtered list as .xlsx: number, 社区, category, tier, status and dates (no party, no text)."""
    response = HttpResponse(cases_xlsx(cases[:EXPORT_CAP], today=today), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, _("调解案件.xlsx"))
    return response


def _party_forms(data):
    roles = [PartyRole.APPLICANT, PartyRole.RESPONDENT, PartyRole.RESPONDENT]
    return [PartyForm(data, prefix=f"p{i}", initial={"role": role}) for i, role in enumerate(roles)]


@login_required
def case_new(request):
    """登记受理: the case, an applicant, a respondent and an optional third party."""
    scope = request.scope
    communities = community_options(scope)
    if not communities:
        raise Http404(_("不存在或无权查看。"))
    data = request.POST if request.method == "POST" else None
    tiers, categories = selectors.tiers(), selectors.categories()
    initial = {"received_on": timezone.localdate(), "tier": tiers[0].pk if tiers else None}
    if len(communities) == 1:
        initial["community"] = communities[0][0]
    form = CaseForm(data, initial=initial, communities=communities, tiers=tiers, categories=categories)
    parties = _party_forms(data)
    if data is not None and form.is_valid() and all(p.is_valid() for p in parties):
        d = form.cleaned_data
        try:
            case = services.case_open(scope=scope, acting_user=request.user, community=community_get(scope, d["community"]),
                                      category=_pick(categories, str(d["category"])) or _no_choice("category"),
                                      tier=_pick(tiers, str(d["tier"])) or _no_choice("tier"), source=d["source"],
                                      description=d["description"], received_on=d["received_on"], referred_by=d["referred_by"],
                                      address=d["address"], parties=[p.cleaned_data for p in parties])
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已登记受理 %(number)s，办结期限 %(day)s。") % {"number": case.number, "day": case.due_on})
            return redirect("mediation:case", case.pk)
    return render(request, "mediation/case_form.html", {"form": form, "parties": parties})


def _no_choice(field):
    raise ValidationError({field: _("请从列表中选择。")})


# ---- a case -------------------------------------------------------------------------------------


def _case_forms(request, case, posted, today):
    """The forms of the actions the case's status allows; the posted one is bound."""
    def data(action):
        return request.POST if action == posted else None

    forms = {}
    mediators = selectors.case_mediators(case=case)
    if case.is_open:
        same_tier = [m for m in mediators if m.tier_id == case.tier_id and m.pk != case.mediator_id]
        forms["assign"] = AssignForm(data("assign"), prefix="assign", mediators=same_tier)
        forms["assign"].no_choices = not same_tier
        higher = [t for t in selectors.tiers() if t.rank > case.tier.rank]
        if higher:
            forms["escalate"] = EscalateForm(data("escalate"), prefix="escalate", tiers=higher,
                                             mediators=[m for m in mediators if m.tier.rank > case.tier.rank])
        if case.mediator_id:
            forms["session"] = SessionForm(data("session"), request.FILES if posted == "session" else None, prefix="session",
                                           initial={"held_on": today, "place": _("第三调解室")})
            forms["agree"] = AgreeForm(data("agree"), prefix="agree", initial={"agreed_on": today})
        forms["close"] = CloseForm(data("close"), prefix="close", initial={"closed_on": today})
    elif case.status == CaseStatus.AGREED:
        forms["followup"] = FollowUpForm(data("followup"), prefix="followup", initial={"visited_on": today})
        if case.confirmation_state(today) == "open":
            forms["confirm"] = ConfirmForm(data("confirm"), prefix="confirm", initial={"applied_on": today})
    return forms


def _run_action(request, case, action, form):
    d, user = form.cleaned_data, request.user
    if action == "assign":
        mediator = _pick(selectors.case_mediators(case=case), str(d["mediator"])) or _no_choice("mediator")
        services.case_assign(acting_user=user, case=case, mediator=mediator)
        return _("已分派给%(name)s。") % {"name": mediator.name}
    if action == "escalate":
        tier = _pick(selectors.tiers(), str(d["tier"])) or _no_choice("tier")
        mediator = _pick(selectors.case_mediators(case=case), str(d["mediator"])) if d.get("mediator") else None
        services.case_escalate(acting_user=user, case=case, tier=tier, reason=d["reason"], mediator=mediator)
        return _("已升级到%(tier)s。") % {"tier": tier.name}
    if action == "session":
        services.session_record(acting_user=user, case=case, held_on=d["held_on"], place=d["place"], attendees=d["attendees"], record=d["record"],
                                file=d.get("file"))
        return _("已记录调解笔录。")
    if action == "agree":
        services.case_agree(acting_user=user, case=case, agreed_on=d["agreed_on"], facts=d["facts"], terms=d["terms"], performance=d["performance"],
                            perform_by=d["perform_by"])
        return _("调解成功，已生成调解协议书。")
    if action == "close":
        services.case_close(acting_user=user, case=case, status=d["status"], closed_on=d["closed_on"], note=d["note"])
        return _("已结案。")
    if action == "followup":
        services.followup_record(acting_user=user, case=case, visited_on=d["visited_on"], performance=d["performance"], note=d["note"])
        return _("已记录回访。")
    services.confirmation_record(acting_user=user, case=case, applied_on=d["applied_on"])
    return _("已记录申请司法确认。")


@login_required
def case_detail(request, pk):
    today = timezone.localdate()
    case = selectors.case_get(scope=request.scope, user=request.user, pk=pk)
    posted = request.POST.get("action", "") if request.method == "POST" else ""
    forms = _case_forms(request, case, posted, today)
    if posted:
        form = forms.get(posted)
        if form is None:
            messages.error(request, _("案件当前为“%(status)s”，不能进行此操作。") % {"status": case.get_status_display()})
            return redirect("mediation:case", case.pk)
        if form.is_valid():
            try:
                message = _run_action(request, case, posted, form)
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, message)
                return redirect("mediation:case", case.pk)
    rules = MediationRules.current()
    timeline = selectors.case_timeline(case)
    if case.is_open:
        next_action = "session" if case.mediator_id and not any(r["kind"] == "session" for r in timeline) else ("agree" if case.mediator_id else "assign")
    else:
        next_action = "followup"
    context = {"case": case, "forms": forms, "posted": posted, "open_action": posted or next_action, "today": today, "parties": list(case.parties.all()),
               "timeline": timeline, "overdue": case.overdue_on(today), "warned": case.warned_on(today, rules.warn_days),
               "days_left": (case.due_on - today).days, "overdue_days": (today - case.due_on).days, "confirmation": case.confirmation_state(today),
               "followups": list(case.followups.all())}
    return render(request, "mediation/case_detail.html", context)


def _agreed_case(request, pk):
    case = selectors.case_get(scope=request.scope, user=request.user, pk=pk)
    if case.status != CaseStatus.AGREED:
        raise Http404(_("该案件没有调解协议。"))
    return case


def _filename(case, suffix):
    return f"{_('人民调解协议书')}-{case.community.name}{case.number}.{suffix}"


@login_required
@require_GET
@in_chinese
def agreement(request, pk):
    """The 调解协议书 as a printable page; ?format=pdf the same as a PDF, ?format=docx as Word."""
    case = _agreed_case(request, pk)
    doc = agreement_of(case)
    fmt = request.GET.get("format", "")
    if fmt == "docx":
        response = HttpResponse(agreement_docx(doc), content_type=DOCX)
        response["Content-Disposition"] = content_disposition_header(True, _filename(case, "docx"))
        return response
    context = {"case": case, "doc": doc}
    if fmt == "pdf":
        return pdf_response(request, "mediation/agreement_print.html", context, _filename(case, "pdf"))
    return render(request, "mediation/agreement_print.html", context)


@login_required
@require_GET
def session_file(request, pk):
    session = selectors.session_get(user=request.user, pk=pk)
    if not session.file:
        raise Http404(_("不存在或无权查看。"))
    return file_response(session.file, filename=session.file_name or "session", as_attachment=True)


# ---- mediators ----------------------------------------------------------------------------------


@login_required
@require_GET
def mediator_list(request):
    scope = request.scope
    communities = community_options(scope)
    if not communities:
        raise Http404(_("不存在或无权查看。"))
    raw = request.GET.get("community")
    community = community_get(scope, raw) if raw else None
    tiers = selectors.tiers()
    tier = _pick(tiers, request.GET.get("tier"))
    page = capped_page(selectors.mediator_list(scope=scope, community=community, tier=tier), request.GET.get("page"))
    return render(request, "mediation/mediators.html", {"page": page, "communities": communities, "community": community, "tiers": tiers, "tier": tier})


@login_required
def mediator_edit(request, pk=None):
    scope = request.scope
    communities = community_options(scope)
    if not communities:
        raise Http404(_("不存在或无权查看。"))
    mediator = selectors.mediator_get(scope=scope, pk=pk) if pk else None
    tiers = selectors.tiers()
    if mediator:
        initial = {"community": mediator.community_id, "name": mediator.name, "tier": mediator.tier_id, "organisation": mediator.organisation,
                   "username": mediator.user.username if mediator.user_id else "", "is_active": mediator.is_active}
    else:
        initial = {"community": communities[0][0] if len(communities) == 1 else None, "is_active": True, "tier": tiers[0].pk if tiers else None}
    data = request.POST if request.method == "POST" else None
    form = MediatorForm(data, initial=initial, communities=communities, tiers=tiers)
    if data is not None and form.is_valid():
        d = form.cleaned_data
        try:
            saved = services.mediator_save(scope=scope, acting_user=request.user, community=community_get(scope, d["community"]), name=d["name"],
                                           tier=_pick(tiers, str(d["tier"])) or _no_choice("tier"), phone=d["phone"], organisation=d["organisation"],
                                           user=d["username"], is_active=d["is_active"], mediator=mediator)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已保存调解员%(name)s。") % {"name": saved.name})
            return redirect(f"{reverse('mediation:mediators')}?community={saved.community_id}")
    return render(request, "mediation/mediator_form.html", {"form": form, "mediator": mediator})


# ---- figures ------------------------------------------------------------------------------------


@login_required
@require_GET
def figures(request):
    """This year's (or ?year=) figures by tier and by category, with the overdue counts now."""
    scope, today = request.scope, timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    except ValueError:
        raise Http404(_("不存在或无权查看。"))
    total = selectors.case_figures(scope=scope, start=start, end=end)
    tables = []
    for by, label in (("tier", _("调解层级")), ("category", _("纠纷类别"))):
        overdue = selectors.overdue_by(scope=scope, today=today, by=by)
        tables.append({"label": label, "rows": [(k, f, overdue.get(k.pk, 0)) for k, f in selectors.case_figures_by(scope=scope, start=start, end=end, by=by)]})
    context = {"year": year, "years": list(range(today.year, today.year - 5, -1)), "total": total, "tables": tables,
               "due": selectors.due_counts(scope=scope, today=today)}
    return render(request, "mediation/figures.html", context)
