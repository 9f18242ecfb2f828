"""调研报告 pages: confirm the unit (`?place=` / `?org=`, inside the user's grants, else 404) and
the period (the dashboard's `?year=&quarter=&month=` or `start=&end=`), start the job, watch its
progress, download the .docx or .xlsx. Jobs are the submitter's own: anyone else gets a 404."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gongzhi.jobs import backends
from gongzhi.jobs.models import JobStatus
from gongzhi.jobs.selectors import job_get, recent_jobs
from gongzhi.jobs.services import job_state

from . import jobs as report_jobs
from . import units
from .forms import PERIOD_KEYS, PeriodForm

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _private(response):
    add_never_cache_headers(response)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def report_new(request):
    """GET: the unit and period to confirm; POST: start the report job for them."""
    source = request.POST if request.method == "POST" else request.GET
    unit = units.unit_for(request.scope, place=source.get("place"), org=source.get("org"))
    asked = any(source.get(k) for k in PERIOD_KEYS)
    form = PeriodForm(source if asked else None, today=timezone.localdate())
    period = form.period()
    if request.method == "POST":
        job = backends.start(report_jobs.REPORT, user=request.user, params=report_jobs.report_params(unit=unit, period=period))
        return redirect("reports:report_job", job.pk)
    carried = {**unit.query, **form.carried()}
    context = {
        "unit": unit, "period": period, "form": form, "hidden": carried.items(),
        "title": report_jobs.report_title(unit.label, period),
        "dashboard_query": urlencode(carried),
        "jobs": list(recent_jobs(user=request.user, kinds=(report_jobs.REPORT,), limit=5)),
    }
    return _private(render(request, "reports/report_new.html", context))


@login_required
@require_GET
def report_job(request, pk):
    """A report's progress while it is built, then its two downloads."""
    job = job_get(user=request.user, pk=pk, kinds=(report_jobs.REPORT,))
    context = {"job": job, "state": None if job.finished else job_state(job), "result": job.result or {},
               "again": urlencode({k: v for k, v in job.params.items() if k in ("place", "org")})}
    return _private(render(request, "reports/report_job.html", context))


@login_required
@require_GET
def report_download(request, pk):
    """`?format=docx` (default) or `xlsx`, of a finished report job of the user's own."""
    job = job_get(user=request.user, pk=pk, kinds=(report_jobs.REPORT,))
    fmt = request.GET.get("format", "docx")
    if fmt not in report_jobs.FILES or job.status != JobStatus.DONE:
        raise Http404(_("不存在或无权查看。"))
    path = job.directory / report_jobs.FILES[fmt]
    if not path.exists():
        raise Http404(_("不存在或无权查看。"))
    stem = job.result.get("title") or _("调研报告")
    name = stem if fmt == "docx" else _("%(title)s-数据表") % {"title": stem}
    return _private(FileResponse(open(path, "rb"), as_attachment=True, filename=f"{name}.{fmt}", content_type=CONTENT_TYPES[fmt]))
