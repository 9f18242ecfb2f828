"""Forms of the 志愿服务 pages. They parse; the rules (the kind fitting the person, capacity and
deadline, check-in windows, timely verification, a reason to reverse) are the services', whose
Chinese errors land on the fields through gongzhi.core.forms.add_service_errors. Objects chosen
by id are looked up by the view's scoped selectors: out of scope is a 404."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.core.forms import ScopedChoiceField, chinese_required, choose, date_field, lazy_percent

from .models import PostKind, Skill, TeamKind, VolunteerKind

DATETIME = {"type": "datetime-local"}
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime_field(label, **kwargs) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs=DATETIME, format=DATETIME_FORMAT),
        error_messages={"invalid": lazy_percent(_("请按“年-月-日 时:分”填写%(label)s。"), {"label": label})}, **kwargs)




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
        chinese_required(self)
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
        chinese_required(self)
        self.fields["community"].lookup = lookup
        self.fields["community"].choices = [("", _("请选择"))] + list(options)


class SignupForm(forms.Form):
    """A volunteer chosen among those offered: signing up for an activity, a shift's roster."""

    volunteer = ScopedChoiceField(label=_("志愿者"))

    def __init__(self, data=None, *, lookup, options, **kwargs):
        super().__init__(data, **kwargs)
        chinese_required(self)
        self.fields["volunteer"].lookup = lookup
        self.fields["volunteer"].choices = [("", _("请选择"))] + list(options)


class MomentForm(forms.Form):
    """签到 / 签退 of one sign-up at a time the staff member enters (now by default)."""

    at = _datetime_field(_("时间"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chinese_required(self)


class VerifyForm(forms.Form):
    reason = forms.CharField(label=_("补录原因"), required=False, max_length=200,
                             help_text=_("活动结束已超过认定时限，须说明补录原因"))


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("冲正原因"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chinese_required(self)


class ShiftVerifyForm(VerifyForm):
    reason = forms.CharField(label=_("补录原因"), required=False, max_length=200,
                             help_text=_("班次结束已超过认定时限，须说明补录原因"))


# ---- teams, posts and shifts ----------------------------------------------------------------------


class TeamFilterForm(forms.Form):
    q = forms.CharField(label=_("名称"), required=False, max_length=40,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("输入队伍名称查找")}))
    kind = forms.ChoiceField(label=_("类别"), required=False, choices=[("", _("全部类别"))] + TeamKind.choices)


class TeamForm(forms.Form):
    name = forms.CharField(label=_("队伍名称"), max_length=100, widget=forms.TextInput(attrs={"placeholder": _("如：幸福红马甲志愿服务队")}))
    community = ScopedChoiceField(label=_("所属社区"))
    kind = forms.ChoiceField(label=_("类别"), choices=TeamKind.choices, initial=TeamKind.GENERAL)
    leader_name = forms.CharField(label=_("负责人"), required=False, max_length=50)
    founded_on = date_field(_("成立日期"), required=False)
    description = forms.CharField(label=_("简介"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, data=None, *, lookup, options, **kwargs):
        super().__init__(data, **kwargs)
        chinese_required(self)
        choose(self, "community", lookup, options)


class TeamMemberForm(SignupForm):
    """加入队伍: a volunteer of the team's community, from a day (today by default)."""

    joined_on = date_field(_("加入日期"), required=False, help_text=_("不填为今天"))


class LeaveForm(forms.Form):
    """离队 of one member on a day."""

    left_on = date_field(_("离队日期"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chinese_required(self)


class PostForm(forms.Form):
    name = forms.CharField(label=_("岗位名称"), max_length=100, widget=forms.TextInput(attrs={"placeholder": _("如：幸福家园东门值守点")}))
    kind = forms.ChoiceField(label=_("类别"), choices=PostKind.choices, initial=PostKind.DUTY)
    community = ScopedChoiceField(label=_("所属社区"))
    place = ScopedChoiceField(label=_("地点"), required=False, help_text=_("社区内的小区，可不填"))
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, data=None, *, lookups: dict, options: dict, **kwargs):
        super().__init__(data, **kwargs)
        chinese_required(self)
        choose(self, "community", lookups["community"], options["community"])
        choose(self, "place", lookups["place"], options["place"], empty=_("不指定"))


class PostEditForm(PostForm):
    """编辑岗位: the create form with 启用 (a post 停用 leaves the list of posts; its shifts and hours stay)."""

    is_active = forms.BooleanField(label=_("启用"), required=False, help_text=_("停用后不再列入岗位列表，已有班次和工时保留"))


class ShiftForm(forms.Form):
    starts_at = _datetime_field(_("开始时间"))
    ends_at = _datetime_field(_("结束时间"))
    capacity = forms.IntegerField(label=_("人数"), min_value=1, max_value=1000,
                                  error_messages={"invalid": _("人数应为整数。"), "min_value": _("人数至少为 1。"),
                                                  "max_value": _("人数最多为 1000。")})
    note = forms.CharField(label=_("备注"), required=False, max_length=200, widget=forms.TextInput(attrs={"placeholder": _("如：夜间巡查、防汛值守")}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chinese_required(self)


class ShiftLogForm(forms.Form):
    """值守记录: what happened on the shift, at a time (now by default)."""

    logged_at = _datetime_field(_("时间"))
    text = forms.CharField(label=_("内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("如：巡查东门，一切正常")}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chinese_required(self)
