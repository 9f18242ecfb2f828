"""Selectors of organisational life, by subject: compliance (落实率 and its drill-down along the
tree), meetings (lists, the 台账, a month for the calendar), members (参会率, 教育覆盖率, warnings,
political birthdays). Import them from here."""

from .compliance import (  # noqa: F401
    Shortfall, OrgCompliance, periods, compliance, total, default_window, SubtreeCompliance, ComplianceLevel, attendance_by_path, compliance_drilldown,
)
from .meetings import (  # noqa: F401
    organizations_with_rules, branches, meetings_held, meeting_get, org_meetings, meeting_attendance, ledger, month_meetings, PeriodRequirement, month_requirements,
)
from .members import (  # noqa: F401
    attendance_rates, education_counts, education_coverage, education_coverages, MemberWarning, member_warnings, political_birthdays, member_attendance_rates,
)
