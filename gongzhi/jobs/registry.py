"""Registering job functions and running a job by its id.

    @job("people.import_check", label=_("校验导入文件"))
    def import_check(job, progress): ...   # returns the result dict stored on the Job

A function raising ValidationError fails the job with its (Chinese) messages shown to the user;
any other exception fails it with a generic message and is logged with its traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Job, JobStatus
from .progress import Progress

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobKind:
    key: str
    label: str
    function: Callable


REGISTRY: dict[str, JobKind] = {}


def job(key: str, *, label: str):
    def register(function: Callable) -> Callable:
        REGISTRY[key] = JobKind(key, label, function)
        return function
    return register


def run(job_id) -> None:
    """Run a queued job to its end (in whatever thread or worker calls this; closing the
    connection afterwards is the caller's: backends._run_in_thread, Celery's Django fixup)."""
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(status=JobStatus.RUNNING, started_at=timezone.now())
    if not claimed:  # already run, or unknown
        return
    job = Job.objects.get(pk=job_id)
    progress = Progress(job.pk)
    try:
        result = REGISTRY[job.kind].function(job, progress)
    except ValidationError as e:
        Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error="\n".join(e.messages), finished_at=timezone.now())
    except Exception:
        log.exception("job %s (%s) failed", job.pk, job.kind)
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, error=_("处理时出错，未写入任何数据。请稍后重试；如仍出错，请联系系统管理员（任务编号 %(id)s）。") % {"id": job.pk},
            finished_at=timezone.now(),
        )
    else:
        Job.objects.filter(pk=job.pk).update(status=JobStatus.DONE, result=result or {}, finished_at=timezone.now())
    finally:
        progress.flush()
