"""Writes of the 法治讲座 loop: teachers and topics, 点单 and 附议, 下单, 接单 on the teacher's link,
开讲 with attendance, residents' feedback, 结单. Each is atomic; staff writes check the scope again;
the residents' writes (public page) take a resident already identified by name and ID number and
the teacher's take the teacher found by their link. The moves themselves are `flow`'s."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gongzhi.accounts.models import Role
from gongzhi.core.scope import Scope
from gongzhi.core.text import clean_text, in_site_language, record_text
from gongzhi.notices.services import notice_publish, source_notice_withdraw
from gongzhi.org.models import Place, PlaceLevel
from gongzhi.people.models import Person
from gongzhi.people.services import phone_fields

from . import flow
from .models import (
    Feedback, InviteStatus, LectureOrder, LectureRequest, OrderInvite, OrderStatus, OrderStep, RequestChannel, RequestSecond,
    RequestStatus, Teacher, TeacherKind, Topic, new_token,
)

O, R = OrderStatus, RequestStatus
TEACHER_LEVELS = (PlaceLevel.DISTRICT, PlaceLevel.STREET, PlaceLevel.COMMUNITY)


def _now(at):
    return at or timezone.now()


def _lives_in(person: Person, community: Place) -> bool:
    return person.place.path.startswith(community.path)


# ---- teachers and topics -------------------------------------------------------------------------


def teacher_manageable(*, scope: Scope, teacher: Teacher) -> bool:
    """A teacher is changed by staff whose scope holds the place the teacher is registered at (a
    社区 worker sees the district's experts but does not edit them)."""
    return scope.everything or scope.whole_tree or scope.filter(Teacher.objects.filter(pk=teacher.pk).filter(scope.q(place="place__path"))).exists()


def _teacher_fields(scope: Scope, *, place: Place, name: str, kind: str, organisation: str, phone: str, person: Person | None) -> dict:
    scope.require(place)
    errors = {}
    name, organisation = clean_text(name), clean_text(organisation)
    if not name:
        errors["name"] = _("请填写讲师姓名。")
    if place.level not in TEACHER_LEVELS:
        errors["place"] = _("讲师只能登记在区、街道或社区。")
    if kind == TeacherKind.EXPERT and not organisation:
        errors["organisation"] = _("外部专家请填写工作单位（如律师事务所、人民法院）。")
    if person is not None and not scope.contains(person):
        raise Http404(_("不存在或无权查看。"))
    try:
        phone_data = phone_fields(phone)
    except ValidationError as e:
        errors["phone"] = e.message_dict.get("phone", e.messages)
        phone_data = {}
    if errors:
        raise ValidationError(errors)
    return {"place": place, "name": name, "kind": kind, "organisation": organisation, "person": person, **phone_data}


@transaction.atomic
def teacher_create(*, scope: Scope, acting_user, place: Place, name: str, kind: str, organisation: str = "", phone: str = "",
                   person: Person | None = None, topics=(), intro: str = "") -> Teacher:
    data = _teacher_fields(scope, place=place, name=name, kind=kind, organisation=organisation, phone=phone, person=person)
    teacher = Teacher(**data, intro=clean_text(intro))
    teacher._history_user = acting_user
    teacher.save()
    teacher.topics.set(topics)
    return teacher


@transaction.atomic
def teacher_update(*, scope: Scope, acting_user, teacher: Teacher, place: Place, name: str, kind: str, organisation: str = "",
                   phone: str = "", person: Person | None = None, topics=(), intro: str = "", is_active: bool = True) -> Teacher:
    """Change a teacher; a blank phone keeps the stored one (the form shows only its mask)."""
    if not teacher_manageable(scope=scope, teacher=teacher):
        raise Http404(_("不存在或无权查看。"))
    data = _teacher_fields(scope, place=place, name=name, kind=kind, organisation=organisation, phone=phone, person=person)
    if not clean_text(phone):
        data = {k: v for k, v in data.items() if not k.startswith("phone_")}
    for key, value in data.items():
        setattr(teacher, key, value)
    teacher.intro, teacher.is_active = clean_text(intro), is_active
    teacher._history_user = acting_user
    teacher.save()
    teacher.topics.set(topics)
    return teacher


@transaction.atomic
def teacher_token_reissue(*, scope: Scope, teacher: Teacher) -> str:
    """A new personal link for the teacher; the old one stops working at once."""
    if not teacher_manageable(scope=scope, teacher=teacher):
        raise Http404(_("不存在或无权查看。"))
    teacher.token = new_token()
    teacher.save(update_fields=["token", "updated_at"])
    return teacher.token


def topics_editable(scope: Scope) -> bool:
    """The topic list serves the whole district: district administrators keep it."""
    return scope.has_role(Role.DISTRICT_ADMIN)


@transaction.atomic
def topic_create(*, scope: Scope, acting_user, title: str, category: str, description: str = "") -> Topic:
    if not topics_editable(scope):
        raise ValidationError(_("讲座主题由区级管理员维护。"))
    title = clean_text(title)
    if not title:
        raise ValidationError({"title": _("请填写主题。")})
    if Topic.objects.filter(title=title).exists():
        raise ValidationError({"title": _("主题“%(title)s”已存在。") % {"title": title}})
    last = Topic.objects.order_by("-order").values_list("order", flat=True).first() or 0
    return Topic.objects.create(title=title, category=category, description=clean_text(description), order=last + 10)


# ---- 点单 and 附议 ---------------------------------------------------------------------------------


@transaction.atomic
def request_submit(*, community: Place, person: Person, topic: Topic | None, wish: str = "", channel: str = RequestChannel.PUBLIC,
                   scope: Scope | None = None, acting_user=None, at: dt.datetime | None = None) -> LectureRequest:
    """点单: `person` (a resident of `community`, identified by name and ID number) asks for a topic
    or, in their own words, for what they want to hear. Staff recording it for them pass their scope."""
    if scope is not None:
        scope.require(community)
    wish = clean_text(wish)
    if community.level != PlaceLevel.COMMUNITY or not _lives_in(person, community):
        raise ValidationError({"name": _("只有本社区登记在册的居民可以点单。")})
    if topic is None and not wish:
        raise ValidationError({"topic": _("请选择讲座主题，或写下想听的内容。")})
    if topic is not None and not topic.is_active:
        raise ValidationError({"topic": _("该主题已停用，请另选。")})
    if len(wish) > 200:
        raise ValidationError({"wish": _("想听的内容请不超过200字。")})
    duplicate = LectureRequest.objects.filter(community=community, person=person, topic=topic, status__in=(R.OPEN, R.ORDERED))
    if topic is not None and duplicate.exists():
        raise ValidationError({"topic": _("您已点过“%(title)s”，还在办理中，不必重复点单。") % {"title": topic.title}})
    request = LectureRequest(community=community, person=person, topic=topic, wish=wish, channel=channel, recorded_by=acting_user)
    request._history_user = acting_user
    request.save()
    request.steps.create(from_status="", to_status=R.OPEN, by=acting_user, at=_now(at), note=RequestChannel(channel).label)
    return request


@transaction.atomic
def request_second(*, request: LectureRequest, person: Person) -> RequestSecond:
    """附议: another resident of the 社区 seconds an open or ordered request, once (the unique
    constraint decides; a second try is told so)."""
    request = flow.locked_request(request)
    if not _lives_in(person, request.community):
        raise ValidationError({"name": _("只有本社区登记在册的居民可以附议。")})
    if request.status not in (R.OPEN, R.ORDERED):
        raise ValidationError({"name": _("该点单已%(status)s，不再接受附议。") % {"status": request.get_status_display()}})
    if request.person_id == person.pk:
        raise ValidationError({"name": _("这是您本人的点单，不需要附议。")})
    try:
        with transaction.atomic():
            return RequestSecond.objects.create(request=request, person=person)
    except IntegrityError:
        raise ValidationError({"name": _("您已附议过这个点单，每位居民只能附议一次。")}) from None


@transaction.atomic
def request_decline(*, scope: Scope, acting_user, request: LectureRequest, reason: str, at: dt.datetime | None = None) -> LectureRequest:
    """不予采纳 (a topic the law team cannot teach, a duplicate …) with the reason the resident sees."""
    scope.require(request)
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": _("不予采纳须填写理由，居民在公开页可以看到。")})
    request = flow.locked_request(request)
    request.status_note = reason[:200]
    return flow.request_move(request, R.DECLINED, acting_user=acting_user, at=_now(at), note=reason, fields=("status_note",))


# ---- 下单 -----------------------------------------------------------------------------------------


def _check_teachers(community: Place, teachers) -> dict:
    errors = []
    for t in teachers:
        if not t.is_active:
            errors.append(_("讲师“%(name)s”已不在册。") % {"name": t.name})
        elif not t.serves(community):
            errors.append(_("讲师“%(name)s”不为%(community)s服务。") % {"name": t.name, "community": community.name})
    return {"teachers": errors} if errors else {}


def _invite(order: LectureOrder, teachers, at) -> None:
    asked = set(order.invites.values_list("teacher_id", flat=True))
    OrderInvite.objects.bulk_create([OrderInvite(order=order, teacher=t, asked_at=at) for t in teachers if t.pk not in asked])


@transaction.atomic
def order_place(*, scope: Scope, acting_user, community: Place, topic: Topic, title: str, starts_at: dt.datetime, venue: str,
                audience: str, expected_size: int, teachers, requests=(), minutes: int = 60, note: str = "",
                at: dt.datetime | None = None) -> LectureOrder:
    """下单: the 社区 orders a lecture and asks its teacher(s); the requests it answers become 已下单."""
    scope.require(community)
    at = _now(at)
    teachers, requests = list(teachers), [flow.locked_request(r) for r in requests]
    title, venue, audience = clean_text(title) or topic.title, clean_text(venue), clean_text(audience)
    errors = {}
    if not teachers:
        errors["teachers"] = _("请至少邀请一位讲师。")
    errors |= _check_teachers(community, teachers)
    if starts_at <= at:
        errors["starts_at"] = _("开讲时间应晚于现在。")
    if not venue:
        errors["venue"] = _("请填写地点。")
    if not audience:
        errors["audience"] = _("请填写面向人群。")
    if not expected_size or expected_size < 1:
        errors["expected_size"] = _("预计人数至少为 1。")
    if not 15 <= minutes <= 480:
        errors["minutes"] = _("时长应在15至480分钟之间。")
    for r in requests:
        if r.community_id != community.pk or r.status != R.OPEN:
            errors["requests"] = _("只能选择本社区待下单的点单。")
    if errors:
        raise ValidationError(errors)
    order = LectureOrder(community=community, topic=topic, title=title, starts_at=starts_at, minutes=minutes, venue=venue, audience=audience,
                         expected_size=expected_size, note=clean_text(note), ordered_by=acting_user)
    order._history_user = acting_user
    order.save()
    OrderStep.objects.create(order=order, from_status="", to_status=O.ASKED, by=acting_user, at=at,
                             note=_("邀请：%(names)s") % {"names": "、".join(t.name for t in teachers)})
    _invite(order, teachers, at)
    for r in requests:
        r.order = order
        flow.request_move(r, R.ORDERED, acting_user=acting_user, at=at, note=order.title, fields=("order",))
    return order


@transaction.atomic
def order_ask(*, scope: Scope, acting_user, order: LectureOrder, teachers, at: dt.datetime | None = None) -> LectureOrder:
    """改派 / 加请: ask more teachers while the order waits for one (待接单), or after every teacher
    asked declined (被谢绝，待改派: back to 待接单)."""
    scope.require(order)
    order, at, teachers = flow.locked_order(order), _now(at), list(teachers)
    if order.status not in (O.ASKED, O.DECLINED):
        raise ValidationError({"teachers": _("讲座当前为“%(status)s”，不能再邀请讲师。") % {"status": order.get_status_display()}})
    errors = {"teachers": [_("请至少选择一位讲师。")]} if not teachers else _check_teachers(order.community, teachers)
    asked_before = set(order.invites.values_list("teacher_id", flat=True))
    if not errors and all(t.pk in asked_before for t in teachers):
        errors = {"teachers": [_("所选讲师已邀请过，请另选讲师。")]}
    if errors:
        raise ValidationError(errors)
    _invite(order, teachers, at)
    names = "、".join(t.name for t in teachers if t.pk not in asked_before)
    if order.status == O.DECLINED:
        flow.order_move(order, O.ASKED, acting_user=acting_user, at=at, note=_("改派：%(names)s") % {"names": names})
    return order


# ---- 接单 (the teacher's link) ----------------------------------------------------------------------


@transaction.atomic
def invite_answer(*, teacher: Teacher, invite: OrderInvite, accept: bool, reason: str = "", at: dt.datetime | None = None) -> OrderInvite:
    """The teacher accepts or declines (with a reason) on their own link. Another teacher's
    invitation is a 404. The first acceptance moves the order to 已接单 and announces it on the
    notice board; when every teacher asked has declined, the order goes back to the 社区 (被谢绝)."""
    if invite.teacher_id != teacher.pk:
        raise Http404(_("不存在或无权查看。"))
    invite = OrderInvite.objects.select_for_update().get(pk=invite.pk)
    order, at, reason = flow.locked_order(invite.order), _now(at), clean_text(reason)
    if invite.status != InviteStatus.ASKED:
        raise ValidationError({"reason": _("您已答复过这次邀请（%(status)s）。") % {"status": invite.get_status_display()}})
    if order.status not in (O.ASKED, O.ACCEPTED):
        raise ValidationError({"reason": _("该讲座当前为“%(status)s”，不需要再答复。") % {"status": order.get_status_display()}})
    if not accept and not reason:
        raise ValidationError({"reason": _("谢绝请填写理由，社区将据此另请讲师。")})
    invite.status = InviteStatus.ACCEPTED if accept else InviteStatus.DECLINED
    invite.reason, invite.answered_at = ("" if accept else reason[:200]), at
    invite.save(update_fields=["status", "reason", "answered_at"])
    if accept and order.status == O.ASKED:
        flow.order_move(order, O.ACCEPTED, acting_user=None, teacher=teacher, at=at, note=_("%(name)s 接单") % {"name": teacher.name})
        _publish(order)
    elif not accept and order.status == O.ASKED and not order.invites.filter(status__in=(InviteStatus.ASKED, InviteStatus.ACCEPTED)).exists():
        flow.order_move(order, O.DECLINED, acting_user=None, teacher=teacher, at=at,
                        note=_("%(name)s 谢绝：%(reason)s") % {"name": teacher.name, "reason": reason})
    return invite


def _withdraw_pending(order: LectureOrder, at) -> None:
    order.invites.filter(status=InviteStatus.ASKED).update(status=InviteStatus.WITHDRAWN, answered_at=at)


# ---- 开讲, 结单, 取消 --------------------------------------------------------------------------------


@transaction.atomic
def order_hold(*, scope: Scope, acting_user, order: LectureOrder, attendance: int, summary: str = "",
               at: dt.datetime | None = None) -> LectureOrder:
    """开讲: the lecture took place; attendance recorded; the requests it answers become 已开讲."""
    scope.require(order)
    order, at = flow.locked_order(order), _now(at)
    if order.status == O.ACCEPTED and order.starts_at > at:
        raise ValidationError({"attendance": _("讲座定于 %(when)s 开讲，尚未到时间，不能登记开讲。") % {
            "when": f"{timezone.localtime(order.starts_at):%Y-%m-%d %H:%M}"}})
    if attendance is None or attendance < 0:
        raise ValidationError({"attendance": _("请填写实到人数。")})
    order.attendance, order.summary = attendance, clean_text(summary)
    flow.order_move(order, O.HELD, acting_user=acting_user, at=at, note=_("实到 %(n)s 人") % {"n": attendance},
                    fields=("attendance", "summary"))
    _withdraw_pending(order, at)
    for r in order.requests.filter(status=R.ORDERED):
        flow.request_move(flow.locked_request(r), R.ANSWERED, acting_user=acting_user, at=at, note=order.title)
    return order


@transaction.atomic
def order_close(*, scope: Scope, acting_user, order: LectureOrder, note: str = "", at: dt.datetime | None = None) -> LectureOrder:
    """结单: the loop ends; residents can no longer rate the lecture."""
    scope.require(order)
    return flow.order_move(flow.locked_order(order), O.CLOSED, acting_user=acting_user, at=_now(at), note=note)


@transaction.atomic
def order_cancel(*, scope: Scope, acting_user, order: LectureOrder, reason: str, at: dt.datetime | None = None) -> LectureOrder:
    """取消: with its reason; teachers not yet answering are withdrawn and the requests go back to 待下单."""
    scope.require(order)
    order, at, reason = flow.locked_order(order), _now(at), clean_text(reason)
    if not reason:
        raise ValidationError({"reason": _("取消讲座须填写原因。")})
    flow.order_move(order, O.CANCELLED, acting_user=acting_user, at=at, note=reason)
    _withdraw_pending(order, at)
    _withdraw_notice(order, scope, acting_user, reason)
    for r in order.requests.filter(status=R.ORDERED):
        r = flow.locked_request(r)
        r.order = None
        flow.request_move(r, R.OPEN, acting_user=acting_user, at=at, note=_("讲座取消：%(reason)s") % {"reason": reason}, fields=("order",))
    return order


# ---- feedback ------------------------------------------------------------------------------------


@transaction.atomic
def feedback_give(*, order: LectureOrder, person: Person, rating: int, comment: str = "") -> Feedback:
    """A resident of the 社区 rates a lecture held (1–5) with an optional comment, once."""
    order = flow.locked_order(order)
    if order.status != O.HELD:
        raise ValidationError({"rating": _("只能评价已开讲、尚未结单的讲座。")})
    if not _lives_in(person, order.community):
        raise ValidationError({"name": _("只有本社区登记在册的居民可以评价。")})
    if rating not in range(1, 6):
        raise ValidationError({"rating": _("评分应为1至5分。")})
    try:
        with transaction.atomic():
            return Feedback.objects.create(order=order, person=person, rating=rating, comment=clean_text(comment)[:300])
    except IntegrityError:
        raise ValidationError({"name": _("您已评价过这场讲座，每位居民只能评价一次。")}) from None


# ---- the notice board ------------------------------------------------------------------------------


def notice_text(order: LectureOrder) -> tuple[str, str]:
    when = timezone.localtime(order.starts_at)
    names = "、".join(i.teacher.name for i in order.invites.filter(status=InviteStatus.ACCEPTED).select_related("teacher"))
    title = _("法治讲座：%(title)s") % {"title": order.title}
    body = _("时间：%(when)s（约%(minutes)s分钟）\n地点：%(venue)s\n主讲：%(names)s\n面向：%(audience)s\n欢迎居民参加。") % {
        "when": f"{when:%Y-%m-%d %H:%M}", "minutes": order.minutes, "venue": order.venue, "names": names or "—", "audience": order.audience}
    return title, body


def _publish(order: LectureOrder, acting_user=None):
    with in_site_language():
        title, body = notice_text(order)
    return notice_publish(community=order.community, kind="lecture", title=title, body=body,
                          ends_on=timezone.localdate(order.starts_at), source=order, acting_user=acting_user)


def _withdraw_notice(order: LectureOrder, scope: Scope, acting_user, reason: str) -> None:
    scope.require(order)
    source_notice_withdraw(source=order, kind="lecture", acting_user=acting_user,
                           reason=record_text(gettext_noop("讲座取消：%(reason)s"), {"reason": reason})[:200])


@transaction.atomic
def order_publish(*, scope: Scope, acting_user, order: LectureOrder):
    """发布到公开栏 (again): an accepted lecture's announcement; publishing twice changes nothing."""
    scope.require(order)
    if order.status != O.ACCEPTED:
        raise ValidationError(_("只有已接单、尚未开讲的讲座可以发布预告。"))
    return _publish(order, acting_user)
