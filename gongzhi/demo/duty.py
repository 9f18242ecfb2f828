"""The demo's volunteer teams, posts and shift rosters: in every community a 党员先锋队, one
专业志愿者队伍 and (in some) an incubated 社会组织 with their members; a 党员先锋岗 and a 值守点 with a
weekly shift over the last eight weeks (people checked in and out, hours verified) and the next
two (rostered); and, in the first community, a flood-season emergency mobilisation (防汛应急值守):
shifts round the clock for two days with entries logged."""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from gongzhi.accounts.models import User
from gongzhi.core.bulk import insert_rows, reserve_ids
from gongzhi.volunteers.models import (
    Post, PostKind, ServiceRecord, ServiceSource, Shift, ShiftAssignment, ShiftLog, Team, TeamKind, TeamMembership,
)

PROFESSIONAL = ("法律服务志愿队", "医疗健康志愿队", "家电维修志愿队", "心理疏导志愿队")
SOCIAL_ORGS = ("邻里互助会", "夕阳红文艺队", "巧手妈妈工作坊")
LOGS = ("巡查地下车库排水口，畅通", "转移低洼处独居老人1户", "沙袋已到位 200 袋", "雨势减弱，继续值守", "交接班，物资清点无误")
WEEKS_PAST, WEEKS_AHEAD = 8, 2


def duty_history(*, rng: random.Random, as_of: dt.date, by_community: dict[int, list[int]], members: set[int]) -> dict[str, int]:
    """`by_community`: volunteer ids per community; `members`: those who are party members."""
    user = User.objects.filter(username="quwei").first()
    now = timezone.now()
    teams, memberships, posts = [], [], []
    for community, volunteers in by_community.items():
        party = [v for v in volunteers if v in members] or volunteers
        founded = as_of - dt.timedelta(days=rng.randrange(400, 2000))
        chosen = [("党员先锋队", TeamKind.GENERAL, party), (rng.choice(PROFESSIONAL), TeamKind.PROFESSIONAL, volunteers)]
        if rng.random() < 0.4:
            chosen.append((rng.choice(SOCIAL_ORGS), TeamKind.SOCIAL_ORG, volunteers))
        for name, kind, pool in chosen:
            teams.append({"name": name, "community_id": community, "kind": kind, "leader_name": "", "description": "", "founded_on": founded,
                          "created_at": now, "updated_at": now, "_people": rng.sample(pool, min(len(pool), rng.randint(5, 15)))})
        for name, kind in (("小区出入口党员先锋岗", PostKind.PIONEER), ("党群服务中心值守点", PostKind.DUTY)):
            posts.append({"name": name, "kind": kind, "community_id": community, "description": "", "is_active": True,
                          "created_at": now, "updated_at": now, "_pool": volunteers})
    for pk, team in zip(reserve_ids(Team, len(teams)), teams):
        team["id"] = pk
        for volunteer in team.pop("_people"):
            memberships.append({"team_id": pk, "volunteer_id": volunteer, "joined_on": team["founded_on"] + dt.timedelta(days=rng.randrange(300))})
    insert_rows(Team, teams, with_pk=True)
    insert_rows(TeamMembership, memberships)
    first = next(iter(by_community), None)
    if first is not None:
        posts.append({"name": "防汛应急值守点", "kind": PostKind.DUTY, "community_id": first, "description": "汛期应急动员：24小时轮班值守",
                      "is_active": True, "created_at": now, "updated_at": now, "_pool": by_community[first], "_emergency": True})
    shifts, assignments, records, logs = _shifts(rng, as_of, posts, user, now)
    return {"volunteer_teams": len(teams), "volunteer_posts": len(posts), "shifts": shifts, "shift_records": records, "shift_logs": logs}


def _shifts(rng, as_of, posts, user, now):
    shift_rows, assignment_rows, record_rows, log_rows = [], [], [], []
    for pk, post in zip(reserve_ids(Post, len(posts)), posts):
        post["id"] = pk
        pool, emergency = post.pop("_pool"), post.pop("_emergency", False)
        if emergency:
            day = as_of - dt.timedelta(days=rng.randrange(60, 120))
            starts = [timezone.make_aware(dt.datetime.combine(day, dt.time(0))) + dt.timedelta(hours=4 * n) for n in range(12)]
            length, capacity = 4, 3
        else:
            monday = as_of - dt.timedelta(days=as_of.weekday())
            starts = [timezone.make_aware(dt.datetime.combine(monday + dt.timedelta(weeks=w, days=5), dt.time(8)))
                      for w in range(-WEEKS_PAST, WEEKS_AHEAD + 1)]
            length, capacity = 4, 2
        for start in starts:
            shift_rows.append({"post_id": pk, "starts_at": start, "ends_at": start + dt.timedelta(hours=length), "capacity": capacity, "note": "",
                               "created_at": now, "updated_at": now, "_people": rng.sample(pool, min(len(pool), capacity)), "_log": emergency})
    insert_rows(Post, posts, with_pk=True)
    community = {p["id"]: p["community_id"] for p in posts}
    names = {p["id"]: p["name"] for p in posts}
    for pk, shift in zip(reserve_ids(Shift, len(shift_rows)), shift_rows):
        shift["id"] = pk
        past = shift["ends_at"] < now
        for volunteer in shift.pop("_people"):
            came = shift["starts_at"] + dt.timedelta(minutes=rng.randrange(-10, 10)) if past else None
            went = shift["ends_at"] + dt.timedelta(minutes=rng.randrange(-20, 10)) if past else None
            assignment_rows.append({"shift_id": pk, "volunteer_id": volunteer, "assigned_by_id": user.pk if user else None,
                                    "assigned_at": shift["starts_at"] - dt.timedelta(days=3), "checked_in_at": came, "checked_out_at": went})
            if past and user:
                hours = min(Decimal((went - came).total_seconds() / 3600), Decimal((shift["ends_at"] - shift["starts_at"]).total_seconds() / 3600))
                record_rows.append({"volunteer_id": volunteer, "community_id": community[shift["post_id"]], "served_on": timezone.localdate(shift["starts_at"]),
                                    "hours": hours.quantize(Decimal("0.1"), ROUND_HALF_UP), "source": ServiceSource.SHIFT, "source_id": pk,
                                    "description": names[shift["post_id"]], "checked_in_at": came, "checked_out_at": went,
                                    "verified_by_id": user.pk, "verified_at": went + dt.timedelta(hours=2)})
        if shift.pop("_log"):
            for n, text in enumerate(rng.sample(LOGS, 2)):
                log_rows.append({"shift_id": pk, "logged_at": shift["starts_at"] + dt.timedelta(minutes=60 + 90 * n), "text": text,
                                 "logged_by_id": user.pk if user else None, "created_at": shift["starts_at"] + dt.timedelta(minutes=61 + 90 * n)})
    insert_rows(Shift, shift_rows, with_pk=True)
    insert_rows(ShiftAssignment, assignment_rows)
    insert_rows(ServiceRecord, record_rows)
    insert_rows(ShiftLog, log_rows)
    return len(shift_rows), len(assignment_rows), len(record_rows), len(log_rows)
