"""Job housekeeping: the state a progress bar shows, jobs that will never finish (a thread whose
process restarted, a lost Celery message), and purging old jobs with their files."""

import datetime as dt
import shutil
import time

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from . import progress as job_progress
from .models import Job, JobStatus

STALE_AFTER = 15 * 60  # seconds without progress before a job counts as interrupted


def job_mark_if_stale(job: Job, state: dict | None) -> bool:
    """Fail a queued or running job that has reported nothing for STALE_AFTER seconds. Nothing
    was written by it: its writes were all in one transaction that never committed."""
    if job.finished:
        return False
    last = state["at"] if state else (job.started_at or job.created_at).timestamp()
    if time.time() - last < STALE_AFTER:
        return False
    updated = Job.objects.filter(pk=job.pk, status=job.status).update(
        status=JobStatus.FAILED, finished_at=timezone.now(),
        error=_("任务已中断（服务可能已重启），未写入任何数据。请重新提交。"),
    )
    if updated:
        job.refresh_from_db()
    return bool(updated)


def job_state(job: Job) -> dict:
    """What a progress bar shows: label, done, total, percent (None when unknown)."""
    state = job_progress.read(job.pk)
    job_mark_if_stale(job, state)
    state = state or {"label": job.get_status_display(), "done": 0, "total": 0}
    return state | {"percent": job_progress.percent(state)}


def jobs_purge(*, days: int) -> int:
    """Delete jobs that finished more than `days` days ago, and their directories."""
    cutoff = timezone.now() - dt.timedelta(days=days)
    old = list(Job.objects.filter(status__in=[JobStatus.DONE, JobStatus.FAILED], finished_at__lt=cutoff).values_list("pk", flat=True))
    for pk in old:
        shutil.rmtree(settings.GONGZHI_JOB_DIR / str(pk), ignore_errors=True)
    Job.objects.filter(pk__in=old).delete()
    return len(old)
