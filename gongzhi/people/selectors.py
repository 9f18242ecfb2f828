"""Reads of the people registry, shaped for the pages; every one cut down by the caller's Scope.

Search must stay fast on a district of a million residents, whatever the scope:
- a search key is matched on an indexed column only: a prefix is `prefix_q` (an index range on
  the byte-sorted column, never LIKE), a phone or a full ID number is an equality on its blind
  index (the plain value is never decrypted to search), ID last 4 is an equality;
- results come in (name, id) order, which the name index gives without sorting; a pinyin-initials
  search in (initials, name, id) order, which the (initials, name, id) index gives likewise;
- the query is steered (`SearchSizes`): across a district it walks that index in order and
  stops when the page is full; inside a 社区 it starts from the 社区's places and sorts the few
  matches (SQLite, without statistics, would otherwise sort a whole district or walk an index
  through a million rows to fill one page of a 社区);
- a list is never counted in full: `gongzhi.core.pagination.capped_count` counts at most
  `cap + 1` rows, and `person_search(for_count=True)` is planned for that count.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Case, CharField, Count, Func, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from gongzhi.core import pii
from gongzhi.core.fields import ancestor_paths, prefix_q
from gongzhi.core.history import HISTORY_LIMIT, HistoryEntry, record_history
from gongzhi.core.pagination import LIST_CAP
from gongzhi.core.scope import Scope
from gongzhi.core.text import squeeze
from gongzhi.core.validators import ID_SHAPE, normalize_phone
from gongzhi.org.models import PartyOrganization, Place, PlaceLevel
from gongzhi.org.selectors.places import place_get

from .models import CommunityCheckin, Household, MemberStatus, PartyMember, Person, PersonStatus, PiiReveal
from .services import RESIDENCE_LEVELS

_ID_LAST4 = re.compile(r"^\d{3}[\dX]$")
_PHONE = re.compile(r"^\d{11}$")


# ---------------------------------------------------------------- search keys


@dataclass(frozen=True)
class SearchKey:
    """What the search box holds, decided by its shape."""

    kind: str  # "", "phone", "id_number", "id_last4", "initials", "name"
    value: str

    LABELS = {
        "phone": _("手机号码"),
        "id_number": _("公民身份号码"),
        "id_last4": _("身份号码后4位"),
        "initials": _("姓名拼音首字母"),
        "name": _("姓名"),
    }

    @property
    def label(self) -> str:
        return self.LABELS.get(self.kind, "")

    @property
    def shown(self) -> str:
        """The key as a page may repeat it: a phone or a full ID number masked."""
        if self.kind == "phone":
            return pii.mask_phone(self.value)
        if self.kind == "id_number":
            return pii.mask_id_number(self.value)
        return self.value

    def q(self) -> Q:
        if self.kind == "phone":
            return Q(phone_hash=pii.blind_index(self.value))
        if self.kind == "id_number":
            return Q(id_number_hash=pii.blind_index(self.value))
        if self.kind == "id_last4":
            return Q(id_last4=self.value)
        if self.kind == "initials":
            return prefix_q("name_initials", self.value)
        if self.kind == "name":
            return prefix_q("name", self.value)
        return Q()


def search_key(text: str | None) -> SearchKey:
    """11 digits → phone; 18 characters → full ID number; 3 digits + digit/X → ID last 4;
    ASCII letters → pinyin initials; anything else → the start of the name."""
    value = squeeze(text)
    if not value:
        return SearchKey("", "")
    phone = normalize_phone(value)
    if _PHONE.match(phone):
        return SearchKey("phone", phone)
    upper = value.upper()
    if ID_SHAPE.match(upper):
        return SearchKey("id_number", upper)
    if _ID_LAST4.match(upper):
        return SearchKey("id_last4", upper)
    if value.isascii() and value.isalpha():
        return SearchKey("initials", value.lower())
    return SearchKey("name", value)


# ---------------------------------------------------------------- persons


def person_search(
    *, scope: Scope, q: str = "", place: Place | None = None, political_status: str = "", status: str = "",
    offset: int = 0, for_count: bool = False, sizes: "SearchSizes | None" = None,
) -> QuerySet[Person]:
    """Residents in scope matching the search box and filters, in name order (a pinyin-initials
    search in initials order, then name: the initials index gives that order without sorting).

    The query is steered to start from whichever index answers it fastest (`SearchSizes`, read
    here unless given): for the page that starts at `offset`, or, with `for_count`, for
    `capped_count`.
    """
    if scope.is_empty:
        return Person.objects.none()
    key = search_key(q)
    qs = Person.objects.select_related("place", "household")
    if place is not None:
        qs = qs.filter(place.subtree_q("place__path"))
    if political_status:
        qs = qs.filter(political_status=political_status)
    if status:
        qs = qs.filter(status=status)
    order = ("name_initials", "name", "id") if key.kind == "initials" else ("name", "id")
    if key.kind in ("phone", "id_number", "id_last4"):
        return scope.filter(qs.filter(key.q())).order_by(*order)
    sizes = sizes or SearchSizes.of(scope=scope, place=place, key=key, share=_filter_share(political_status, status))
    if sizes.count_from_key() if for_count else sizes.page_from_index(offset):
        # Start from the key's index (for a page: walk it, or the name index, in order and stop
        # when the page is full).
        qs = qs.filter(key.q() if key.kind else prefix_q("name", ""))
    elif key.kind:
        # Start from the scope's places: the key is matched as an expression, not through its index.
        column = "name_initials" if key.kind == "initials" else "name"
        qs = qs.alias(_key=_Unindexed(column)).filter(prefix_q("_key", key.value))
    return scope.filter(qs).order_by(*order)


def search_sizes(
    *, scope: Scope, q: str = "", place: Place | None = None, political_status: str = "", status: str = ""
) -> "SearchSizes | None":
    """The sizes a search is planned from, read once for both of its queries (None when the key
    is an exact match, which needs no plan)."""
    key = search_key(q)
    if scope.is_empty or key.kind in ("phone", "id_number", "id_last4"):
        return None
    return SearchSizes.of(scope=scope, place=place, key=key, share=_filter_share(political_status, status))


class _Unindexed(Func):
    """A text column as the expression `column || ''`: the same value, which no index serves,
    so that the database does not start the query from that column's index."""

    template = "(%(expressions)s || '')"
    output_field = CharField()


# Cost per row, in microseconds, measured on SQLite with a million residents: walking an index
# and looking up each row; scanning a subtree's residents; sorting a match.
WALK_COST, SCAN_COST, SORT_COST = 3.0, 0.6, 2.0
KEY_PROBE = 20_000
PAGE_ROWS = 21
# The share of residents a filter value keeps, for planning only (the columns have no index and
# SQLite no statistics). Values not listed are rare: planned as rarer than they are, so that the
# search scans the scope (bounded by its size) rather than walk a million rows for a few matches.
FILTER_SHARES = {"status": {PersonStatus.RESIDENT: 1.0}, "political_status": {"masses": 0.8, "member": 0.05, "league": 0.05}}
RARE_SHARE = 0.00001


def _filter_share(political_status: str, status: str) -> float:
    share = 1.0
    for name, value in (("political_status", political_status), ("status", status)):
        if value:
            share *= FILTER_SHARES[name].get(value, RARE_SHARE)
    return share


@dataclass(frozen=True)
class SearchSizes:
    """What a search plan is decided from: residents in scope (and under the place filter), in
    the district, matching the key (counted up to KEY_PROBE), and the filters' expected share.

    Starting from an index visits rows until enough match: about rows / (share of them that
    match). Starting from the scope visits every resident in scope and sorts the matches. A
    district-wide search walks the name index; one inside a 社区 scans its 10,000 residents.
    """

    n_scope: int
    total: int
    n_key: int
    share: float = 1.0

    @classmethod
    def of(cls, *, scope: Scope, place: Place | None, key: SearchKey, share: float = 1.0) -> "SearchSizes":
        n_scope, total = _residents_in(scope, place)
        return cls(n_scope=n_scope, total=max(total, 1), n_key=_key_size(key) if key.kind else max(total, 1), share=share)

    @property
    def scope_share(self) -> float:
        return max(self.n_scope, 1) / self.total * self.share

    @property
    def key_share(self) -> float:
        return max(self.n_key, 1) / self.total * self.share

    def page_from_index(self, offset: int = 0) -> bool:
        walk = WALK_COST * min(self.n_key, (offset + PAGE_ROWS) / self.scope_share)
        scan = SCAN_COST * self.n_scope + SORT_COST * self.n_scope * self.key_share
        return walk <= scan

    def count_from_key(self, cap: int = LIST_CAP) -> bool:
        if self.n_key >= self.total:  # no key: only the scope can drive a count
            return False
        from_key = WALK_COST * min(self.n_key, (cap + 1) / self.scope_share)
        from_scope = SCAN_COST * min(self.n_scope, (cap + 1) / self.key_share)
        return from_key <= from_scope


def _residents_in(scope: Scope, place: Place | None) -> tuple[int, int]:
    """(residents in scope and under `place`, residents in the district), from the places' counters."""
    inside = Place.scope_q(scope) & (place.subtree_q() if place is not None else Q())
    totals = Place.objects.aggregate(
        total=Coalesce(Sum("resident_count"), 0),
        inside=Coalesce(Sum("resident_count", filter=inside), 0) if inside else Coalesce(Sum("resident_count"), 0),
    )
    return totals["inside"], totals["total"]


def _key_size(key: SearchKey) -> int:
    """How many residents of the district the key matches, counted on its index up to KEY_PROBE."""
    return Person.objects.filter(key.q()).order_by().values("pk")[:KEY_PROBE].count()


def person_get(*, scope: Scope, pk, for_change: bool = False) -> Person:
    """One resident, or 404. Visible when they live in scope, or are a member of a party
    organisation in scope (a branch secretary opens every member of the branch); changed only
    when they live in scope (the services check the residence)."""
    qs = Person.objects.select_related("place", "household__place", "household__head", "party_member__organization")
    if for_change:
        return scope.get(qs, pk=pk)
    members = scope.filter(PartyMember.objects.all()).values("pk")
    try:
        return (scope.filter(qs) | qs.filter(party_member__in=members)).get(pk=pk)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise Http404(_("不存在或无权查看。"))


def member_get(*, scope: Scope, pk) -> PartyMember:
    return scope.get(PartyMember.objects.select_related("person", "organization"), pk=pk)


def household_get(*, scope: Scope, pk) -> Household:
    return scope.get(Household.objects.select_related("place", "head"), pk=pk)


def household_members(*, scope: Scope, household: Household) -> QuerySet[Person]:
    """The household's members in scope, the head first."""
    head_first = Case(When(pk=household.head_id, then=Value(0)), default=Value(1), output_field=IntegerField())
    qs = Person.objects.filter(household=household).select_related("place")
    return scope.filter(qs).annotate(head_first=head_first).order_by("head_first", "name", "id")


def member_checkins(*, scope: Scope, member: PartyMember) -> QuerySet[CommunityCheckin]:
    return scope.filter(CommunityCheckin.objects.filter(member=member).select_related("community"))


def checkin_list(*, scope: Scope, start: dt.date | None = None, end: dt.date | None = None) -> QuerySet[CommunityCheckin]:
    """在职党员到社区报到 with a 社区 in scope (registered in [start, end], if given), newest first."""
    qs = CommunityCheckin.objects.select_related("member__person", "community")
    if start is not None:
        qs = qs.filter(registered_on__gte=start)
    if end is not None:
        qs = qs.filter(registered_on__lte=end)
    return scope.filter(qs).order_by("-registered_on", "-id")


def residence_get(*, scope: Scope, pk) -> Place:
    """A building or unit in scope (where residents and households are registered), or 404."""
    return scope.get(Place.objects.filter(level__in=RESIDENCE_LEVELS), pk=pk)


def residences(*, scope: Scope) -> QuerySet[Place]:
    """Buildings and units in scope: where a resident or a household may be registered."""
    return scope.filter(Place.objects.filter(level__in=RESIDENCE_LEVELS))


def households(*, scope: Scope) -> QuerySet[Household]:
    return scope.filter(Household.objects.select_related("place"))


def households_at(*, scope: Scope, place: Place) -> QuerySet[Household]:
    return scope.filter(Household.objects.filter(place=place).select_related("place")).order_by("room")


def persons_at(*, scope: Scope, place: Place) -> QuerySet[Person]:
    return scope.filter(Person.objects.filter(place=place, status=PersonStatus.RESIDENT)).order_by("name", "id")


# ---------------------------------------------------------------- party members


def member_list(
    *, scope: Scope, organization: PartyOrganization | None = None, category: str = "",
    is_away: bool | None = None, status: str = "",
) -> QuerySet[PartyMember]:
    """Party members in scope, by organisation then name (the organisation index gives the
    first part of that order, so a page does not sort the whole district)."""
    qs = PartyMember.objects.select_related("person__place", "organization")
    if organization is not None:
        qs = qs.filter(organization.subtree_q("organization__path"))
    if category:
        qs = qs.filter(category=category)
    if is_away is not None:
        qs = qs.filter(is_away=is_away)
    if status == MemberStatus.ACTIVE:
        # Nearly every member is active: start from the scope's organisations, not the status index.
        qs = qs.alias(_status=_Unindexed("status")).filter(_status=status)
    elif status:
        qs = qs.filter(status=status)
    return scope.filter(qs).order_by("organization_id", "person__name", "id")


# ---------------------------------------------------------------- the place tree, for labels


ADDRESS_LEVELS = (PlaceLevel.COMPOUND, PlaceLevel.BUILDING, PlaceLevel.UNIT)


def place_labels(places) -> dict[int, tuple[str, str]]:
    """For each place id: (its 社区, "小区 楼栋 单元"), read in one query for all of them."""
    places = {p.pk: p for p in places if p is not None}
    paths = {a for p in places.values() for a in ancestor_paths(p.path, Place.steplen)}
    names = {
        n.path: n
        for n in Place.objects.filter(path__in=paths, level__in=(PlaceLevel.COMMUNITY, *ADDRESS_LEVELS)).only("path", "name", "level")
    }
    labels = {}
    for pk, p in places.items():
        chain = [names[a] for a in ancestor_paths(p.path, Place.steplen) if a in names]
        community = next((n.name for n in chain if n.level == PlaceLevel.COMMUNITY), "")
        labels[pk] = (community, " ".join(n.name for n in chain if n.level in ADDRESS_LEVELS))
    return labels


def _tree_choices(queryset: QuerySet, cap: int) -> list:
    """The nodes of `queryset` in tree order, down to the deepest level that keeps the list
    within `cap` entries (the top level is always kept). Two queries whatever the tree's size."""
    counts = dict(queryset.order_by().values_list("depth").annotate(n=Count("pk")).values_list("depth", "n"))
    depths, running, limit = sorted(counts), 0, None
    for depth in depths:
        running += counts[depth]
        if running > cap and limit is not None:
            break
        limit = depth
    return [] if limit is None else list(queryset.filter(depth__lte=limit).order_by("path"))


def place_filter_choices(*, scope: Scope, cap: int = 400) -> list[Place]:
    """Streets, communities and 小区 in scope, in tree order, for a filter list of about `cap`
    entries at most (the lowest levels are left out when a district has more)."""
    levels = (PlaceLevel.DISTRICT, PlaceLevel.STREET, PlaceLevel.COMMUNITY, PlaceLevel.COMPOUND)
    return _tree_choices(scope.filter(Place.objects.filter(level__in=levels)).only("path", "depth", "name", "level"), cap)


def community_options(scope: Scope) -> list[tuple[int, str]]:
    """The 社区 the user may pick (value, label), for a page's 社区 filter or form field."""
    return [(p.pk, p.name) for p in place_filter_choices(scope=scope) if p.level == PlaceLevel.COMMUNITY]


def community_get(scope: Scope, pk) -> Place:
    """The 社区 `pk` in scope; anything else (another level, out of scope, missing) is a 404."""
    place = place_get(scope=scope, pk=pk)
    if place.level != PlaceLevel.COMMUNITY:
        raise Http404(_("不存在或无权查看。"))
    return place


def organization_filter_choices(*, scope: Scope, cap: int = 400) -> list[PartyOrganization]:
    return _tree_choices(scope.filter(PartyOrganization.objects.all()).only("path", "depth", "name"), cap)


class ResidenceOptions(list):
    """(id, label) pairs; `complete` is False when the scope has more than were listed."""

    complete = True


def residence_choices(*, scope: Scope, near: Place | None = None, cap: int = 300) -> ResidenceOptions:
    """Buildings and units in scope for a form's list, labelled "小区 楼栋 单元": all of them
    when there are no more than `cap`, else those around `near` (a residence: the others of its
    小区; any other node: those under it), else none (the page asks for a 小区 first)."""
    qs = scope.filter(Place.objects.filter(level__in=RESIDENCE_LEVELS)).order_by("path")
    nodes = list(qs[: cap + 1])
    options = ResidenceOptions()
    if len(nodes) > cap:
        options.complete = False
        if near is None:
            return options
        up = {PlaceLevel.BUILDING: 1, PlaceLevel.UNIT: 2}.get(near.level, 0)
        nodes = list(qs.filter(prefix_q("path", near.path[: len(near.path) - Place.steplen * up] or near.path))[:cap])
    labels = place_labels(nodes)
    options += [(n.pk, labels[n.pk][1] or n.name) for n in nodes]
    return options


# ---------------------------------------------------------------- change history


PERSON_HISTORY_FIELDS = (
    "name", "gender", "birth_date", "ethnicity", "id_number_mask", "phone_mask", "place", "household",
    "relation_to_head", "political_status", "status", "note",
)
HOUSEHOLD_HISTORY_FIELDS = ("place", "room", "head", "note")
MEMBER_HISTORY_FIELDS = (
    "organization", "category", "joined_on", "full_on", "is_away", "away_location", "away_reason", "status", "status_changed_on",
)


def person_history(*, scope: Scope, person: Person, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """Who changed what and when, newest first: the fields changed between versions (the
    encrypted columns and blind indexes are not in the history at all, only the masks)."""
    related = {"household": Household.objects.select_related("place")}
    return record_history(person, fields=PERSON_HISTORY_FIELDS, limit=limit, related=related)


def household_history(*, scope: Scope, household: Household, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    return record_history(household, fields=HOUSEHOLD_HISTORY_FIELDS, limit=limit)


def member_history(*, scope: Scope, member: PartyMember, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    return record_history(member, fields=MEMBER_HISTORY_FIELDS, limit=limit)


@dataclass(frozen=True)
class StatusEntry:
    status: str  # the label: 在册 / 已转出 / 已去世
    on: object  # the date the change took effect (status_changed_on), or None for the first roll entry
    when: object  # when it was recorded
    who: object
    reason: str


def member_status_history(*, scope: Scope, member: PartyMember) -> list[StatusEntry]:
    """The member's status over time, oldest first: each recorded version whose status differs
    from the one before it (django-simple-history keeps every version)."""
    scope.require(member)
    entries, previous = [], None
    for record in member.history.select_related("history_user").order_by("history_date", "history_id"):
        if record.status != previous:
            entries.append(StatusEntry(
                MemberStatus(record.status).label, record.status_changed_on, record.history_date,
                record.history_user, record.history_change_reason or "",
            ))
            previous = record.status
    return entries


# ---------------------------------------------------------------- looks at full personal data


def reveal_list(
    *, scope: Scope, user=None, date_from: dt.date | None = None, date_to: dt.date | None = None, field: str = "",
) -> QuerySet[PiiReveal]:
    """The log of full ID numbers and phones shown, newest first: looks at persons in scope."""
    qs = PiiReveal.objects.select_related("user", "person")
    if user is not None:
        qs = qs.filter(user=user)
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    if field:
        qs = qs.filter(field=field)
    return scope.filter(qs).order_by("-created_at", "-id")


def reveal_users(*, scope: Scope) -> QuerySet:
    """The users who looked at a full number of someone in scope (the review page's filter)."""
    return get_user_model().objects.filter(pk__in=scope.filter(PiiReveal.objects.all()).values("user_id")).order_by("username")


def resident_identify(*, community: Place, name: str, id_number: str) -> Person | None:
    """The registered resident of `community` (or of a place under it) with this name and ID
    number, or None. For public pages where a resident acts without a login (点单、附议、投票):
    the ID number is matched through its blind index, never decrypted; a wrong name, a number of
    someone else, a resident of another 社区 or one moved out are all None alike."""
    number = squeeze(id_number).upper()
    if not ID_SHAPE.match(number) or not squeeze(name):
        return None
    return (
        Person.objects.filter(id_number_hash=pii.blind_index(number), name=squeeze(name), status=PersonStatus.RESIDENT)
        .filter(prefix_q("place__path", community.path))
        .select_related("place")
        .first()
    )
