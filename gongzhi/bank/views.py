"""道德银行 management pages: the overview, good deeds (登记、评议、公示异议、入账) and the public 公示
of a 社区 (no login); accounts are in `account_views`, counters, events, rules and the year-end
expiry in `counter_manage_views`. Thin: parse, call one selector or service,
render. Every object is fetched through the user's scope first: out of scope is a 404 before
anything else, on pages, actions and exports alike; each action is a POST to the object's own
page with an `action` field."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
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
from gongzhi.people.selectors import community_get, community_options, person_get, person_search, place_labels

from . import figures, selectors, services
from .view_helpers import community_param as _community_param
from .forms import DeedFilterForm, DeedForm, ObjectionForm, PublicObjectionForm, ResolveForm, ReviewForm
from .models import CounterKind, DeedStatus

OBJECTIONS = Limit("bank:public-objections", limit=5, window=3600)  # objections from one address to one 社区's 公示 an hour
PERSON_CAP = 50



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
