"""The dashboard's period: a year (this year up to today by default), one of its quarters or
months, or a custom range of days. Errors are Chinese sentences naming the field."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.core.indicators import Period

FIRST_YEAR = 2000
PERIOD_KEYS = ("year", "quarter", "month", "start", "end")  # what the links of the page carry


def _choices(label, values, fmt):
    return [("", label)] + [(str(v), fmt % {"n": v}) for v in values]


class PeriodForm(forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, required=False)
    quarter = forms.TypedChoiceField(label=_("季度"), coerce=int, required=False, empty_value=None)
    month = forms.TypedChoiceField(label=_("月份"), coerce=int, required=False, empty_value=None)
    start = forms.DateField(label=_("自定义开始"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label=_("自定义结束"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, data=None, *, today: dt.date, **kwargs):
        super().__init__(data, **kwargs)
        self.today = today
        years = range(today.year, FIRST_YEAR - 1, -1)
        self.fields["year"].choices = [(str(y), _("%(n)s年") % {"n": y}) for y in years]
        self.fields["year"].initial = today.year
        self.fields["quarter"].choices = _choices(_("全年"), range(1, 5), _("第%(n)s季度"))
        self.fields["month"].choices = _choices(_("全部月份"), range(1, 13), _("%(n)s月"))
        for name, label in (("year", _("年度")), ("quarter", _("季度")), ("month", _("月份"))):
            self.fields[name].error_messages["invalid_choice"] = _("请从列表中选择%(field)s。") % {"field": label}
        for name in ("start", "end"):
            self.fields[name].error_messages["invalid"] = _("请按“年-月-日”填写日期，如 2026-03-01。")

    def clean(self):
        data = super().clean()
        year = data.get("year") or self.today.year
        quarter, month, start, end = data.get("quarter"), data.get("month"), data.get("start"), data.get("end")
        if quarter and month:
            raise forms.ValidationError(_("季度和月份只能选一个。"))
        if (start is None) != (end is None) and not self.errors:
            raise forms.ValidationError(_("自定义时段请同时填写开始和结束日期。"))
        if start and end:
            if start > end:
                self.add_error("end", _("结束日期不能早于开始日期。"))
            elif start > self.today:
                self.add_error("start", _("开始日期不能晚于今天。"))
            return data
        first = dt.date(year, 3 * quarter - 2, 1) if quarter else dt.date(year, month, 1) if month else dt.date(year, 1, 1)
        if first > self.today:
            raise forms.ValidationError(_("所选时段尚未开始，请选择今天以前的时段。"))
        return data

    def period(self) -> Period:
        """The period asked for, or (input missing or wrong) this year up to today."""
        if not self.is_bound or not self.is_valid():
            return Period.year(self.today.year).up_to(self.today)
        d = self.cleaned_data
        if d.get("start") and d.get("end"):
            return Period(d["start"], d["end"])
        year = d.get("year") or self.today.year
        if d.get("month"):
            return Period.month(year, d["month"]).up_to(self.today)
        if d.get("quarter"):
            return Period.quarter(year, d["quarter"]).up_to(self.today)
        return Period.year(year).up_to(self.today)

    def carried(self) -> dict[str, str]:
        """The period's query parameters as given (when valid), for the page's links."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: str(self.data[k]) for k in PERIOD_KEYS if self.data.get(k)}
