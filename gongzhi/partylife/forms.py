"""Forms of the organisational-life pages; the rules are the services' (their Chinese errors land
on the fields through gongzhi.core.forms.add_service_errors)."""

import datetime as dt
from pathlib import PurePath

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.core.uploads import content_matches, head_of

from .models import AttachmentKind, LecturerRole, MeetingType, SignIn

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
    vote_subject = forms.CharField(label=_("表决事项"), max_length=200, required=False, help_text=_("会议进行表决时填写，如“接收张某某为预备党员”"))
    votes_for = forms.IntegerField(label=_("赞成"), min_value=0, required=False)
    votes_against = forms.IntegerField(label=_("反对"), min_value=0, required=False)
    votes_abstain = forms.IntegerField(label=_("弃权"), min_value=0, required=False)
    signin = forms.ChoiceField(label=_("签到方式"), choices=SignIn.choices, initial=SignIn.MANUAL, widget=forms.RadioSelect, required=False,
                               help_text=_("扫码签到：会上展示二维码，党员用手机扫码，凭姓名和手机号或身份证号后四位签到"))

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

    def clean_signin(self):
        return self.cleaned_data.get("signin") or SignIn.MANUAL

    def agenda_rows(self):
        return [(self[f"agenda_{i}"], self[f"material_{i}"]) for i in range(1, AGENDA_ROWS + 1)]

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        agenda = [{"title": d[f"agenda_{i}"], "material": d[f"material_{i}"], "is_first_topic": i == 1 and d["first_topic"]}
                  for i in range(1, AGENDA_ROWS + 1) if d[f"agenda_{i}"]]
        keep = ("meeting_type", "held_on", "starts_at", "ends_at", "location", "is_online", "topic", "host", "lecturer",
                "lecturer_name", "lecturer_role", "minutes", "signin", "vote_subject", "votes_for", "votes_against", "votes_abstain")
        return {k: d[k] for k in keep if d[k] not in (None, "") or k in ("meeting_type", "held_on", "topic", "is_online")} | {"agenda": agenda}


class SignInForm(forms.Form):
    """A member signing in on the phone (no login)."""

    name = forms.CharField(label=_("姓名"), max_length=30, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    digits = forms.CharField(label=_("手机号或身份证号后四位"), max_length=4, min_length=4,
                             widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9Xx]{4}"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = _("请填写姓名。")
        for key in ("required", "min_length", "max_length"):
            self.fields["digits"].error_messages[key] = _("请填写手机号或身份证号的后四位。")


MAX_ATTACHMENT_MB = 20
ATTACHMENT_TYPES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx"}


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=AttachmentKind.choices, initial=AttachmentKind.PHOTO)
    file = forms.FileField(label=_("文件"), help_text=_("照片、签到表扫描件或会议材料：图片、PDF 或 Office 文件，每个不超过 %(mb)s MB") % {"mb": MAX_ATTACHMENT_MB})

    def clean_file(self):
        f = self.cleaned_data["file"]
        if PurePath(f.name).suffix.lower() not in ATTACHMENT_TYPES:
            raise forms.ValidationError(_("不支持的文件类型“%(name)s”：请上传图片、PDF 或 Office 文件。") % {"name": f.name})
        if f.size > MAX_ATTACHMENT_MB * 1024 * 1024:
            raise forms.ValidationError(_("文件“%(name)s”超过 %(mb)s MB。") % {"name": f.name, "mb": MAX_ATTACHMENT_MB})
        if not content_matches(PurePath(f.name).suffix, head_of(f)):
            raise forms.ValidationError(_("文件“%(name)s”的内容与其类型不符：请上传真实的图片、PDF 或 Office 文件。") % {"name": f.name})
        return f


class ExemptionForm(forms.Form):
    starts_on = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    ends_on = forms.DateField(label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                              help_text=_("留空表示至今，恢复参加时再填"))
    reason = forms.CharField(label=_("原因"), max_length=100, help_text=_("如：重病住院、出国半年以上、年老体弱行动不便，经支部研究同意"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_on"].error_messages["required"] = _("请填写开始日期。")
        self.fields["reason"].error_messages["required"] = _("请填写原因。")


class WindowForm(forms.Form):
    start = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def clean(self):
        d = super().clean()
        if d.get("start") and d.get("end") and d["start"] > d["end"]:
            raise forms.ValidationError(_("起始日期不能晚于截止日期。"))
        return d
