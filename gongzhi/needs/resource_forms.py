"""Forms of the resources pages (资源清单): the list's filters, one resource, the survey's rows
(地毯式摸底: one place, many rows), availability, and committing a resource to a project. They
parse; the rules by kind, the contact-note rule and the scope are the services'
(gongzhi.needs.resources), whose Chinese errors land on the fields through add_service_errors."""

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.core.forms import DATE_INPUT, ScopedChoiceField, chinese_required
from gongzhi.volunteers.models import Skill

from .models import ResourceKind

KIND_CHOICES = [("", _("请选择"))] + ResourceKind.choices
SURVEY_PREFIX = "row"
SURVEY_FIELDS = ("name", "kind", "skills", "size", "unit_name", "commitment", "availability_note", "contact_note")
SURVEY_WIDTHS = {"name": 8, "kind": 6, "skills": 5, "size": 6, "unit_name": 10, "commitment": 10, "availability_note": 8, "contact_note": 10}
SURVEY_ROWS = 3  # blank rows on a new survey
SURVEY_MAX_ROWS = 100


def _skills():
    return Skill.objects.order_by("order", "code")


# ---- the list -------------------------------------------------------------------------------------


class ResourceFilterForm(forms.Form):
    q = forms.CharField(label=_("名称"), required=False, max_length=40,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("输入名称或单位查找")}))
    kind = forms.ChoiceField(label=_("资源类型"), required=False, choices=[("", _("全部类型"))] + ResourceKind.choices)
    skill = forms.ModelChoiceField(label=_("技能"), required=False, queryset=Skill.objects.none(), empty_label=_("全部技能"))
    place = forms.CharField(label=_("地点"), required=False, widget=forms.Select)
    available = forms.BooleanField(label=_("只看当前可用"), required=False)

    def __init__(self, data=None, *, place_options=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["skill"].queryset = _skills()
        self.fields["place"].widget.choices = list(place_options)


# ---- one resource ---------------------------------------------------------------------------------


class ResourceForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100, help_text=_("人员姓名、场地或物品名称、资金名目或单位名称"))
    kind = forms.ChoiceField(label=_("资源类型"), choices=KIND_CHOICES)
    place = ScopedChoiceField(label=_("所在地点"), help_text=_("社区、小区或楼栋：匹配时按地点远近排序"))
    skills = forms.ModelMultipleChoiceField(label=_("技能"), required=False, queryset=Skill.objects.none(), widget=forms.CheckboxSelectMultiple,
                                            help_text=_("“人”“才”类填写；“才”须至少一项"))
    quantity = forms.IntegerField(label=_("数量/容量"), required=False, min_value=1, help_text=_("如场地可容纳人数、设备件数"),
                                  error_messages={"invalid": _("数量/容量应为整数。"), "min_value": _("数量/容量应大于零。")})
    amount = forms.DecimalField(label=_("金额（元）"), required=False, max_digits=12, decimal_places=2,
                                widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
                                error_messages={"invalid": _("金额应为数字。"), "max_decimal_places": _("金额最多保留两位小数。")})
    unit_name = forms.CharField(label=_("驻区单位名称"), required=False, max_length=100)
    commitment = forms.CharField(label=_("承诺内容"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                 help_text=_("驻区单位承诺提供的资源或服务"))
    committed_until = forms.DateField(label=_("承诺截止日期"), required=False, widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
                                      error_messages={"invalid": _("请按“年-月-日”填写承诺截止日期。")})
    availability_note = forms.CharField(label=_("可用时间说明"), required=False, max_length=100, help_text=_("如：周末、工作日晚上"))
    contact_note = forms.CharField(label=_("联系方式备注"), required=False, max_length=100,
                                   help_text=_("联系人及联系途径，如“经社区居委会联系”；不要填写电话号码或身份证号"))

    SERVICE_FIELDS = ("name", "kind", "place", "skills", "quantity", "amount", "unit_name", "commitment", "committed_until",
                      "availability_note", "contact_note")

    def __init__(self, data=None, *, lookup, options, **kwargs):
        super().__init__(data, **kwargs)
        chinese_required(self)
        self.fields["skills"].queryset = _skills()
        self.fields["place"].lookup = lookup
        self.fields["place"].choices = list(options)

    def service_kwargs(self) -> dict:
        return {k: self.cleaned_data[k] for k in self.SERVICE_FIELDS}


# ---- the survey (地毯式摸底) ------------------------------------------------------------------------


class SurveyForm(forms.Form):
    place = ScopedChoiceField(label=_("摸底地点"), help_text=_("走访的小区或楼栋：本次登记的资源都在这里"))

    def __init__(self, data=None, *, lookup, options, **kwargs):
        super().__init__(data, **kwargs)
        chinese_required(self)
        self.fields["place"].lookup = lookup
        self.fields["place"].choices = list(options)


class SurveyRowForm(forms.Form):
    """One row of the survey: `size` is the quantity (人、才、物、驻区单位) or, for 资金, the amount."""

    name = forms.CharField(label=_("名称"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("资源类型"), required=False, choices=KIND_CHOICES)
    skills = forms.ModelMultipleChoiceField(label=_("技能"), required=False, queryset=Skill.objects.none(),
                                            widget=forms.SelectMultiple(attrs={"size": 3}))
    size = forms.DecimalField(label=_("数量/金额"), required=False, max_digits=12, decimal_places=2, min_value=0,
                              widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
                              error_messages={"invalid": _("数量/金额应为数字。"), "min_value": _("数量/金额不能为负数。"),
                                              "max_decimal_places": _("金额最多保留两位小数。")})
    unit_name = forms.CharField(label=_("驻区单位名称"), required=False, max_length=100)
    commitment = forms.CharField(label=_("承诺内容"), required=False, max_length=500)
    availability_note = forms.CharField(label=_("可用时间说明"), required=False, max_length=100)
    contact_note = forms.CharField(label=_("联系方式备注"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skills"].queryset = _skills()
        for name, f in self.fields.items():
            f.widget.attrs.update({"aria-label": f.label, "style": f"min-width: {SURVEY_WIDTHS[name]}em" + ("; height: auto" if name == "skills" else "")})

    def clean(self):
        d = super().clean()
        size = d.get("size")
        if size is not None and d.get("kind") != ResourceKind.FUND and size != size.to_integral_value():
            self.add_error("size", _("数量应为整数（资金类填写金额）。"))
        return d

    def row(self, place) -> dict:
        """The service's row (gongzhi.needs.resources.ROW_FIELDS)."""
        d = self.cleaned_data
        size, fund = d.get("size"), d.get("kind") == ResourceKind.FUND
        return {
            "name": d["name"], "kind": d["kind"], "place": place, "skills": list(d["skills"]),
            "quantity": int(size) if size is not None and not fund else None, "amount": size if fund else None,
            "unit_name": d["unit_name"], "commitment": d["commitment"],
            "availability_note": d["availability_note"], "contact_note": d["contact_note"],
        }


SurveyRowFormSet = forms.formset_factory(SurveyRowForm, extra=0, max_num=SURVEY_MAX_ROWS, absolute_max=SURVEY_MAX_ROWS,
                                         validate_max=True)

# which column of the survey shows a service error on a row field
SURVEY_FIELD_OF = {"quantity": "size", "amount": "size", "committed_until": "commitment", "person": "name", "volunteer": "name"}


def survey_rows_filled(data: QueryDict) -> QueryDict:
    """The posted survey with its blank rows left out and the others numbered 0, 1, … again, so
    that “第N行” in an error is the N-th row the page shows afterwards."""
    out = data.copy()
    try:
        total = min(int(data.get(f"{SURVEY_PREFIX}-TOTAL_FORMS", 0)), SURVEY_MAX_ROWS)
    except ValueError:
        total = 0
    rows = []
    for i in range(total):
        values = {f: data.getlist(f"{SURVEY_PREFIX}-{i}-{f}") for f in SURVEY_FIELDS}
        if any(v.strip() for vs in values.values() for v in vs):
            rows.append(values)
    for key in [k for k in out if k.startswith(f"{SURVEY_PREFIX}-")]:
        del out[key]
    for i, values in enumerate(rows):
        for f, vs in values.items():
            out.setlist(f"{SURVEY_PREFIX}-{i}-{f}", vs)
    out.update({f"{SURVEY_PREFIX}-TOTAL_FORMS": str(len(rows)), f"{SURVEY_PREFIX}-INITIAL_FORMS": "0"})
    return out


# ---- actions on a resource ------------------------------------------------------------------------


class AvailabilityForm(forms.Form):
    note = forms.CharField(label=_("说明"), required=False, max_length=100, help_text=_("如：外出至月底、周末可用"))


class CommitForm(forms.Form):
    resource = ScopedChoiceField(label=_("资源"), help_text=_("按与项目需求的匹配分排列，对口的在前"))
    note = forms.CharField(label=_("投入内容"), max_length=200, help_text=_("投入什么、多少，如“每周六上午维修服务”“活动室2次”"))
    committed_on = forms.DateField(label=_("投入日期"), widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
                                   error_messages={"invalid": _("请按“年-月-日”填写投入日期。")})

    def __init__(self, data=None, *, lookup, options, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("committed_on", timezone.localdate())
        super().__init__(data, **kwargs)
        chinese_required(self)
        self.fields["resource"].lookup = lookup
        self.fields["resource"].choices = [("", _("请选择"))] + list(options)

