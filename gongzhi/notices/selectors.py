"""Reads of the notice board: the staff board (scoped), the public board of one 社区, one notice."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from gongzhi.core.scope import Scope
from gongzhi.core.text import squeeze
from gongzhi.org.models import Place, PlaceLevel

from .models import Notice, NoticeState, state_q

PUBLIC_FIELDS = ("community_id", "compound__name", "kind", "title", "body", "starts_on", "ends_on", "withdrawn_at")


def board(*, scope: Scope, day: dt.date, community: Place | None = None, kind: str = "", state: str = "", q: str = "") -> QuerySet[Notice]:
    """The notices the user's scope reaches, newest first, narrowed by the filters."""
    notices = scope.filter(Notice.objects.all())
    if community is not None:
        notices = notices.filter(community=community)
    if kind:
        notices = notices.filter(kind=kind)
    if state:
        notices = notices.filter(state_q(state, day))
    if q := squeeze(q):
        notices = notices.filter(title__contains=q)
    return notices.select_related("community", "compound", "published_by").order_by("-starts_on", "-id")


def board_counts(*, scope: Scope, day: dt.date, community: Place | None = None) -> dict[str, int]:
    """How many notices stand in each state on `day`: one pass over the scope's notices."""
    notices = scope.filter(Notice.objects.all())
    if community is not None:
        notices = notices.filter(community=community)
    return notices.aggregate(**{state: Count("id", filter=state_q(state, day)) for state in NoticeState.values})


def notice_get(*, scope: Scope, pk) -> Notice:
    return scope.get(Notice.objects.select_related("community", "compound", "published_by", "withdrawn_by", "source_type"), pk=pk)


def notice_history(*, notice: Notice) -> list:
    """The notice's history rows, oldest first, with who made each."""
    return list(notice.history.select_related("history_user").order_by("history_date", "history_id"))


def notice_for(source: Model, kind: str) -> Notice | None:
    """The notice published for `source` as `kind`, if any (for a module's own pages)."""
    ct = ContentType.objects.get_for_model(source, for_concrete_model=False)
    return Notice.objects.filter(source_type=ct, source_id=source.pk, kind=kind).first()


# ---- the public board (no login) -----------------------------------------------------------------------


def public_community(pk) -> Place:
    community = Place.objects.filter(pk=pk, level=PlaceLevel.COMMUNITY).only("name", "path", "level").first()
    if community is None:
        raise Http404(_("不存在或无权查看。"))
    return community


def public_board(*, community: Place, day: dt.date, archive: bool = False, kind: str = "") -> QuerySet[Notice]:
    """A 社区's notices up on `day` (or, `archive`, those whose period ended), newest first. Withdrawn
    notices are not shown; notices not yet started neither."""
    state = NoticeState.ENDED if archive else NoticeState.CURRENT
    notices = Notice.objects.filter(state_q(state, day), community=community)
    if kind:
        notices = notices.filter(kind=kind)
    return notices.select_related("compound").only(*PUBLIC_FIELDS).order_by("-starts_on", "-id")


def public_kind_counts(*, community: Place, day: dt.date) -> dict[str, int]:
    """Current notices by kind (the board's chips), one grouped query."""
    rows = (Notice.objects.filter(state_q(NoticeState.CURRENT, day), community=community)
            .values("kind").annotate(n=Count("id")).order_by())
    return {r["kind"]: r["n"] for r in rows}


def public_notice(pk, *, day: dt.date) -> Notice:
    """A notice that has been published (started by `day`); a withdrawn one is shown with its
    title and dates only (the page leaves out its text)."""
    notice = Notice.objects.select_related("community", "compound").filter(pk=pk).first()
    if notice is None or notice.state_on(day) == NoticeState.UPCOMING:
        raise Http404(_("不存在或无权查看。"))
    return notice
