"""The demo's organisational life: several years of meetings and attendance, lifelike enough
that every figure and warning shows something.

Each branch (an organisation whose kind has frequency rules) gets a habit: most hold nearly
every required meeting, some slip now and then, a few lag badly. For every rule and every whole
period up to the last full month before `as_of` the branch holds the required meetings with the
probability its habit gives, on a random day of the period. A quarter of the branches' yearly
党课 are given by the secretary. Members are due as the services say (joined by the date, not
left, 预备党员 included); most attend, a few are often absent, a few stopped coming some months
ago, and some take leave with a reason.
在外党员 send 思想汇报 / 情况汇报: most once or twice a quarter, some have not yet this quarter
(lagging), a few never; most reports before this quarter were read by the branch, some with a
reply (read by nobody in particular: the demo's logins are made later).
Written through core.bulk (ids reserved, one INSERT per batch); demo rows have no history.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable

from django.utils import timezone

from gongzhi.core.bulk import insert_rows, reserve_ids
from gongzhi.org.models import PartyOrganization
from gongzhi.partylife.models import (
    Attendance, AttendanceStatus, AwayReport, Exemption, FrequencyRule, LecturerRole, Meeting, Period, ReportKind, SignIn,
)
from gongzhi.partylife.selectors import periods
from gongzhi.people.models import MemberStatus, PartyMember

HABITS = ((0.70, 0.98), (0.20, 0.85), (0.10, 0.55))  # (share of branches, chance each required meeting is held)
ABSENTEE_SHARE = 0.05  # members often absent
LAPSED_SHARE = 0.03  # members who stopped coming some months ago (the warnings show them)
LEAVE_REASONS = ("出差", "生病", "照顾家人", "单位加班", "外出务工", "在外地")
TOPICS = {
    "branch_congress": "季度支部党员大会", "committee": "支委会", "group": "党小组会", "lecture": "专题党课",
    "theme_day": "主题党日活动", "life_meeting": "年度组织生活会", "review": "民主评议党员",
}
BATCH = 20_000  # attendance rows per write
QR_MONTHS, QR_SHARE = 6, 0.4  # in the last months, the share of meetings signed in by QR code
LAGGING_SHARE, NEVER_SHARE = 0.15, 0.10  # away members who have not reported yet this quarter / ever (at least one each)
REPORT_THEMES = ("学习党的创新理论", "学习党章党规", "参加流入地党组织活动", "做好本职工作", "参加志愿服务", "关心家乡建设")
REPLIES = ("收到，注意身体，常联系。", "汇报已阅，望继续坚持学习。", "支部已收到，有困难随时和支部联系。", "很好，欢迎回来时参加支部活动。")


def partylife_history(*, rng: random.Random, as_of: dt.date, years: int, progress: Callable[[str], None]) -> dict[str, int]:
    rules = defaultdict(list)
    for rule in FrequencyRule.objects.select_related("meeting_type"):
        rules[rule.org_kind_id].append(rule)
    orgs = list(PartyOrganization.objects.filter(kind_id__in=list(rules)).order_by("path").values_list("id", "kind_id"))
    members = defaultdict(list)
    for row in PartyMember.objects.order_by("id").values_list("id", "organization_id", "joined_on", "status", "status_changed_on"):
        members[row[1]].append(row)
    end = as_of.replace(day=1) - dt.timedelta(days=1)
    start = dt.date(end.year - years + 1, 1, 1)
    windows = {kind: periods(kind, start, end) for kind in Period.values}
    absentee = {m[0] for rows in members.values() for m in rows if rng.random() < ABSENTEE_SHARE}
    lapsed = {m[0]: end - dt.timedelta(days=rng.randrange(60, 240)) for rows in members.values() for m in rows if rng.random() < LAPSED_SHARE}
    writer = _Writer(progress, absentee, lapsed, qr_from=end - dt.timedelta(days=30 * QR_MONTHS))
    for org_id, kind_id in orgs:
        held_chance = _habit(rng)
        for rule in rules[kind_id]:
            if rule.by_secretary:
                continue  # marked on the lectures below
            for _label, months in windows[rule.period]:
                for _ in range(rule.times):
                    if rng.random() < held_chance:
                        day = _day_in(rng, months, end)
                        writer.meeting(org_id, rule, day, _due(members[org_id], day), rng)
    writer.flush()
    exemptions = _exemptions(rng, lapsed, starts_on=end + dt.timedelta(days=1))
    reports = away_reports(rng=rng, as_of=as_of, start=start, progress=progress)
    return {"meetings": writer.meetings, "attendance": writer.attendance, "away_reports": reports, "exemptions": exemptions}


EXEMPTION_SHARE = 0.2  # of the members who stopped coming: ill or abroad, exempted from this month on
EXEMPTION_REASONS = ("重病住院", "年老体弱行动不便", "出国探亲半年以上")


def _exemptions(rng: random.Random, lapsed: dict[int, dt.date], starts_on: dt.date) -> int:
    """Exemptions from the first day after the history (so no recorded meeting should have left
    them out): some of the members who stopped coming turn out to be ill or abroad."""
    rows = [{"member_id": pk, "starts_on": starts_on, "reason": rng.choice(EXEMPTION_REASONS)}
            for pk in sorted(lapsed) if rng.random() < EXEMPTION_SHARE]
    return insert_rows(Exemption, rows)


def away_reports(*, rng: random.Random, as_of: dt.date, start: dt.date, progress: Callable[[str], None]) -> int:
    """思想汇报 / 情况汇报 of the 在册 away members, every quarter from `start` to `as_of`."""
    away = list(PartyMember.objects.filter(is_away=True, status=MemberStatus.ACTIVE).order_by("id").values_list("id", "joined_on", "away_location"))
    rng.shuffle(away)
    never = max(1, round(NEVER_SHARE * len(away))) if len(away) >= 3 else 0
    lagging = max(1, round(LAGGING_SHARE * len(away))) if len(away) >= 2 else 0
    this_quarter = dt.date(as_of.year, (as_of.month - 1) // 3 * 3 + 1, 1)
    rows, written = [], 0
    for index, (member_id, joined, location) in enumerate(away):
        if index < never:
            continue
        habit = "lagging" if index < never + lagging else "regular"
        quarter = max(start, joined)
        quarter = dt.date(quarter.year, (quarter.month - 1) // 3 * 3 + 1, 1)
        while quarter <= as_of:
            current = quarter == this_quarter
            if not (current and habit == "lagging") and rng.random() < 0.95:
                for _ in range(1 if rng.random() < 0.8 else 2):
                    rows.append(_report(rng, member_id, location, quarter, as_of, current))
            quarter = _quarter_after(quarter)
        if len(rows) >= BATCH:
            written += _write_reports(rows)
            rows = []
    written += _write_reports(rows)
    progress(f"  在外党员汇报 {written:,} 篇")
    return written


def _quarter_after(quarter: dt.date) -> dt.date:
    return dt.date(quarter.year + 1, 1, 1) if quarter.month == 10 else dt.date(quarter.year, quarter.month + 3, 1)


def _report(rng: random.Random, member_id: int, location: str, quarter: dt.date, as_of: dt.date, current: bool) -> dict:
    last_day = min(_quarter_after(quarter) - dt.timedelta(days=1), as_of)
    day = quarter + dt.timedelta(days=rng.randrange((last_day - quarter).days + 1))
    submitted = timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randrange(8, 23), rng.randrange(60))))
    number = (quarter.month - 1) // 3 + 1
    kind = ReportKind.THOUGHT if rng.random() < 0.75 else ReportKind.SITUATION
    theme, other = rng.sample(REPORT_THEMES, 2)
    if kind == ReportKind.THOUGHT:
        title = f"{quarter.year}年第{number}季度思想汇报"
        content = (f"敬爱的党组织：\n　　本季度我在{location}，坚持{theme}，按时交纳党费，"
                   f"在{other}方面也有新的体会。今后我将继续严格要求自己，保持与支部的联系。")
    else:
        title = f"{quarter.year}年第{number}季度在外情况汇报"
        content = f"支部：\n　　本季度我仍在{location}，工作生活稳定。近期主要是{theme}和{other}，暂无需要支部协调的困难。"
    row = {"member_id": member_id, "kind": kind, "title": title, "content": content, "location": location, "submitted_at": submitted}
    read_on = day + dt.timedelta(days=rng.randrange(1, 15))
    if read_on <= as_of and rng.random() < (0.5 if current else 0.9):
        row["read_at"] = submitted + (read_on - day)
        row["reply"] = rng.choice(REPLIES) if rng.random() < 0.4 else ""
    return row


def _write_reports(rows: list[dict]) -> int:
    if rows:
        insert_rows(AwayReport, rows)
    return len(rows)


def _habit(rng: random.Random) -> float:
    draw, total = rng.random(), 0.0
    for share, chance in HABITS:
        total += share
        if draw < total:
            return chance
    return HABITS[-1][1]


def _day_in(rng: random.Random, months: tuple[dt.date, ...], end: dt.date) -> dt.date:
    month = rng.choice(months)
    next_month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return min(month + dt.timedelta(days=rng.randrange((next_month - month).days)), end)


def _due(rows, day: dt.date) -> list[int]:
    return [pk for pk, _org, joined, status, changed in rows
            if joined <= day and (status == MemberStatus.ACTIVE or (changed is not None and changed > day))]


class _Writer:
    def __init__(self, progress, absentee: set[int], lapsed: dict[int, dt.date], qr_from: dt.date):
        self.progress, self.absentee, self.lapsed, self.qr_from = progress, absentee, lapsed, qr_from
        self.pending_meetings: list[dict] = []
        self.pending_attendance: list[tuple] = []  # (meeting index in pending, member, status, reason, signed in at)
        self.meetings = self.attendance = 0

    def meeting(self, org_id: int, rule, day: dt.date, due: list[int], rng: random.Random) -> None:
        code = rule.meeting_type.code
        row = {"organization_id": org_id, "meeting_type_id": rule.meeting_type_id, "held_on": day, "topic": TOPICS.get(code, rule.meeting_type.name),
               "location": "党群服务中心"}
        if rule.meeting_type.is_lecture:
            row["lecturer_role"] = LecturerRole.SECRETARY if rng.random() < 0.3 else LecturerRole.COMMITTEE
        starts = None
        if day >= self.qr_from and rng.random() < QR_SHARE:  # 扫码签到: present members signed in as they came
            starts = timezone.make_aware(dt.datetime.combine(day, dt.time(19, 0)))
            row |= {"signin": SignIn.QR, "signin_closed_at": starts + dt.timedelta(hours=2), "starts_at": dt.time(19, 0)}
        index = len(self.pending_meetings)
        self.pending_meetings.append(row)
        for member in due:
            draw = rng.random()
            if member in self.lapsed and day >= self.lapsed[member]:
                status = AttendanceStatus.ABSENT
            elif member in self.absentee:
                status = AttendanceStatus.ABSENT if draw < 0.45 else AttendanceStatus.LEAVE if draw < 0.55 else AttendanceStatus.PRESENT
            else:
                status = AttendanceStatus.ABSENT if draw < 0.03 else AttendanceStatus.LEAVE if draw < 0.10 else AttendanceStatus.PRESENT
            reason = rng.choice(LEAVE_REASONS) if status == AttendanceStatus.LEAVE else ""
            signed = starts + dt.timedelta(minutes=rng.randrange(-20, 10)) if starts and status == AttendanceStatus.PRESENT else None
            self.pending_attendance.append((index, member, status, reason, signed))
        if len(self.pending_attendance) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.pending_meetings:
            return
        ids = reserve_ids(Meeting, len(self.pending_meetings))
        for row, pk in zip(self.pending_meetings, ids):
            row["id"] = pk
        insert_rows(Meeting, self.pending_meetings, with_pk=True)
        insert_rows(Attendance, [{"meeting_id": ids[i], "member_id": m, "status": s, "leave_reason": r, "signed_in_at": t}
                                 for i, m, s, r, t in self.pending_attendance])
        self.meetings += len(self.pending_meetings)
        self.attendance += len(self.pending_attendance)
        self.pending_meetings, self.pending_attendance = [], []
        self.progress(f"  会议 {self.meetings:,} 次，出席记录 {self.attendance:,} 条")
