"""Forms of the 道德银行 management pages and the public 公示. They parse; the rules (a category's
range of points, a reason to reject, who may object and when, a month that has ended) are the
services', whose Chinese errors land on the fields through gongzhi.core.forms.add_service_errors.
Objects chosen by id are looked up by the view's scoped selectors: out of scope is a 404."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.core.forms import ScopedChoiceField, chinese_required, choose, date_field, int_field, lazy_percent

from .models import BankPolicy, CounterKind, DeedStatus, EventKind, GoodsKind
from .services.policy import POLICY_FIELDS

MONTH_INPUT = {"type": "month"}



class MonthField(forms.DateField):
    """A month as "YYYY-MM" (the browser's month input), cleaned to its first day."""

    widget = forms.DateInput(attrs=MONTH_INPUT, format="%Y-%m")
    input_formats = ["%Y-%m"]

    def __init__(self, *, label, **kwargs):
        super().__init__(label=label, input_formats=["%Y-%m"],
                         error_messages={"invalid": lazy_percent(_("请按“年-月”填写%(label)s，如 2026-10。"), {"label": label})}, **kwargs)

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if day else day


# ---- deeds ----------------------------------------------------------------------------------------


class DeedFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部状态"))] + DeedStatus.choices)
    community = forms.CharField(label=_("社区"), required=False, widget=forms.Select)
    category = forms.CharField(label=_("善行类别"), required=False, widget=forms.Select)
    q = forms.CharField(label=_("姓名"), required=False, max_length=40,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("输入居民姓名查找")}))

    def __init__(self, data=None, *, community_options=(), category_options=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["community"].widget.choices = [("", _("全部社区"))] + list(community_options)
        self.fields["category"].widget.choices = [("", _("全部类别"))] + list(category_options)


class DeedForm(forms.Form):
    person = ScopedChoiceField(label=_("居民"), help_text=_("先在上方按姓名查找，再从结果中选择"))
    category = ScopedChoiceField(label=_("善行类别"), help_text=_("括号内为评议分值范围"))
    occurred_on = date_field(_("发生日期"))
    description = forms.CharField(label=_("事迹"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("事迹会在公示中展示，请勿写入姓名、门牌号、电话等个人信息"))
    reported_by = forms.CharField(label=_("报送人"), max_length=50, help_text=_("社区登记的填写登记人；居民报送的填写报送居民姓名"))

    def __init__(self, data=None, *, lookups: dict, options: dict, **kwargs):
        super().__init__(data, **kwargs)
        chinese_required(self)
        for name in ("person", "category"):
            choose(self, name, lookups[name], options.get(name, ()))


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("评议结果"), widget=forms.RadioSelect,
                                 choices=[("approve", _("通过，进入公示")), ("reject", _("不予通过"))])
    points = int_field(_("评议分值"), required=False, min_value=0)
    reviewers = forms.CharField(label=_("评议会成员"), max_length=200, help_text=_("参加评议的道德评议会成员，用顿号分隔"))
    review_note = forms.CharField(label=_("评议意见"), required=False, max_length=300, help_text=_("不予通过时必填"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chinese_required(self)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "approve" and data.get("points") is None and "points" not in self.errors:
            self.add_error("points", _("评议通过须填写评议分值。"))
        return data


class ObjectionForm(forms.Form):
    raised_by = forms.CharField(label=_("异议人"), max_length=50, help_text=_("提出异议的居民姓名"))
    reason = forms.CharField(label=_("异议内容"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chinese_required(self)


class PublicObjectionForm(ObjectionForm):
    """The resident's objection on the public 公示 (no login): which deed, their name, the reason."""

    deed = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["raised_by"].label = _("您的姓名")
        self.fields["raised_by"].help_text = _("社区评议会核实时会联系您")
        self.fields["reason"].label = _("异议理由")
        chinese_required(self)


class ResolveForm(forms.Form):
    upheld = forms.TypedChoiceField(label=_("处理结果"), widget=forms.RadioSelect, coerce=lambda v: v == "yes",
                                    choices=[("no", _("异议不成立，继续公示")), ("yes", _("异议成立，撤销该善行"))])
    resolution = forms.CharField(label=_("处理意见"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chinese_required(self)


# ---- accounts -------------------------------------------------------------------------------------


class AccountFilterForm(forms.Form):
    community = forms.CharField(label=_("社区"), required=False, widget=forms.Select)
    q = forms.CharField(label=_("姓名"), required=False, max_length=40,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("输入居民或户主姓名查找")}))

    def __init__(self, data=None, *, community_options=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["community"].widget.choices = [("", _("全部社区"))] + list(community_options)


class ViolationForm(forms.Form):
    description = forms.CharField(label=_("违规情形"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}),
                                  help_text=_("如：虚报善行骗取积分。记录后该账户积分清零，并在规定天数内停止兑换"))
    recorded_on = date_field(_("认定日期"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chinese_required(self)


# ---- counters, goods, settlements -----------------------------------------------------------------


class CounterFilterForm(forms.Form):
    community = forms.CharField(label=_("社区"), required=False, widget=forms.Select)
    q = forms.CharField(label=_("名称"), required=False, max_length=40,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("输入名称、地址或联系人查找")}))

    def __init__(self, data=None, *, community_options=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["community"].widget.choices = [("", _("全部社区"))] + list(community_options)


class _CounterFields(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    address = forms.CharField(label=_("地址"), required=False, max_length=200)
    contact_name = forms.CharField(label=_("联系人"), required=False, max_length=50)
    business_phone = forms.CharField(label=_("营业电话"), required=False, max_length=20)
    offer = forms.CharField(label=_("优惠内容"), required=False, max_length=300, help_text=_("向积分兑换提供的商品或折扣"))
    operators = forms.ModelMultipleChoiceField(label=_("操作员"), required=False, queryset=None, widget=forms.CheckboxSelectMultiple,
                                               help_text=_("可在兑换点称重、确认兑换的账号"),
                                               error_messages={"invalid_choice": _("所选操作员账号不可用。")})

    def __init__(self, data=None, *, operators=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["operators"].queryset = operators


class CounterForm(_CounterFields):
    community = ScopedChoiceField(label=_("所属社区"))
    kind = forms.ChoiceField(label=_("类别"), choices=[(k.value, k.label) for k in (CounterKind.STATION, CounterKind.MERCHANT)])
    joined_on = date_field(_("加入日期"), required=False, help_text=_("道德联盟商户加入的日期，留空为今天"))
    field_order = ["community", "kind", "name", "address", "contact_name", "business_phone", "offer", "joined_on", "operators"]

    def __init__(self, data=None, *, community_options=(), community_lookup=None, **kwargs):
        super().__init__(data, **kwargs)
        chinese_required(self)
        choose(self, "community", community_lookup, community_options)


class StallForm(_CounterFields):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = _("摊位名称")
        self.fields["address"].label = _("摊位位置")
        chinese_required(self)


class GoodsForm(forms.Form):
    goods = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("物品名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类别"), choices=GoodsKind.choices, initial=GoodsKind.GOODS)
    points = int_field(_("所需积分"), min_value=1, help_text=_("1 积分兑换 1 元的物品或服务"))
    stock = int_field(_("库存"), required=False, min_value=0, help_text=_("留空表示不限（如折扣、服务）"))
    active = forms.BooleanField(label=_("上架"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chinese_required(self)


class SettlementForm(forms.Form):
    month = MonthField(label=_("结算月份"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chinese_required(self)


# ---- events -------------------------------------------------------------------------------------


class EventForm(forms.Form):
    community = ScopedChoiceField(label=_("所属社区"))
    kind = forms.ChoiceField(label=_("活动类别"), choices=EventKind.choices)
    title = forms.CharField(label=_("活动名称"), max_length=100, widget=forms.TextInput(attrs={"placeholder": _("如：十二月公益集市")}))
    held_on = date_field(_("举办日期"))
    venue = forms.CharField(label=_("地点"), max_length=100)
    note = forms.CharField(label=_("说明"), required=False, max_length=300)

    def __init__(self, data=None, *, community_options=(), community_lookup=None, **kwargs):
        super().__init__(data, **kwargs)
        chinese_required(self)
        choose(self, "community", community_lookup, community_options)


# ---- rules and year-end expiry --------------------------------------------------------------------


class PolicyForm(forms.ModelForm):
    """The 社区's own BankPolicy row (its fields only; the service saves it)."""

    class Meta:
        model = BankPolicy
        fields = POLICY_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chinese_required(self)
        for name, f in self.fields.items():
            label = f.label
            f.validators += [v for v in BankPolicy._meta.get_field(name).validators if v not in f.validators]
            if isinstance(f, (forms.IntegerField, forms.DecimalField)):
                f.error_messages.update({
                    "invalid": lazy_percent(_("%(label)s须为数字。"), {"label": label}),
                    "min_value": lazy_percent(_("%(label)s不能小于 %%(limit_value)s。"), {"label": label}),
                    "max_value": lazy_percent(_("%(label)s不能大于 %%(limit_value)s。"), {"label": label}),
                })

    def _post_clean(self):
        pass  # the service validates the whole row (full_clean) with its community


class ExpiryForm(forms.Form):
    year = int_field(_("年度"), min_value=2000)
    confirm = forms.BooleanField(label=_("我已核对上述账户和分值，确认执行到期清理"), required=True,
                                 error_messages={"required": _("请勾选确认后再执行到期清理。")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].error_messages["required"] = _("请填写年度。")
