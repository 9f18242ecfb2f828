"""Staff pages of the two trees, grids and 两新组织. Thin: a selector or a service, then render.

Every object comes through a selector with `request.scope`: a node outside the user's scope is
the same 404 as a missing one. Lists are paged by gongzhi.core.pagination (counted up to its cap).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongzhi.core.pagination import capped_page

from . import selectors
from .forms import OrganizationCreateForm, PlaceCreateForm
from .models import PlaceLevel

GRIDS_SHOWN = 30
ABOVE_COMPOUND = (PlaceLevel.DISTRICT, PlaceLevel.STREET, PlaceLevel.COMMUNITY)  # pages that count 小区
RESIDENCES = (PlaceLevel.BUILDING, PlaceLevel.UNIT)  # where residents and households are registered


# ---------------------------------------------------------------- places


@login_required
def place_roots(request):
    roots = list(selectors.place_roots(scope=request.scope)[:200])
    if len(roots) == 1:
        return redirect("org:place", roots[0].pk)
    grids = list(selectors.grid_list(scope=request.scope)[:GRIDS_SHOWN + 1])
    return render(request, "org/place_roots.html", {"roots": roots, "grids": grids[:GRIDS_SHOWN], "more_grids": len(grids) > GRIDS_SHOWN})


@login_required
def place_detail(request, pk):
    scope = request.scope
    node = selectors.place_get(scope=scope, pk=pk)
    context = {
        "node": node,
        "ancestors": selectors.place_ancestors(scope=scope, node=node),
        "children": selectors.place_children_with_totals(scope=scope, node=node),
        "base_depth": node.depth + 1,
        "show_compounds": node.level in ABOVE_COMPOUND,
        "can_add": bool(selectors.place_children_levels(node)),
        "is_residence": node.level in RESIDENCES,
        "history": selectors.place_history(scope=scope, node=node),
    }
    context.update(_level_facts(request, node))
    return render(request, "org/place_detail.html", context)


def _level_facts(request, node) -> dict:
    """What the page shows besides the children table, by the node's level."""
    scope = request.scope
    if node.level == PlaceLevel.COMPOUND:
        return {"covering": selectors.covering_organizations(scope=scope, compound=node)}
    if node.level in RESIDENCES:
        return {"households": capped_page(selectors.place_households(scope=scope, node=node), request.GET.get("page"))}
    facts = {"new_orgs": selectors.new_org_coverage(scope=scope, node=node)}
    if node.level == PlaceLevel.COMMUNITY:
        facts["grids"] = selectors.grid_list_with_totals(scope=scope, community=node)
    return facts


@login_required
@require_GET
def place_children(request, pk):
    """htmx: the rows of a node's children, inserted under the node's row in a tree table."""
    node = selectors.place_get(scope=request.scope, pk=pk)
    children = selectors.place_children_with_totals(scope=request.scope, node=node)
    context = {
        "children": children,
        "base_depth": _int(request.GET.get("base"), node.depth),
        "show_compounds": request.GET.get("compounds") == "1",  # the columns of the page's table
    }
    return render(request, "org/partials/place_rows.html", context)


@login_required
def place_create(request, pk):
    parent = selectors.place_get(scope=request.scope, pk=pk)
    form = PlaceCreateForm(request.POST or None, scope=request.scope, parent=parent)
    if request.method == "POST" and form.is_valid():
        place = form.save()
        if place is not None:
            messages.success(request, _("已新增%(level)s“%(name)s”。") % {"level": place.get_level_display(), "name": place.name})
            return redirect("org:place", parent.pk)
    context = {"node": parent, "form": form, "ancestors": selectors.place_ancestors(scope=request.scope, node=parent)}
    return render(request, "org/place_form.html", context)


# ---------------------------------------------------------------- grids


@login_required
def grid_detail(request, pk):
    scope = request.scope
    grid = selectors.grid_get(scope=scope, pk=pk)
    ancestors = selectors.place_ancestors(scope=scope, node=grid.community, include_self=True)
    context = {
        "grid": grid,
        "ancestors": ancestors,
        "community_visible": ancestors[-1].visible,
        "totals": selectors.grid_totals(scope=scope, grid=grid),
        "buildings": selectors.grid_buildings(scope=scope, grid=grid),
        "staff": selectors.grid_staff(scope=scope, grid=grid),
    }
    return render(request, "org/grid_detail.html", context)


# ---------------------------------------------------------------- party organisations


@login_required
def org_roots(request):
    roots = list(selectors.org_roots(scope=request.scope)[:200])
    if len(roots) == 1:
        return redirect("org:org", roots[0].pk)
    return render(request, "org/org_roots.html", {"roots": roots})


@login_required
def org_detail(request, pk):
    scope = request.scope
    org = selectors.org_get(scope=scope, pk=pk)
    covers = list(selectors.org_covers(scope=scope, org=org))
    children = selectors.org_children_with_totals(scope=scope, node=org)
    context = {
        "org": org,
        "ancestors": selectors.org_ancestors(scope=scope, node=org),
        "covers": covers,
        "children": children,
        "subtree_members": org.member_count + sum(c.subtree_members for c in children),
        "members": capped_page(selectors.org_members(scope=scope, org=org), request.GET.get("page")),
        "base_depth": org.depth + 1,
        "can_add": org.kind.allowed_children.exists(),
        "history": selectors.org_history(scope=scope, org=org),
    }
    return render(request, "org/org_detail.html", context)


@login_required
@require_GET
def org_children(request, pk):
    """htmx: the rows of an organisation's children, for the expandable tree table."""
    org = selectors.org_get(scope=request.scope, pk=pk)
    children = selectors.org_children_with_totals(scope=request.scope, node=org)
    base = _int(request.GET.get("base"), org.depth)
    return render(request, "org/partials/org_rows.html", {"children": children, "base_depth": base})


@login_required
def org_create(request, pk):
    parent = selectors.org_get(scope=request.scope, pk=pk)
    form = OrganizationCreateForm(request.POST or None, scope=request.scope, parent=parent)
    if request.method == "POST" and form.is_valid():
        org = form.save()
        if org is not None:
            messages.success(request, _("已新增%(level)s“%(name)s”。") % {"level": org.kind.name, "name": org.name})
            return redirect("org:org", parent.pk)
    context = {"org": parent, "form": form, "ancestors": selectors.org_ancestors(scope=request.scope, node=parent)}
    return render(request, "org/org_form.html", context)


# ---------------------------------------------------------------- 两新组织


@login_required
def new_org_list(request):
    scope = request.scope
    sectors = list(selectors.sector_choices())
    sector = request.GET.get("sector") or ""
    if sector not in {s.code for s in sectors}:
        sector = ""
    by_sector = selectors.new_org_coverage(scope=scope, by_sector=True)
    context = {
        "sectors": sectors,
        "sector": sector,
        "by_sector": by_sector,
        "total": selectors.new_org_coverage(scope=scope),
        "page": capped_page(selectors.new_org_list(scope=scope, sector=sector or None), request.GET.get("page")),
    }
    return render(request, "org/new_org_list.html", context)


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
