"""Jobs are private to the user who started them: anyone else gets the 404 of a missing one."""

from django.http import Http404
from django.utils.translation import gettext as _

from .models import Job


def job_get(*, user, pk, kinds: tuple[str, ...] | None = None) -> Job:
    qs = Job.objects.filter(user=user)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    job = qs.filter(pk=pk).first()
    if job is None:
        raise Http404(_("不存在或无权查看。"))
    return job


def recent_jobs(*, user, kinds: tuple[str, ...], limit: int = 10):
    return Job.objects.filter(user=user, kind__in=kinds).order_by("-created_at")[:limit]
