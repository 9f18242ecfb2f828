"""The demo's 民主决策: for every 社区, two to six decision matters over the last two years, most
by 四议两公开 and some by 一征三议两公开, a few in 小区, moving through their steps in time order
with plausible counts: most pass, some 党员大会 fall short of 2/3 and go back to 两委商议, a few
居民会议 votes fail and end the matter, the newest are still under way, one or two withdrawn.
Communities with 一肩挑 (about half) merge 提议 and 商议. The two 公开 steps are published to the
notice board through `notices.notice_publish`. About 60% of 社区 and a third of 小区 have a 公约,
adopted through a matter of their own and filed.

The outcome of each vote is computed by `services.evaluate` (the same threshold code as the
pages). Matters and step records are written with `bulk_create` at both scales (they have no
history rows, like every bulk-loaded record), then back-dated; the signature scans all point at
one small stored PDF.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from gongzhi.accounts.models import User
from gongzhi.core.scope import Scope
from gongzhi.decisions import services
from gongzhi.decisions.models import (
    CommunitySetting, DecisionMethod, Matter, MatterStatus, MethodStep, Outcome, StepRecord,
)
from gongzhi.org.models import Place, PlaceLevel

TITLES = ("加装电梯", "小区停车位划分", "老旧小区改造方案", "公共收益使用", "楼道照明改造", "垃圾分类投放点设置", "文化广场建设",
          "物业服务企业选聘", "雨污分流改造", "社区食堂运营", "充电桩安装", "绿化补植", "非机动车棚建设", "困难家庭帮扶方案")
CONVENTION = ("一、爱党爱国，遵纪守法，维护社区和谐稳定。\n二、邻里和睦，互帮互助，文明礼让。\n三、爱护公共设施，保持环境整洁，垃圾分类投放。\n"
              "四、移风易俗，红事新办、白事简办，反对铺张浪费。\n五、孝老爱亲，关爱未成年人，倡导良好家风。\n六、积极参与社区事务，支持社区建设。")
SIGNED_PDF = b"%PDF-1.4\n% demo scan of a signed attendance and vote sheet\n%%EOF\n"


def decisions_history(*, rng: random.Random, as_of: dt.date, bulk: bool, progress: Callable[[str], None]) -> dict[str, int]:
    user = User.objects.filter(username="quwei").first()
    communities = list(Place.objects.filter(level=PlaceLevel.COMMUNITY).only("name", "path", "level").order_by("path"))
    compounds: dict[str, list[Place]] = {}
    for k in Place.objects.filter(level=PlaceLevel.COMPOUND).only("name", "path", "level").order_by("path"):
        compounds.setdefault(k.path[: -Place.steplen], []).append(k)
    methods = {m.code: (m, list(m.steps.order_by("order"))) for m in DecisionMethod.objects.filter(active=True)}
    if "sy2gk" not in methods:
        return {}
    one_post = {c.pk for c in communities if rng.random() < 0.5}
    CommunitySetting.objects.bulk_create([CommunitySetting(community=c, secretary_is_director=c.pk in one_post) for c in communities],
                                         ignore_conflicts=True)
    scan = default_storage.save("decisions/demo/signatures.pdf", ContentFile(SIGNED_PDF))
    plans = []
    for c in communities:
        for i in range(rng.randint(2, 6)):
            code = "yz3y2gk" if "yz3y2gk" in methods and rng.random() < 0.25 else "sy2gk"
            compound = rng.choice(compounds[c.path]) if compounds.get(c.path) and rng.random() < 0.3 else None
            opened = as_of - dt.timedelta(days=rng.randint(3, 720))
            plans.append(_plan(rng, c, compound, *methods[code], opened, as_of, c.pk in one_post, rng.choice(TITLES)))
    matters = Matter.objects.bulk_create([p[0] for p in plans], batch_size=500)
    records = []
    for matter, steps_records, opened in plans:
        for r in steps_records:
            r.matter = matter
            if r.step.requires_signatures:
                r.signatures.name = scan
            r.recorded_by = user
        records += steps_records
    StepRecord.objects.bulk_create(records, batch_size=1000)
    for matter, _records, opened in plans:
        matter.created_at = timezone.make_aware(dt.datetime.combine(opened, dt.time(9)))
    Matter.objects.bulk_update([p[0] for p in plans], ["created_at"], batch_size=500)
    for r in records:
        r.created_at = timezone.make_aware(dt.datetime.combine(r.held_on, dt.time(17)))
    StepRecord.objects.bulk_update(records, ["created_at"], batch_size=1000)
    published = _publish(records, user)
    conventions = _conventions(rng, communities, compounds, plans, as_of, user)
    tally = {"decision_matters": len(matters), "decision_records": len(records), "decision_notices": published,
             "conventions": conventions}
    progress(f"  决策事项 {len(matters):,} 件，步骤记录 {len(records):,} 条，公开 {published:,} 条，居民公约 {conventions:,} 部")
    return tally


def _counts(rng, step: MethodStep, due: int, *, fail: bool) -> dict:
    """Plausible counts for a step; a vote meant to fail falls short of the threshold."""
    if not (step.requires_attendance or step.requires_vote):
        return {}
    present = due if not step.requires_vote else rng.randint(int(due * 0.7) + 1, due)
    if fail and step.attendance_fraction is not None and rng.random() < 0.5:
        present = max(1, services.needed(due, step.attendance_fraction, step.attendance_strict) - rng.randint(1, 3))
    data = {"due_count": due, "present_count": present}
    if step.requires_vote:
        yes = rng.randint(int(present * 0.3), int(present * 0.45)) if fail else rng.randint(int(present * 0.8), present)
        no = rng.randint(0, present - yes)
        data.update(votes_for=yes, votes_against=no, votes_abstain=rng.randint(0, present - yes - no))
    return data


def _plan(rng, community, compound, method, steps, opened, as_of, merge, title):
    matter = Matter(community=community, compound=compound, method=method, title=f"{compound.name if compound else community.name}{title}",
                    description=f"关于{title}的事项，经居民提出、社区党组织研究后启动{method.name}程序。", current_step=steps[0])
    records, day, i, returned = [], opened, 0, False
    stop = as_of - dt.timedelta(days=rng.randint(0, 40)) if opened > as_of - dt.timedelta(days=60) else as_of
    if rng.random() < 0.03:
        matter.status, matter.current_step, matter.withdraw_reason = MatterStatus.WITHDRAWN, None, "居民意见分歧较大，暂缓实施"
        return matter, records, opened
    while i < len(steps):
        step = steps[i]
        day += dt.timedelta(days=rng.randint(2, 12) if step.order < 6 else rng.randint(30, 120))
        if day > stop:
            break
        due = {"party_congress": rng.randint(25, 90), "residents": rng.randint(30, 60), "committees": rng.randint(7, 11)}.get(step.actor, 0)
        fail = step.requires_vote and (rng.random() < (0.12 if not returned else 0.0))
        counts = _counts(rng, step, due, fail=fail)
        verdict = services.evaluate(step, due=counts.get("due_count"), present=counts.get("present_count"), votes_for=counts.get("votes_for"))
        merged = bool(records) and step.may_merge_with_previous and merge and records[-1].step.order == step.order - 1
        record = StepRecord(step=step, held_on=records[-1].held_on if merged else day, merged_with_previous=merged, threshold=step.threshold_text(),
                            outcome=Outcome.PASSED if verdict.passed else Outcome.FAILED, fail_reason=verdict.reason,
                            minutes=f"{step.name}：{step.get_actor_display()}会议，议题“{matter.title}”，与会人员充分讨论。", **counts)
        if step.publication_days:
            record.notice_text = f"{matter.title}：{'经居民代表会议表决通过，现予公开。' if step.publishes == 'resolution' else '已实施完毕，现将实施结果公开。'}"
            record.published_from = record.held_on
            record.published_until = record.held_on + dt.timedelta(days=step.publication_days - 1)
        records.append(record)
        services.advance(matter, step, verdict)
        if not verdict.passed:
            returned = True
            if matter.current_step is None:
                break
            i = next(n for n, s in enumerate(steps) if s.pk == matter.current_step.pk)
            continue
        i += 1
    return matter, records, opened


def _publish(records, user) -> int:
    from gongzhi.notices.services import notice_publish

    n = 0
    for r in records:
        if r.step.publishes and r.outcome == Outcome.PASSED:
            matter = r.matter
            notice_publish(community=matter.community, compound=matter.compound, kind=r.step.publishes, title=f"{matter.title} · {r.step.name}",
                           body=r.notice_text, starts_on=r.published_from, ends_on=r.published_until, source=r, acting_user=user)
            n += 1
    return n


def _conventions(rng, communities, compounds, plans, as_of, user) -> int:
    scope = Scope.of(whole_tree=True)
    adopted = {}
    for matter, _records, _opened in plans:
        if matter.status in (MatterStatus.PASSED, MatterStatus.ENDED):
            adopted.setdefault((matter.community_id, matter.compound_id), matter)
    made = 0
    for c in communities:
        places = [(c, None)] + [(c, k) for k in compounds.get(c.path, []) if rng.random() < 0.35]
        for community, compound in places:
            if compound is None and rng.random() >= 0.6:
                continue
            matter = adopted.get((community.pk, compound.pk if compound else None))
            if matter is None:
                continue
            convention = services.convention_create(scope=scope, acting_user=user, community=community, compound=compound,
                                                    title=f"{(compound or community).name}{'小区公约' if compound else '居民公约'}")
            version = services.convention_version_adopt(scope=scope, acting_user=user, convention=convention, text=CONVENTION, matter=matter)
            filed = min(as_of, version.adopted_on + dt.timedelta(days=rng.randint(5, 30)))
            services.convention_version_file(scope=scope, acting_user=user, version=version, filed_on=filed, today=as_of)
            made += 1
    return made
