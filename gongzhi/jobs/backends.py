"""Starting a job on the configured backend (settings.GONGZHI_JOBS: inline | thread | celery)."""

from __future__ import annotations

import threading

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import get_language, override

from .models import Job
from .registry import REGISTRY, run

BACKENDS = ("inline", "thread", "celery")


def backend() -> str:
    name = settings.GONGZHI_JOBS
    if name not in BACKENDS:
        raise ValueError(f"GONGZHI_JOBS must be one of {BACKENDS}, not {name!r}")
    return name


def start(kind: str, *, user, params: dict | None = None, files: dict | None = None) -> Job:
    """Create the job, save `files` ({name: uploaded file}) in its directory, and run it on the
    backend once the surrounding transaction commits."""
    if kind not in REGISTRY:
        raise KeyError(f"no job registered as {kind!r}")
    params = dict(params or {}, language=get_language() or settings.LANGUAGE_CODE)
    job = Job.objects.create(kind=kind, user=user, params=params)
    for name, upload in (files or {}).items():
        with open(job.directory / name, "wb") as f:
            for chunk in upload.chunks():
                f.write(chunk)
    name = backend()
    if name == "inline":
        _run_in_language(job.pk, params["language"])
    elif name == "thread":
        transaction.on_commit(lambda: threading.Thread(target=_run_in_thread, args=(job.pk, params["language"]), daemon=True, name=f"job-{job.pk}").start())
    else:
        from .tasks import run_job

        transaction.on_commit(lambda: run_job.delay(str(job.pk)))
    return job


def _run_in_language(job_id, language: str) -> None:
    with override(language):
        run(job_id)


def _run_in_thread(job_id, language: str) -> None:
    try:
        _run_in_language(job_id, language)
    finally:
        connection.close()
