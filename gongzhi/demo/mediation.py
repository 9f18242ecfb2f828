"""The demo's 第三调解室: mediators and some 18 months of mediation cases in every 社区.

Each 社区 gets two 调解志愿者, one or two 社区调解员 and a 社区法官 (a judge of the district court who
sits in several communities: one name per street). Cases arrive at one to three a month (more in
larger communities), mostly 邻里 and 婚姻家庭 disputes; small ones go to a volunteer, ordinary ones
to a community mediator, larger ones to the judge; about one in eight is escalated with a reason.
Older cases are closed — most by an agreement (with its terms, a 回访 or two, and now and then a
joint application for 司法确认), some failed or withdrawn — mostly within the month, some late;
recent ones are still open, a few past their due date, so the overdue alert has something to show.
The first community's volunteer mediator gets a login (`tiaojie1`, no role grant).

Rows go in with `bulk_create` at every scale (they carry no history rows, like every bulk-loaded
record of the demo); numbers are handed out per 社区 and year as the service does.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from gongzhi.accounts.models import User
from gongzhi.core.pii import encrypt, mask_phone
from gongzhi.mediation.models import (
    Assignment, Case, CaseParty, CaseStatus, Category, FollowUp, MediationRules, Mediator, Session, Tier,
)
from gongzhi.org.models import Place, PlaceLevel

from .families import MOBILE_PREFIXES
from .logins import DEMO_PASSWORD, DemoLoginTaken
from .names import SURNAMES

MONTHS = 18
GIVEN = "建国秀英志强丽娟海燕文明桂兰德华玉梅春生红霞振华淑珍国庆晓东"
DISPUTES = {  # category code: (description, facts, terms)
    "neighbour": [("楼上装修噪音扰民，双方多次争吵", "被申请人装修期间早晚施工，影响申请人休息。", "被申请人每日8时至12时、14时至18时施工，并向申请人赔礼道歉。"),
                  ("楼上漏水殃及楼下，就维修费用争执", "被申请人家卫生间防水层老化漏水，致申请人家顶棚受损。", "被申请人赔偿维修费%(money)s元，并于一周内修复防水层。"),
                  ("楼道堆放杂物引发口角", "被申请人长期在楼道堆放杂物，影响通行和消防安全。", "被申请人三日内清理楼道杂物，今后不再堆放。")],
    "marriage": [("夫妻因赡养老人问题发生矛盾", "双方就老人赡养费用分担发生争执。", "双方每月各负担老人生活费%(money)s元，轮流照料。"),
                 ("离婚后子女探望发生争执", "双方离婚后就探望子女的时间安排发生争执。", "申请人每月第一、三个周末探望子女，被申请人予以配合。")],
    "housing": [("院墙界址不清引发纠纷", "双方院墙界址不清，被申请人砌墙占用申请人院落。", "被申请人拆除越界部分院墙，以原界桩为界。")],
    "damages": [("电动车剐蹭致人受伤", "被申请人骑电动车剐蹭申请人，致其手臂擦伤。", "被申请人赔偿医药费、误工费共计%(money)s元。"),
                ("宠物犬咬伤邻居", "被申请人饲养的犬只咬伤申请人小腿。", "被申请人赔偿疫苗费和医药费共计%(money)s元。")],
    "business": [("商户拖欠装修款", "被申请人店铺装修完工后未按约支付尾款。", "被申请人分两期支付尾款%(money)s元。")],
    "other": [("停车位使用引发争执", "双方就小区公共停车位的使用发生争执。", "双方按物业划线停车，互不占用。")],
}
CATEGORY_WEIGHTS = (("neighbour", 45), ("marriage", 20), ("housing", 10), ("damages", 12), ("business", 6), ("other", 7))
REASONS = ("涉及金额较大，志愿者调解未果", "当事人情绪对立，需社区调解员介入", "涉及人身损害赔偿，需社区法官释法说理")
PLACES = ("社区第三调解室", "社区党群服务中心调解室", "小区议事亭")


def mediation_history(*, rng: random.Random, as_of: dt.date, bulk: bool, progress: Callable[[str], None]) -> dict[str, int]:
    tiers = {t.code: t for t in Tier.objects.all()}
    categories = {c.code: c for c in Category.objects.all()}
    rules = MediationRules.current()
    worker = User.objects.filter(username="shequ1").first()
    communities = list(Place.objects.filter(level=PlaceLevel.COMMUNITY).order_by("path"))
    mediators = _mediators(rng, communities, tiers)
    if communities:
        _login(mediators[communities[0].pk]["volunteer"][0])
    plan = _Plan(rng, as_of, rules, tiers, categories, worker)
    for community in communities:
        plan.community(community, mediators[community.pk], size=rng.choice((1, 1, 2, 2, 3)))
    plan.write()
    tally = {"mediation_mediators": Mediator.objects.count(), "mediation_cases": len(plan.cases), "mediation_sessions": len(plan.sessions),
             "mediation_open": sum(c.status in (CaseStatus.RECEIVED, CaseStatus.MEDIATING) for c in plan.cases)}
    progress(f"  调解员 {tally['mediation_mediators']:,} 名，调解案件 {tally['mediation_cases']:,} 件（未结 {tally['mediation_open']:,} 件），"
             f"调解笔录 {tally['mediation_sessions']:,} 份")
    if User.objects.filter(username="tiaojie1").exists():
        progress("  调解志愿者账号（无角色授权，密码 gongzhi-demo）：tiaojie1，登录后在工作台看到本人承办的案件")
    return tally


def _name(rng) -> str:
    surname = rng.choices([s for s, _w in SURNAMES], weights=[w for _s, w in SURNAMES])[0]
    return surname + "".join(rng.sample(GIVEN, rng.choice((1, 2))))


def _phone(rng) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(100_000_000):08d}"


def _mediators(rng, communities, tiers) -> dict[int, dict[str, list[Mediator]]]:
    judges: dict[str, str] = {}
    rows = []
    for community in communities:
        street = community.path[: 2 * Place.steplen]
        judge = judges.setdefault(street, _name(rng))
        people = [("volunteer", _name(rng), "退休教师"), ("volunteer", _name(rng), "楼栋长"), ("mediator", _name(rng), "社区居委会")]
        if rng.random() < 0.5:
            people.append(("mediator", _name(rng), "社区居委会"))
        people.append(("judge", judge, "区人民法院"))
        seen = set()
        for code, name, unit in people:
            if (name, code) in seen:
                continue
            seen.add((name, code))
            phone = _phone(rng)
            rows.append(Mediator(community=community, name=name, tier=tiers[code], organisation=unit, phone_enc=encrypt(phone), phone_mask=mask_phone(phone)))
    Mediator.objects.bulk_create(rows, batch_size=1000)
    out: dict[int, dict[str, list[Mediator]]] = {}
    for m in Mediator.objects.filter(community__in=communities).select_related("tier"):
        out.setdefault(m.community_id, {}).setdefault(m.tier.code, []).append(m)
    return out


def _login(mediator: Mediator) -> None:
    if User.objects.filter(username="tiaojie1", is_superuser=True).exists():
        raise DemoLoginTaken("已有名为 tiaojie1 的超级用户，演示账号不能覆盖它。请改名后重试。")
    user, _ = User.objects.update_or_create(username="tiaojie1", defaults={"display_name": mediator.name, "password": make_password(DEMO_PASSWORD),
                                                                             "is_staff": False, "is_active": True})
    Mediator.objects.filter(pk=mediator.pk).update(user=user)


class _Plan:
    """Cases planned in memory with their keys, then written in a few bulk inserts."""

    def __init__(self, rng, as_of, rules, tiers, categories, worker):
        self.rng, self.as_of, self.rules, self.tiers, self.categories, self.worker = rng, as_of, rules, tiers, categories, worker
        self.cases, self.parties, self.assignments, self.sessions, self.followups = [], [], [], [], []
        self.next_id = (Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1

    def community(self, community: Place, mediators: dict[str, list[Mediator]], size: int) -> None:
        start = self.as_of - dt.timedelta(days=30 * MONTHS)
        day, seqs = start, {}
        while True:
            day += dt.timedelta(days=self.rng.randint(5, 30 // size + 12))
            if day > self.as_of:
                break
            seqs[day.year] = seqs.get(day.year, 0) + 1
            self._case(community, mediators, day, seqs[day.year])

    def _case(self, community, mediators, received_on, seq) -> None:
        rng, as_of = self.rng, self.as_of
        code = rng.choices([c for c, _w in CATEGORY_WEIGHTS], weights=[w for _c, w in CATEGORY_WEIGHTS])[0]
        description, facts, terms = rng.choice(DISPUTES[code])
        tier = "volunteer" if code == "neighbour" and rng.random() < 0.7 else ("judge" if code in ("damages", "business") and rng.random() < 0.5 else "mediator")
        case = Case(pk=self.next_id, community=community, year=received_on.year, seq=seq, category=self.categories[code], tier=self.tiers[tier],
                    source=rng.choices(["party", "referral", "grid"], weights=[60, 15, 25])[0], description=description, received_on=received_on,
                    due_on=received_on + dt.timedelta(days=self.rules.due_days), intake_by=self.worker, status=CaseStatus.RECEIVED)
        self.next_id += 1
        if case.source != "party":
            case.referred_by = "派出所" if case.source == "referral" else "网格员" + _name(rng)
        for i, role in enumerate(("applicant", "respondent")):
            phone = _phone(rng)
            self.parties.append(CaseParty(case=case, role=role, name=_name(rng), gender=rng.choice(("male", "female")), age=rng.randint(25, 78),
                                          phone_enc=encrypt(phone), phone_mask=mask_phone(phone), address=f"{community.name}{rng.randint(1, 20)}号楼", order=i))
        age = (as_of - received_on).days
        if age < 2 and rng.random() < 0.5:
            self.cases.append(case)  # still waiting for a mediator
            return
        at = timezone.make_aware(dt.datetime.combine(received_on + dt.timedelta(days=1), dt.time(9)))
        self._assign(case, mediators, tier, at, rng)
        if rng.random() < 0.12 and tier != "judge":
            higher = "judge" if tier == "mediator" or rng.random() < 0.3 else "mediator"
            at += dt.timedelta(days=rng.randint(3, 10))
            self.assignments.append(Assignment(case=case, kind="escalate", from_tier=case.tier, tier=self.tiers[higher],
                                               mediator=rng.choice(mediators[higher]), reason=rng.choice(REASONS), at=at, by=self.worker))
            case.tier, case.mediator = self.tiers[higher], self.assignments[-1].mediator
        lasting = rng.choice((7, 12, 18, 24, 28, 29, 35, 45))  # days the mediation takes
        sessions = rng.randint(1, 3)
        for n in range(sessions):
            held = received_on + dt.timedelta(days=min(lasting, 2 + n * max(1, lasting // sessions)))
            if held > as_of:
                break
            self.sessions.append(Session(case=case, held_on=held, place=rng.choice(PLACES), attendees="双方当事人、" + case.mediator.name,
                                         record=f"第{n + 1}次调解：双方陈述意见，调解员释法说理。", mediator=case.mediator, recorded_by=self.worker))
        closed_on = received_on + dt.timedelta(days=lasting)
        if closed_on <= as_of and rng.random() < 0.97:
            self._close(case, closed_on, facts, terms)
        self.cases.append(case)

    def _assign(self, case, mediators, tier, at, rng) -> None:
        case.mediator, case.status = rng.choice(mediators[tier]), CaseStatus.MEDIATING
        self.assignments.append(Assignment(case=case, kind="assign", tier=case.tier, mediator=case.mediator, at=at, by=self.worker))

    def _close(self, case, closed_on, facts, terms) -> None:
        rng = self.rng
        outcome = rng.choices([CaseStatus.AGREED, CaseStatus.FAILED, CaseStatus.WITHDRAWN], weights=[78, 14, 8])[0]
        case.status, case.closed_on = outcome, closed_on
        if outcome == CaseStatus.FAILED:
            case.outcome_note = "双方分歧较大，调解不成，已告知当事人可依法通过仲裁、诉讼等途径解决。"
            return
        if outcome == CaseStatus.WITHDRAWN:
            case.outcome_note = "双方自行和解，申请人撤回调解申请。"
            return
        case.facts, case.terms = facts, terms % {"money": rng.choice((500, 800, 1200, 1500, 2000, 3000))}
        case.performance, case.perform_by = rng.choice(("现金一次性支付", "按约定自行履行", "分期支付")), closed_on + dt.timedelta(days=rng.choice((7, 15, 30)))
        case.confirm_until = closed_on + dt.timedelta(days=self.rules.confirm_days)
        if rng.random() < 0.15:
            case.confirm_applied_on = min(self.as_of, closed_on + dt.timedelta(days=rng.randint(3, 20)))
        visit = case.perform_by + dt.timedelta(days=rng.randint(1, 10))
        if visit <= self.as_of:
            performance = rng.choices(["performed", "partly", "not"], weights=[85, 10, 5])[0]
            self.followups.append(FollowUp(case=case, visited_on=visit, performance=performance, recorded_by=self.worker,
                                           note="" if performance == "performed" else "已督促当事人按协议履行。"))

    def write(self) -> None:
        Case.objects.bulk_create(self.cases, batch_size=1000)
        for rows in (self.parties, self.assignments, self.sessions, self.followups):
            for row in rows:
                row.case_id = row.case.pk
            if rows:
                type(rows[0]).objects.bulk_create(rows, batch_size=1000)
