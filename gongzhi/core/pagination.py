"""The one paginator of the staff pages: a list is never counted in full.

`capped_count` counts at most `cap + 1` rows (an index range stops there, however large the
district), so a list longer than the cap says "1,000+" and pages no further: the user narrows
the search instead. The page's rows are read with one LIMIT/OFFSET query, none when nothing
matched. The pager partial (`{% pagination page %}` in gongzhi.web) shows a `CappedPage`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

LIST_CAP = 1000  # rows counted at most (and pages shown at most, times PER_PAGE)
PER_PAGE = 20


def capped_count(queryset: QuerySet, cap: int | None = None) -> int:
    """How many rows, counting no further than cap + 1 (a count above cap means "cap+")."""
    cap = LIST_CAP if cap is None else cap
    return queryset.order_by().values("pk")[: cap + 1].count()


@dataclass
class CappedPage:
    """One page of a list counted only up to `cap`; `count` above the cap means "cap+"."""

    rows: list
    page: Page
    count: int
    cap: int = LIST_CAP

    @property
    def over_cap(self) -> bool:
        return self.count > self.cap

    @property
    def count_label(self) -> str:
        return f"{self.cap:,}+" if self.over_cap else f"{self.count:,}"

    @property
    def page_range(self) -> list:
        return list(self.page.paginator.get_elided_page_range(self.page.number, on_each_side=2, on_ends=1))


def capped_page(
    queryset: QuerySet | Callable[[int], QuerySet], number, *, counted: QuerySet | None = None,
    cap: int | None = None, per_page: int = PER_PAGE,
) -> CappedPage:
    """Page `number` (the raw `?page=` value; out of range: the nearest page) of `queryset`.

    One capped count (of `counted` when the list is steered differently for counting), then
    the page's rows. `queryset` may be a callable of the page's offset (a search planned for
    the page it reads).
    """
    cap = LIST_CAP if cap is None else cap
    if counted is None:
        counted = queryset(0) if callable(queryset) else queryset
    count = capped_count(counted, cap)
    page = Paginator(range(min(count, cap)), per_page).get_page(number)
    offset = page.start_index() - 1 if count else 0
    rows_qs = queryset(offset) if callable(queryset) else queryset
    rows = list(rows_qs[offset : page.end_index()]) if count else []
    return CappedPage(rows=rows, page=page, count=count, cap=cap)
