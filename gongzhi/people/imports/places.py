"""Resolving the place and organisation names of a sheet to rows of the importer's scope.

The scope's 社区, 小区 and 楼栋 are loaded once (one query, plus one for the names of in-scope
places' ancestors when the scope starts below a 社区) into dicts keyed by names:
(社区,) / (社区, 小区) / (社区, 小区, 楼栋), 小区 "" for a 楼栋 standing directly in its 社区;
单元 are loaded the first time a row names one. A name that does not exist and one outside the
scope get the same answer (the project's rule: "missing" and "not yours" are alike).
Party organisations are keyed by name the same way.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from gongzhi.core.scope import Scope
from gongzhi.core.text import squeeze
from gongzhi.org.models import PartyOrganization, Place, PlaceLevel

AMBIGUOUS = -1  # two places (or organisations) of the scope share the key
STEP = Place.steplen


def _put(index: dict, key: tuple, pk: int) -> None:
    index[key] = AMBIGUOUS if key in index else pk


class PlaceIndex:
    def __init__(self, scope: Scope):
        self.scope = scope
        self.names: dict[str, tuple[str, str]] = {}  # path → (level, name)
        self.keys: dict[str, tuple] = {}  # path → name key
        self.communities: dict[tuple, int] = {}
        self.compounds: dict[tuple, int] = {}
        self.buildings: dict[tuple, int] = {}
        self.units: dict[tuple, int] | None = None
        self._building_paths: dict[str, tuple] = {}
        self._load()

    def _rows(self, levels, **filters):
        qs = Place.objects.filter(level__in=levels, **filters).order_by("path").values_list("id", "path", "level", "name")
        return list(self.scope.filter(qs))

    def _load(self) -> None:
        rows = self._rows([PlaceLevel.COMMUNITY, PlaceLevel.COMPOUND, PlaceLevel.BUILDING])
        for _pk, path, level, name in rows:
            self.names[path] = (level, squeeze(name))
        # The 社区 and 小区 above a scope that starts lower down (a 支部书记's 小区, a grid's
        # buildings): their names lead to the in-scope places; they are never targets.
        rows += self._missing_ancestors()
        for pk, path, level, _name in rows:
            key = self._key(path)
            if key is None:
                continue
            self.keys[path] = key
            target = {PlaceLevel.COMMUNITY: self.communities, PlaceLevel.COMPOUND: self.compounds}.get(level, self.buildings)
            _put(target, key, pk)

    def _missing_ancestors(self) -> list:
        wanted = {path[:n] for path in self.names for n in range(STEP, len(path), STEP)} - self.names.keys()
        if not wanted:
            return []
        qs = Place.objects.filter(path__in=wanted, level__in=[PlaceLevel.COMMUNITY, PlaceLevel.COMPOUND]).order_by("path")
        rows = list(qs.values_list("id", "path", "level", "name"))
        for _pk, path, level, name in rows:
            self.names[path] = (level, squeeze(name))
        return rows

    def _key(self, path: str) -> tuple | None:
        """(社区,) / (社区, 小区) / (社区, 小区 or "", 楼栋) from the names along the path."""
        level, name = self.names[path]
        if level == PlaceLevel.COMMUNITY:
            return (name,)
        parent = self.names.get(path[:-STEP])
        if parent is None:
            return None
        if level == PlaceLevel.COMPOUND:
            return (parent[1], name)
        if parent[0] == PlaceLevel.COMPOUND:
            grand = self.names.get(path[: -2 * STEP])
            return (grand[1], parent[1], name) if grand else None
        return (parent[1], "", name)

    def _load_units(self) -> None:
        self.units = {}
        building_keys = {path: key for path, key in self.keys.items() if len(key) == 3}
        for pk, path, _level, name in self._rows([PlaceLevel.UNIT]):
            key = building_keys.get(path[:-STEP])
            if key is not None:
                _put(self.units, key + (squeeze(name),), pk)

    def resolve(self, community: str, compound: str, building: str, unit: str = "") -> tuple[int | None, str | None]:
        """(place id, None) or (None, a Chinese message naming the column that is wrong)."""
        checks = [
            ("社区", self.communities, (community,), community),
            ("小区", self.compounds, (community, compound), compound) if compound else None,
            ("楼栋", self.buildings, (community, compound, building), building),
        ]
        if unit:
            if self.units is None:
                self._load_units()
            checks.append(("单元", self.units, (community, compound, building, unit), unit))
        pk = None
        for column, index, key, value in filter(None, checks):
            pk = index.get(key)
            if pk is None:
                return None, self._missing(column, key, value)
            if pk == AMBIGUOUS:
                return None, _("%(column)s：“%(where)s”有重名，无法确定是哪一个，请联系管理员。") % {"column": column, "where": " ".join(filter(None, key))}
        return pk, None

    @staticmethod
    def _missing(column: str, key: tuple, value: str) -> str:
        if len(key) == 1:
            return _("社区：“%(name)s”不存在或不在您的管辖范围内（导入不会新建社区）。") % {"name": value}
        return _("%(column)s：“%(where)s”下没有“%(name)s”，或不在您的管辖范围内（导入不会新建%(column)s）。") % {
            "column": column, "where": " ".join(filter(None, key[:-1])), "name": value,
        }


class OrganizationIndex:
    """The scope's party organisations by name (one query)."""

    def __init__(self, scope: Scope):
        self.by_name: dict[tuple, int] = {}
        for pk, name in scope.filter(PartyOrganization.objects.all()).values_list("id", "name"):
            _put(self.by_name, (squeeze(name),), pk)

    def resolve(self, name: str) -> tuple[int | None, str | None]:
        pk = self.by_name.get((name,))
        if pk is None:
            return None, _("所在党组织：“%(name)s”不存在或不在您的管辖范围内（导入不会新建党组织）。") % {"name": name}
        if pk == AMBIGUOUS:
            return None, _("所在党组织：有多个名为“%(name)s”的党组织，无法确定是哪一个，请联系管理员。") % {"name": name}
        return pk, None
