"""Background jobs: the three backends, progress, failures, interrupted jobs, privacy."""

import datetime as dt
import threading

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from gongzhi.jobs import backends, progress
from gongzhi.jobs.models import Job, JobStatus
from gongzhi.jobs.registry import job

RAN = []


@job("test.add", label="加法")
def add(j, p):
    p.phase("计算", 2)
    p.update(2)
    RAN.append(j.params["a"] + j.params["b"])
    return {"sum": j.params["a"] + j.params["b"]}


@job("test.refuse", label="拒绝")
def refuse(j, p):
    raise ValidationError(["第3行：公民身份号码校验位错误。", "第4行：姓名不能为空。"])


@job("test.crash", label="崩溃")
def crash(j, p):
    raise ZeroDivisionError("secret detail")


def test_inline_job_runs_and_stores_its_result(world):
    j = backends.start("test.add", user=world.shequ1, params={"a": 2, "b": 3})
    j.refresh_from_db()
    assert (j.status, j.result, j.params["language"]) == (JobStatus.DONE, {"sum": 5}, "zh-hans")
    assert j.started_at <= j.finished_at
    assert progress.read(j.pk)["done"] == 2


def test_failures_keep_chinese_messages_and_hide_internal_ones(world):
    refused = backends.start("test.refuse", user=world.shequ1)
    crashed = backends.start("test.crash", user=world.shequ1)
    refused.refresh_from_db()
    crashed.refresh_from_db()
    assert refused.status == crashed.status == JobStatus.FAILED
    assert refused.error == "第3行：公民身份号码校验位错误。\n第4行：姓名不能为空。"
    assert "未写入任何数据" in crashed.error and str(crashed.pk) in crashed.error and "secret" not in crashed.error


def test_a_job_runs_once(world):
    j = backends.start("test.add", user=world.shequ1, params={"a": 1, "b": 1})
    RAN.clear()
    from gongzhi.jobs.registry import run

    run(j.pk)  # already done: a duplicated Celery message changes nothing
    assert RAN == []


@pytest.mark.django_db(transaction=True)
def test_thread_backend_runs_after_commit_in_another_thread(world, settings):
    settings.GONGZHI_JOBS = "thread"
    j = backends.start("test.add", user=world.shequ1, params={"a": 20, "b": 22})
    for _ in range(100):
        j.refresh_from_db()
        if j.finished:
            break
        threading.Event().wait(0.05)
    assert (j.status, j.result) == (JobStatus.DONE, {"sum": 42})


def test_celery_backend_sends_the_job_to_a_worker(world, settings, django_capture_on_commit_callbacks):
    from config.celery import app

    settings.GONGZHI_JOBS = "celery"
    app.conf.task_always_eager = True  # the worker's code path, in this process
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            j = backends.start("test.add", user=world.shequ1, params={"a": 1, "b": 2})
            assert Job.objects.get(pk=j.pk).status == JobStatus.QUEUED  # nothing before commit
        assert len(callbacks) == 1
    finally:
        app.conf.task_always_eager = False
    j.refresh_from_db()
    assert (j.status, j.result) == (JobStatus.DONE, {"sum": 3})


def test_unknown_backend_is_a_configuration_error(world, settings):
    settings.GONGZHI_JOBS = "cron"
    with pytest.raises(ValueError, match="GONGZHI_JOBS"):
        backends.start("test.add", user=world.shequ1, params={"a": 1, "b": 1})


def test_progress_bar_while_running_then_a_refresh(client, world):
    j = Job.objects.create(kind="test.add", user=world.shequ1, status=JobStatus.RUNNING, started_at=timezone.now())
    p = progress.Progress(j.pk)
    p.phase("校验数据", 4000)
    p.update(1000)
    p.flush()
    client.force_login(world.shequ1)
    url = reverse("jobs:progress", args=[j.pk])
    html = client.get(url).content.decode()
    assert "校验数据" in html and "1,000 / 4,000" in html and "25%" in html and 'hx-trigger="every 1s"' in html
    Job.objects.filter(pk=j.pk).update(status=JobStatus.DONE)
    done = client.get(url)
    assert done.status_code == 204 and done["HX-Refresh"] == "true"
    client.force_login(world.shequ2)
    assert client.get(url).status_code == 404


def test_a_job_silent_for_too_long_counts_as_interrupted(client, world):
    old = timezone.now() - dt.timedelta(minutes=20)
    j = Job.objects.create(kind="test.add", user=world.shequ1, status=JobStatus.RUNNING, started_at=old)
    fresh = Job.objects.create(kind="test.add", user=world.shequ1, status=JobStatus.RUNNING, started_at=timezone.now())
    client.force_login(world.shequ1)
    assert client.get(reverse("jobs:progress", args=[j.pk]))["HX-Refresh"] == "true"
    assert client.get(reverse("jobs:progress", args=[fresh.pk])).status_code == 200
    j.refresh_from_db()
    assert j.status == JobStatus.FAILED and "任务已中断" in j.error
    assert Job.objects.get(pk=fresh.pk).status == JobStatus.RUNNING


def test_purge_deletes_old_finished_jobs_and_their_files(world):
    from django.core.management import call_command

    old = backends.start("test.add", user=world.shequ1, params={"a": 1, "b": 1}, files={"upload.csv": _file(b"x")})
    recent = backends.start("test.add", user=world.shequ1, params={"a": 1, "b": 1})
    running = Job.objects.create(kind="test.add", user=world.shequ1, status=JobStatus.RUNNING)
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - dt.timedelta(days=8))
    Job.objects.filter(pk=running.pk).update(created_at=timezone.now() - dt.timedelta(days=30))
    assert (old.directory / "upload.csv").exists()
    call_command("purge_jobs", "--days", "7")
    assert set(Job.objects.values_list("pk", flat=True)) == {recent.pk, running.pk}
    assert not (settings.GONGZHI_JOB_DIR / str(old.pk)).exists()


def _file(content: bytes):
    return ContentFile(content)
