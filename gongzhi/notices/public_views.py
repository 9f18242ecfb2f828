"""The public 公开栏 of a 社区 (no login, phone first): the notices up today, the archive of those
whose period ended, one notice. Withdrawn notices are off the board; a link to one shows that it
was withdrawn, never its text. Any place that is not a 社区 is a 404."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from gongzhi.core.pagination import capped_page
from gongzhi.core.querystring import query_with

from . import selectors
from .models import NoticeKind, NoticeState

PER_PAGE = 10


@require_GET
def public_board(request, community_pk):
    """?archive=1 for past notices; ?kind= one kind."""
    community = selectors.public_community(community_pk)
    today = timezone.localdate()
    archive = request.GET.get("archive") == "1"
    kind = request.GET.get("kind") if request.GET.get("kind") in NoticeKind.values else ""
    notices = selectors.public_board(community=community, day=today, archive=archive, kind=kind)
    page = capped_page(notices, request.GET.get("page"), per_page=PER_PAGE)
    counts = selectors.public_kind_counts(community=community, day=today) if not archive else {}
    context = {
        "community": community, "page": page, "archive": archive, "kind": kind, "today": today,
        "kind_links": [(v, label, counts.get(v, 0), query_with(request.GET, kind=v, page=None)) for v, label in NoticeKind.choices
                       if archive or counts.get(v)],
        "all_query": query_with(request.GET, kind=None, page=None),
    }
    return render(request, "notices/public/board.html", context)


@require_GET
def public_notice(request, pk):
    today = timezone.localdate()
    notice = selectors.public_notice(pk, day=today)
    return render(request, "notices/public/notice.html", {"notice": notice, "state": notice.state_on(today), "withdrawn": NoticeState.WITHDRAWN})
