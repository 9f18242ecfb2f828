from .needs import (
    OPEN_NEED_Q,
    OPEN_NEED_STATUSES,
    Channel,
    Need,
    NeedCategory,
    NeedPhoto,
    NeedStatus,
    NeedStep,
    Satisfaction,
    Urgency,
    need_photo_path,
)
from .projects import OPEN_PROJECT_Q, OPEN_PROJECT_STATUSES, Project, ProjectSpending, ProjectStatus, ProjectTask
from .resources import PEOPLE_KINDS, MatchingRules, MatchRule, ProjectResource, Resource, ResourceKind

__all__ = [
    "OPEN_NEED_Q", "OPEN_NEED_STATUSES", "Channel", "Need", "NeedCategory", "NeedPhoto", "NeedStatus", "NeedStep",
    "Satisfaction", "Urgency", "need_photo_path",
    "OPEN_PROJECT_Q", "OPEN_PROJECT_STATUSES", "Project", "ProjectSpending", "ProjectStatus", "ProjectTask",
    "PEOPLE_KINDS", "MatchingRules", "MatchRule", "ProjectResource", "Resource", "ResourceKind",
]
