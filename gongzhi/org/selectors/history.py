"""Change history of places and party organisations (gongzhi.core.history)."""

from __future__ import annotations

from gongzhi.core.history import HISTORY_LIMIT, HistoryEntry, record_history
from gongzhi.core.scope import Scope

from ..models import PartyOrganization, Place

PLACE_HISTORY_FIELDS = (
    "name", "level", "code", "property_manager", "competent_department", "has_self_organisation", "units", "floors", "grid",
)
ORG_HISTORY_FIELDS = ("name", "kind", "place", "founded_on", "secretary_name")


def place_history(*, scope: Scope, node: Place, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """Who changed the place and when, newest first (the counters are not in its history)."""
    return record_history(node, fields=PLACE_HISTORY_FIELDS, limit=limit)


def org_history(*, scope: Scope, org: PartyOrganization, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """Who changed the organisation and when, newest first (its covered 小区 are not versioned)."""
    return record_history(org, fields=ORG_HISTORY_FIELDS, limit=limit)
