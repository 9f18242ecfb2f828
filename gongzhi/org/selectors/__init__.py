"""Reads for the tree pages and the coverage figures. Every function takes `*, scope`.

Counts never COUNT the people tables: each `Place` carries the residents, households and
members attached directly to it and each `PartyOrganization` its members (kept true by
gongzhi.people.services); a subtree total is a SUM of those counters over an index range of
`path` (`node.subtree_q()`), and the totals of all children of a node are ONE query grouped by
the child's path prefix. So a page costs the same number of queries at a 社区 and at the
district root, whatever the size of the district.

People records (households, members) and grants are reached through the reverse relations of
the tree (`place.households`, `org.members`, `grid.grants`): this module never imports the
apps to its right (accounts, people).
"""

from .common import Coverage, Totals, ancestors_with_visibility, visible
from .history import org_history, place_history
from .new_orgs import NewOrgCoverage, new_org_coverage, new_org_list, sector_choices
from .orgs import (
    org_ancestors,
    org_children_with_totals,
    org_count,
    org_cover_choices,
    org_covers,
    org_get,
    org_kind_choices,
    org_members,
    org_place_choices,
    org_roots,
)
from .places import (
    compound_coverage,
    compounds_with_coverage,
    covering_organizations,
    grid_buildings,
    grid_count,
    grid_get,
    grid_list,
    grid_list_with_totals,
    grid_staff,
    grid_totals,
    place_ancestors,
    place_counts,
    place_children_levels,
    place_children_with_totals,
    place_choices,
    place_get,
    place_households,
    place_roots,
    place_totals,
    scope_totals,
)

__all__ = [
    "Coverage", "Totals", "NewOrgCoverage", "visible", "ancestors_with_visibility",
    "place_roots", "place_get", "place_ancestors", "place_totals", "place_children_with_totals",
    "place_children_levels", "compound_coverage", "compounds_with_coverage", "place_counts", "org_count", "covering_organizations", "place_households",
    "scope_totals", "place_choices", "grid_get", "grid_list", "grid_list_with_totals", "grid_totals", "grid_count",
    "grid_buildings", "grid_staff", "org_roots", "org_get", "org_ancestors", "org_covers",
    "org_children_with_totals", "org_members", "org_kind_choices", "org_place_choices",
    "org_cover_choices", "new_org_list", "new_org_coverage", "sector_choices", "place_history", "org_history",
]
