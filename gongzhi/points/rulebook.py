"""Which rules apply to whom and when: a member follows the rule set of the nearest organisation
up their tree that has one (or the district default), in the version in effect on the day of
what happened. Loaded once per operation (a district has a handful of rule sets)."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from .models import Rule, RuleSet, RuleSource, RuleVersion


@dataclass(frozen=True)
class Grade:
    code: str  # excellent, pass, basic, fail
    label: str


EXCELLENT, PASS, BASIC, FAIL = (Grade("excellent", _("优秀")), Grade("pass", _("合格")), Grade("basic", _("基本合格")), Grade("fail", _("不合格")))


def grade_of(version: RuleVersion, score: Decimal) -> Grade:
    """优秀 / 合格 / 基本合格 / 不合格 by the version's thresholds [local]."""
    if score >= version.excellent_min:
        return EXCELLENT
    if score >= version.pass_min:
        return PASS
    if score >= version.basic_min:
        return BASIC
    return FAIL


class RuleBook:
    def __init__(self):
        self.rulesets: dict[int, RuleSet] = {}
        self.by_path: list[tuple] = []  # (organisation path, its rule set), longest path first
        self.default: RuleSet | None = None
        self.versions: dict[int, list[RuleVersion]] = {}  # rule set → versions by date
        self.rules: dict[int, list[Rule]] = {}  # version → rules
        self.meeting_types: dict[int, frozenset[int]] = {}  # rule → its meeting types (empty: all)

    @classmethod
    def load(cls) -> RuleBook:
        book = cls()
        for rs in RuleSet.objects.select_related("organization"):
            book.rulesets[rs.pk] = rs
            if rs.organization is None:
                book.default = rs
            else:
                book.by_path.append((rs.organization.path, rs))
        book.by_path.sort(key=lambda pr: -len(pr[0]))
        for v in RuleVersion.objects.order_by("ruleset_id", "effective_from"):
            book.versions.setdefault(v.ruleset_id, []).append(v)
        through = Rule.meeting_types.through.objects.values_list("rule_id", "meetingtype_id")
        types: dict[int, set[int]] = {}
        for rule_id, type_id in through:
            types.setdefault(rule_id, set()).add(type_id)
        for rule in Rule.objects.order_by("version_id", "order", "id"):
            book.rules.setdefault(rule.version_id, []).append(rule)
            book.meeting_types[rule.pk] = frozenset(types.get(rule.pk, ()))
        return book

    def ruleset_for(self, org_path) -> RuleSet | None:
        """The rule set of the nearest organisation at or above `org_path` (paths are prefixes)."""
        for path, rs in self.by_path:
            if org_path[: len(path)] == path:
                return rs
        return self.default

    def version_on(self, ruleset: RuleSet | None, day: dt.date) -> RuleVersion | None:
        versions = self.versions.get(ruleset.pk, []) if ruleset else []
        index = bisect_right([v.effective_from for v in versions], day)
        return versions[index - 1] if index else None

    def cycle_of(self, ruleset: RuleSet | None, day: dt.date) -> int:
        start = ruleset.cycle_start_month if ruleset else 1
        return day.year if day.month >= start else day.year - 1

    def cycle_end(self, ruleset: RuleSet | None, cycle: int) -> dt.date:
        start = ruleset.cycle_start_month if ruleset else 1
        first_next = dt.date(cycle + 1, start, 1)
        return first_next - dt.timedelta(days=1)

    def version_for_cycle(self, ruleset: RuleSet | None, cycle: int, today: dt.date) -> RuleVersion | None:
        """The version that scores a cycle: the one in effect on its last day, or today while it runs."""
        return self.version_on(ruleset, min(self.cycle_end(ruleset, cycle), today))

    def matching(self, version: RuleVersion | None, source: str, meeting_type_id: int | None = None) -> list[Rule]:
        if version is None:
            return []
        out = []
        for rule in self.rules.get(version.pk, []):
            if rule.source != source:
                continue
            types = self.meeting_types[rule.pk]
            if source in (RuleSource.ATTEND, RuleSource.ABSENT) and types and meeting_type_id not in types:
                continue
            out.append(rule)
        return out
