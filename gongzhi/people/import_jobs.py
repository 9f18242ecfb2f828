"""The two import jobs: check a sheet (preview and error report), then apply it.

The uploaded file lives in the check job's private directory; the apply job reads it from there
and validates it again (the database may have changed since the preview) before writing all of
it or nothing. The scope is the submitting user's, worked out again when the job runs.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.scopes import scope_for_user
from gongzhi.jobs.models import Job
from gongzhi.jobs.registry import job

from .exports import members_export, residents_export
from .imports.apply import members_import_apply, residents_import_apply
from .imports.report import write_error_report
from .imports.result import ImportResult
from .imports.validate import validate_members, validate_residents

CHECK, APPLY = "people.import_check", "people.import_apply"
KINDS = (CHECK, APPLY)
REPORT_NAME = "report.xlsx"
PROBLEMS_SHOWN = 200  # rows of problems kept for the page; the report has them all

_VALIDATE = {"residents": validate_residents, "members": validate_members}
_APPLY = {"residents": residents_import_apply, "members": members_import_apply}


def upload_path(check: Job):
    return check.directory / check.params["file"]


def _summary(result: ImportResult) -> dict:
    problems = sorted(result.problems.items())
    return result.summary() | {
        "kind": result.kind,
        "ignored": list(result.ignored_columns),
        "problems": [[row, messages] for row, messages in problems[:PROBLEMS_SHOWN]],
        "ok": result.ok,
    }


@job(CHECK, label=_("校验导入文件"))
def import_check(check: Job, progress) -> dict:
    kind, path = check.params["kind"], upload_path(check)
    result = _VALIDATE[kind](path, scope=scope_for_user(check.user), filename=check.params["file"], progress=progress)
    summary = _summary(result)
    if result.problems:
        progress.phase(_("生成问题清单"), 0)
        write_error_report(path, result, check.directory / REPORT_NAME, filename=check.params["file"])
        summary["report"] = True
    return summary


@job(APPLY, label=_("导入数据"))
def import_apply(apply: Job, progress) -> dict:
    check = Job.objects.get(pk=apply.params["check"])
    kind, path = check.params["kind"], upload_path(check)
    result = _APPLY[kind](scope=scope_for_user(apply.user), acting_user=apply.user, path=path, filename=check.params["file"], progress=progress)
    summary = _summary(result)
    if result.problems:  # something changed since the preview: nothing was written
        write_error_report(path, result, apply.directory / REPORT_NAME, filename=check.params["file"])
        summary["report"] = True
    else:
        path.unlink(missing_ok=True)  # imported: the copy of the sheet (personal data) is not kept
        summary["written"] = True
    return summary


EXPORT = "people.export"
EXPORT_NAME = "export"  # + .xlsx / .csv in the job's directory


@job(EXPORT, label=_("导出数据"))
def export(job_: Job, progress) -> dict:
    """The residents or members of the submitter's scope, masked, in the template format."""
    kind, fmt = job_.params["kind"], job_.params["fmt"]
    write = residents_export if kind == "residents" else members_export
    rows = write(scope=scope_for_user(job_.user), target=job_.directory / f"{EXPORT_NAME}.{fmt}", fmt=fmt, progress=progress)
    return {"rows": rows, "kind": kind, "fmt": fmt}
