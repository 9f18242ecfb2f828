"""The one scoping rule: a staff user sees and changes only their own subtree of the district.

A `Scope` is built once per request from the user's role grants (gongzhi.accounts.scopes).
It holds path prefixes of the two trees (places and party organisations) and the grids the
user works on. Every scoped model says how it hangs off those trees in a classmethod
`scope_q(scope) -> Q`, written with `scope.q(place=..., org=..., grid=...)`; everything else
calls `scope.filter(queryset)` or `scope.get(queryset, pk=...)`. "Missing" and "out of
scope" are the same 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from .fields import prefix_q

NOTHING = Q(pk__in=[])


def _minimal_prefixes(paths) -> tuple[str, ...]:
    """Drop every path that lies under another one in the list."""
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    return tuple(kept)


@dataclass(frozen=True)
class Scope:
    place_paths: tuple[str, ...] = ()
    org_paths: tuple[str, ...] = ()
    grid_ids: tuple[int, ...] = ()
    everything: bool = False
    whole_tree: bool = False  # the user's places cover every root: nothing to cut (a district admin of a one-district deployment)
    labels: tuple[str, ...] = field(default=(), compare=False)
    roles: frozenset[str] = field(default=frozenset(), compare=False)  # the role codes granted (for menus and review pages)

    @classmethod
    def of(cls, *, place_paths=(), org_paths=(), grid_ids=(), everything=False, whole_tree=False, labels=(), roles=()) -> Scope:
        return cls(
            whole_tree=whole_tree,
            place_paths=_minimal_prefixes(place_paths),
            org_paths=_minimal_prefixes(org_paths),
            grid_ids=tuple(sorted(set(grid_ids))),
            everything=everything,
            labels=tuple(labels),
            roles=frozenset(roles),
        )

    def has_role(self, role: str) -> bool:
        """Whether the user holds `role` somewhere (a superuser's scope holds every role)."""
        return self.everything or role in self.roles

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.place_paths or self.org_paths or self.grid_ids)

    def q(self, *, place: str | None = None, org: str | None = None, grid: str | None = None) -> Q:
        """Rows reached by any of the user's subtrees, through the named path/id fields."""
        if self.everything or self.whole_tree:
            return Q()
        parts = []
        if place:
            parts += [prefix_q(place, p) for p in self.place_paths]
        if org:
            parts += [prefix_q(org, p) for p in self.org_paths]
        if grid and self.grid_ids:
            parts.append(Q(**{f"{grid}__in": self.grid_ids}))
        return reduce(or_, parts) if parts else NOTHING

    def filter(self, queryset: QuerySet) -> QuerySet:
        """The one scoping function: `queryset` cut down to what this scope may see."""
        if self.everything or self.whole_tree:
            return queryset
        scope_q = getattr(queryset.model, "scope_q", None)
        if scope_q is None:
            raise TypeError(f"{queryset.model.__name__} has no scope_q(scope); it cannot be scoped.")
        return queryset.filter(scope_q(self))

    def get(self, queryset: QuerySet, **lookup) -> Model:
        """One row by `lookup` inside this scope, or Http404 (missing and out of scope alike)."""
        try:
            return self.filter(queryset).get(**lookup)
        except (queryset.model.DoesNotExist, ValueError, TypeError):
            raise Http404(_("不存在或无权查看。"))

    def contains(self, obj: Model) -> bool:
        """Whether one object (already loaded) lies in this scope; used by services."""
        if self.everything or self.whole_tree:
            return True
        return self.filter(type(obj)._default_manager.filter(pk=obj.pk)).exists()

    def require(self, obj: Model) -> Model:
        if obj is None or not self.contains(obj):
            raise Http404(_("不存在或无权查看。"))
        return obj


EVERYTHING = Scope(everything=True, labels=(_("全区"),))
NO_SCOPE = Scope()
