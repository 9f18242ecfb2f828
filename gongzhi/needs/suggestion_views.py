"""建议立项: groups of similar open needs (same category, same 小区 or 社区, registered within the
window of each other, not yet in a project) that could be met by one project. Each group links
to 立项 with its needs chosen. Reads only; the grouping is `matching.project_suggestions`."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils.translation import gettext as _
from django.shortcuts import render
from django.views.decorators.http import require_GET

from gongzhi.org.models import PlaceLevel
from gongzhi.org.selectors.places import place_get
from gongzhi.people.selectors import place_filter_choices

from .matching import project_suggestions
from .models import MatchingRules

SHOWN = 100  # groups listed at once; narrow by 社区 for the rest


@login_required
@require_GET
def suggestions(request):
    """?community= (in scope, else 404) narrows the needs looked at."""
    scope = request.scope
    communities = [(p.pk, p.name) for p in place_filter_choices(scope=scope) if p.level == PlaceLevel.COMMUNITY]
    community = None
    if request.GET.get("community"):
        community = place_get(scope=scope, pk=request.GET["community"])
        if community.level != PlaceLevel.COMMUNITY:
            raise Http404(_("不存在或无权查看。"))
    groups = project_suggestions(scope=scope, within=community)
    return render(request, "needs/suggestions.html", {
        "groups": groups[:SHOWN], "total": len(groups), "shown": SHOWN, "communities": communities, "community": community,
        "rules": MatchingRules.current(), "need_count": sum(len(g.needs) for g in groups)})
