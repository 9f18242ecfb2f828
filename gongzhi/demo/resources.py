"""The demo's 资源清单 (found by 地毯式摸底) and what each project drew on: in every community the
volunteers with a skill (才), some party members (人), the rooms and tools of the 党群服务中心 (物),
the community's 专项资金 and two or three 驻区单位 with what they committed; each project then has
one to three of its community's resources committed to it, from the day it opened. Party members
committed to a project that was closed score member points through the ledger (the points stage
runs after this one)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal

from django.utils import timezone

from gongzhi.core.bulk import insert_rows, reserve_ids
from gongzhi.needs.models import Project, ProjectResource, Resource, ResourceKind
from gongzhi.org.models import Place, PlaceLevel
from gongzhi.volunteers.models import Volunteer

K = ResourceKind
TALENTS, MEMBERS = 8, 4  # per community
THINGS = (("党群服务中心活动室", 60, "工作日 9:00-21:00"), ("多功能会议室", 30, "需提前一天预约"), ("共享工具箱", 1, "随借随还"),
          ("便民服务站轮椅", 2, "随借随还"))
UNITS = (
    ("区人民医院", "每月一次义诊，慢病随访"), ("供电所", "用电安全检查，楼道线路整改"), ("第一小学", "假期开放操场，四点半课堂"),
    ("物业服务公司", "设施维修、绿化养护"), ("律师事务所", "每周半天法律咨询"), ("银行支行", "防诈骗宣传，老年人智能手机培训"),
)
NOTES = {K.PERSON: "组织居民、入户走访", K.TALENT: "专业服务", K.THING: "提供场地或物品", K.FUND: "专项资金支出", K.UNIT: "履行共建承诺"}


def resources_history(*, rng: random.Random, as_of: dt.date, progress: Callable[[str], None]) -> dict[str, int]:
    communities = dict(Place.objects.filter(level=PlaceLevel.COMMUNITY).values_list("id", "name"))
    now, at = timezone.now(), timezone.make_aware(dt.datetime.combine(as_of - dt.timedelta(days=400), dt.time(10)))
    rows, skill_links, by_community = [], [], {}
    volunteers = (Volunteer.objects.filter(status="active", community_id__in=communities)
                  .values_list("id", "community_id", "person_id", "person__name", "person__place_id", "kind").order_by("community_id", "id"))
    skills: dict[int, list[int]] = {}
    for volunteer_id, skill_id in Volunteer.skills.through.objects.filter(volunteer__community_id__in=communities).values_list("volunteer_id", "skill_id"):
        skills.setdefault(volunteer_id, []).append(skill_id)
    taken: dict[int, list[int]] = {}
    for volunteer_id, community, person_id, name, place_id, kind in volunteers:
        counts = taken.setdefault(community, [0, 0])
        if volunteer_id in skills and counts[0] < TALENTS:
            counts[0] += 1
            rows.append(_row(name, K.TALENT, place_id, now, at, person_id=person_id, volunteer_id=volunteer_id, availability_note=rng.choice(("周末", "工作日晚上", "随时"))))
            skill_links.append((len(rows) - 1, skills[volunteer_id]))
        elif kind == "member" and counts[1] < MEMBERS:
            counts[1] += 1
            rows.append(_row(name, K.PERSON, place_id, now, at, person_id=person_id, volunteer_id=volunteer_id, availability_note="周末"))
    for community, name in communities.items():
        for thing, quantity, note in THINGS:
            rows.append(_row(f"{name}{thing}" if thing.startswith("党群") else thing, K.THING, community, now, at, quantity=quantity, availability_note=note))
        rows.append(_row(f"{name}为民服务专项资金", K.FUND, community, now, at, amount=Decimal(rng.choice((100_000, 150_000, 200_000)))))
        for unit, commitment in rng.sample(UNITS, rng.randint(2, 3)):
            rows.append(_row(unit, K.UNIT, community, now, at, unit_name=unit, commitment=commitment,
                             committed_until=dt.date(as_of.year + 1, 12, 31), contact_note="经社区党委联系"))
    ids = reserve_ids(Resource, len(rows))
    paths = dict(Place.objects.filter(pk__in={r["place_id"] for r in rows}).values_list("id", "path"))
    community_by_path = {path: pk for pk, path in Place.objects.filter(level=PlaceLevel.COMMUNITY).values_list("id", "path")}
    step = Place.steplen
    for pk, row in zip(ids, rows):
        row["id"] = pk
        by_community.setdefault(community_by_path.get(paths[row["place_id"]][: 3 * step]), []).append((pk, row["kind"]))
    insert_rows(Resource, rows, with_pk=True)
    insert_rows(Resource.skills.through, [{"resource_id": ids[i], "skill_id": s} for i, chosen in skill_links for s in chosen])
    progress(f"  资源 {len(rows):,} 项")
    links = _commitments(rng, by_community, now)
    progress(f"  项目投入资源 {links:,} 项")
    return {"resources": len(rows), "project_resources": links}


def _row(name, kind, place_id, now, at, **fields) -> dict:
    return {"name": name[:100], "kind": kind, "place_id": place_id, "available": True, "recorded_at": at, "created_at": now, "updated_at": now,
            "person_id": None, "volunteer_id": None, "quantity": None, "amount": None, "unit_name": "", "commitment": "", "committed_until": None,
            "availability_note": "", "contact_note": "", **fields}


def _commitments(rng: random.Random, by_community: dict, now) -> int:
    written, batch = 0, []
    for pk, community, opened_on in Project.objects.values_list("id", "place_id", "opened_on").order_by("id").iterator(chunk_size=20_000):
        pool = by_community.get(community)
        if not pool:
            continue
        for resource_id, kind in rng.sample(pool, min(len(pool), rng.randint(1, 3))):
            batch.append({"project_id": pk, "resource_id": resource_id, "note": NOTES[kind], "committed_on": opened_on})
        if len(batch) >= 50_000:
            written += insert_rows(ProjectResource, batch)
            batch = []
    if batch:
        written += insert_rows(ProjectResource, batch)
    return written
