"""Forms of the needs and projects pages (三张清单). They parse; the rules (the flow, a result to
close, a hotline ticket number, no cycle in the task map, no future spending) are the services',
whose Chinese errors land on the fields through gongzhi.core.forms.add_service_errors. Objects
chosen by id are looked up by the view's scoped selectors: out of scope is a 404."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.core.forms import DATE_INPUT, ScopedChoiceField, chinese_required

from .models import Channel, NeedCategory, NeedStatus, ProjectStatus, Satisfaction, Urgency

DATE = DATE_INPUT


def _categories():
    return NeedCategory.objects.filter(is_active=True).order_by("order", "code")


# ---- the ledger (挂账) ---------------------------------------------------------------------------


class LedgerFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("清单"), required=False, choices=[("needs", _("需求")), ("projects", _("项目"))])
    category = forms.ModelChoiceField(label=_("类别"), required=False, queryset=NeedCategory.objects.order_by("order", "code"), empty_label=_("全部类别"))
    status = forms.ChoiceField(label=_("状态"), required=False)
    place = forms.CharField(label=_("地点"), required=False, widget=forms.Select)
    q = forms.CharField(label=_("标题或地点"), required=False, max_length=40,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("输入标题或楼栋查找")}))
    overdue = forms.BooleanField(label=_("只看逾期"), required=False)

    def __init__(self, data=None, *, place_options=(), **kwargs):
        super().__init__(data, **kwargs)
        open_needs = [(s.value, s.label) for s in (NeedStatus.REGISTERED, NeedStatus.ACCEPTED, NeedStatus.IN_PROGRESS)]
        open_projects = [(s.value, s.label) for s in (ProjectStatus.OPENED, ProjectStatus.RUNNING)]
        self.fields["status"].choices = [("", _("全部未办结"))] + open_needs + open_projects
        self.fields["place"].widget.choices = list(place_options)

    def value(self, name):
        return self.cleaned_data.get(name) if self.is_bound and self.is_valid() else self.fields[name].initial


# ---- intake ---------------------------------------------------------------------------------------


class NeedForm(forms.Form):
    category = forms.ModelChoiceField(label=_("需求类别"), queryset=_categories(), empty_label=_("请选择"))
    title = forms.CharField(label=_("标题"), max_length=100, widget=forms.TextInput(attrs={"placeholder": _("如：单元楼道灯不亮")}))
    description = forms.CharField(label=_("需求描述"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    place = ScopedChoiceField(label=_("地点（楼栋）"), help_text=_("按“社区 · 小区 楼栋”列出管辖范围内的楼栋"))
    household = ScopedChoiceField(label=_("住户"), required=False, help_text=_("选填；先选楼栋"))
    requester = ScopedChoiceField(label=_("求助人"), required=False, help_text=_("选填；居民库中该楼栋的居民"))
    contact_note = forms.CharField(label=_("联系方式备注"), required=False, max_length=100, help_text=_("求助人不在居民库时：称呼及联系途径（不要填写电话号码或身份证号）"))
    channel = forms.ChoiceField(label=_("来源渠道"), choices=[("", _("请选择"))] + Channel.choices)
    source_ref = forms.CharField(label=_("工单编号"), required=False, max_length=40, help_text=_("12345热线转办的须填写"))
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices, initial=Urgency.NORMAL)

    def __init__(self, data=None, *, lookups: dict, options: dict, **kwargs):
        super().__init__(data, **kwargs)
        chinese_required(self)
        self.fields["category"].queryset = _categories()
        for name in ("place", "household", "requester"):
            self.fields[name].lookup = lookups[name]
            self.fields[name].choices = [("", _("请选择") if name == "place" else _("（不填）"))] + list(options.get(name, ()))


# ---- actions on a need ----------------------------------------------------------------------------


class NoteForm(forms.Form):
    note = forms.CharField(label=_("说明"), required=False, max_length=500, widget=forms.TextInput)


class CloseForm(forms.Form):
    result = forms.CharField(label=_("办理结果"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chinese_required(self)


class VisitForm(forms.Form):
    satisfaction = forms.ChoiceField(label=_("满意度"), choices=[("", _("请选择"))] + Satisfaction.choices)
    note = forms.CharField(label=_("回访记录"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chinese_required(self)


class MergeForm(forms.Form):
    merged_into = ScopedChoiceField(label=_("合并到"))
    note = forms.CharField(label=_("说明"), required=False, max_length=500)

    def __init__(self, data=None, *, lookup, options, **kwargs):
        super().__init__(data, **kwargs)
        chinese_required(self)
        self.fields["merged_into"].lookup = lookup
        self.fields["merged_into"].choices = [("", _("请选择"))] + list(options)


# ---- projects -------------------------------------------------------------------------------------


class ProjectForm(forms.Form):
    name = forms.CharField(label=_("项目名称"), max_length=100)
    organization = ScopedChoiceField(label=_("责任党组织"))
    leader_name = forms.CharField(label=_("责任人"), max_length=50)
    budget = forms.DecimalField(label=_("专项资金（元）"), max_digits=12, decimal_places=2, initial=0, min_value=0,
                                widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
                                error_messages={"invalid": _("专项资金应为数字。"), "min_value": _("专项资金不能为负数。"),
                                                "max_decimal_places": _("专项资金最多保留两位小数。")})

    def __init__(self, data=None, *, lookup, options, **kwargs):
        super().__init__(data, **kwargs)
        chinese_required(self)
        self.fields["organization"].lookup = lookup
        self.fields["organization"].choices = list(options)


class TaskForm(forms.Form):
    title = forms.CharField(label=_("任务"), max_length=100)
    owner_name = forms.CharField(label=_("负责人"), max_length=50)
    due_on = forms.DateField(label=_("完成期限"), required=False, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                             error_messages={"invalid": _("请按“年-月-日”填写完成期限。")})
    depends_on = forms.MultipleChoiceField(label=_("前置任务"), required=False, widget=forms.CheckboxSelectMultiple,
                                           error_messages={"invalid_choice": _("所选前置任务不属于本项目。")})

    def __init__(self, data=None, *, tasks, **kwargs):
        super().__init__(data, **kwargs)
        chinese_required(self)
        self.tasks = {str(t.pk): t for t in tasks}
        self.fields["depends_on"].choices = [(str(t.pk), t.title) for t in tasks]
        if not tasks:
            del self.fields["depends_on"]

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"title": d["title"], "owner_name": d["owner_name"], "due_on": d["due_on"],
                "depends_on": [self.tasks[pk] for pk in d.get("depends_on", [])]}


class SpendingForm(forms.Form):
    spent_on = forms.DateField(label=_("支出日期"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                               error_messages={"invalid": _("请按“年-月-日”填写支出日期。")})
    amount = forms.DecimalField(label=_("金额（元）"), max_digits=12, decimal_places=2,
                                widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
                                error_messages={"invalid": _("金额应为数字。"), "max_decimal_places": _("金额最多保留两位小数。")})
    purpose = forms.CharField(label=_("用途"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chinese_required(self)


class ProjectCloseForm(forms.Form):
    result = forms.CharField(label=_("实施结果"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.CharField(label=_("佐证材料"), widget=forms.Textarea(attrs={"rows": 2}), help_text=_("照片、验收单、会议记录等的说明"))
    public_summary = forms.CharField(label=_("公示摘要"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                     help_text=_("向居民公开的结果说明，不含个人信息"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chinese_required(self)
