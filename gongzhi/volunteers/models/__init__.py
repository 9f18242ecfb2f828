"""志愿服务: the registry (volunteers, skills, teams), duty posts with shift rosters, activities
with sign-up, and the verified hours (ServiceRecord, an immutable ledger). Import from here."""

from .activities import Activity, ActivityStatus, Signup  # noqa: F401
from .duty import Post, PostKind, Shift, ShiftAssignment, ShiftLog  # noqa: F401
from .records import RecordRules, ServiceRecord, ServiceSource  # noqa: F401
from .registry import Skill, Team, TeamKind, TeamMembership, Volunteer, VolunteerKind, VolunteerStatus  # noqa: F401
