"""Forms of the 志愿服务 pages. They parse; the rules (the kind fitting the person, capacity and
deadline, check-in windows, timely verification, a reason to reverse) are the services', whose
Chinese errors land on the fields through gongzhi.core.forms.add_service_errors. Objects chosen
by id are looked up by the view's scoped selectors: out of scope is a 404."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.core.forms import ScopedChoiceField

from .models import Skill, VolunteerKind

DATETIME = {"type": "datetime-local"}
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _required(form: forms.Form) -> None:
    """Chinese "required" messages naming the field."""
    for f in form.fields.values():
        message = _("请选择%(label)s。") if isinstance(f, (forms.ChoiceField, forms.ModelChoiceField)) else _("请填写%(label)s。")
        f.error_messages["required"] = message % {"label": f.label}


def _datetime_field(label, **kwargs) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs=DATETIME, format=DATETIME_FORMAT),
        error_messages={"invalid": _("请按“年-月-日 时:分”填写%(label)s。") % {"label": label}}, **kwargs)


def _skills():
    return Skill.objects.order_by("order", "code")


class VolunteerFilterForm(forms.Form):
    q = forms.CharField(label=_("姓名"), required=False, max_length=40,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("输入姓名查找")}))
    kind = forms.ChoiceField(label=_("类别"), required=False, choices=[("", _("全部类别"))] + VolunteerKind.choices)
    skill = forms.ModelChoiceField(label=_("技能"), required=False, queryset=_skills(), empty_label=_("全部技能"))
    community = forms.CharField(label=_("社区"), required=False, widget=forms.Select)

    def __init__(self, data=None, *, community_options=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["skill"].queryset = _skills()
        self.fields["community"].widget.choices = [("", _("全部社区"))] + list(community_options)


class VolunteerForm(forms.Form):
    person = ScopedChoiceField(label=_("居民"), help_text=_("先在上方按姓名查找，再从结果中选择"))
    community = ScopedChoiceField(label=_("登记社区"))
    kind = forms.ChoiceField(label=_("志愿者类别"), choices=[("", _("请选择"))] + VolunteerKind.choices,
                             help_text=_("党员登记为党员志愿者；在职党员须先有到本社区报到的记录"))
    skills = forms.ModelMultipleChoiceField(label=_("技能"), required=False, queryset=_skills(), widget=forms.CheckboxSelectMultiple)

    def __init__(self, data=None, *, lookups: dict, options: dict, **kwargs):
        super().__init__(data, **kwargs)
        _required(self)
        self.fields["skills"].queryset = _skills()
        for name in ("person", "community"):
            self.fields[name].lookup = lookups[name]
            self.fields[name].choices = [("", _("请选择"))] + list(options[name])


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("活动名称"), max_length=100, widget=forms.TextInput(attrs={"placeholder": _("如：楼道清扫")}))
    community = ScopedChoiceField(label=_("所属社区"))
    location = forms.CharField(label=_("地点"), required=False, max_length=100)
    starts_at = _datetime_field(_("开始时间"))
    ends_at = _datetime_field(_("结束时间"))
    signup_deadline = _datetime_field(_("报名截止时间"))
    capacity = forms.IntegerField(label=_("招募人数"), min_value=1, max_value=1000,
                                  error_messages={"invalid": _("招募人数应为整数。"), "min_value": _("招募人数至少为 1。"),
                                                  "max_value": _("招募人数最多为 1000。")})
    description = forms.CharField(label=_("活动内容"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, data=None, *, lookup, options, **kwargs):
        super().__init__(data, **kwargs)
        _required(self)
        self.fields["community"].lookup = lookup
        self.fields["community"].choices = [("", _("请选择"))] + list(options)


class SignupForm(forms.Form):
    volunteer = ScopedChoiceField(label=_("志愿者"))

    def __init__(self, data=None, *, lookup, options, **kwargs):
        super().__init__(data, **kwargs)
        _required(self)
        self.fields["volunteer"].lookup = lookup
        self.fields["volunteer"].choices = [("", _("请选择"))] + list(options)


class MomentForm(forms.Form):
    """签到 / 签退 of one sign-up at a time the staff member enters (now by default)."""

    at = _datetime_field(_("时间"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _required(self)


class VerifyForm(forms.Form):
    reason = forms.CharField(label=_("补录原因"), required=False, max_length=200,
                             help_text=_("活动结束已超过认定时限，须说明补录原因"))


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("冲正原因"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _required(self)
