"""The demo's 道德银行: rules, counters and some 20 months of points moving through them.

For every 社区: the district's default rules (loaded by the migration), a few communities with
rules of their own (one scoring by 户, two whose points lapse after 12 months); an 爱心超市
(积分驿站) in most communities; two to five 道德联盟 merchants with goods and discounts; a
公益集市 and a 公益日 in each street with stalls. Then, month by month, in the order it would
have happened: good deeds through 评议, 公示 (some objected to) and credit, or rejected, or still
under way; sorted garbage weighed at the stations; the verified volunteer hours of the
volunteers stage credited; redemptions (a few refunded the same day); merchants' and stalls'
monthly settlements; a few violations near the end; last year's year-end expiry.

Counters, goods, events, operators and cards are opened through the bank's services at every
scale. The ledger is written by `bank_ledger`: through the services at the small scale, in bulk
at the district scale, in either case checked at the end (every transaction sums to zero, every
balance is the sum of its postings).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from gongzhi.accounts.models import User
from gongzhi.bank import services
from gongzhi.bank.models import (Account, BankPolicy, CharityEvent, Counter, CounterKind, Deed, DeedCategory, DeedObjection, DeedStatus,
                                 EventKind, GarbageDrop, GarbageRate, GoodsKind, Posting, Redemption, RedemptionLine, ScoredBy,
                                 Settlement, Transaction, Violation)
from gongzhi.core.scope import Scope
from gongzhi.org.models import Place, PlaceLevel
from gongzhi.people.models import Person, PersonStatus
from gongzhi.volunteers.models import ServiceRecord, Volunteer

from .bank_ledger import BulkLedger, DeedPlan, ServiceLedger, holder_key
from .bulk import planner_statistics_refresh
from .logins import DEMO_PASSWORD, DemoLoginTaken

BANK_MODELS = (Account, Transaction, Posting, Deed, DeedObjection, GarbageDrop, Redemption, RedemptionLine, Settlement, Violation)
PARTICIPANTS = 0.025  # of residents: those who take part (deeds, garbage, redemptions); volunteers besides
SORTERS = 0.5  # of participants in a community with a station: bring sorted garbage
DEEDS_PER_THOUSAND = 1.5  # deeds reported a month per 1,000 residents
SAVERS = 0.3  # of participants: never redeem (their oldest points lapse where the community's rules say 12 months)
REDEEM_CHANCE, REFUND_CHANCE = 0.25, 0.02  # a month, a redemption
VIOLATIONS = 0.004  # of participants, in the last weeks
OPERATORS = (("yizhan1", "周丽萍", CounterKind.STATION), ("shanghu1", "吴海涛", CounterKind.MERCHANT))
CARDS = 3  # residents of the first community whose 积分卡 links are printed

STATION_GOODS = (("食用油 1.8L", 30, 60), ("大米 5kg", 25, 80), ("洗衣液 2kg", 15, 120), ("抽纸 6包", 8, 200), ("酱油 500ml", 6, 150),
                 ("毛巾", 6, 150), ("牙膏", 5, 200), ("香皂", 3, 300))
MERCHANTS = (("便民理发店", "凭积分理发", (("理发一次", 10, None, GoodsKind.DISCOUNT), ("洗剪吹", 20, None, GoodsKind.DISCOUNT))),
             ("惠民超市", "积分抵扣购物", (("鸡蛋 30枚", 18, 100, GoodsKind.GOODS), ("挂面 1kg", 6, 200, GoodsKind.GOODS))),
             ("老街早餐铺", "积分兑早餐", (("早餐套餐", 5, None, GoodsKind.DISCOUNT),)),
             ("修鞋配钥匙", "积分抵扣维修", (("配钥匙", 3, None, GoodsKind.DISCOUNT), ("修鞋", 8, None, GoodsKind.DISCOUNT))),
             ("康乐药房", "积分兑常用药品", (("口罩 50只", 10, 100, GoodsKind.GOODS), ("创可贴", 3, 200, GoodsKind.GOODS))),
             ("社区书店", "积分兑图书文具", (("儿童绘本", 15, 50, GoodsKind.GOODS), ("笔记本", 4, 150, GoodsKind.GOODS))),
             ("洗衣店", "积分抵扣洗衣", (("干洗一件", 12, None, GoodsKind.DISCOUNT),)))
STALL_GOODS = (("手工香囊", 4, 40), ("绿植盆栽", 8, 30), ("环保布袋", 3, 60), ("书法春联", 5, 50))
DEEDS = {
    "见义勇为": ("勇救落水儿童", "协助民警制止盗窃"), "助人为乐": ("帮助迷路老人回家", "为邻居义务维修水管", "照顾生病独居邻居"),
    "孝老爱亲": ("多年照顾瘫痪母亲", "悉心照料患病公婆"), "诚实守信": ("拾到钱包归还失主", "拾金不昧归还手机"),
    "敬业奉献": ("义务清扫楼道一年", "坚持为社区义务授课"), "邻里互助": ("帮邻居照看孩子", "为楼栋老人代购生活用品"),
    "环境保护": ("带头清理小区绿地垃圾", "义务宣传垃圾分类"), "移风易俗": ("丧事简办不收礼金", "婚事新办倡导节俭"),
}
OBJECTIONS = ("该事迹有夸大成分", "当事人并非本社区居民", "时间与实际不符")
REVIEWERS = ("社区道德评议会（5人）", "道德评议会：王、李、张、刘、陈")


@dataclass
class Community:
    place: Place
    street_id: int
    residents: int
    policy: BankPolicy
    rates: dict
    station: Counter | None = None
    merchants: list[Counter] = field(default_factory=list)
    stalls: dict[dt.date, list[Counter]] = field(default_factory=dict)  # by event day
    participants: list[tuple] = field(default_factory=list)  # (person_id, household_id)
    pilot: bool = False  # has rules of its own, and has weighed garbage for points from the start (elsewhere: a year)


def bank_history(*, rng: random.Random, as_of: dt.date, bulk: bool, progress: Callable[[str], None]) -> dict[str, int]:
    start = min(as_of - dt.timedelta(days=540), dt.date(as_of.year - 2, 10, 1))  # last year's expiry has points to take
    admin = User.objects.filter(username="quwei").first()
    scope = Scope.of(whole_tree=True)
    communities = _communities(rng)
    _rules(communities)
    _counters(rng, scope, admin, communities, start, as_of)
    _participants(rng, communities)
    progress(f"  社区自定规则 {BankPolicy.objects.filter(community__isnull=False).count():,} 个，积分驿站 "
             f"{sum(c.station is not None for c in communities):,} 个，道德联盟商户 {sum(len(c.merchants) for c in communities):,} 家，"
             f"公益活动 {CharityEvent.objects.count():,} 场")
    events = _Planner(rng, as_of, start, communities).plan()
    violators = _violators(rng, as_of, communities, events)
    ledger = (BulkLedger if bulk else ServiceLedger)(rng=rng, admin=admin, scope=scope)
    for when, _seq, kind, payload in events:
        since = violators.get(_holder_of(kind, payload))
        if since is None or when < since[1]:
            getattr(ledger, kind)(when, payload)
    for key, (community, since) in violators.items():
        ledger.violation(key, community, since)
    ledger.finish()
    lapsed = ledger.lapse(year=as_of.year - 1, at=timezone.make_aware(dt.datetime.combine(dt.date(as_of.year, 1, 2), dt.time(8))))
    _check()
    if connection.vendor == "postgresql":  # SQLite: the build's last stage analyses the whole file
        planner_statistics_refresh(BANK_MODELS)
    tally = _tally(lapsed)
    progress(f"  善行 {tally['bank_deeds']:,} 件，垃圾分类称重 {tally['bank_garbage']:,} 次，兑换 {tally['bank_redemptions']:,} 笔，"
             f"积分交易 {tally['bank_transactions']:,} 笔，年底失效 {lapsed:,} 分")
    for line in _logins(scope, communities[0]):
        progress(line)
    return tally


# ---- rules, counters, people ------------------------------------------------------------------------


def _communities(rng) -> list[Community]:
    step = Place.steplen
    streets = dict(Place.objects.filter(level=PlaceLevel.STREET).values_list("path", "pk"))
    residents: dict[str, int] = defaultdict(int)
    for path, n in Place.objects.filter(level=PlaceLevel.BUILDING).values_list("path", "resident_count"):
        residents[path[: 3 * step]] += n
    out = []
    for place in Place.objects.filter(level=PlaceLevel.COMMUNITY).order_by("path"):
        out.append(Community(place=place, street_id=streets[place.path[: 2 * step]], residents=residents[place.path], policy=None, rates={}))
    return out


def _rules(communities: list[Community]) -> None:
    """Every tenth community (the second and third of the small district) has rules of its own."""
    scope = Scope.of(whole_tree=True)
    for index, community in enumerate(communities):
        if index % 10 == 1:
            services.policy_save(scope=scope, acting_user=None, community=community.place, scored_by=ScoredBy.HOUSEHOLD, publicity_days=5)
        elif index % 10 == 2:
            services.policy_save(scope=scope, acting_user=None, community=community.place, expiry_months=12, garbage_daily_cap=8,
                                 volunteer_points_per_hour=Decimal("3"))
        elif index % 20 == 5:
            services.policy_save(scope=scope, acting_user=None, community=community.place, expiry_months=12)
        community.pilot = BankPolicy.objects.filter(community=community.place).exists()
        community.policy = BankPolicy.for_community(community.place)
        community.rates = GarbageRate.for_community(community.place)


def _short(name: str) -> str:
    return name.removesuffix("社区")


def _counters(rng, scope, admin, communities, start, as_of) -> None:
    """A station in four communities of five (every one in the small district), two to five
    merchants in each, two events a street with three to five stalls each."""
    for index, c in enumerate(communities):
        if len(communities) <= 10 or index < 2 or rng.random() < 0.8:
            c.station = services.counter_open(scope=scope, acting_user=admin, community=c.place, kind=CounterKind.STATION,
                                              name=f"{_short(c.place.name)}爱心超市（积分驿站）", address=f"{c.place.name}党群服务中心一楼",
                                              contact_name="社区工作人员")
            for name, points, stock in STATION_GOODS:
                services.goods_save(scope=scope, acting_user=admin, counter=c.station, name=name, points=points, stock=stock)
        for name, offer, goods in rng.sample(MERCHANTS, rng.randint(2, 5)):
            joined = start - dt.timedelta(days=rng.randrange(0, 400)) if rng.random() < 0.7 else start + dt.timedelta(days=rng.randrange(30, 300))
            merchant = services.counter_open(scope=scope, acting_user=admin, community=c.place, kind=CounterKind.MERCHANT,
                                             name=f"{_short(c.place.name)}{name}", offer=offer, joined_on=min(joined, as_of),
                                             contact_name="店主", address=f"{c.place.name}沿街商铺")
            for goods_name, points, stock, kind in goods:
                services.goods_save(scope=scope, acting_user=admin, counter=merchant, name=goods_name, points=points, stock=stock, kind=kind)
            c.merchants.append(merchant)
    by_street: dict[int, list[Community]] = defaultdict(list)
    for c in communities:
        by_street[c.street_id].append(c)
    for members in by_street.values():
        for kind, title, days_ago in ((EventKind.MARKET, "公益集市", rng.randrange(30, 120)), (EventKind.DAY, "公益日", rng.randrange(150, 300))):
            host = rng.choice(members)
            held_on = as_of - dt.timedelta(days=days_ago)
            event = services.event_create(scope=scope, acting_user=admin, community=host.place, kind=kind, held_on=held_on,
                                          title=f"{_short(host.place.name)}{title}·积分兑换", venue=f"{host.place.name}文化广场",
                                          note="居民凭道德积分在摊位兑换")
            stalls = []
            for n in range(rng.randint(3, 5)):
                stall = services.counter_open(scope=scope, acting_user=admin, community=host.place, kind=CounterKind.STALL,
                                              name=f"{event.title} {n + 1}号摊位", event=event)
                for goods_name, points, stock in rng.sample(STALL_GOODS, 2):
                    services.goods_save(scope=scope, acting_user=admin, counter=stall, name=goods_name, points=points, stock=stock)
                stalls.append(stall)
            host.stalls[held_on] = stalls


def _participants(rng, communities: list[Community]) -> None:
    """A share of the residents, and every volunteer (their hours earn points)."""
    by_path = {c.place.path: c for c in communities}
    step = Place.steplen
    rows = Person.objects.filter(status=PersonStatus.RESIDENT).values_list("pk", "household_id", "place__path").order_by("pk")
    for person_id, household_id, path in rows.iterator(chunk_size=20_000):
        if rng.random() < PARTICIPANTS:
            community = by_path.get(path[: 3 * step])
            if community is not None:
                community.participants.append((person_id, household_id))
    by_pk = {c.place.pk: c for c in communities}
    taken = {p for c in communities for p in c.participants}
    volunteers = Volunteer.objects.filter(status="active").values_list("person_id", "person__household_id", "community_id").order_by("pk")
    for person_id, household_id, community_id in volunteers:
        if community_id in by_pk and (person_id, household_id) not in taken:
            by_pk[community_id].participants.append((person_id, household_id))


def _violators(rng, as_of, communities, events) -> dict[tuple, tuple[Community, dt.datetime]]:
    """A few participants (none of them volunteers) found to have 虚报 points in the last weeks:
    holder key → (community, when); nothing of theirs happens after."""
    volunteers = {_holder_of(kind, payload) for _when, _seq, kind, payload in events if kind == "volunteer"}
    found = {}
    for c in communities:
        for person_id, household_id in c.participants:
            key = holder_key(c, person_id, household_id)
            if rng.random() < VIOLATIONS and key not in volunteers:
                day = as_of - dt.timedelta(days=rng.randrange(1, 30))
                found[key] = (c, timezone.make_aware(dt.datetime.combine(day, dt.time(11))))
    return found


def _holder_of(kind: str, payload) -> tuple | None:
    """The holder account key an event credits or debits (None for a settlement)."""
    if kind == "deed":
        return holder_key(payload.community, payload.person_id, payload.household_id)
    if kind == "volunteer":
        return holder_key(payload[0], payload[2], payload[3])
    if kind in ("garbage", "redeem"):
        return holder_key(payload[0], payload[1], payload[2])
    return None


# ---- the plan: what happened, in order ------------------------------------------------------------


class _Planner:
    def __init__(self, rng, as_of, start, communities):
        self.rng, self.as_of, self.start, self.communities = rng, as_of, start, communities
        self.events: list[tuple] = []
        self.categories = list(DeedCategory.objects.filter(community__isnull=True, active=True).order_by("min_points", "name"))

    def _add(self, when: dt.datetime, kind: str, payload) -> None:
        self.events.append((when, len(self.events), kind, payload))

    def _at(self, day: dt.date, hour: int) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, self.rng.randrange(60))))

    def plan(self) -> list[tuple]:
        months = _months(self.start, self.as_of)
        garbage_from = months[-12]  # the stations weigh garbage for points since a year ago
        for c in self.communities:
            sorters = [p for p in c.participants if c.station and self.rng.random() < SORTERS]
            spenders = [p for p in c.participants if self.rng.random() >= SAVERS]
            for first in months:
                self._deeds(c, first)
                if c.pilot or first >= garbage_from:
                    self._garbage(c, sorters, first)
                self._redemptions(c, spenders, first)
                self._settlements(c, first)
            for day, stalls in c.stalls.items():
                for person_id, household_id in spenders:
                    if self.rng.random() < 0.4:
                        self._add(self._at(day, self.rng.randint(9, 11)), "redeem", (c, person_id, household_id, self.rng.choice(stalls), False))
        self._volunteers()
        self.events.sort(key=lambda e: (e[0], e[1]))
        return self.events

    def _days(self, first: dt.date) -> list[dt.date]:
        last = min(_month_after(first) - dt.timedelta(days=1), self.as_of)
        return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]

    def _deeds(self, c: Community, first: dt.date) -> None:
        if not self.categories or not c.participants:
            return
        rate = c.residents / 1000 * DEEDS_PER_THOUSAND
        days = self._days(first)
        for _n in range(max(0, round(rate * self.rng.uniform(0.5, 1.5)))):
            person_id, household_id = self.rng.choice(c.participants)
            deed = self._deed(c, person_id, household_id, self.rng.choice(days))
            if deed is not None:
                when = deed.credited_at or self._at(deed.reported_on, 10)
                self._add(when, "deed", deed)

    def _deed(self, c, person_id, household_id, occurred) -> DeedPlan | None:
        rng, as_of = self.rng, self.as_of
        category = rng.choice(self.categories)
        reported = occurred + dt.timedelta(days=rng.randrange(0, 5))
        if reported > as_of:
            return None
        deed = DeedPlan(community=c, person_id=person_id, household_id=household_id, category=category,
                        description=rng.choice(DEEDS.get(category.name, ("热心帮助邻里",))), occurred_on=occurred, reported_on=reported,
                        reported_by=rng.choice(("社区登记", "居民报送", "网格员报送")))
        reviewed = reported + dt.timedelta(days=rng.randrange(3, 15))
        if reviewed > as_of:
            return deed  # 待评议
        deed.reviewed_on, deed.reviewers = reviewed, rng.choice(REVIEWERS)
        if rng.random() < 0.1:
            deed.status, deed.review_note = DeedStatus.REJECTED, "事迹材料不足，不予认定"
            return deed
        deed.points = rng.randint(category.min_points, category.max_points)
        ends = reviewed + dt.timedelta(days=c.policy.publicity_days)
        if rng.random() < 0.12:
            raised = reviewed + dt.timedelta(days=rng.randrange(0, c.policy.publicity_days))
            if raised > as_of:
                raised = None
            else:
                resolved = raised + dt.timedelta(days=rng.randrange(2, 10))
                upheld = rng.random() < 0.4
                deed.objection = (raised, rng.choice(OBJECTIONS), resolved if resolved <= as_of else None, upheld)
                if resolved > as_of:
                    deed.status = DeedStatus.OBJECTED
                    return deed
                if upheld:
                    deed.status = DeedStatus.REJECTED
                    return deed
                ends = max(ends, resolved + dt.timedelta(days=1))
        deed.publicity_ends_on = ends
        credit_day = ends + dt.timedelta(days=1)  # the daily run after the 公示 ends
        if credit_day > as_of:
            deed.status = DeedStatus.PUBLICISED
            return deed
        deed.status, deed.credited_on = DeedStatus.CREDITED, credit_day
        deed.credited_at = timezone.make_aware(dt.datetime.combine(credit_day, dt.time(2, rng.randrange(60))))
        return deed

    def _garbage(self, c: Community, sorters, first: dt.date) -> None:
        days = self._days(first)
        rng = self.rng
        for person_id, household_id in sorters:
            for _n in range(rng.choice((0, 0, 0, 1))):
                day = rng.choice(days)
                weights = {"kitchen": Decimal(rng.randrange(50, 400)) / 100, "recyclable": Decimal(rng.choice((0, 0, 50, 120, 300))) / 100,
                           "hazardous": Decimal(rng.choice((0,) * 9 + (20,))) / 100, "other": Decimal(rng.choice((0, 0, 50, 100))) / 100}
                self._add(self._at(day, rng.choice((8, 9, 10, 16, 17))), "garbage", (c, person_id, household_id, day, weights))

    def _redemptions(self, c: Community, spenders, first: dt.date) -> None:
        counters = [k for k in [c.station, *c.merchants] if k is not None]
        if not counters:
            return
        days = self._days(first)
        for person_id, household_id in spenders:
            if self.rng.random() < REDEEM_CHANCE:
                counter = c.station if c.station and self.rng.random() < 0.7 else self.rng.choice(counters)
                if counter.kind == CounterKind.MERCHANT and counter.joined_on and counter.joined_on > days[-1]:
                    continue
                day = self.rng.choice([d for d in days if counter.joined_on is None or d >= counter.joined_on] or days)
                refund = self.rng.random() < REFUND_CHANCE
                self._add(self._at(day, self.rng.randint(9, 17)), "redeem", (c, person_id, household_id, counter, refund))

    def _settlements(self, c: Community, first: dt.date) -> None:
        """The month before `first` is settled on its third day, for merchants then open and the
        stalls of an event that month."""
        month = _month_before(first)
        day = first + dt.timedelta(days=2)
        if month < self.start.replace(day=1) or day > self.as_of:
            return
        counters = [m for m in c.merchants if m.joined_on and m.joined_on < first]
        counters += [s for held_on, stalls in c.stalls.items() if held_on.replace(day=1) == month for s in stalls]
        for counter in counters:
            self._add(self._at(day, 15), "settle", (counter, month))

    def _volunteers(self) -> None:
        """Every verified hours record of the volunteers stage, credited when it was verified."""
        communities = {c.place.pk: c for c in self.communities}
        last = timezone.make_aware(dt.datetime.combine(self.as_of + dt.timedelta(days=1), dt.time.min))
        rows = (ServiceRecord.objects.filter(reverses__isnull=True, reversed_by__isnull=True, verified_at__lt=last)
                .values_list("pk", "community_id", "volunteer__person_id", "volunteer__person__household_id", "hours", "verified_at",
                             "verified_by_id", "description").order_by("verified_at", "pk"))
        for pk, community_id, person_id, household_id, hours, verified_at, verified_by, description in rows.iterator(chunk_size=20_000):
            c = communities.get(community_id)
            if c is not None:
                self._add(verified_at, "volunteer", (c, pk, person_id, household_id, hours, verified_at, verified_by, description))


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    months, first = [], start.replace(day=1)
    while first <= end:
        months.append(first)
        first = _month_after(first)
    return months


def _month_after(first: dt.date) -> dt.date:
    return (first + dt.timedelta(days=32)).replace(day=1)


def _month_before(first: dt.date) -> dt.date:
    return (first - dt.timedelta(days=1)).replace(day=1)


# ---- the end: checks, counts, logins ---------------------------------------------------------------


def _check() -> None:
    wrong = services.ledger_check()
    unbalanced = services.unbalanced_transactions()
    negative = Account.objects.filter(balance__lt=0).exclude(kind="issuer").count()
    if wrong or unbalanced or negative:
        raise AssertionError(f"道德银行演示数据账目不平：余额不符 {len(wrong)} 个账户，借贷不平 {len(unbalanced)} 笔交易，负余额 {negative} 个账户")


def _tally(lapsed: int) -> dict[str, int]:
    return {"bank_deeds": Deed.objects.count(), "bank_garbage": GarbageDrop.objects.count(), "bank_redemptions": Redemption.objects.count(),
            "bank_transactions": Transaction.objects.count(), "bank_accounts": Account.objects.filter(kind__in=("resident", "household")).count(),
            "bank_settlements": Settlement.objects.count(), "bank_violations": Violation.objects.count(), "bank_lapsed": lapsed}


def _logins(scope: Scope, first: Community) -> list[str]:
    """The station's and a merchant's operators of the first community, and three residents' 积分卡 links."""
    password = make_password(DEMO_PASSWORD)
    lines = [f"  兑换点操作员（密码均为 {DEMO_PASSWORD}）："]
    for username, name, kind in OPERATORS:
        counter = first.station if kind == CounterKind.STATION else (first.merchants[0] if first.merchants else None)
        if counter is None:
            continue
        if User.objects.filter(username=username, is_superuser=True).exists():
            raise DemoLoginTaken(f"已有名为 {username} 的超级用户，演示账号不能覆盖它。请改名后重试。")
        user, _ = User.objects.update_or_create(username=username, defaults={"display_name": name, "password": password, "is_staff": False,
                                                                             "is_active": True})
        counter.operators.add(user)
        lines.append(f"    {username:<8} {counter.name}（{reverse('bank:counter', args=[counter.pk])}）")
    lines.append("  居民积分卡（免登录）：")
    holders = (Account.objects.filter(community=first.place, kind__in=("resident", "household"), balance__gt=0)
               .select_related("person", "household__head").order_by("-balance", "pk")[:CARDS])
    for account in holders:
        token = services.card_issue(scope=scope, account=account)
        holder = account.person or account.household.head
        lines.append(f"    {holder.name}（{account.balance} 分）：{reverse('bank:card', args=[token])}")
    return lines
