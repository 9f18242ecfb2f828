"""What the selector modules share: rates, subtree totals, scope visibility, tree helpers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import BooleanField, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Length, Substr

from gongzhi.core.fields import ancestor_paths
from gongzhi.core.scope import Scope

from ..models import PartyOrganization, PlaceLevel

class Coverage(NamedTuple):
    """A rate written as its two counts; `rate` is None when there is nothing to cover."""

    numerator: int
    denominator: int
    rate: float | None

    @classmethod
    def of(cls, numerator: int | None, denominator: int | None) -> Coverage:
        numerator, denominator = numerator or 0, denominator or 0
        return cls(numerator, denominator, numerator / denominator if denominator else None)


@dataclass
class Totals:
    """Figures of one subtree of the place tree."""

    residents: int = 0
    households: int = 0
    members: int = 0
    compounds: int = 0
    covered_compounds: int = 0

    @property
    def coverage(self) -> Coverage:
        return Coverage.of(self.covered_compounds, self.compounds)

    def add(self, other: Totals) -> None:
        for name in ("residents", "households", "members", "compounds", "covered_compounds"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def visible(scope: Scope, model, outer: str = "pk"):
    """An annotation: whether the `model` row referenced by `outer` lies in the scope.

    Uses the model's own `scope_q`, so a breadcrumb or a link is shown exactly when the page
    behind it would answer (and not 404).
    """
    if scope.everything:
        return Value(True, output_field=BooleanField())
    return Exists(scope.filter(model._default_manager.filter(pk=OuterRef(outer))))


def _covered_compound_q() -> Q:
    """A 小区 covered by at least one organisation whose kind counts for 小区党组织覆盖."""
    covering = PartyOrganization.covers.through.objects.filter(
        place_id=OuterRef("pk"), partyorganization__kind__covers_compounds=True
    )
    return Q(level=PlaceLevel.COMPOUND) & Q(Exists(covering))


def _covers_count() -> Coalesce:
    """How many 小区 an organisation covers (1: 单独建, more: 联合建), as a correlated subquery so
    that it stays right when the outer query is itself filtered through `covers`."""
    rows = (
        PartyOrganization.covers.through.objects.filter(partyorganization_id=OuterRef("pk"))
        .order_by()
        .values("partyorganization_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _totals_aggregates() -> dict:
    """小区党组织覆盖率 = 被 covers_compounds 类组织覆盖的小区数 ÷ 小区总数 (both counted in the subtree)."""
    return {
        "residents": Coalesce(Sum("resident_count"), 0),
        "households": Coalesce(Sum("household_count"), 0),
        "members": Coalesce(Sum("member_count"), 0),
        "compounds": Count("pk", filter=Q(level=PlaceLevel.COMPOUND)),
        "covered_compounds": Count("pk", filter=_covered_compound_q()),
    }


def ancestors_with_visibility(*, scope: Scope, node, model, include_self: bool = False) -> list:
    """The ancestors of a tree node, root first, in one query; each has `.visible`.

    Ancestors above the user's scope are returned too (their names are shown as plain text).
    """
    paths = ancestor_paths(node.path, model.steplen, include_self=include_self)
    return list(model.objects.filter(path__in=paths).annotate(visible=visible(scope, model)).order_by("path"))


def _children_of(node, model) -> QuerySet:
    return model.objects.filter(node.subtree_q(), depth=node.depth + 1).order_by("path")


def _child_prefix(node, model) -> Substr:
    return Substr("path", 1, len(node.path) + model.steplen)


def _parent_of(model) -> QuerySet:
    """For a subquery: the row of `model` whose path is the outer row's path less one step."""
    return model.objects.filter(path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - model.steplen))
