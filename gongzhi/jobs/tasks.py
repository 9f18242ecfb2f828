"""The Celery task behind the "celery" backend: workers run jobs by id (see backends.start)."""

from celery import shared_task
from django.utils.translation import override

from .models import Job
from .registry import run


@shared_task(name="gongzhi.jobs.run", ignore_result=True)
def run_job(job_id: str) -> None:
    language = Job.objects.filter(pk=job_id).values_list("params__language", flat=True).first() or "zh-hans"
    with override(language):
        run(job_id)
