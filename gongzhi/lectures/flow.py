"""The 点单 → 下单 → 接单 loop as one flow: which moves a request and an order may make, and the
one function each that makes a move (stamp, step row, history). Used by the services only.

    request: 待下单 ─下单→ 已下单 ─开讲→ 已开讲
                │          └─订单取消→ 待下单
                └─不予采纳→ 未采纳
    order:   待接单 ─接单→ 已接单 ─开讲→ 已开讲 ─结单→ 已结单
                ├─全部谢绝→ 被谢绝，待改派 ─改派→ 待接单
                └─取消（待接单、待改派、已接单）→ 已取消
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gongzhi.core.text import clean_text

from .models import LectureOrder, LectureRequest, OrderStatus, OrderStep, RequestStatus, RequestStep

R, O = RequestStatus, OrderStatus

REQUEST_MOVES = {
    R.OPEN: (R.ORDERED, R.DECLINED),
    R.ORDERED: (R.ANSWERED, R.OPEN),
}
ORDER_MOVES = {
    O.ASKED: (O.ACCEPTED, O.DECLINED, O.CANCELLED),
    O.DECLINED: (O.ASKED, O.CANCELLED),
    O.ACCEPTED: (O.HELD, O.CANCELLED),
    O.HELD: (O.CLOSED,),
}
ORDER_STAMPS = {O.ACCEPTED: "accepted_at", O.HELD: "held_at", O.CLOSED: "closed_at"}

def request_can(request: LectureRequest, to: str) -> bool:
    return to in REQUEST_MOVES.get(request.status, ())


def order_can(order: LectureOrder, to: str) -> bool:
    return to in ORDER_MOVES.get(order.status, ())


def request_move(request: LectureRequest, to: str, *, acting_user, at: dt.datetime, note: str = "", fields: tuple[str, ...] = ()) -> LectureRequest:
    """Move a (locked) request to `to` with its step; refuses what the flow does not allow."""
    if not request_can(request, to):
        raise ValidationError({"status": _("点单“%(subject)s”不能从“%(from)s”变为“%(to)s”。") % {
            "subject": request.subject, "from": R(request.status).label, "to": R(to).label}})
    step = RequestStep(request=request, from_status=request.status, to_status=to, by=acting_user, at=at, note=clean_text(note)[:200])
    request.status = to
    request._history_user = acting_user
    request.save(update_fields=["status", "updated_at", *fields])
    step.save()
    return request


def order_move(order: LectureOrder, to: str, *, acting_user, at: dt.datetime, note: str = "", teacher=None,
               fields: tuple[str, ...] = ()) -> LectureOrder:
    """Move a (locked) order to `to`, stamping the time and writing its step (by a user, or by the
    teacher on their link); refuses what the flow does not allow, naming both statuses."""
    if not order_can(order, to):
        raise ValidationError({"status": _("讲座“%(title)s”当前为“%(from)s”，不能变为“%(to)s”。") % {
            "title": order.title, "from": O(order.status).label, "to": O(to).label}})
    step = OrderStep(order=order, from_status=order.status, to_status=to, by=acting_user, teacher=teacher, at=at, note=clean_text(note)[:200])
    order.status = to
    changed = ["status", "updated_at", *fields]
    if to in ORDER_STAMPS:
        setattr(order, ORDER_STAMPS[to], at)
        changed.append(ORDER_STAMPS[to])
    order._history_user = acting_user
    order.save(update_fields=changed)
    step.save()
    return order


def locked_order(order: LectureOrder) -> LectureOrder:
    return LectureOrder.objects.select_for_update(of=("self",)).select_related("community", "topic").get(pk=order.pk)


def locked_request(request: LectureRequest) -> LectureRequest:
    return LectureRequest.objects.select_for_update(of=("self",)).select_related("topic").get(pk=request.pk)
