"""The demo's volunteers: party members and residents registered with their communities, two
activities a month in each community over the last year with sign-ups, check-in and check-out,
and the hours verified (by the district admin's demo login) for those past; then teams, posts
and shift rosters (demo/duty.py). The party members' hours score member points in the points
stage, which runs after this one, through the real ledger_sync."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from gongzhi.accounts.models import User
from gongzhi.core.bulk import insert_rows, reserve_ids
from gongzhi.org.models import Place, PlaceLevel
from gongzhi.people.models import MemberStatus, PartyMember, Person, PersonStatus
from gongzhi.volunteers.models import Activity, ActivityStatus, ServiceRecord, ServiceSource, Signup, Skill, Volunteer

from .duty import duty_history

MEMBER_SHARE, RESIDENT_SHARE = 0.3, 0.01
ACTIVITIES = ("楼道清扫", "敬老院慰问", "垃圾分类宣传", "义诊义剪", "文明交通劝导", "防诈骗宣传", "关爱留守儿童", "环境整治")


def volunteers_history(*, rng: random.Random, as_of: dt.date, progress: Callable[[str], None]) -> dict[str, int]:
    user = User.objects.filter(username="quwei").first()
    step = Place.steplen
    communities = {path: pk for pk, path in Place.objects.filter(level=PlaceLevel.COMMUNITY).values_list("id", "path")}
    members = dict(PartyMember.objects.filter(status=MemberStatus.ACTIVE).values_list("person_id", "pk"))
    skills = list(Skill.objects.values_list("pk", flat=True))
    now, rows, links, by_community = timezone.now(), [], [], {}
    for person_id, path in Person.objects.filter(status=PersonStatus.RESIDENT).values_list("pk", "place__path").iterator(chunk_size=20_000):
        member = person_id in members
        if rng.random() >= (MEMBER_SHARE if member else RESIDENT_SHARE):
            continue
        community = communities.get(path[: 3 * step])
        if community is None:
            continue
        rows.append({"person_id": person_id, "community_id": community, "kind": "member" if member else "resident", "status": "active",
                     "registered_on": as_of - dt.timedelta(days=rng.randrange(30, 1500)), "created_at": now, "updated_at": now})
    ids = reserve_ids(Volunteer, len(rows))
    for pk, row in zip(ids, rows):
        row["id"] = pk
        by_community.setdefault(row["community_id"], []).append(pk)
        links += [{"volunteer_id": pk, "skill_id": s} for s in rng.sample(skills, rng.randint(0, 2))] if skills else []
    insert_rows(Volunteer, rows, with_pk=True)
    insert_rows(Volunteer.skills.through, links)
    progress(f"  志愿者 {len(rows):,} 名")
    activities, signups, records = _activities(rng, as_of, by_community, user, now)
    progress(f"  志愿服务活动 {activities:,} 场，报名 {signups:,} 人次，认定工时 {records:,} 条")
    duty = duty_history(rng=rng, as_of=as_of, by_community=by_community, members={r["id"] for r in rows if r["kind"] == "member"})
    progress(f"  志愿者队伍 {duty['volunteer_teams']:,} 支，岗位 {duty['volunteer_posts']:,} 个，班次 {duty['shifts']:,} 个，值守工时 {duty['shift_records']:,} 条")
    return {"volunteers": len(rows), "volunteer_activities": activities, "service_records": records + duty.pop("shift_records"), **duty}


def _activities(rng, as_of, by_community, user, now):
    activity_rows, signup_rows, record_rows = [], [], []
    first = as_of - dt.timedelta(days=365)
    for community, volunteers in by_community.items():
        for n in range(24):  # two a month
            day = first + dt.timedelta(days=15 * n + rng.randrange(10))
            if day >= as_of:
                continue
            starts = timezone.make_aware(dt.datetime.combine(day, dt.time(9 if rng.random() < 0.5 else 14)))
            hours = rng.choice((2, 3, 4))
            activity_rows.append({"title": rng.choice(ACTIVITIES), "community_id": community, "starts_at": starts,
                                  "ends_at": starts + dt.timedelta(hours=hours), "capacity": 20, "signup_deadline": starts - dt.timedelta(days=1),
                                  "status": ActivityStatus.COMPLETED, "created_by_id": user.pk if user else None, "created_at": now, "updated_at": now,
                                  "_people": rng.sample(volunteers, min(len(volunteers), rng.randint(3, 15))), "_hours": hours})
    ids = reserve_ids(Activity, len(activity_rows))
    for pk, a in zip(ids, activity_rows):
        a["id"] = pk
        for volunteer in a["_people"]:
            came = a["starts_at"] + dt.timedelta(minutes=rng.randrange(-15, 20))
            went = a["ends_at"] + dt.timedelta(minutes=rng.randrange(-40, 15))
            signup_rows.append({"activity_id": pk, "volunteer_id": volunteer, "signed_up_at": a["starts_at"] - dt.timedelta(days=3),
                                "checked_in_at": came, "checked_out_at": went})
            if user:
                hours = min(Decimal((went - came).total_seconds() / 3600), Decimal(a["_hours"])).quantize(Decimal("0.1"), ROUND_HALF_UP)
                record_rows.append({"volunteer_id": volunteer, "community_id": a["community_id"], "served_on": timezone.localdate(a["starts_at"]),
                                    "hours": hours, "source": ServiceSource.ACTIVITY, "source_id": pk, "description": a["title"],
                                    "checked_in_at": came, "checked_out_at": went, "verified_by_id": user.pk, "verified_at": went + dt.timedelta(days=1)})
        del a["_people"], a["_hours"]
    insert_rows(Activity, activity_rows, with_pk=True)
    insert_rows(Signup, signup_rows)
    insert_rows(ServiceRecord, record_rows)
    return len(activity_rows), len(signup_rows), len(record_rows)
