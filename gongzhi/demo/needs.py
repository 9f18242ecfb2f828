"""The demo's 三张清单: needs over the last three years through every channel, most of them closed
and visited, some open and some overdue (the 挂账 ledger shows them); projects formed from groups
of needs, most closed (销号) with a result, some running with their tasks. Written in bulk: the
steps are written for the last year's needs only (older ones keep their timestamps)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal

from django.utils import timezone

from gongzhi.core.bulk import insert_rows, reserve_ids
from gongzhi.needs.models import Need, NeedCategory, NeedStatus, NeedStep, Project, ProjectStatus, ProjectTask
from gongzhi.org.models import PartyOrganization, Place, PlaceLevel

YEARS = 3
TITLES = {
    "环境卫生": ("楼道堆放杂物", "垃圾清运不及时", "小区绿化带杂草"), "设施维修": ("楼道灯不亮", "单元门禁损坏", "下水管道堵塞"),
    "矛盾纠纷": ("邻里噪音纠纷", "停车位争议", "漏水引发邻里矛盾"), "养老助残": ("独居老人助餐", "残疾人出行帮扶", "老人理发上门"),
    "就业帮扶": ("失业人员求职", "技能培训报名"), "政策咨询": ("医保报销咨询", "低保申请咨询"), "安全隐患": ("电动车楼道充电", "外墙脱落隐患"),
    "其他": ("其他诉求",),
}
CHANNELS = (("grid_visit", 0.45), ("phone", 0.2), ("meeting", 0.1), ("hotline", 0.15), ("self", 0.1))
SUMMARIES = ("针对居民反映的“{name}”等{n}件诉求，社区党组织牵头、驻区单位和志愿者参与，已整改完成并经居民代表验收。",
             "“{name}”问题已解决：共办结群众诉求{n}件，回访居民满意。", "社区协调多方力量完成“{name}”整治，涉及诉求{n}件，已销号。")
OPEN_SHARE = 0.06  # of the needs older than their time limit, still open (挂账)
BATCH = 50_000


def needs_history(*, rng: random.Random, as_of: dt.date, needs: int, projects: int, progress: Callable[[str], None]) -> dict[str, int]:
    categories = list(NeedCategory.objects.filter(is_active=True))
    buildings = list(Place.objects.filter(level=PlaceLevel.BUILDING).values_list("id", "path"))
    if not buildings or not categories or not needs:
        return {"needs": 0, "projects": 0}
    communities = {path: pk for pk, path in Place.objects.filter(level=PlaceLevel.COMMUNITY).values_list("id", "path")}
    committee = dict(PartyOrganization.objects.filter(kind__code="community_committee").values_list("place_id", "id"))
    world = _World(rng, as_of, categories, buildings, communities, committee)
    written = {"needs": 0, "projects": 0, "steps": 0}
    for first in range(0, needs, BATCH):  # in batches: memory stays bounded
        size = min(BATCH, needs - first)
        batch = world.needs(size)
        made = world.projects(batch, round(projects * size / needs))
        insert_rows(Project, made, with_pk=True)
        insert_rows(Need, batch, with_pk=True)
        steps = [row for need in batch if (as_of - need["registered_at"].date()).days <= 365 for row in _steps(need)]
        insert_rows(NeedStep, steps)
        insert_rows(ProjectTask, world.tasks(made))
        written["needs"] += len(batch)
        written["projects"] += len(made)
        written["steps"] += len(steps)
        progress(f"  需求 {written['needs']:,} 条，项目 {written['projects']:,} 个，办理记录 {written['steps']:,} 条")
    return {"needs": written["needs"], "projects": written["projects"]}


class _World:
    def __init__(self, rng, as_of, categories, buildings, communities, committee):
        self.rng, self.as_of, self.categories, self.buildings = rng, as_of, categories, buildings
        self.communities, self.committee = communities, committee
        self.now = timezone.now()
        self.start = as_of - dt.timedelta(days=365 * YEARS)
        self.step = Place.steplen

    def needs(self, size: int) -> list[dict]:
        rng, rows = self.rng, []
        for pk in reserve_ids(Need, size):
            category = rng.choice(self.categories)
            building, path = rng.choice(self.buildings)
            day = self.start + dt.timedelta(days=rng.randrange(365 * YEARS))
            registered = timezone.make_aware(dt.datetime.combine(day, dt.time(8 + rng.randrange(10), rng.randrange(60))))
            status = _status(rng, (self.as_of - day).days, category)
            channel = _channel(rng)
            row = {"id": pk, "title": rng.choice(TITLES.get(category.name, ("居民诉求",))), "category_id": category.pk, "place_id": building,
                   "channel": channel, "urgency": "normal" if rng.random() < 0.85 else "urgent", "status": status, "registered_at": registered,
                   "created_at": self.now, "updated_at": self.now, "_community": self.communities.get(path[: 3 * self.step]),
                   "source_ref": f"12345-{day:%Y%m%d}-{pk % 10000:04d}" if channel == "hotline" else ""}
            row |= _moments(rng, registered, category, status, self.now)
            if status in (NeedStatus.CLOSED, NeedStatus.VISITED):
                row["result"] = "已协调处理完毕"
            if status == NeedStatus.VISITED:
                row["satisfaction"] = "satisfied" if rng.random() < 0.85 else "basic" if rng.random() < 0.8 else "unsatisfied"
            rows.append(row)
        return rows

    def projects(self, batch: list[dict], count: int) -> list[dict]:
        """Groups of one to five needs of one community; a project is closed when all its needs are."""
        rng, by_community = self.rng, {}
        for i, row in enumerate(batch):
            if row["_community"] in self.committee:
                by_community.setdefault(row["_community"], []).append(i)
        if not by_community:
            return []
        keys, made = list(by_community), []
        for pk in reserve_ids(Project, count):
            community = rng.choice(keys)
            members = [i for i in rng.sample(by_community[community], min(len(by_community[community]), rng.randint(1, 5))) if "project_id" not in batch[i]]
            if not members:
                continue
            opened = min(min(batch[i]["registered_at"] for i in members).date() + dt.timedelta(days=rng.randrange(1, 20)), self.as_of)
            still_open = any(batch[i]["status"] in OPEN for i in members)
            status = (ProjectStatus.RUNNING if rng.random() < 0.8 else ProjectStatus.OPENED) if still_open else ProjectStatus.CLOSED
            closed_on = min(opened + dt.timedelta(days=rng.randrange(10, 120)), self.as_of) if status == ProjectStatus.CLOSED else None
            made.append({"id": pk, "name": f"{batch[members[0]]['title']}整治项目", "place_id": community, "organization_id": self.committee[community],
                         "leader_name": "社区书记", "budget": Decimal(rng.choice((0, 2000, 5000, 20000, 50000))), "status": status,
                         "opened_on": opened, "closed_on": closed_on, "result": "已完成并通过验收" if closed_on else "",
                         "evidence": "验收单、现场照片" if closed_on else "",
                         "public_summary": rng.choice(SUMMARIES).format(name=batch[members[0]]["title"], n=len(members)) if closed_on else "",
                         "created_at": self.now, "updated_at": self.now})
            for i in members:
                batch[i]["project_id"] = pk
                if still_open and batch[i]["status"] in (NeedStatus.REGISTERED, NeedStatus.ACCEPTED):
                    batch[i]["status"] = NeedStatus.IN_PROGRESS
                    batch[i].setdefault("accepted_at", batch[i]["registered_at"])
                    batch[i]["started_at"] = max(timezone.make_aware(dt.datetime.combine(opened, dt.time(9))), batch[i]["accepted_at"])
        for row in batch:
            row.pop("_community", None)
        return made

    def tasks(self, made: list[dict]) -> list[dict]:
        rng, rows = self.rng, []
        for p in made:
            for n in range(rng.randint(1, 3)):
                done = p["closed_on"] is not None or rng.random() < 0.5
                day = min(p["opened_on"] + dt.timedelta(days=10 * (n + 1)), self.as_of)
                rows.append({"project_id": p["id"], "title": ("现场勘查", "制定方案", "组织实施")[n], "owner_name": "网格员",
                             "due_on": p["opened_on"] + dt.timedelta(days=15 * (n + 1)),
                             "done_at": timezone.make_aware(dt.datetime.combine(day, dt.time(17))) if done else None})
        return rows


OPEN = (NeedStatus.REGISTERED, NeedStatus.ACCEPTED, NeedStatus.IN_PROGRESS)


def _channel(rng: random.Random) -> str:
    draw, total = rng.random(), 0.0
    for code, share in CHANNELS:
        total += share
        if draw < total:
            return code
    return CHANNELS[-1][0]


def _status(rng: random.Random, age: int, category) -> str:
    if age > category.close_days and rng.random() >= OPEN_SHARE:
        return NeedStatus.VISITED if rng.random() < 0.8 else NeedStatus.CLOSED
    if age <= category.accept_days:
        return rng.choice((NeedStatus.REGISTERED, NeedStatus.ACCEPTED))
    return rng.choice((NeedStatus.REGISTERED, NeedStatus.ACCEPTED, NeedStatus.IN_PROGRESS, NeedStatus.IN_PROGRESS))


def _moments(rng: random.Random, registered: dt.datetime, category, status: str, now: dt.datetime) -> dict:
    order = (NeedStatus.ACCEPTED, NeedStatus.IN_PROGRESS, NeedStatus.CLOSED, NeedStatus.VISITED)
    fields = ("accepted_at", "started_at", "closed_at", "visited_at")
    reached = order.index(status) + 1 if status in order else 0
    out, at = {}, registered
    for field, days in zip(fields[:reached], (category.accept_days, category.close_days // 2, category.close_days // 2, 5)):
        at = min(at + dt.timedelta(hours=rng.randrange(1, max(2, days * 24))), now)
        out[field] = at
    return out


def _steps(need: dict) -> list[dict]:
    rows = [{"need_id": need["id"], "from_status": "", "to_status": NeedStatus.REGISTERED, "at": need["registered_at"], "note": ""}]
    previous = NeedStatus.REGISTERED
    for field, to in (("accepted_at", NeedStatus.ACCEPTED), ("started_at", NeedStatus.IN_PROGRESS), ("closed_at", NeedStatus.CLOSED), ("visited_at", NeedStatus.VISITED)):
        if need.get(field):
            rows.append({"need_id": need["id"], "from_status": previous, "to_status": to, "at": need[field], "note": ""})
            previous = to
    return rows
