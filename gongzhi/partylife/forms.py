"""Forms of the organisational-life pages; the rules are the services' (their Chinese errors land
on the fields through gongzhi.core.forms.add_service_errors)."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import LecturerRole, MeetingType

AGENDA_ROWS = 4


class MeetingForm(forms.Form):
    meeting_type = forms.ModelChoiceField(label=_("会议类型"), queryset=MeetingType.objects.all(), empty_label=_("请选择"))
    held_on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    starts_at = forms.TimeField(label=_("开始时间"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    ends_at = forms.TimeField(label=_("结束时间"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    location = forms.CharField(label=_("地点"), max_length=100, required=False)
    is_online = forms.BooleanField(label=_("线上召开"), required=False)
    topic = forms.CharField(label=_("主题"), max_length=200)
    host = forms.ModelChoiceField(label=_("主持人"), queryset=None, required=False, empty_label=_("未填写"))
    lecturer = forms.ModelChoiceField(label=_("授课人"), queryset=None, required=False, empty_label=_("未填写"),
                                      help_text=_("党课填写；外请授课人填在下一栏"))
    lecturer_name = forms.CharField(label=_("授课人（外请）"), max_length=50, required=False)
    lecturer_role = forms.ChoiceField(label=_("授课人身份"), choices=[("", _("未填写"))] + LecturerRole.choices, required=False)
    minutes = forms.CharField(label=_("会议记录"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, data=None, *, members, today: dt.date, **kwargs):
        super().__init__(data, initial={"held_on": today}, **kwargs)
        self.fields["host"].queryset = members
        self.fields["lecturer"].queryset = members
        for f in ("host", "lecturer"):
            self.fields[f].label_from_instance = lambda m: m.person.name
        for i in range(1, AGENDA_ROWS + 1):
            self.fields[f"agenda_{i}"] = forms.CharField(label=_("议题%(n)s") % {"n": i}, max_length=200, required=False)
            self.fields[f"material_{i}"] = forms.CharField(label=_("学习材料"), max_length=200, required=False)
        self.fields["first_topic"] = forms.BooleanField(label=_("议题1为“第一议题”（学习习近平总书记最新重要讲话和重要指示批示精神）"), required=False)
        self.fields["meeting_type"].error_messages["required"] = _("请选择会议类型。")
        self.fields["held_on"].error_messages["required"] = _("请填写会议日期。")
        self.fields["topic"].error_messages["required"] = _("请填写会议主题。")

    def agenda_rows(self):
        return [(self[f"agenda_{i}"], self[f"material_{i}"]) for i in range(1, AGENDA_ROWS + 1)]

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        agenda = [{"title": d[f"agenda_{i}"], "material": d[f"material_{i}"], "is_first_topic": i == 1 and d["first_topic"]}
                  for i in range(1, AGENDA_ROWS + 1) if d[f"agenda_{i}"]]
        keep = ("meeting_type", "held_on", "starts_at", "ends_at", "location", "is_online", "topic", "host", "lecturer",
                "lecturer_name", "lecturer_role", "minutes")
        return {k: d[k] for k in keep if d[k] not in (None, "") or k in ("meeting_type", "held_on", "topic", "is_online")} | {"agenda": agenda}


class WindowForm(forms.Form):
    start = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def clean(self):
        d = super().clean()
        if d.get("start") and d.get("end") and d["start"] > d["end"]:
            raise forms.ValidationError(_("起始日期不能晚于截止日期。"))
        return d
