"""Where automatic entries come from, and the one hook that feeds them.

A *provider* turns records into SourceEvents for the given members (a list of at most
services.SYNC_CHUNK ids) and days in [start, end]; `ledger_sync` scores them with the rules in effect and writes the difference. This
module registers the providers for organisational life (meetings attended or missed without
leave, 党课 given), for verified volunteer hours (volunteers.ServiceRecord) and for projects
closed (needs.Project 销号) that a member served as a committed resource. Later modules
register theirs (training hours, …) with `register_provider`, and after a change emit the one
hook:

    events.emit("records.changed", kinds=["volunteer"], members=[…], start=day, end=day)

after which the ledger of those members and days is brought in line (entries added, or reversed
when a record no longer calls for them). `gongzhi points_sync` does the same for everyone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from gongzhi.core import events
from gongzhi.needs.models import ProjectResource, ProjectStatus
from gongzhi.partylife.models import Attendance, AttendanceStatus, Meeting
from gongzhi.volunteers.models import ServiceRecord

from .models import RuleSource

Provider = Callable[[list[int], dt.date, dt.date], Iterable]
_providers: dict[str, Provider] = {}
RECORDS_CHANGED = "records.changed"


def register_provider(source_kind: str, provider: Provider) -> None:
    _providers[source_kind] = provider


def providers() -> dict[str, Provider]:
    return dict(_providers)


def attendance_events(member_ids: list[int], start: dt.date, end: dt.date):
    from .services import SourceEvent

    rows = (Attendance.objects.filter(member_id__in=member_ids, meeting__held_on__range=(start, end),
                                      status__in=[AttendanceStatus.PRESENT, AttendanceStatus.ABSENT])
            .values_list("id", "member_id", "status", "meeting__held_on", "meeting__meeting_type_id", "meeting_id").iterator(chunk_size=20_000))
    for pk, member_id, status, day, type_id, meeting_id in rows:
        source = RuleSource.ATTEND if status == AttendanceStatus.PRESENT else RuleSource.ABSENT
        yield SourceEvent(member_id, source, "attendance", str(pk), day, meeting_type_id=type_id, evidence=f"会议#{meeting_id}")


def lecture_events(member_ids: list[int], start: dt.date, end: dt.date):
    from .services import SourceEvent

    rows = (Meeting.objects.filter(lecturer_id__in=member_ids, held_on__range=(start, end), meeting_type__is_lecture=True)
            .values_list("id", "lecturer_id", "held_on", "topic"))
    for pk, member_id, day, topic in rows:
        yield SourceEvent(member_id, RuleSource.LECTURE, "lecture", str(pk), day, evidence=topic[:200])


def volunteer_events(member_ids: list[int], start: dt.date, end: dt.date):
    """Verified volunteer hours (volunteers.ServiceRecord) of party members: the records that
    stand (neither reversed nor reversals), one event each, its quantity the hours."""
    from .services import SourceEvent

    rows = (ServiceRecord.objects.filter(volunteer__person__party_member__in=member_ids, served_on__range=(start, end),
                                         reverses__isnull=True, reversed_by__isnull=True)
            .values_list("id", "volunteer__person__party_member", "served_on", "hours", "description"))
    for pk, member_id, day, hours, description in rows:
        yield SourceEvent(member_id, RuleSource.VOLUNTEER, "volunteer", str(pk), day, quantity=hours, evidence=description[:200])


def project_events(member_ids: list[int], start: dt.date, end: dt.date):
    """Projects closed (销号) in [start, end] that a member served as a committed resource (人、才
    of the 资源清单 linked to the member's person): one event per member and project, on the day it
    was closed."""
    from .services import SourceEvent

    rows = (ProjectResource.objects.filter(resource__person__party_member__in=member_ids, project__status=ProjectStatus.CLOSED,
                                           project__closed_on__range=(start, end))
            .values_list("project_id", "resource__person__party_member", "project__closed_on", "project__name").distinct())
    for project_id, member_id, day, name in rows:
        yield SourceEvent(member_id, RuleSource.PROJECT, "project", str(project_id), day, evidence=name[:200])


register_provider("attendance", attendance_events)
register_provider("lecture", lecture_events)
register_provider("volunteer", volunteer_events)
register_provider("project", project_events)


def _records_changed(*, kinds=None, members=None, start: dt.date, end: dt.date, **_):
    from .services import ledger_sync

    ledger_sync(members=members, start=start, end=end, kinds=kinds)


events.subscribe(RECORDS_CHANGED, _records_changed)
