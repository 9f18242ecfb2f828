"""The import and export pages: upload → check (preview, error report) → confirm → apply.

Both steps are background jobs (gongzhi.jobs); the pages poll their progress through htmx.
Jobs are the submitting user's own: anyone else's job is a 404. Exports are masked and hold
only the user's scope (the export module filters through the Scope).
"""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gongzhi.jobs import backends as jobs
from gongzhi.jobs.models import Job, JobStatus
from gongzhi.jobs.selectors import job_get, recent_jobs
from gongzhi.jobs.services import job_state

from . import exports, import_jobs
from .forms import ImportUploadForm
from .import_templates import template_csv, template_xlsx
from .imports.columns import TEMPLATES
from .views import _private

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
FORMATS = {"xlsx": XLSX, "csv": CSV}


def _kind_or_404(kind: str, fmt: str):
    if kind not in TEMPLATES or fmt not in FORMATS:
        raise Http404(_("不存在或无权查看。"))
    return TEMPLATES[kind]


@login_required
def import_home(request):
    """The page: what can be imported, the templates, the upload form, the user's recent imports."""
    form = ImportUploadForm(request.POST or None, request.FILES or None, initial={"kind": request.GET.get("kind", "residents")})
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        file = "upload." + upload.name.rsplit(".", 1)[-1].lower()
        params = {"kind": form.cleaned_data["kind"], "file": file, "name": upload.name[-200:]}
        check = jobs.start(import_jobs.CHECK, user=request.user, params=params, files={file: upload})
        return redirect("people:import_job", check.pk)
    context = {
        "form": form, "templates": TEMPLATES.values(),
        "jobs": list(recent_jobs(user=request.user, kinds=import_jobs.KINDS)),
        "exports": list(recent_jobs(user=request.user, kinds=(import_jobs.EXPORT,), limit=5)),
    }
    return _private(render(request, "people/import.html", context))


@login_required
@require_GET
def import_job(request, pk):
    """One import: its progress while it runs, then the preview (or the problems), then the outcome."""
    job = job_get(user=request.user, pk=pk, kinds=import_jobs.KINDS)
    check = job if job.kind == import_jobs.CHECK else job_get(user=request.user, pk=job.params["check"], kinds=(import_jobs.CHECK,))
    applied = None
    if job.kind == import_jobs.CHECK:
        applied = Job.objects.filter(user=request.user, kind=import_jobs.APPLY, params__check=str(job.pk)).order_by("-created_at").first()
    result = job.result or {}
    context = {
        "job": job, "check": check, "applied": applied, "result": result,
        "state": None if job.finished else job_state(job),
        "template": TEMPLATES[check.params["kind"]],
        "is_apply": job.kind == import_jobs.APPLY,
        "more_problems": max(result.get("errors", 0) - len(result.get("problems", [])), 0),
        "changes": result.get("new", 0) + result.get("updated", 0),
        "form": ImportUploadForm(initial={"kind": check.params["kind"]}),
    }
    return _private(render(request, "people/import_job.html", context))


@login_required
@require_POST
def import_confirm(request, pk):
    """Start writing a checked sheet: only once per check, only when it had no problems."""
    check = job_get(user=request.user, pk=pk, kinds=(import_jobs.CHECK,))
    if check.status != JobStatus.DONE or not check.result.get("ok"):
        messages.error(request, _("该文件没有通过校验，不能导入：请改正后重新上传。"))
        return redirect("people:import_job", check.pk)
    earlier = Job.objects.filter(user=request.user, kind=import_jobs.APPLY, params__check=str(check.pk)).exclude(status=JobStatus.FAILED).first()
    if earlier is not None:  # a second click, or the back button
        return redirect("people:import_job", earlier.pk)
    apply = jobs.start(import_jobs.APPLY, user=request.user, params={"check": str(check.pk), "kind": check.params["kind"], "name": check.params["name"]})
    return redirect("people:import_job", apply.pk)


@login_required
@require_GET
def import_report(request, pk):
    """The error report .xlsx of a check (or of an apply that found new problems)."""
    job = job_get(user=request.user, pk=pk, kinds=import_jobs.KINDS)
    path = job.directory / import_jobs.REPORT_NAME
    if not job.result.get("report") or not path.exists():
        raise Http404(_("不存在或无权查看。"))
    stem = job.params.get("name", "").rsplit(".", 1)[0] or TEMPLATES[job.params["kind"]].title
    return _private(FileResponse(open(path, "rb"), as_attachment=True, filename=f"{stem}-问题清单.xlsx", content_type=XLSX))


@login_required
@require_GET
def import_template(request, kind, fmt):
    template = _kind_or_404(kind, fmt)
    content = template_xlsx(kind) if fmt == "xlsx" else template_csv(kind)
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=f"{template.title}导入模板.{fmt}", content_type=FORMATS[fmt])


@login_required
@require_POST
def export(request):
    """Start an export of the user's scope (residents or members, .xlsx or .csv, masked)."""
    kind, fmt = request.POST.get("kind", ""), request.POST.get("fmt", "")
    _kind_or_404(kind, fmt)
    job = jobs.start(import_jobs.EXPORT, user=request.user, params={"kind": kind, "fmt": fmt})
    return redirect("people:export_job", job.pk)


@login_required
@require_GET
def export_job(request, pk):
    """An export's progress, then its download."""
    job = job_get(user=request.user, pk=pk, kinds=(import_jobs.EXPORT,))
    context = {"job": job, "state": None if job.finished else job_state(job), "template": TEMPLATES[job.params["kind"]]}
    return _private(render(request, "people/export_job.html", context))


@login_required
@require_GET
def export_download(request, pk):
    job = job_get(user=request.user, pk=pk, kinds=(import_jobs.EXPORT,))
    path = job.directory / f"{import_jobs.EXPORT_NAME}.{job.params['fmt']}"
    if job.status != JobStatus.DONE or not path.exists():
        raise Http404(_("不存在或无权查看。"))
    filename = exports.export_filename(job.params["kind"], job.params["fmt"], timezone.localdate(job.created_at))
    return _private(FileResponse(open(path, "rb"), as_attachment=True, filename=filename, content_type=FORMATS[job.params["fmt"]]))
