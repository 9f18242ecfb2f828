"""The demo's 法治讲座: the teacher team, and some 18 months of 点单 → 下单 → 接单 in every 社区.

The team: outside experts registered at the district (lawyers, judges, 司法所 staff, a police
officer for 反诈) who serve every 社区, one or two per street, and in most communities a resident
teacher (a retired judge, a teacher …) linked to their resident record. Then, month by month in
each 社区: residents' requests (most from the topic list, some in their own words) with seconds;
about every other month an order answering the most seconded open requests (or the 社区's own),
with one or two teachers asked; past lectures accepted and held with attendance and residents'
ratings, older ones closed; a few declined by the first teacher and given to another, a few
cancelled; the coming ones asked or accepted and announced on the notice board; some requests
left open or declined. Records and their step rows are written in bulk at every scale, in states
the app's flow allows (`lectures.flow`); announcements go through `notice_publish`.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.urls import reverse
from django.utils import timezone

from gongzhi.accounts.models import Role, RoleGrant
from gongzhi.demo.bulk import residents_by_community
from gongzhi.lectures import services
from gongzhi.notices.services import notice_publish
from gongzhi.lectures.models import (
    Feedback, InviteStatus, LectureOrder, LectureRequest, OrderInvite, OrderStatus as O, OrderStep, RequestChannel, RequestSecond,
    RequestStatus as R, RequestStep, Teacher, TeacherKind, Topic,
)
from gongzhi.org.models import Place, PlaceLevel
from gongzhi.people.models import Person
from gongzhi.people.services import phone_fields

EXPERTS = (  # name, organisation, topic categories
    ("王建国", "河洛律师事务所", ("marriage", "property", "neighbours")),
    ("李秀兰", "区人民法院", ("marriage", "minors", "elderly")),
    ("张伟", "区公安分局反诈中心", ("fraud",)),
    ("刘洋", "中原律师事务所", ("labour", "property", "other")),
    ("陈静", "区司法局法律援助中心", ("other", "elderly", "labour")),
    ("赵磊", "区检察院", ("minors", "fraud")),
)
STREET_EXPERTS = ("司法所", "派出所")
RESIDENT_TEACHERS = (("退休法官", "marriage"), ("退休教师", "minors"), ("人民调解员", "neighbours"), ("老党员", "elderly"))
WISHES = ("高空抛物伤人谁来赔", "装修噪音扰民怎么办", "孩子沉迷网络游戏，家长能做什么", "网购退货纠纷", "老人买保健品被骗怎么追回",
          "租房押金不退怎么办", "停车位归谁所有", "遗嘱怎么写才有效")
VENUES = ("社区党群服务中心二楼", "社区新时代文明实践站", "小区文化广场", "社区老年活动中心", "社区会议室")
AUDIENCES = ("全体居民", "老年人及家属", "青少年及家长", "物业与业委会成员", "务工人员", "新就业群体")
COMMENTS = ("讲得通俗易懂", "案例很实用", "希望多办几次", "时间有点短", "回家就给老人讲了", "解答了我的问题", "")
REASONS = ("当天开庭，无法参加", "出差在外", "时间冲突")


def lectures_history(*, rng: random.Random, as_of: dt.date, bulk: bool, progress: Callable[[str], None]) -> dict[str, int]:
    topics = list(Topic.objects.filter(is_active=True))
    communities = list(Place.objects.filter(level=PlaceLevel.COMMUNITY).order_by("path"))
    workers = dict(RoleGrant.objects.filter(role=Role.COMMUNITY_WORKER, place__level=PlaceLevel.COMMUNITY).values_list("place_id", "user_id"))
    team = _team(rng, topics, communities)
    history = _History(rng, as_of, topics)
    residents_of = residents_by_community(communities, limit=2000)
    for community in communities:
        residents = residents_of[community.pk]
        if len(residents) < 20:
            continue
        serving = [t for t in team if community.path.startswith(t.place.path)]
        history.community(community, residents, serving, workers.get(community.pk))
    history.write()
    announced = _announce(as_of, bulk)
    tally = {"lecture_teachers": len(team), "lecture_requests": LectureRequest.objects.count(), "lecture_orders": LectureOrder.objects.count(),
             "lecture_held": LectureOrder.objects.filter(status__in=(O.HELD, O.CLOSED)).count(), "lecture_feedback": Feedback.objects.count(),
             "lecture_notices": announced}
    progress(f"  讲师 {tally['lecture_teachers']:,} 位，居民点单 {tally['lecture_requests']:,} 件，讲座订单 {tally['lecture_orders']:,} 个"
             f"（已开讲 {tally['lecture_held']:,} 场），居民评价 {tally['lecture_feedback']:,} 条")
    first = communities[0] if communities else None
    teacher = next((t for t in team if first is not None and first.path.startswith(t.place.path)), None)
    if teacher is not None:
        progress(f"  讲师接单链接（免登录）：{teacher.name} {reverse('lectures:teacher_link', args=[teacher.token])}")
        progress(f"  {first.name}公开页（免登录）：公开栏 {reverse('notices:public_board', args=[first.pk])}　"
                 f"法治讲座 {reverse('lectures:public', args=[first.pk])}　德治 {reverse('culture:public', args=[first.pk])}")
    return tally


# ---- the teacher team --------------------------------------------------------------------------------


def _phone(rng) -> dict:
    return phone_fields(f"13{rng.randint(5, 9)}{rng.randint(0, 99_999_999):08d}")


def _team(rng, topics, communities) -> list[Teacher]:
    by_category: dict[str, list[Topic]] = {}
    for t in topics:
        by_category.setdefault(t.category, []).append(t)
    district = Place.objects.filter(level=PlaceLevel.DISTRICT).order_by("path").first()
    rows: list[tuple[Teacher, list[Topic]]] = []
    for name, organisation, categories in EXPERTS:
        rows.append((Teacher(name=name, kind=TeacherKind.EXPERT, organisation=organisation, place=district, intro="区法治宣讲团成员", **_phone(rng)),
                     [t for c in categories for t in by_category.get(c, [])]))
    for street in Place.objects.filter(level=PlaceLevel.STREET).order_by("path"):
        for unit in STREET_EXPERTS[: rng.randint(1, 2)]:
            name = rng.choice("孙周吴郑冯褚卫蒋沈韩杨朱秦许何吕施") + rng.choice(("志强", "海燕", "建华", "丽娟", "国庆", "晓东"))
            rows.append((Teacher(name=name, kind=TeacherKind.EXPERT, organisation=f"{street.name}{unit}", place=street, **_phone(rng)),
                         rng.sample(topics, 3)))
    elders = residents_by_community(communities, limit=1, birth_date__lt=dt.date(1965, 1, 1))
    people = Person.objects.in_bulk([ids[0] for ids in elders.values() if ids])
    for community in communities:
        if rng.random() < 0.7:
            person = people.get(elders[community.pk][0]) if elders[community.pk] else None
            if person is not None:
                role, category = rng.choice(RESIDENT_TEACHERS)
                rows.append((Teacher(name=person.name, kind=TeacherKind.RESIDENT, organisation="", intro=role, place=community, person=person,
                                     **_phone(rng)), by_category.get(category, [])))
    teachers = Teacher.objects.bulk_create([t for t, _ in rows], batch_size=500)
    through = Teacher.topics.through
    through.objects.bulk_create([through(teacher_id=t.pk, topic_id=x.pk) for t, (_, xs) in zip(teachers, rows) for x in xs], batch_size=2000)
    return teachers


# ---- month by month --------------------------------------------------------------------------------


class _History:
    def __init__(self, rng, as_of, topics):
        self.rng, self.as_of, self.topics = rng, as_of, topics
        self.now = timezone.make_aware(dt.datetime.combine(as_of, dt.time(12)))
        self.start = as_of - dt.timedelta(days=540)
        self.requests, self.seconds, self.orders, self.invites, self.feedback = [], [], [], [], []
        self.request_steps, self.order_steps = [], []
        self.order_requests: list[tuple[LectureOrder, list[LectureRequest]]] = []

    def _at(self, day: dt.date, hour: int = 10) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, self.rng.choice((0, 15, 30)))))

    def community(self, community, residents, serving, worker_id):
        rng, open_requests = self.rng, []
        month = self.start.replace(day=1)
        while month <= self.as_of:
            for _ in range(rng.choice((0, 1, 1, 2))):
                day = month + dt.timedelta(days=rng.randint(0, 27))
                if day < self.as_of:
                    open_requests.append(self._request(community, residents, day))
            if rng.random() < 0.5 and serving:
                self._order(community, residents, serving, worker_id, month, open_requests)
            month = (month + dt.timedelta(days=32)).replace(day=1)
        for r in open_requests:
            if r.created_at.date() < self.as_of - dt.timedelta(days=120) and rng.random() < 0.3:
                r.status, r.status_note = R.DECLINED, "与已举办讲座内容重复"
                self.request_steps.append(RequestStep(request=r, from_status=R.OPEN, to_status=R.DECLINED, by_id=worker_id,
                                                      at=r.created_at + dt.timedelta(days=20), note=r.status_note))

    def _request(self, community, residents, day) -> LectureRequest:
        rng = self.rng
        person = rng.choice(residents)
        topic = rng.choice(self.topics) if rng.random() < 0.8 else None
        wish = rng.choice(WISHES) if topic is None or rng.random() < 0.2 else ""
        channel = RequestChannel.PUBLIC if rng.random() < 0.75 else RequestChannel.STAFF
        at = self._at(day, rng.randint(8, 21))
        r = LectureRequest(community=community, person_id=person, topic=topic, wish=wish, channel=channel, status=R.OPEN, created_at=at)
        self.requests.append(r)
        self.request_steps.append(RequestStep(request=r, from_status="", to_status=R.OPEN, at=at, note=RequestChannel(channel).label))
        r._seconds = 0
        for other in rng.sample(residents, min(len(residents) - 1, rng.choice((0, 1, 2, 3, 5, 8, 12)))):
            if other != person:
                r._seconds += 1
                self.seconds.append(RequestSecond(request=r, person_id=other, created_at=at + dt.timedelta(days=rng.randint(0, 10))))
        return r

    def _order(self, community, residents, serving, worker_id, month, open_requests):
        rng = self.rng
        lecture_day = month + dt.timedelta(days=rng.randint(9, 26))
        ordered_at = self._at(lecture_day - dt.timedelta(days=rng.randint(10, 20)), 15)
        if ordered_at > self.now:
            return
        candidates = [r for r in open_requests if r.created_at < ordered_at]
        candidates.sort(key=lambda r: -r._seconds)
        answered = candidates[: rng.choice((0, 1, 1, 2))]
        topic = next((r.topic for r in answered if r.topic), None) or rng.choice(self.topics)
        starts_at = self._at(lecture_day, rng.choice((9, 15, 19)))
        o = LectureOrder(community=community, topic=topic, title=topic.title, starts_at=starts_at, minutes=rng.choice((60, 90, 120)),
                         venue=rng.choice(VENUES), audience=rng.choice(AUDIENCES), expected_size=rng.choice((30, 40, 50, 60, 80)),
                         ordered_by_id=worker_id, status=O.ASKED, created_at=ordered_at)
        self.orders.append(o)
        for r in answered:
            open_requests.remove(r)
            r.order, r.status = o, R.ORDERED
            self.request_steps.append(RequestStep(request=r, from_status=R.OPEN, to_status=R.ORDERED, by_id=worker_id, at=ordered_at, note=o.title))
        self.order_requests.append((o, answered))
        teachers = rng.sample(serving, min(len(serving), rng.choice((1, 1, 2))))
        self._step(o, "", O.ASKED, worker_id, ordered_at, "邀请：" + "、".join(t.name for t in teachers))
        invites = [OrderInvite(order=o, teacher=t, asked_at=ordered_at) for t in teachers]
        self.invites += invites
        self._answer(o, invites, serving, worker_id, ordered_at, residents, open_requests)

    def _step(self, o, frm, to, by_id, at, note="", teacher=None):
        self.order_steps.append(OrderStep(order=o, from_status=frm, to_status=to, by_id=by_id, teacher=teacher, at=at, note=note))
        o.status = to

    def _answer(self, o, invites, serving, worker_id, ordered_at, residents, open_requests):
        rng = self.rng
        answer_at = ordered_at + dt.timedelta(hours=rng.randint(2, 48))
        if answer_at > self.now:
            return  # still waiting for a teacher
        first = invites[0]
        if rng.random() < 0.1:  # the first teacher declines
            first.status, first.reason, first.answered_at = InviteStatus.DECLINED, rng.choice(REASONS), answer_at
            if len(invites) == 1:
                self._step(o, O.ASKED, O.DECLINED, None, answer_at, f"{first.teacher.name} 谢绝:{first.reason}", first.teacher)
                others = [t for t in serving if t.pk != first.teacher.pk]
                again = answer_at + dt.timedelta(hours=rng.randint(3, 30))
                if not others or again > self.now:
                    return
                second = OrderInvite(order=o, teacher=rng.choice(others), asked_at=again)
                self.invites.append(second)
                self._step(o, O.DECLINED, O.ASKED, worker_id, again, f"改派:{second.teacher.name}")
                invites = [first, second]
                answer_at = again + dt.timedelta(hours=rng.randint(2, 24))
                if answer_at > self.now:
                    return
            accepting = invites[-1]
        else:
            accepting = first
        if rng.random() < 0.05:  # cancelled before it was held
            self._cancel(o, invites, worker_id, answer_at, open_requests)
            return
        accepting.status, accepting.answered_at = InviteStatus.ACCEPTED, answer_at
        o.accepted_at = answer_at
        self._step(o, O.ASKED, O.ACCEPTED, None, answer_at, f"{accepting.teacher.name} 接单", accepting.teacher)
        if o.starts_at + dt.timedelta(hours=3) > self.now:
            return
        self._hold(o, invites, worker_id, residents)

    def _cancel(self, o, invites, worker_id, at, open_requests):
        for i in invites:
            if i.status == InviteStatus.ASKED:
                i.status, i.answered_at = InviteStatus.WITHDRAWN, at
        self._step(o, o.status, O.CANCELLED, worker_id, at, "场地临时占用")
        for r in next(rs for x, rs in self.order_requests if x is o):
            r.order, r.status = None, R.OPEN
            self.request_steps.append(RequestStep(request=r, from_status=R.ORDERED, to_status=R.OPEN, by_id=worker_id, at=at, note="讲座取消:场地临时占用"))
            open_requests.append(r)

    def _hold(self, o, invites, worker_id, residents):
        rng = self.rng
        held_at = o.starts_at + dt.timedelta(hours=rng.randint(2, 30))
        held_at = min(held_at, self.now)
        o.attendance = max(5, o.expected_size + rng.randint(-20, 15))
        o.summary, o.held_at = "讲座结合典型案例讲解，现场答疑。", held_at
        for i in invites:
            if i.status == InviteStatus.ASKED:
                i.status, i.answered_at = InviteStatus.WITHDRAWN, held_at
        self._step(o, O.ACCEPTED, O.HELD, worker_id, held_at, f"实到 {o.attendance} 人")
        for r in next(rs for x, rs in self.order_requests if x is o):
            r.status = R.ANSWERED
            self.request_steps.append(RequestStep(request=r, from_status=R.ORDERED, to_status=R.ANSWERED, by_id=worker_id, at=held_at, note=o.title))
        for person in rng.sample(residents, min(len(residents), rng.randint(3, 15))):
            rating = rng.choices((5, 4, 3, 2, 1), weights=(50, 32, 12, 4, 2))[0]
            self.feedback.append(Feedback(order=o, person_id=person, rating=rating, comment=rng.choice(COMMENTS),
                                          created_at=held_at + dt.timedelta(hours=rng.randint(1, 72))))
        closed_at = held_at + dt.timedelta(days=rng.randint(7, 14))
        if closed_at < self.now:
            o.closed_at = closed_at
            self._step(o, O.HELD, O.CLOSED, worker_id, closed_at, "评价已收集")

    def write(self):
        """Orders, then requests (they point to their order), then the rows hanging off both; the
        creation times kept (auto_now_add would stamp today)."""
        for rows in (self.orders, self.requests, self.seconds, self.feedback):
            for row in rows:
                row._planned = row.created_at
        LectureOrder.objects.bulk_create(self.orders, batch_size=1000)
        LectureRequest.objects.bulk_create(self.requests, batch_size=1000)
        RequestSecond.objects.bulk_create(_unique(self.seconds, lambda s: (s.request_id, s.person_id)), batch_size=2000)
        OrderInvite.objects.bulk_create(self.invites, batch_size=2000)
        Feedback.objects.bulk_create(_unique(self.feedback, lambda f: (f.order_id, f.person_id)), batch_size=2000)
        RequestStep.objects.bulk_create(self.request_steps, batch_size=2000)
        OrderStep.objects.bulk_create(self.order_steps, batch_size=2000)
        _restamp(LectureOrder, self.orders)
        _restamp(LectureRequest, self.requests)
        _restamp(RequestSecond, self.seconds)
        _restamp(Feedback, self.feedback)


def _unique(rows, key):
    seen, out = set(), []
    for row in rows:
        if key(row) not in seen:
            seen.add(key(row))
            out.append(row)
    return out


def _restamp(model, rows):
    """Put back the planned creation times that auto_now_add replaced."""
    planned = [r for r in rows if r.pk]
    for r in planned:
        r.created_at = r._planned
    fields = ["created_at"] + (["updated_at"] if hasattr(model, "updated_at") else [])
    for r in planned:
        if hasattr(r, "updated_at"):
            r.updated_at = r.created_at
    model.objects.bulk_update(planned, fields, batch_size=1000)


def _announce(as_of, bulk: bool) -> int:
    """Announce on the notice board the accepted lectures still to come (at the small scale, also
    those held in the last 60 days, for the board's archive)."""
    since = timezone.make_aware(dt.datetime.combine(as_of - dt.timedelta(days=60 if not bulk else 0), dt.time()))
    orders = LectureOrder.objects.filter(status__in=(O.ACCEPTED, O.HELD, O.CLOSED), starts_at__gte=since).select_related("community")
    n = 0
    for order in orders:
        title, body = services.notice_text(order)
        notice_publish(community=order.community, kind="lecture", title=title, body=body, source=order,
                       starts_on=min(timezone.localdate(order.accepted_at or order.created_at), as_of),
                       ends_on=timezone.localdate(order.starts_at))
        n += 1
    return n
