"""Writes of 志愿服务, by subject: the registry and teams, duty posts and shifts, activities with
sign-up and check-in/out, and verifying hours. Each is atomic, scope-checked, keyword-only.
Import them from here."""

from .activities import activity_cancel, activity_create, signup_cancel, signup_check_in, signup_check_out, signup_create  # noqa: F401
from .duty import assignment_check_in, assignment_check_out, post_create, post_update, shift_assign, shift_create, shift_log_add, shift_unassign  # noqa: F401
from .hours import hours_verify, service_record_reverse  # noqa: F401
from .registry import team_create, team_member_add, team_member_remove, team_update, volunteer_leave, volunteer_register, volunteer_set_skills  # noqa: F401
