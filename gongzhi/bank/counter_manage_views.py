"""道德银行 management pages: counters (驿站、道德联盟商户) with goods and the monthly settlement,
公益集市/公益日 events with their stalls, the rules in force and the year-end expiry. Every object is
fetched through the user's scope first (404 out of scope), on pages, actions and exports alike."""

import datetime as dt
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongzhi.core.forms import add_service_errors
from gongzhi.core.pagination import capped_page
from gongzhi.core.querystring import query_with

from gongzhi.people.selectors import community_get, community_options

from . import selectors, services
from .view_helpers import XLSX, community_param as _community_param, only_community as _only_community
from .export import settlement_xlsx
from .forms import (
    CounterFilterForm, CounterForm, EventForm, ExpiryForm, GoodsForm, PolicyForm, SettlementForm, StallForm,
)
from .models import BankPolicy, CounterKind, DeedCategory, GarbageKind, GarbageRate, Goods
from .services.policy import POLICY_FIELDS



# ---- counters --------------------------------------------------------------------------------------


@login_required
@require_GET
def counter_list(request):
    """Counters in scope by kind (?kind=), ?community= ?q=."""
    scope = request.scope
    community = _community_param(request, scope)
    kind = request.GET.get("kind") if request.GET.get("kind") in CounterKind.values else ""
    form = CounterFilterForm(request.GET, community_options=community_options(scope))
    form.is_valid()
    counters = selectors.counter_list(scope=scope, kind=kind, community=community, q=(form.cleaned_data.get("q") or "").strip())
    page = capped_page(counters, request.GET.get("page"))
    by_kind = dict(selectors.counter_list(scope=scope).order_by().values_list("kind").annotate(n=Count("id")))
    tabs = [("", _("全部"), sum(by_kind.values()), query_with(request.GET, kind=None, page=None))]
    tabs += [(v, label, by_kind.get(v, 0), query_with(request.GET, kind=v, page=None)) for v, label in CounterKind.choices]
    return render(request, "bank/counters.html", {"form": form, "page": page, "kind": kind, "tabs": tabs, "community": community})


@login_required
def counter_new(request):
    """Open a station (爱心超市) or welcome a 道德联盟 merchant, with its operators."""
    scope = request.scope
    options = community_options(scope)
    data = request.POST if request.method == "POST" else None
    initial = {"community": options[0][0]} if len(options) == 1 else {}
    if request.GET.get("kind") in (CounterKind.STATION, CounterKind.MERCHANT):
        initial["kind"] = request.GET["kind"]
    form = CounterForm(data, initial=initial, community_options=options, community_lookup=lambda pk: community_get(scope, pk),
                       operators=selectors.operator_choices(scope=scope))
    if data is not None and form.is_valid():
        try:
            counter = services.counter_open(scope=scope, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已添加“%(name)s”。") % {"name": counter.name})
            return redirect("bank:counter_manage", counter.pk)
    return render(request, "bank/counter_form.html", {"form": form})


def _past_months(today: dt.date, n: int = 12) -> list[dt.date]:
    first, months = today.replace(day=1), []
    for _i in range(n):
        first = (first - dt.timedelta(days=1)).replace(day=1)
        months.append(first)
    return months


def _goods_form(request, scope, counter, posted):
    if posted == "goods":
        return GoodsForm(request.POST, prefix="goods")
    raw = request.GET.get("goods")
    if raw:
        goods = _goods_of(scope, counter, raw)
        return GoodsForm(prefix="goods", initial={"goods": goods.pk, "name": goods.name, "kind": goods.kind, "points": goods.points,
                                                  "stock": goods.stock, "active": goods.active})
    return GoodsForm(prefix="goods")


def _goods_of(scope, counter, pk) -> Goods:
    try:
        return selectors.counter_goods(scope=scope, counter=counter).get(pk=int(pk))
    except (Goods.DoesNotExist, ValueError, TypeError):
        raise Http404(_("不存在或无权查看。"))


def _run_counter_action(request, scope, counter, posted, form):
    d, user = form.cleaned_data, request.user
    if posted == "goods":
        goods = _goods_of(scope, counter, d["goods"]) if d["goods"] else None
        saved = services.goods_save(scope=scope, acting_user=user, counter=counter, goods=goods, name=d["name"], points=d["points"],
                                    stock=d["stock"], kind=d["kind"], active=d["active"])
        return _("已保存“%(name)s”。") % {"name": saved.name}
    settlement = services.settlement_close(scope=scope, acting_user=user, counter=counter, month=d["month"])
    return _("已生成 %(month)s 月度结算单：%(n)s 笔，%(points)s 分。") % {"month": settlement.month.strftime("%Y-%m"), "n": settlement.redemptions,
                                                                 "points": settlement.points}


@login_required
def counter_manage(request, pk):
    """A counter for management: goods (add, edit with ?goods=), its account's statement, the
    monthly settlement (preview ?month=, 生成结算单 POST) and the settlements made."""
    scope, today = request.scope, timezone.localdate()
    counter = selectors.counter_get(scope=scope, pk=pk)
    posted = request.POST.get("action", "") if request.method == "POST" else ""
    goods_form = _goods_form(request, scope, counter, posted)
    settle_form = SettlementForm(request.POST if posted == "settle" else (request.GET if request.GET.get("month") else None), prefix=None)
    form = {"goods": goods_form, "settle": settle_form}.get(posted)
    if posted and form is None:
        raise Http404(_("不存在或无权查看。"))
    if form is not None and form.is_valid():
        try:
            done = _run_counter_action(request, scope, counter, posted, form)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, done)
            return redirect("bank:counter_manage", counter.pk)
    preview = None
    if not posted and settle_form.is_bound and settle_form.is_valid():
        month = settle_form.cleaned_data["month"]
        count, points = services.settlement_preview(counter=counter, month=month)
        preview = {"month": month, "count": count, "points": points, "closed": counter.settlements.filter(month=month).first(),
                   "open": month < today.replace(day=1)}
    context = {"counter": counter, "goods": selectors.counter_goods(scope=scope, counter=counter), "goods_form": goods_form,
               "settle_form": settle_form, "preview": preview, "months": _past_months(today), "summary": services.counter_summary(counter),
               "settlements": selectors.counter_settlements(scope=scope, counter=counter),
               "lines": selectors.account_statement(account=counter.account, limit=20), "operators": counter.operators.all()}
    return render(request, "bank/counter_manage.html", context)


@login_required
@require_GET
def counter_statement(request, pk):
    """The 月度结算单 (.xlsx) of a counter for ?month=YYYY-MM: each redemption and refund, the total."""
    scope = request.scope
    counter = selectors.counter_get(scope=scope, pk=pk)
    form = SettlementForm(request.GET)
    if not form.is_valid():
        raise Http404(_("请选择结算月份。"))
    month = form.cleaned_data["month"]
    settlement = counter.settlements.filter(month=month).first()
    data = settlement_xlsx(counter=counter, month=month, rows=selectors.settlement_rows(counter=counter, month=month), settlement=settlement)
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=f"{counter.name}-{month:%Y-%m}-月度结算单.xlsx", content_type=XLSX)


# ---- events ----------------------------------------------------------------------------------------


@login_required
@require_GET
def event_list(request):
    scope = request.scope
    community = _community_param(request, scope)
    page = capped_page(selectors.event_list(scope=scope, community=community), request.GET.get("page"))
    return render(request, "bank/events.html", {"page": page, "community": community, "today": timezone.localdate()})


@login_required
def event_new(request):
    scope = request.scope
    options = community_options(scope)
    data = request.POST if request.method == "POST" else None
    initial = {"community": options[0][0]} if len(options) == 1 else {}
    form = EventForm(data, initial=initial, community_options=options, community_lookup=lambda pk: community_get(scope, pk))
    if data is not None and form.is_valid():
        try:
            event = services.event_create(scope=scope, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已创建“%(title)s”，请为活动添加摊位。") % {"title": event.title})
            return redirect("bank:event", event.pk)
    return render(request, "bank/event_form.html", {"form": form})


@login_required
def event_detail(request, pk):
    """An event with its stalls (each with its goods and redemptions); POST adds a stall."""
    scope = request.scope
    event = selectors.event_get(scope=scope, pk=pk)
    data = request.POST if request.method == "POST" else None
    form = StallForm(data, operators=selectors.operator_choices(scope=scope))
    if data is not None and form.is_valid():
        try:
            stall = services.counter_open(scope=scope, acting_user=request.user, community=event.community, kind=CounterKind.STALL,
                                          event=event, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已添加摊位“%(name)s”，请在摊位页上架兑换物品。") % {"name": stall.name})
            return redirect("bank:event", event.pk)
    stalls = list(selectors.event_stalls(scope=scope, event=event))
    context = {"event": event, "stalls": stalls, "form": form,
               "total": {"receipts": sum(s.receipts for s in stalls), "points": sum(s.redeemed for s in stalls)}}
    return render(request, "bank/event_detail.html", context)


# ---- rules and year-end expiry --------------------------------------------------------------------


def _rules_in_force(community):
    policy = BankPolicy.for_community(community)
    categories = list(DeedCategory.for_community(community).order_by("min_points", "name"))
    own_rates = set(GarbageRate.objects.filter(community=community).values_list("kind", flat=True))
    in_force = GarbageRate.for_community(community)
    rates = [(label, in_force.get(kind), kind in own_rates) for kind, label in GarbageKind.choices]
    fields = [(BankPolicy._meta.get_field(name), policy) for name in POLICY_FIELDS]
    rows = [(f.verbose_name, getattr(p, f"get_{f.name}_display")() if f.choices else getattr(p, f.name), f.help_text) for f, p in fields]
    return policy, categories, rates, rows


@login_required
def rules(request):
    """The rules in force for a 社区 (?community=, in scope) and where each comes from; POST saves
    the 社区's own BankPolicy row."""
    scope = request.scope
    options = community_options(scope)
    community = _community_param(request, scope) or _only_community(scope, options)
    if community is None:
        return render(request, "bank/rules.html", {"communities": options})
    policy, categories, rates, rows = _rules_in_force(community)
    data = request.POST if request.method == "POST" else None
    form = PolicyForm(data, instance=BankPolicy(**{name: getattr(policy, name) for name in POLICY_FIELDS}))
    if data is not None and form.is_valid():
        try:
            services.policy_save(scope=scope, acting_user=request.user, community=community,
                                 **{name: form.cleaned_data[name] for name in POLICY_FIELDS})
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已保存%(name)s的积分规则。") % {"name": community.name})
            return redirect(f"{request.path}?community={community.pk}")
    context = {"community": community, "communities": options, "policy": policy, "own": policy.community_id == community.pk, "rows": rows,
               "categories": categories, "rates": rates, "form": form, "editing": data is not None or request.GET.get("edit")}
    return render(request, "bank/rules.html", context)


@login_required
def expiry(request):
    """Year-end expiry of a 社区 (?community= ?year=, a past year): the accounts and points that
    lapse; POST (with confirmation) runs it."""
    scope, today = request.scope, timezone.localdate()
    options = community_options(scope)
    community = _community_param(request, scope) or _only_community(scope, options)
    if community is None:
        return render(request, "bank/expiry.html", {"communities": options})
    raw = request.POST.get("year") or request.GET.get("year") or ""
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) < today.year else today.year - 1
    form = ExpiryForm(request.POST if request.method == "POST" else None, initial={"year": year})
    if request.method == "POST" and form.is_valid():
        try:
            points = services.year_end_lapse(community=community, year=form.cleaned_data["year"], acting_user=request.user)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("%(year)s年积分到期清理完成，共 %(points)s 分失效。") % {"year": year, "points": points})
            return redirect(f"{request.path}?community={community.pk}&year={year}")
    due = services.expiring(community=community, year=year)
    accounts = {a.pk: a for a in selectors.holder_accounts(scope=scope, community=community).filter(pk__in=list(due)[:2000])}
    rows = sorted(((accounts[pk], n) for pk, n in due.items() if pk in accounts), key=lambda r: (-r[1], r[0].pk))
    context = {"community": community, "communities": options, "year": year, "rows": rows, "total": sum(n for _a, n in rows), "form": form,
               "years": list(range(today.year - 1, today.year - 6, -1)), "policy": BankPolicy.for_community(community)}
    return render(request, "bank/expiry.html", context)
