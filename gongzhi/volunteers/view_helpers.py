"""What the 志愿服务 views share: the user's communities as options, a community by id in scope,
datetime values for the forms, picking the posted row among a page's rows (any other is a 404),
and whether verifying hours is late."""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.people.selectors import community_get, community_options  # noqa: F401  (re-exported for the views)

from .models import RecordRules


def moment_value(value) -> str:
    """A moment as the value of a datetime-local input."""
    return f"{timezone.localtime(value):%Y-%m-%dT%H:%M}"


def pick(rows, raw):
    """The row of this page whose id was posted; any other id (another object's) is a 404."""
    row = next((r for r in rows if str(r.pk) == (raw or "")), None)
    if row is None:
        raise Http404(_("不存在或无权查看。"))
    return row


def is_reversed(record) -> bool:
    return hasattr(record, "reversed_by")  # the reverse one-to-one, loaded with select_related


def verify_is_late(target, now) -> bool:
    """Whether verifying the hours of an activity or shift now needs a reason (RecordRules)."""
    limit = RecordRules.current().verify_within_days
    return (timezone.localdate(now) - timezone.localdate(target.ends_at)).days > limit


def first_error_messages(form) -> list[str]:
    return [m for ms in form.errors.values() for m in ms]
