"""道德银行 management pages: the overview, good deeds (登记、评议、公示异议、入账), residents'
accounts with their statements and violations, counters (驿站、道德联盟商户) with goods and the
monthly settlement, 公益集市/公益日 events with their stalls, the rules in force and the year-end
expiry; and the public 公示 of a 社区 (no login). Thin: parse, call one selector or service,
render. Every object is fetched through the user's scope first: out of scope is a 404 before
anything else, on pages, actions and exports alike; each action is a POST to the object's own
page with an `action` field."""

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
from gongzhi.core.pii import mask_name
from gongzhi.core.pagination import capped_page
from gongzhi.core.ratelimit import Limit, client_address
from gongzhi.core.querystring import query_with
from gongzhi.org.models import Place, PlaceLevel
from gongzhi.people.selectors import person_get, person_search, place_labels
from gongzhi.volunteers.view_helpers import community_get, community_options

from . import figures, selectors, services
from .export import accounts_xlsx, settlement_xlsx
from .forms import (
    AccountFilterForm, CounterFilterForm, CounterForm, DeedFilterForm, DeedForm, EventForm, ExpiryForm, GoodsForm, ObjectionForm,
    PolicyForm, PublicObjectionForm, ResolveForm, ReviewForm, SettlementForm, StallForm, ViolationForm,
)
from .models import HOLDER_KINDS, BankPolicy, CounterKind, DeedCategory, DeedStatus, GarbageKind, GarbageRate, Goods
from .services.policy import POLICY_FIELDS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_CAP = 20_000
OBJECTIONS = Limit("bank:public-objections", limit=5, window=3600)  # objections from one address to one 社区's 公示 an hour
PERSON_CAP = 50
STATEMENT_LINES = 50


def _community_param(request, scope):
    """?community= in scope (else 404), or None."""
    raw = request.GET.get("community") or request.POST.get("community_filter")
    return community_get(scope, raw) if raw else None


def _only_community(scope, options):
    return community_get(scope, options[0][0]) if len(options) == 1 else None


# ---- overview ---------------------------------------------------------------------------------------


@login_required
@require_GET
def overview(request):
    """The year's points issued, redeemed and lapsed in scope, deeds waiting, counters."""
    scope, today = request.scope, timezone.localdate()
    options = community_options(scope)
    counters = dict(selectors.counter_list(scope=scope).filter(active=True).order_by().values_list("kind").annotate(n=Count("id")))
    context = {
        "year": today.year, "totals": figures.points_flow(scope=scope, start=dt.date(today.year, 1, 1), end=dt.date(today.year, 12, 31)), "deeds": selectors.deed_counts(scope=scope),
        "counters": counters, "counter_total": sum(counters.values()), "due": len(selectors.deeds_due(scope=scope, today=today)),
        "communities": options, "kinds": CounterKind.choices,
    }
    return render(request, "bank/overview.html", context)


# ---- deeds ------------------------------------------------------------------------------------------


def _category_options(scope):
    return [(c.pk, f"{c.name}（{c.min_points}-{c.max_points}分）" + (f" · {c.community.name}" if c.community_id else ""))
            for c in selectors.deed_categories(scope=scope).order_by("community_id", "min_points", "name")]


def _credit_due(request, scope):
    """入账到期公示: credit every deed in scope whose 公示 ended, 社区 by 社区."""
    today, credited = timezone.localdate(), 0
    for pk in selectors.deeds_due(scope=scope, today=today):
        community = community_get(scope, pk)
        credited += len(services.deeds_credit_due(today=today, community=community, acting_user=request.user))
    if credited:
        messages.success(request, _("已为 %(n)s 条公示期满的善行记入积分。") % {"n": credited})
    else:
        messages.info(request, _("没有公示期满待入账的善行。"))


@login_required
def deed_list(request):
    """Deeds in scope; ?status= ?community= (in scope, else 404) ?category= ?q= (name). POST
    action=credit: 入账到期公示."""
    scope = request.scope
    if request.method == "POST":
        if request.POST.get("action") == "credit":
            _credit_due(request, scope)
        return redirect(f"{request.path}?{request.GET.urlencode()}" if request.GET else request.path)
    community = _community_param(request, scope)
    categories = _category_options(scope)
    form = DeedFilterForm(request.GET, community_options=community_options(scope), category_options=categories)
    form.is_valid()
    f = form.cleaned_data
    category = next((pk for pk, _label in categories if str(pk) == f.get("category")), None)
    deeds = selectors.deed_list(scope=scope, status=f.get("status") or "", community=community, category=category,
                                q=(f.get("q") or "").strip())
    page = capped_page(deeds, request.GET.get("page"))
    counts = selectors.deed_counts(scope=scope)
    context = {"form": form, "page": page, "community": community, "due": len(selectors.deeds_due(scope=scope, today=timezone.localdate())),
               "all_query": query_with(request.GET, status=None, page=None),
               "status_links": [(v, label, counts.get(v, 0), query_with(request.GET, status=v, page=None)) for v, label in DeedStatus.choices]}
    return render(request, "bank/deeds.html", context)


def _person_options(scope, q: str, posted) -> list[tuple[int, str]]:
    persons = list(person_search(scope=scope, q=q)[:PERSON_CAP]) if q else []
    if posted and str(posted).isdigit() and int(posted) not in {p.pk for p in persons}:
        persons.insert(0, person_get(scope=scope, pk=posted, for_change=True))
    labels = place_labels([p.place for p in persons])
    return [(p.pk, f"{p.name}（{' '.join(x for x in labels.get(p.place_id, ('', '')) if x) or p.place.name}）") for p in persons]


@login_required
def deed_new(request):
    """登记善行: ?q= finds residents in scope; the form logs one deed of the chosen resident."""
    scope = request.scope
    q = (request.GET.get("q") or "").strip()
    data = request.POST if request.method == "POST" else None
    categories = {pk for pk, _label in _category_options(scope)}
    lookups = {"person": lambda pk: person_get(scope=scope, pk=pk, for_change=True),
               "category": lambda pk: selectors.deed_categories(scope=scope).get(pk=pk) if pk in categories else _no_category()}
    options = {"person": _person_options(scope, q, data.get("person") if data else None), "category": _category_options(scope)}
    initial = {"occurred_on": timezone.localdate(), "reported_by": str(request.user)}
    if len(options["person"]) == 1:
        initial["person"] = options["person"][0][0]
    form = DeedForm(data, initial=initial, lookups=lookups, options=options)
    if data is not None and form.is_valid():
        try:
            deed = services.deed_report(scope=scope, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已登记%(name)s的善行，请提交道德评议会评议。") % {"name": deed.person.name})
            return redirect("bank:deed", deed.pk)
    return render(request, "bank/deed_form.html", {"form": form, "q": q, "found": len(options["person"]), "cap": PERSON_CAP})


def _no_category():
    raise ValidationError(_("请从列表中选择善行类别。"))


def _deed_forms(request, deed, objections, posted, today):
    """The forms of the actions `deed`'s status allows (one 处理异议 form per open objection, named
    resolve-<id>); the one `posted` is bound."""
    def data(action):
        return request.POST if action == posted else None

    forms = {}
    if deed.status == DeedStatus.REPORTED:
        forms["review"] = ReviewForm(data("review"), prefix="review", initial={"decision": "approve"})
    if deed.status in (DeedStatus.PUBLICISED, DeedStatus.OBJECTED) and deed.publicity_ends_on and deed.publicity_ends_on >= today:
        forms["object"] = ObjectionForm(data("object"), prefix="object")
    for o in objections:
        if o.upheld is None:
            forms[f"resolve-{o.pk}"] = ResolveForm(data(f"resolve-{o.pk}"), prefix=f"resolve-{o.pk}", initial={"upheld": "no"})
    return forms


def _run_deed_action(request, scope, deed, objections, action, form):
    d, user = form.cleaned_data, request.user
    if action == "review":
        approve = d["decision"] == "approve"
        deed = services.deed_review(scope=scope, acting_user=user, deed=deed, approve=approve, points=d["points"] if approve else None,
                                    reviewers=d["reviewers"], note=d["review_note"])
        if approve:
            return _("评议通过，%(points)s 分，公示至 %(day)s。") % {"points": deed.points, "day": deed.publicity_ends_on}
        return _("已评议为不予通过。")
    if action == "object":
        services.deed_object(deed=deed, raised_by=d["raised_by"], reason=d["reason"], acting_user=user)
        return _("已登记异议，公示暂停，请提交道德评议会处理。")
    objection = next(o for o in objections if action == f"resolve-{o.pk}")
    services.objection_resolve(scope=scope, acting_user=user, objection=objection, upheld=d["upheld"], resolution=d["resolution"])
    return _("异议成立，该善行已撤销。") if d["upheld"] else _("异议不成立，公示继续。")


@login_required
def deed_detail(request, pk):
    """A deed: its facts, 评议, the objections raised and their handling."""
    scope, today = request.scope, timezone.localdate()
    deed = selectors.deed_get(scope=scope, pk=pk)
    posted = request.POST.get("action", "") if request.method == "POST" else ""
    objections = list(deed.objections.select_related("recorded_by"))
    forms = _deed_forms(request, deed, objections, posted, today)
    if posted:
        form = forms.get(posted)
        if form is None:
            messages.error(request, _("该善行当前为“%(status)s”，不能进行此操作。") % {"status": deed.get_status_display()})
            return redirect("bank:deed", deed.pk)
        if form.is_valid():
            try:
                done = _run_deed_action(request, scope, deed, objections, posted, form)
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, done)
                return redirect("bank:deed", deed.pk)
    context = {"deed": deed, "forms": forms, "posted": posted, "objections": [(o, forms.get(f"resolve-{o.pk}")) for o in objections],
               "flow": [(s.value, s.label) for s in (DeedStatus.REPORTED, DeedStatus.PUBLICISED, DeedStatus.CREDITED)],
               "label": place_labels([deed.person.place]).get(deed.person.place_id, ("", ""))}
    return render(request, "bank/deed_detail.html", context)


# ---- the public 公示 ---------------------------------------------------------------------------------


def _public_community(pk) -> Place:
    community = Place.objects.filter(pk=pk, level=PlaceLevel.COMMUNITY).only("name", "path", "level").first()
    if community is None:
        raise Http404(_("不存在或无权查看。"))
    return community


def public_bank(request, community_pk):
    """道德银行 公示 of a 社区 for residents (no login): deeds on 公示 (names masked) and those credited
    in the last 30 days; a resident may object to one on 公示 (POST: deed, name, reason)."""
    community, today = _public_community(community_pk), timezone.localdate()
    showing, credited = selectors.public_deeds(community=community, today=today)
    form, posted = None, None
    if request.method == "POST":
        form = PublicObjectionForm(request.POST)
        posted = showing.filter(pk=request.POST.get("deed") or 0).first() if str(request.POST.get("deed", "")).isdigit() else None
        if posted is None:
            raise Http404(_("不存在或无权查看。"))
        address = client_address(request)
        if OBJECTIONS.exceeded(community.pk, address):
            form.add_error(None, _("提交过于频繁，请一小时后再试，或直接向社区反映。"))
        elif form.is_valid():
            try:
                services.deed_object(deed=posted, raised_by=form.cleaned_data["raised_by"], reason=form.cleaned_data["reason"])
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                OBJECTIONS.hit(community.pk, address)
                messages.success(request, _("感谢您的监督！异议已提交，社区道德评议会将核实处理，核实期间该善行暂停公示。"))
                return redirect("bank:public", community.pk)
    rows = [(d, mask_name(d.person.name), form if posted is not None and posted.pk == d.pk else PublicObjectionForm(initial={"deed": d.pk}))
            for d in showing]
    credited = [(d, mask_name(d.person.name)) for d in credited[:100]]
    return render(request, "bank/public/deeds.html", {"community": community, "rows": rows, "credited": credited, "today": today})


# ---- accounts ---------------------------------------------------------------------------------------


@login_required
@require_GET
def account_list(request):
    """Residents' and households' accounts in scope; ?community= ?q= (name); ?format=xlsx."""
    scope, today = request.scope, timezone.localdate()
    community = _community_param(request, scope)
    form = AccountFilterForm(request.GET, community_options=community_options(scope))
    form.is_valid()
    q = (form.cleaned_data.get("q") or "").strip()
    accounts = selectors.holder_accounts(scope=scope, community=community, q=q)
    if request.GET.get("format") == "xlsx":
        where = community.name if community else "、".join(map(str, scope.labels)) or _("全部")
        title = _("%(where)s 道德银行积分账户（截至%(day)s）") % {"where": where, "day": f"{today:%Y-%m-%d}"}
        data = accounts_xlsx(title=title, accounts=accounts[:EXPORT_CAP])
        return FileResponse(io.BytesIO(data), as_attachment=True, filename=f"道德银行积分账户-{today:%Y%m%d}.xlsx", content_type=XLSX)
    page = capped_page(accounts, request.GET.get("page"))
    context = {"form": form, "page": page, "community": community, "export_query": query_with(request.GET, format="xlsx", page=None)}
    return render(request, "bank/accounts.html", context)


@login_required
def account_detail(request, pk):
    """An account: balance, statement (?before= for older lines; htmx appends them), violations and
    记录违规 (POST)."""
    scope, today = request.scope, timezone.localdate()
    account = selectors.account_get(scope=scope, pk=pk)
    before = request.GET.get("before")
    before = int(before) if before and before.isdigit() else None
    lines = selectors.account_statement(account=account, limit=STATEMENT_LINES, before=before)
    more = lines[-1].transaction_id if len(lines) == STATEMENT_LINES else None
    if request.headers.get("HX-Request") and before is not None:
        return render(request, "bank/partials/statement_rows.html", {"lines": lines, "more": more})
    form = ViolationForm(request.POST if request.method == "POST" else None, initial={"recorded_on": today})
    if request.method == "POST" and account.kind not in HOLDER_KINDS:
        raise Http404(_("不存在或无权查看。"))
    if request.method == "POST" and form.is_valid():
        try:
            violation = services.violation_record(scope=scope, acting_user=request.user, account=account, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已记录违规，积分已清零，%(day)s 前停止兑换。") % {"day": violation.barred_until})
            return redirect("bank:account", account.pk)
    context = {"account": account, "lines": lines, "more": more, "before": before, "form": form, "holder_account": account.kind in HOLDER_KINDS,
               "violations": selectors.account_violations(scope=scope, account=account), "barred_until": services.barred_until(account, today),
               "address": _address(account)}
    return render(request, "bank/account_detail.html", context)


def _address(account) -> str:
    place = account.person.place if account.person_id else account.household.place if account.household_id else None
    if place is None:
        return ""
    community, address = place_labels([place]).get(place.pk, ("", ""))
    room = account.household.room if account.household_id else ""
    return " ".join(x for x in (community, address or place.name, room) if x)


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
