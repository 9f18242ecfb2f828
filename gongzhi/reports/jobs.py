"""The report job: the 调研报告 (.docx) and its figures (.xlsx) of one unit and period, built in
the background with a progress step per section. The unit is worked out again from the
submitter's scope when the job runs (a grant withdrawn meanwhile: the job fails with a 404's
words, nothing is written). Both files are kept in the job's private directory."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongzhi.accounts.scopes import scope_for_user
from gongzhi.core.indicators import Period
from gongzhi.jobs.models import Job
from gongzhi.jobs.registry import job

from .content import STEPS_AFTER_CONTENT, report_content
from .document import report_docx, report_title
from .units import unit_for
from .workbook import report_xlsx

REPORT = "reports.report"
FILES = {"docx": "report.docx", "xlsx": "report.xlsx"}


def report_params(*, unit, period: Period) -> dict:
    """What a job needs to find the unit and the period again."""
    return unit.query | {"start": period.start.isoformat(), "end": period.end.isoformat(), "period_kind": period.kind}


def period_of(params: dict) -> Period:
    return Period(dt.date.fromisoformat(params["start"]), dt.date.fromisoformat(params["end"]), params.get("period_kind", "custom"))


@job(REPORT, label=gettext_lazy("生成调研报告"))
def report(job_: Job, progress) -> dict:
    params = job_.params
    try:
        unit = unit_for(scope_for_user(job_.user), place=params.get("place"), org=params.get("org"))
    except Http404:
        raise ValidationError(_("该单位不存在或已不在您的权限范围内，未生成报告。")) from None
    period, today = period_of(params), timezone.localdate()
    with translation.override("zh-hans"):  # the documents, their title and labels are Chinese
        content = report_content(unit=unit, period=period, today=today, progress=progress, extra_steps=STEPS_AFTER_CONTENT)
        (job_.directory / FILES["docx"]).write_bytes(report_docx(unit=unit, period=period, today=today, content=content))
        (job_.directory / FILES["xlsx"]).write_bytes(report_xlsx(unit=unit, period=period, today=today, content=content))
        return {
            "title": report_title(unit.label, period), "unit": unit.label, "period": period.label, "today": today.isoformat(),
            "problems": len(content.tripping), "formats": sorted(FILES),
        }
