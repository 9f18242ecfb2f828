"""Building a user's Scope from their role grants."""

from gongzhi.core.scope import EVERYTHING, NO_SCOPE, Scope
from gongzhi.org.models import Place

from .models import RoleGrant


def scope_for_user(user) -> Scope:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_SCOPE
    if user.is_superuser:
        return EVERYTHING
    place_paths, org_paths, grid_ids, labels = [], [], [], []
    grants = RoleGrant.objects.filter(user=user).select_related("place", "grid", "organization")
    for grant in grants:
        if grant.place_id:
            place_paths.append(grant.place.path)
        elif grant.grid_id:
            grid_ids.append(grant.grid_id)
            place_paths += Place.objects.filter(grid_id=grant.grid_id).values_list("path", flat=True)
        elif grant.organization_id:
            org_paths.append(grant.organization.path)
            place_paths += grant.organization.covers.values_list("path", flat=True)
        labels.append(f"{grant.get_role_display()}·{grant.target}")
    roles = [grant.role for grant in grants]
    return Scope.of(place_paths=place_paths, org_paths=org_paths, grid_ids=grid_ids, labels=labels, roles=roles, whole_tree=covers_every_root(place_paths))


def covers_every_root(place_paths) -> bool:
    """Whether the granted places include every root of the place tree: then every record is in
    scope and queries need no cut (one query, only for users granted a root)."""
    granted = {p for p in place_paths if len(p) == Place.steplen}
    if not granted:
        return False
    roots = set(Place.objects.filter(depth=1).values_list("path", flat=True))
    return bool(roots) and roots <= granted
