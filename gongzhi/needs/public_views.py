"""挂账销号 公示: the projects a 社区 has closed (销号), for residents, without a login.

Only what the closing worker wrote for the public is shown: the project's name, where (down to
the 小区, never a building or household), the day it was closed, its `public_summary` and how
many needs it solved. Its result, evidence, people and money never leave the staff pages (the
queries do not even read them). A project is published once it is closed with a non-empty
summary; anything else, and any place that is not a 社区, is the same 404.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongzhi.core.fields import ancestor_paths
from gongzhi.core.pagination import capped_page
from gongzhi.org.models import Place, PlaceLevel

from .models import NeedStatus, Project, ProjectStatus

PUBLIC_FIELDS = ("name", "status", "place", "closed_on", "public_summary")
SOLVED = (NeedStatus.CLOSED, NeedStatus.VISITED)
PER_PAGE = 10


def published_projects() -> QuerySet[Project]:
    """Closed projects with a public summary, newest first, with the needs each solved; only
    the public fields are read."""
    return (Project.objects.filter(status=ProjectStatus.CLOSED).exclude(public_summary="")
            .select_related("place").only(*PUBLIC_FIELDS, "place__path", "place__name", "place__level")
            .annotate(solved=Count("needs", filter=Q(needs__status__in=SOLVED)))
            .order_by("-closed_on", "-id"))


def public_places(projects) -> dict[int, tuple[Place | None, str]]:
    """For each project id: (its 社区, the name of its 小区 or ""), in one query. A project at a building or
    unit is shown at the 小区 around it; one at a 社区 at the 社区 alone."""
    paths = {a for p in projects for a in ancestor_paths(p.place.path, Place.steplen)}
    names = {n.path: n for n in Place.objects.filter(path__in=paths, level__in=(PlaceLevel.COMMUNITY, PlaceLevel.COMPOUND))
             .only("path", "name", "level")}
    places = {}
    for p in projects:
        chain = [names[a] for a in ancestor_paths(p.place.path, Place.steplen) if a in names]
        community = next((n for n in chain if n.level == PlaceLevel.COMMUNITY), None)
        compound = next((n.name for n in chain if n.level == PlaceLevel.COMPOUND), "")
        places[p.pk] = (community, compound)
    return places


def _community(pk: int) -> Place:
    community = Place.objects.filter(pk=pk, level=PlaceLevel.COMMUNITY).only("name", "path", "level").first()
    if community is None:
        raise Http404(_("不存在或无权查看。"))
    return community


@require_GET
def results(request, community_pk):
    """A 社区's closed projects, newest first, ten a page."""
    community = _community(community_pk)
    page = capped_page(published_projects().filter(community.subtree_q("place__path")), request.GET.get("page"), per_page=PER_PAGE)
    places = public_places(page.rows)
    page.rows = [(p, places[p.pk][1]) for p in page.rows]
    return render(request, "needs/public/results.html", {"community": community, "page": page})


@require_GET
def result(request, pk):
    """One closed project with its public summary."""
    project = published_projects().filter(pk=pk).first()
    if project is None:
        raise Http404(_("不存在或无权查看。"))
    community, compound = public_places([project])[project.pk]
    return render(request, "needs/public/result.html", {"project": project, "community": community, "compound": compound})
