"""法治讲座 staff pages: the overview of the loop, 点单 (list, recording one for a resident, one
request with its 附议 and 不予采纳), 下单 and the orders (list with filters and Excel, one order with
its teachers, steps, 开讲, 结单, 取消, 改派 and the notice), teachers (with their personal link) and
topics. Thin: every object is fetched through the user's scope first (404 otherwise); each action
is a POST to the object's own page with an `action` field."""

from __future__ import annotations

import datetime as dt
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongzhi.core.forms import add_service_errors
from gongzhi.core.indicators import Period
from gongzhi.core.pagination import capped_page
from gongzhi.core.querystring import query_with
from gongzhi.org.models import PlaceLevel
from gongzhi.org.selectors.places import place_get
from gongzhi.notices.selectors import notice_for
from gongzhi.people.selectors import community_get, community_options, place_filter_choices, resident_identify

from . import indicators, selectors, services
from .export import orders_xlsx
from .forms import (
    AskForm, CloseForm, HoldForm, OrderFilterForm, OrderForm, ReasonForm, RequestFilterForm, StaffRequestForm, TeacherForm, TopicForm,
)
from .models import OrderStatus, RequestChannel, RequestStatus, TeacherKind, Topic

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_CAP = 20_000
O = OrderStatus


def _community_param(request, scope):
    raw = request.GET.get("community") or ""
    return community_get(scope, raw) if raw.isdigit() else None


def _only_community(scope, options):
    return community_get(scope, options[0][0]) if len(options) == 1 else None


# ---- overview ------------------------------------------------------------------------------------


@login_required
@require_GET
def overview(request):
    """Where the loop stands in scope: requests waiting, orders by state, lectures to record, this
    year's figures; the next lectures; the public pages."""
    scope, now = request.scope, timezone.now()
    today = timezone.localdate()
    year = Period(dt.date(today.year, 1, 1), dt.date(today.year, 12, 31), "year")
    totals = selectors.lecture_figures(scope=scope, start=year.start, end=year.end)
    context = {
        "requests": selectors.request_counts(scope=scope), "orders": selectors.order_counts(scope=scope),
        "to_hold": selectors.orders_to_hold(scope=scope, now=now), "upcoming": selectors.upcoming_orders(scope=scope, now=now),
        "waiting": list(selectors.request_list(scope=scope, status=RequestStatus.OPEN).order_by("-n_seconds", "created_at")[:8]),
        "year": today.year, "held": indicators.held(totals), "attendance": indicators.attendance(totals),
        "response": indicators.response_rate(totals), "rating": indicators.rating(totals), "communities": community_options(scope),
    }
    return render(request, "lectures/overview.html", context)


# ---- requests ------------------------------------------------------------------------------------


@login_required
@require_GET
def request_list(request):
    scope = request.scope
    community = _community_param(request, scope)
    topics = list(selectors.topics(active_only=False))
    form = RequestFilterForm(request.GET, community_options=community_options(scope), topics=topics)
    form.is_valid()
    f = form.cleaned_data
    rows = selectors.request_list(scope=scope, status=f.get("status") or "", community=community, topic=f.get("topic"), q=(f.get("q") or "").strip())
    counts = selectors.request_counts(scope=scope)
    context = {"form": form, "page": capped_page(rows, request.GET.get("page")), "community": community,
               "all_query": query_with(request.GET, status=None, page=None),
               "status_links": [(v, label, counts.get(v, 0), query_with(request.GET, status=v, page=None)) for v, label in RequestStatus.choices]}
    return render(request, "lectures/requests.html", context)


@login_required
def request_new(request):
    """点单 recorded by staff for a resident (phone, visit): the resident is found by name and ID number."""
    scope = request.scope
    options = community_options(scope)
    data = request.POST if request.method == "POST" else None
    only = _only_community(scope, options)
    form = StaffRequestForm(data, community_options=options, topics=selectors.topics(), initial={"community": only.pk if only else None})
    if data is not None and form.is_valid():
        d = form.cleaned_data
        community = community_get(scope, d["community"])
        person = resident_identify(community=community, name=d["name"], id_number=d["id_number"])
        topic = selectors.topics().filter(pk=d["topic"]).first() if d["topic"] else None
        if person is None:
            form.add_error("id_number", _("姓名与身份证号不符，或不是%(community)s登记在册的居民。") % {"community": community.name})
        else:
            try:
                made = services.request_submit(community=community, person=person, topic=topic, wish=d["wish"], channel=RequestChannel.STAFF,
                                               scope=scope, acting_user=request.user)
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, _("已为%(name)s登记点单“%(subject)s”。") % {"name": person.name, "subject": made.subject})
                return redirect("lectures:request", made.pk)
    return render(request, "lectures/request_form.html", {"form": form})


@login_required
def request_detail(request, pk):
    scope = request.scope
    item = selectors.request_get(scope=scope, pk=pk)
    form = None
    if item.status == RequestStatus.OPEN:
        form = ReasonForm(request.POST if request.method == "POST" else None, prefix="decline")
    if request.method == "POST":
        if form is None or request.POST.get("action") != "decline":
            messages.error(request, _("该点单当前为“%(status)s”，不能进行此操作。") % {"status": item.get_status_display()})
            return redirect("lectures:request", item.pk)
        if form.is_valid():
            try:
                services.request_decline(scope=scope, acting_user=request.user, request=item, reason=form.cleaned_data["reason"])
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, _("已将点单标为未采纳，居民在公开页可以看到理由。"))
                return redirect("lectures:request", item.pk)
    context = {"item": item, "form": form, "steps": selectors.request_steps(request=item),
               "seconds": list(item.seconds.select_related("person").order_by("created_at")[:200])}
    return render(request, "lectures/request_detail.html", context)


# ---- orders --------------------------------------------------------------------------------------


@login_required
@require_GET
def order_list(request):
    """Orders in scope; ?status= (open = 进行中) ?community= ?topic= ?start= ?end= ?q=; ?format=xlsx."""
    scope = request.scope
    community = _community_param(request, scope)
    topics = list(selectors.topics(active_only=False))
    form = OrderFilterForm(request.GET, community_options=community_options(scope), topics=topics)
    form.is_valid()
    f = form.cleaned_data
    rows = selectors.order_list(scope=scope, status=f.get("status") or "", community=community, topic=f.get("topic"),
                                start=f.get("start"), end=f.get("end"), q=(f.get("q") or "").strip())
    if request.GET.get("format") == "xlsx":
        today = timezone.localdate()
        data = orders_xlsx(title=_("法治讲座订单（截至%(day)s）") % {"day": f"{today:%Y-%m-%d}"}, orders=rows[:EXPORT_CAP])
        return FileResponse(io.BytesIO(data), as_attachment=True, filename=f"法治讲座-{today:%Y%m%d}.xlsx", content_type=XLSX)
    counts = selectors.order_counts(scope=scope)
    context = {"form": form, "page": capped_page(rows, request.GET.get("page")), "community": community,
               "export_query": query_with(request.GET, format="xlsx", page=None), "all_query": query_with(request.GET, status=None, page=None),
               "status_links": [(v, label, counts.get(v, 0), query_with(request.GET, status=v, page=None)) for v, label in O.choices]}
    return render(request, "lectures/orders.html", context)


def _teacher_options(community) -> list[tuple[int, str]]:
    rows = []
    for t in selectors.teachers_for_community(community=community):
        topics = "、".join(x.title for x in t.topics.all()[:3])
        rows.append((t.pk, f"{t.name}（{t.get_kind_display()}{' · ' + t.organisation if t.organisation else ''}）{' · ' + topics if topics else ''}"))
    return rows


def _picked_teachers(community, ids):
    found = {t.pk: t for t in selectors.teachers_for_community(community=community).filter(pk__in=ids)}
    if len(found) != len(set(ids)):
        raise Http404(_("不存在或无权查看。"))
    return [found[i] for i in ids]


@login_required
def order_new(request):
    """下单 for one 社区 (?community=, or the user's only one): topic, time, place, audience, size,
    the teachers asked and the open requests it answers (?request= ticks one)."""
    scope = request.scope
    options = community_options(scope)
    community = _community_param(request, scope) or _only_community(scope, options)
    if community is None:
        return render(request, "lectures/order_pick.html", {"communities": options})
    open_requests = list(selectors.open_requests(community=community))
    request_options = [(r.pk, _("%(subject)s（%(n)s人附议）") % {"subject": r.subject, "n": r.n_seconds}) for r in open_requests]
    picked = [int(x) for x in request.GET.getlist("request") if x.isdigit()]
    first = next((r for r in open_requests if r.pk in picked and r.topic_id), None)
    initial = {"requests": picked, "topic": first.topic_id if first else None, "minutes": 90}
    data = request.POST if request.method == "POST" else None
    form = OrderForm(data, initial=initial, topics=selectors.topics(), teacher_options=_teacher_options(community), request_options=request_options)
    if data is not None and form.is_valid():
        d = form.cleaned_data
        topic = selectors.topics().filter(pk=d["topic"]).first()
        chosen = [r for r in open_requests if r.pk in set(d["requests"])]
        if topic is None:
            form.add_error("topic", _("请选择讲座主题。"))
        else:
            try:
                order = services.order_place(scope=scope, acting_user=request.user, community=community, topic=topic, title=d["title"],
                                             starts_at=d["starts_at"], minutes=d["minutes"], venue=d["venue"], audience=d["audience"],
                                             expected_size=d["expected_size"], note=d["note"], requests=chosen,
                                             teachers=_picked_teachers(community, d["teachers"]))
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, _("已下单，等待讲师接单。请把讲师的接单链接发给讲师。"))
                return redirect("lectures:order", order.pk)
    return render(request, "lectures/order_form.html", {"form": form, "community": community, "communities": options})


def _order_forms(request, order, posted, detail):
    def data(action):
        return request.POST if action == posted else None

    asked = {i.teacher_id for i in detail["invites"]}
    forms = {}
    if order.status in (O.ASKED, O.DECLINED):
        options = [(pk, label) for pk, label in _teacher_options(order.community) if pk not in asked]
        forms["ask"] = AskForm(data("ask"), prefix="ask", teacher_options=options)
    if order.status == O.ACCEPTED:
        forms["hold"] = HoldForm(data("hold"), prefix="hold")
    if order.status == O.HELD:
        forms["close"] = CloseForm(data("close"), prefix="close")
    if order.status in (O.ASKED, O.DECLINED, O.ACCEPTED):
        forms["cancel"] = ReasonForm(data("cancel"), prefix="cancel")
    return forms


def _run_order_action(request, order, action, form) -> str:
    scope, user, d = request.scope, request.user, form.cleaned_data
    if action == "ask":
        services.order_ask(scope=scope, acting_user=user, order=order, teachers=_picked_teachers(order.community, d["teachers"]))
        return _("已邀请讲师，请把接单链接发给讲师。")
    if action == "hold":
        services.order_hold(scope=scope, acting_user=user, order=order, attendance=d["attendance"], summary=d["summary"])
        return _("已登记开讲，回应的点单已标为“已开讲”。居民可在公开页评价。")
    if action == "close":
        services.order_close(scope=scope, acting_user=user, order=order, note=d["note"])
        return _("已结单。")
    services.order_cancel(scope=scope, acting_user=user, order=order, reason=d["reason"])
    return _("讲座已取消，回应的点单已退回“待下单”。")


@login_required
def order_detail(request, pk):
    """An order: where the loop stands, the teachers asked and their answers (with their links),
    the requests it answers, the steps, the feedback; the actions its state allows."""
    scope = request.scope
    order = selectors.order_get(scope=scope, pk=pk)
    detail = selectors.order_detail(order=order)
    posted = request.POST.get("action", "") if request.method == "POST" else ""
    forms = _order_forms(request, order, posted, detail)
    if posted == "publish":
        try:
            services.order_publish(scope=scope, acting_user=request.user, order=order)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("讲座预告已在公开栏发布。"))
        return redirect("lectures:order", order.pk)
    if posted:
        form = forms.get(posted)
        if form is None:
            messages.error(request, _("讲座当前为“%(status)s”，不能进行此操作。") % {"status": order.get_status_display()})
            return redirect("lectures:order", order.pk)
        if form.is_valid():
            try:
                done = _run_order_action(request, order, posted, form)
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, done)
                return redirect("lectures:order", order.pk)
    invite_rows = [(i, request.build_absolute_uri(reverse("lectures:teacher_link", args=[i.teacher.token]))) for i in detail["invites"]]
    context = {"order": order, **detail, "forms": forms, "posted": posted, "loop": loop_of(order), "invite_rows": invite_rows,
               "notice": notice_for(order, "lecture"), "public_url": reverse("lectures:public", args=[order.community_id])}
    return render(request, "lectures/order_detail.html", context)


def loop_of(order) -> list[tuple[str, str]]:
    """The loop's four stages with their state (done / current / ""), as every side is shown it."""
    reached = {O.ASKED: 1, O.DECLINED: 1, O.ACCEPTED: 2, O.HELD: 3, O.CLOSED: 4, O.CANCELLED: 1}.get(order.status, 1)
    labels = [_("居民点单"), _("社区下单"), _("讲师接单"), _("开讲评价")]
    return [(label, "done" if i < reached or (order.status == O.CLOSED) else "current" if i == reached else "") for i, label in enumerate(labels)]


# ---- teachers and topics -------------------------------------------------------------------------


def _teacher_places(scope):
    levels = (PlaceLevel.DISTRICT, PlaceLevel.STREET, PlaceLevel.COMMUNITY)
    return [(p.pk, ("— " * max(p.depth - 1, 0)) + p.name) for p in place_filter_choices(scope=scope) if p.level in levels]


@login_required
@require_GET
def teacher_list(request):
    scope = request.scope
    q, kind = (request.GET.get("q") or "").strip()[:40], request.GET.get("kind") or ""
    kind = kind if kind in TeacherKind.values else ""
    topic = request.GET.get("topic") or ""
    rows = selectors.teacher_list(scope=scope, q=q, kind=kind, topic=int(topic) if topic.isdigit() else None, active=request.GET.get("active", "1"))
    context = {"page": capped_page(rows, request.GET.get("page")), "q": q, "kind": kind, "topic": topic, "active": request.GET.get("active", "1"),
               "kinds": TeacherKind.choices, "topics": selectors.topics(active_only=False)}
    return render(request, "lectures/teachers.html", context)


def _teacher_save(request, form, teacher=None):
    scope, d = request.scope, form.cleaned_data
    place = place_get(scope=scope, pk=d["place"])
    topics = list(Topic.objects.filter(pk__in=d["topics"]))
    person = teacher.person if teacher is not None else None
    if d["id_number"].strip():
        person = resident_identify(community=place, name=d["name"], id_number=d["id_number"])
        if person is None:
            raise ValidationError({"id_number": _("姓名与身份证号不符，或不是%(place)s登记在册的居民。") % {"place": place.name}})
    fields = {"place": place, "name": d["name"], "kind": d["kind"], "organisation": d["organisation"], "phone": d["phone"], "topics": topics,
              "intro": d["intro"], "person": person}
    if teacher is None:
        return services.teacher_create(scope=scope, acting_user=request.user, **fields)
    return services.teacher_update(scope=scope, acting_user=request.user, teacher=teacher, is_active=d["is_active"], **fields)


@login_required
def teacher_new(request):
    scope = request.scope
    places = _teacher_places(scope)
    data = request.POST if request.method == "POST" else None
    form = TeacherForm(data, place_options=places, topics=selectors.topics(), initial={"place": places[0][0] if len(places) == 1 else None})
    del form.fields["is_active"]
    if data is not None and form.is_valid():
        try:
            teacher = _teacher_save(request, form)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已登记讲师%(name)s。请把接单链接发给讲师。") % {"name": teacher.name})
            return redirect("lectures:teacher", teacher.pk)
    return render(request, "lectures/teacher_form.html", {"form": form})


@login_required
def teacher_detail(request, pk):
    """A teacher: who, what they teach, their orders; their personal link (copy, reissue); the edit
    form for staff of the place they are registered at."""
    scope = request.scope
    teacher = selectors.teacher_get(scope=scope, pk=pk)
    manageable = services.teacher_manageable(scope=scope, teacher=teacher)
    form = None
    if manageable:
        initial = {"name": teacher.name, "kind": teacher.kind, "organisation": teacher.organisation, "place": teacher.place_id,
                   "topics": [t.pk for t in teacher.topics.all()], "intro": teacher.intro, "is_active": teacher.is_active}
        data = request.POST if request.method == "POST" and request.POST.get("action") == "edit" else None
        form = TeacherForm(data, initial=initial, place_options=_teacher_places(scope), topics=selectors.topics(active_only=False),
                           phone_mask=teacher.phone_mask)
    if request.method == "POST":
        if not manageable:
            raise Http404(_("不存在或无权查看。"))
        if request.POST.get("action") == "reissue":
            services.teacher_token_reissue(scope=scope, teacher=teacher)
            messages.success(request, _("已生成新的接单链接，原链接随即失效。"))
            return redirect("lectures:teacher", teacher.pk)
        if form.is_valid():
            try:
                _teacher_save(request, form, teacher)
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, _("已保存。"))
                return redirect("lectures:teacher", teacher.pk)
    link = request.build_absolute_uri(reverse("lectures:teacher_link", args=[teacher.token]))
    invites = capped_page(selectors.teacher_orders(scope=scope, teacher=teacher), request.GET.get("page"))
    context = {"teacher": teacher, "form": form, "manageable": manageable, "link": link, "page": invites,
               "edit_open": request.method == "POST"}
    return render(request, "lectures/teacher_detail.html", context)


@login_required
def topic_list(request):
    """The topic list with how many teachers teach each; district administrators add topics."""
    scope = request.scope
    editable = services.topics_editable(scope)
    form = TopicForm(request.POST if request.method == "POST" else None) if editable else None
    if request.method == "POST":
        if form is None:
            raise Http404(_("不存在或无权查看。"))
        if form.is_valid():
            try:
                topic = services.topic_create(scope=scope, acting_user=request.user, **form.cleaned_data)
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, _("已添加主题“%(title)s”。") % {"title": topic.title})
                return redirect("lectures:topics")
    return render(request, "lectures/topics.html", {"topics": selectors.topic_list(), "form": form})
