"""`demo --reset`: remove the district (people, organisations, places, grids, grants) and staff users.

The district's own tables are emptied with one DELETE each (a million people one by one through
the ORM, with a history row per deletion, would take longer than building them). Rows of other
apps that hang off the district (meetings, needs, …) are deleted first through the ORM, so that
their own cascades and signals run. Non-superuser users go last, through the ORM too.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection, models
from django.db.models import ProtectedError

from gongzhi.accounts.models import RoleGrant, User
from gongzhi.org.models import Grid, NewOrganization, PartyOrganization, Place
from gongzhi.partylife.models import AgendaItem, Attendance, AwayReport, Exemption, Meeting, MemberLink
from gongzhi.people.models import CommunityCheckin, Household, PartyMember, Person

# Children before parents.
DISTRICT_MODELS: tuple[type[models.Model], ...] = (
    Attendance, AgendaItem, Exemption, Meeting,  # the demo writes millions of these: one DELETE each
    AwayReport, MemberLink,  # 在外党员's reports (the demo writes them too) and personal links
    CommunityCheckin, PartyMember, Person, Household, NewOrganization, PartyOrganization.covers.through,
    RoleGrant, PartyOrganization, Grid, Place,
)


def demo_wipe(progress: Callable[[str], None] = lambda line: None) -> None:
    _delete_dependents_elsewhere(progress)
    for model in DISTRICT_MODELS:
        _empty_table(model)
        history = getattr(getattr(model, "history", None), "model", None)
        if history is not None:
            _empty_table(history)
    deleted, _ = User.objects.filter(is_superuser=False).delete()
    progress(f"  已清空区划、党组织、居民和授权，删除非超级用户 {deleted:,} 条记录")


def _delete_dependents_elsewhere(progress: Callable[[str], None]) -> None:
    """Through the ORM, retrying those that another one still protects until none is left."""
    waiting = _dependents_elsewhere()
    while waiting:
        blocked = []
        for model in waiting:
            try:
                deleted, _ = model._base_manager.all().delete()
            except ProtectedError:
                blocked.append(model)
                continue
            progress(f"  已删除{model._meta.verbose_name} {deleted:,} 条（依附于演示区划）")
        if len(blocked) == len(waiting):
            names = "、".join(str(m._meta.verbose_name) for m in blocked)
            raise ProtectedError(f"无法清空演示数据：{names}仍被其他记录引用。", set())
        waiting = blocked


def _empty_table(model: type[models.Model]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def _dependents_elsewhere() -> list[type[models.Model]]:
    """Models outside the district's tables whose rows point at them with a real constraint."""
    own = set(DISTRICT_MODELS)
    found: list[type[models.Model]] = []
    for model in DISTRICT_MODELS:
        for relation in model._meta.related_objects:
            other = relation.through if relation.many_to_many else relation.related_model
            if other in own or other in found or not _constrained(relation):
                continue
            found.append(other)
    return found


def _constrained(relation) -> bool:
    if relation.many_to_many:
        return True
    field = relation.field
    return field.db_constraint and relation.on_delete is not models.DO_NOTHING
