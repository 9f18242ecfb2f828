"""Reads of the 两新 organisations and their two coverages."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from gongzhi.core.scope import Scope

from ..models import NewOrganization, NewSector, PartyOrganization, Place
from .common import Coverage, visible

def _new_orgs(scope: Scope, sector: str | None = None, node: Place | None = None) -> QuerySet:
    qs = NewOrganization.objects.all()
    if sector:
        qs = qs.filter(sector__code=sector)
    if node is not None:
        qs = qs.filter(node.subtree_q("place__path"))
    return scope.filter(qs)


def new_org_list(*, scope: Scope, sector: str | None = None, node: Place | None = None) -> QuerySet:
    """两新组织 in scope (optionally one sector, or under `node`), `.party_org_visible` for the link."""
    qs = _new_orgs(scope, sector, node).select_related("sector", "place", "party_org")
    qs = qs.annotate(party_org_visible=visible(scope, PartyOrganization, "party_org_id"))
    return qs.order_by("sector__order", "name", "pk")


def _new_org_aggregates() -> dict:
    """组织覆盖率 = 已建党组织(party_org 非空)的两新组织数 ÷ 两新组织总数;
    工作覆盖率 = 已建党组织或已开展党的工作(has_party_work)的两新组织数 ÷ 两新组织总数."""
    return {
        "total": Count("pk"),
        "org_covered": Count("pk", filter=Q(party_org__isnull=False)),
        "work_covered": Count("pk", filter=Q(party_org__isnull=False) | Q(has_party_work=True)),
    }


@dataclass
class NewOrgCoverage:
    sector: NewSector | None
    total: int
    org_covered: int
    work_covered: int

    @property
    def organisation(self) -> Coverage:
        return Coverage.of(self.org_covered, self.total)

    @property
    def work(self) -> Coverage:
        return Coverage.of(self.work_covered, self.total)


def new_org_coverage(*, scope: Scope, node: Place | None = None, by_sector: bool = False):
    """两新组织 组织覆盖率 and 工作覆盖率 (formulas in _new_org_aggregates), in the scope or under `node`.

    `by_sector=False`: one NewOrgCoverage for all sectors. `by_sector=True`: a list with one
    NewOrgCoverage per configured sector (zero rows included), in the sectors' order.
    """
    qs = _new_orgs(scope, node=node).order_by()
    if not by_sector:
        return NewOrgCoverage(sector=None, **qs.aggregate(**_new_org_aggregates()))
    rows = {row.pop("sector_id"): row for row in qs.values("sector_id").annotate(**_new_org_aggregates())}
    zero = {"total": 0, "org_covered": 0, "work_covered": 0}
    return [NewOrgCoverage(sector=s, **rows.get(s.pk, zero)) for s in NewSector.objects.order_by("order", "code")]


def sector_choices():
    return NewSector.objects.order_by("order", "code")
