"""Test helpers for organisational life."""

from gongzhi.partylife.models import Attendance, Meeting, MeetingType


def held(org, code, day, attendance=(), **details):
    """A meeting of `org` of the type `code` on `day`, with attendance rows [(member, status)]."""
    meeting = Meeting.objects.create(organization=org, meeting_type=MeetingType.objects.get(code=code), held_on=day,
                                     topic=f"{org.name}{code}{day:%m%d}", **details)
    for member, status in attendance:
        Attendance.objects.create(meeting=meeting, member=member, status=status)
    return meeting
