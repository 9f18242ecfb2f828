"""The demo's member points: the latest years scored from the meetings by the real ledger_sync,
plus manual entries (articles, dues, misconduct) approved by the branches, and a few waiting for
approval this year."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal

from django.utils import timezone

from gongzhi.core.bulk import insert_rows
from gongzhi.people.models import MemberStatus, PartyMember
from gongzhi.points.models import EntryStatus, PointEntry
from gongzhi.points.rulebook import RuleBook
from gongzhi.points.services import ledger_sync, totals_rebuild

MANUAL = (  # rule code, yearly chance per member, quantities, evidence
    ("article", 0.08, (1, 1, 2), ("学习心得《不忘初心》", "微党课《身边的榜样》", "调研报告《小区治理的几点思考》")),
    ("merit", 0.03, (1,), ("疫情防控中表现突出", "调解邻里纠纷", "见义勇为")),
    ("dues", 0.02, (1,), ("连续6个月未交纳党费",)),
    ("misconduct", 0.004, (1,), ("违反中央八项规定精神，受党内警告处分",)),
)
PENDING = 40  # manual entries of this year still waiting for approval


def points_history(*, rng: random.Random, as_of: dt.date, years: int, progress: Callable[[str], None]) -> dict[str, int]:
    start, end = dt.date(as_of.year - years + 1, 1, 1), as_of
    book = RuleBook.load()
    version = book.version_on(book.default, end)
    rules = {r.code: r for r in book.rules.get(version.pk, [])} if version else {}
    members = list(PartyMember.objects.filter(status=MemberStatus.ACTIVE, joined_on__lt=start).order_by("pk").values_list("pk", flat=True))
    rows, now = [], timezone.now()
    for year in range(start.year, end.year + 1):
        last = min(dt.date(year, 12, 31), end)
        for code, chance, quantities, evidence in MANUAL:
            rule = rules.get(code)
            if rule is None:
                continue
            for member_id in members:
                if rng.random() >= chance:
                    continue
                day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange((last - dt.date(year, 1, 1)).days + 1))
                quantity = Decimal(rng.choice(quantities))
                rows.append({"member_id": member_id, "rule_id": rule.pk, "code": code, "cycle": year, "occurred_on": day, "quantity": quantity,
                             "amount": rule.points * quantity, "source_kind": "manual", "evidence": rng.choice(evidence),
                             "status": EntryStatus.APPROVED, "decided_at": now})
    for row in rng.sample(rows[-PENDING * 10:], min(PENDING, len(rows))) if rows else ():
        if row["cycle"] == end.year:
            row["status"], row["decided_at"] = EntryStatus.PENDING, None
    insert_rows(PointEntry, rows)
    progress(f"  人工录入积分 {len(rows):,} 条")
    result = ledger_sync(start=start, end=end)
    totals_rebuild(range(start.year, end.year + 1))
    progress(f"  自动积分 {result.added:,} 条")
    return {"point_entries": result.added + len(rows)}
