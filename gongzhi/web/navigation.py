"""The left navigation: one entry per module, the current one found from the view name."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str
    matches: tuple[str, ...]  # view-name prefixes that belong to this module
    staff_only: bool = False
    role: str = ""  # shown only to holders of this role (and superusers)
    roles: tuple[str, ...] = ()  # shown only to holders of one of these roles (and superusers)


# staff of a place (社区 and above): records that hang off a 社区 are out of a grid's or branch's reach
PLACE_STAFF = ("district_admin", "street_staff", "community_secretary", "community_worker")

NAV = (
    NavItem("home", _("工作台"), "web:home", ("web:",)),
    NavItem("dashboard", _("数据看板"), "reports:dashboard", ("reports:",)),
    NavItem("places", _("区划与网格"), "org:places", ("org:place", "org:grid")),
    NavItem("orgs", _("党组织"), "org:orgs", ("org:org",)),
    NavItem("new_orgs", _("两新组织"), "org:new_orgs", ("org:new_org",)),
    NavItem("people", _("居民"), "people:search", ("people:",)),
    NavItem("members", _("党员"), "people:members", ("people:member",)),
    NavItem("partylife", _("组织生活"), "partylife:compliance", ("partylife:",)),
    NavItem("points", _("党员积分"), "points:ranking", ("points:",)),
    NavItem("stars", _("五星支部"), "points:stars", ("points:star",)),
    NavItem("needs", _("三张清单"), "needs:ledger", ("needs:",)),
    NavItem("volunteers", _("志愿服务"), "volunteers:list", ("volunteers:",)),
    NavItem("bank", _("道德银行"), "bank:overview", ("bank:",), roles=PLACE_STAFF),
    NavItem("decisions", _("民主决策"), "decisions:matters", ("decisions:",), roles=PLACE_STAFF),
    NavItem("notices", _("公开栏"), "notices:board", ("notices:",), roles=PLACE_STAFF),
    NavItem("mediation", _("矛盾调解"), "mediation:cases", ("mediation:",), roles=PLACE_STAFF),
    NavItem("lectures", _("法治讲座"), "lectures:overview", ("lectures:",), roles=PLACE_STAFF),
    NavItem("culture", _("德治"), "culture:overview", ("culture:",), roles=PLACE_STAFF),
    NavItem("io", _("导入与导出"), "people:import", ("people:import", "people:export")),
    NavItem("reveals", _("查看记录"), "people:reveals", ("people:reveals",), role="district_admin"),
    NavItem("admin", _("系统配置"), "admin:index", ("admin:",), staff_only=True),
)


def current_key(view_name: str) -> str | None:
    """The module whose longest matching prefix fits `view_name`."""
    best, best_len = None, -1
    for item in NAV:
        for prefix in item.matches:
            if view_name.startswith(prefix) and len(prefix) > best_len:
                best, best_len = item.key, len(prefix)
    return best


def nav_for(user, view_name: str, scope=None) -> list[dict]:
    """The entries this user sees; a module whose pages are not installed yet is left out."""
    active = current_key(view_name or "")
    items = []
    nothing_granted = scope is not None and scope.is_empty  # e.g. a counter's operator: the home page leads to the counter
    for item in NAV:
        if nothing_granted and item.key != "home":
            continue
        if item.staff_only and not user.is_staff:
            continue
        if item.role and not (scope is not None and scope.has_role(item.role)):
            continue
        if item.roles and not (scope is not None and any(scope.has_role(r) for r in item.roles)):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"key": item.key, "label": item.label, "url": url, "active": item.key == active})
    return items
