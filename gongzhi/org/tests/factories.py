"""Factories for the two trees. Tree nodes go through treebeard (add_root / add_child)."""

import itertools

from gongzhi.org.models import Grid, OrgKind, PartyOrganization, Place, PlaceLevel

_seq = itertools.count(1)


def place(parent: Place | None = None, level: str = PlaceLevel.DISTRICT, name: str | None = None, **attrs) -> Place:
    node = Place(level=level, name=name or f"{PlaceLevel(level).label}{next(_seq)}", **attrs)
    return Place.objects.add_child(parent, instance=node) if parent else Place.objects.add_root(instance=node)


def grid(community: Place, buildings=(), code: str | None = None, name: str | None = None) -> Grid:
    n = next(_seq)
    g = Grid.objects.create(community=community, code=code or f"G{n:04d}", name=name or f"第{n}网格")
    Place.objects.filter(pk__in=[b.pk for b in buildings]).update(grid=g)
    return g


def org(kind_code: str, place: Place, parent: PartyOrganization | None = None, name: str | None = None, covers=()) -> PartyOrganization:
    kind = OrgKind.objects.get(code=kind_code)
    node = PartyOrganization(kind=kind, place=place, name=name or f"{place.name}{kind.name}")
    node = PartyOrganization.objects.add_child(parent, instance=node) if parent else PartyOrganization.objects.add_root(instance=node)
    if covers:
        node.covers.set(covers)
    return node
