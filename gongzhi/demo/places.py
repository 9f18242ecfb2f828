"""The place tree of the demo district, planned in memory: 区 → 街道 → 社区 → 小区 → 楼栋, and grids.

Only the plan lives here (Place and Grid objects with their keys and paths, and how many
households each building holds); people are generated later, building by building.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from gongzhi.org.models import Grid, Place, PlaceLevel

from . import names
from .bulk import KeySequence, TreePaths

GRID_HOUSEHOLDS = 400  # aimed-for households per 综合网格 (300-500)


@dataclass(frozen=True)
class Scale:
    streets: int
    communities_per_street: int
    compounds_per_community: int
    households_per_community: int
    new_orgs_per_street: int
    meeting_years: int = 3  # years of organisational life (meetings, attendance)
    points_years: int = 3  # years scored in the points ledger (the latest ones)
    needs: int = 2_000  # 需求清单 over three years
    projects: int = 200  # 项目清单


SCALES = {
    "small": Scale(streets=1, communities_per_street=3, compounds_per_community=4, households_per_community=370, new_orgs_per_street=10),
    "district": Scale(streets=10, communities_per_street=10, compounds_per_community=10, households_per_community=3700, new_orgs_per_street=60, meeting_years=5, points_years=2,
                      needs=500_000, projects=50_000),
}


@dataclass
class Building:
    place: Place
    per_floor: int
    households: int


@dataclass
class Compound:
    place: Place
    style: str
    buildings: list[Building] = field(default_factory=list)

    @property
    def households(self) -> int:
        return sum(b.households for b in self.buildings)


@dataclass
class Community:
    place: Place
    compounds: list[Compound] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)


@dataclass
class Street:
    place: Place
    communities: list[Community] = field(default_factory=list)


@dataclass
class DistrictPlan:
    place: Place
    streets: list[Street] = field(default_factory=list)

    def communities(self):
        return [c for s in self.streets for c in s.communities]

    def compounds(self):
        return [k for c in self.communities() for k in c.compounds]

    def buildings(self):
        return [b for k in self.compounds() for b in k.buildings]

    def grids(self):
        return [g for c in self.communities() for g in c.grids]

    def upper_places(self) -> list[Place]:
        """区, 街道 and 社区 rows, parents first."""
        return [self.place] + [s.place for s in self.streets] + [c.place for c in self.communities()]

    def lower_places(self) -> list[Place]:
        """小区 and 楼栋 rows, parents first."""
        rows = []
        for compound in self.compounds():
            rows.append(compound.place)
            rows += [b.place for b in compound.buildings]
        return rows


# Compound styles: (style, weight, relative size).
COMPOUND_STYLES = (("commercial", 64, 1.2), ("work_unit", 24, 0.6), ("resettlement", 7, 1.0), ("three_no", 5, 0.3))
STYLE_SIZES = {style: size for style, _, size in COMPOUND_STYLES}
# Building shapes per style: (floors range, units range, rooms-per-floor range).
BUILDING_SHAPES = {
    "commercial": (((11, 18), (2, 3), (2, 2)), ((24, 33), (1, 2), (2, 4)), ((6, 8), (2, 3), (2, 2))),
    "work_unit": (((5, 7), (2, 4), (2, 2)),),
    "resettlement": (((18, 26), (2, 2), (3, 3)), ((11, 11), (2, 3), (2, 2))),
    "three_no": (((3, 6), (1, 3), (2, 2)),),
}


class PlacePlanner:
    def __init__(self, rng: random.Random, scale: Scale):
        self.rng = rng
        self.scale = scale
        self.place_keys = KeySequence(Place)
        self.grid_keys = KeySequence(Grid)
        self.paths = TreePaths(Place)
        self.used_names: set[str] = set()
        self.styles = self._style_deck()

    def plan(self) -> DistrictPlan:
        district = self._place(None, PlaceLevel.DISTRICT, names.DISTRICT_NAME, code=names.DISTRICT_CODE)
        plan = DistrictPlan(place=district)
        street_names = self.rng.sample(names.STREET_NAMES, self.scale.streets)
        for number, street_name in enumerate(street_names, start=1):
            plan.streets.append(self._street(district, number, street_name))
        return plan

    def _place(self, parent: Place | None, level: str, name: str, **attrs) -> Place:
        place = Place(pk=self.place_keys.take(), level=level, name=name, **attrs)
        return self.paths.add_child(parent, place) if parent else self.paths.add_root(place)

    def _street(self, district: Place, number: int, name: str) -> Street:
        code = f"{names.DISTRICT_CODE}{number:03d}000"
        street = Street(place=self._place(district, PlaceLevel.STREET, name, code=code))
        for c in range(1, self.scale.communities_per_street + 1):
            street.communities.append(self._community(street.place, c))
        return street

    def _community(self, street: Place, number: int) -> Community:
        name = self._unique_name(lambda: self.rng.choice(names.PLACE_WORDS) + self.rng.choice(("", "", "东", "西", "南", "北")) + "社区")
        code = f"{street.code[:9]}{number:03d}"
        community = Community(place=self._place(street, PlaceLevel.COMMUNITY, name, code=code))
        styles = [self.styles.pop() for _ in range(self.scale.compounds_per_community)]
        weights = [self.rng.lognormvariate(0, 0.5) * STYLE_SIZES[style] for style in styles]
        total = sum(weights)
        for style, weight in zip(styles, weights):
            target = max(12, round(self.scale.households_per_community * weight / total))
            community.compounds.append(self._compound(community.place, style, target))
        community.grids = self._grids(community)
        return community

    def _style_deck(self) -> list[str]:
        """Every compound's style, in the shares of COMPOUND_STYLES (at least one 三无), shuffled."""
        total = self.scale.streets * self.scale.communities_per_street * self.scale.compounds_per_community
        weight_sum = sum(w for _, w, _ in COMPOUND_STYLES)
        deck = [style for style, w, _ in COMPOUND_STYLES for _ in range(round(total * w / weight_sum))]
        deck = (deck + ["commercial"] * total)[:total]  # rounding may leave one too many or too few
        if "three_no" not in deck:
            deck[-1] = "three_no"
        self.rng.shuffle(deck)
        return deck

    def _compound(self, community: Place, style: str, households: int) -> Compound:
        work_unit = self.rng.choice(names.WORK_UNITS)  # the former employer behind a 单位家属院
        name = self._compound_name(style, work_unit)
        place = self._place(community, PlaceLevel.COMPOUND, name, **self._management(style, work_unit))
        compound = Compound(place=place, style=style)
        floors, units, per_floor = self.rng.choice(BUILDING_SHAPES[style])
        while compound.households < households:
            wanted = households - compound.households
            compound.buildings.append(self._building(place, len(compound.buildings) + 1, floors, units, per_floor, wanted))
        return compound

    def _building(self, compound: Place, number: int, floors, units, per_floor, wanted: int) -> Building:
        """A building whose occupied rooms (78-95%) do not exceed the households still `wanted`."""
        place = self._place(
            compound, PlaceLevel.BUILDING, f"{number}{names.BUILDING_SUFFIX}",
            floors=self.rng.randint(*floors), units=self.rng.randint(*units),
        )
        doors = self.rng.randint(*per_floor)
        rooms = place.floors * place.units * doors
        occupied = round(rooms * self.rng.uniform(0.78, 0.95))
        return Building(place=place, per_floor=doors, households=max(1, min(occupied, wanted)))

    def _compound_name(self, style: str, work_unit: str) -> str:
        rng = self.rng
        if style == "work_unit":
            return self._unique_name(lambda: work_unit + rng.choice(("家属院", "宿舍", "生活区")))
        if style == "three_no":
            return self._unique_name(lambda: f"{rng.choice(names.PLACE_WORDS).removesuffix('路')}路{rng.randint(1, 199)}号院")
        return self._unique_name(lambda: rng.choice(names.PLACE_WORDS) + rng.choice(names.COMPOUND_SUFFIXES))

    def _management(self, style: str, work_unit: str) -> dict:
        """物业服务企业, 主管部门 and 居民自治组织 by compound style (三无: none of the three)."""
        rng = self.rng
        manager = f"{names.CITY_NAME}{rng.choice(names.PROPERTY_WORDS)}物业服务有限公司"
        if style == "three_no":
            return {"property_manager": "", "competent_department": "", "has_self_organisation": False}
        if style == "work_unit":
            department = names.CITY_NAME + work_unit
            return {"property_manager": manager if rng.random() < 0.5 else "", "competent_department": department, "has_self_organisation": rng.random() < 0.5}
        if style == "resettlement":
            return {"property_manager": manager, "competent_department": f"{names.DISTRICT_NAME}住房和城乡建设局", "has_self_organisation": rng.random() < 0.3}
        return {"property_manager": manager, "competent_department": "", "has_self_organisation": rng.random() < 0.45}

    def _unique_name(self, make) -> str:
        """A name not used yet in the district; when they run out, a later phase ("…二期")."""
        candidates = [make() for _ in range(30)]
        candidates += [f"{candidates[0]}{phase}期" for phase in "二三四五六七八九"]
        name = next((c for c in candidates if c not in self.used_names), None)
        if name is None:
            name = f"{candidates[0]}{len(self.used_names)}"
        self.used_names.add(name)
        return name

    def _grids(self, community: Community) -> list[Grid]:
        buildings = [b for k in community.compounds for b in k.buildings]
        numbers = grid_numbers([b.households for b in buildings])
        grids = [self._grid(community.place, n) for n in range(1, max(numbers) + 1)]
        for building, number in zip(buildings, numbers):
            building.place.grid_id = grids[number - 1].pk
        return grids

    def _grid(self, community: Place, number: int) -> Grid:
        return Grid(pk=self.grid_keys.take(), community_id=community.pk, code=f"{community.code}-{number:02d}", name=f"{community.name}第{number}网格")


def grid_numbers(households: list[int], target: int = GRID_HOUSEHOLDS) -> list[int]:
    """Cut buildings, in order, into grids of about `target` households: each building's grid
    number (1, 2, …). A grid ends before a building when that is nearer the ideal boundary."""
    total = sum(households)
    count = max(1, round(total / target))
    numbers, done, in_grid = [], 0, 0
    for size in households:
        grid = numbers[-1] if numbers else 1
        boundary = total * grid / count  # where the current grid should end
        if in_grid and grid < count and abs(done + size - boundary) > abs(done - boundary):
            grid, in_grid = grid + 1, 0
        numbers.append(grid)
        done += size
        in_grid += size
    return numbers


def room_labels(rng: random.Random, building: Building) -> list[str]:
    """The occupied rooms of a building as "单元-楼层房号" ("2-301"), in order."""
    place = building.place
    per_unit = place.floors * building.per_floor
    chosen = sorted(rng.sample(range(place.units * per_unit), building.households))
    labels = []
    for index in chosen:
        unit, rest = divmod(index, per_unit)
        floor, door = divmod(rest, building.per_floor)
        labels.append(f"{unit + 1}-{floor + 1}{door + 1:02d}")
    return labels
