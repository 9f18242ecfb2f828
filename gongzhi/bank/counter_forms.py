"""Forms of the counter (称重、兑换、退兑). They parse; the rules (weights in range, a live code, stock,
balance, a reason to refund) are the services', whose Chinese errors land on the fields through
gongzhi.core.forms.add_service_errors. Each writing form carries an idempotency key made when it
is rendered: a resubmitted or retried POST is answered with the first result."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.core.forms import ScopedChoiceField, chinese_required

from .models import GarbageKind

WEIGHT_FIELDS = [(f"{kind}_kg", label) for kind, label in GarbageKind.choices]


def new_key() -> str:
    return uuid.uuid4().hex


def _key_field() -> forms.CharField:
    message = _("请求编号缺失或有误，请刷新页面后重试。")
    return forms.CharField(widget=forms.HiddenInput, max_length=64, error_messages={"required": message, "max_length": message})


def _weight_field(label) -> forms.DecimalField:
    return forms.DecimalField(
        label=_("%(kind)s（公斤）") % {"kind": label}, required=False, min_value=0, max_digits=6, decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal", "placeholder": "0.00"}),
        error_messages={"invalid": _("“%(kind)s”的重量须为数字（公斤）。") % {"kind": label},
                        "min_value": _("“%(kind)s”的重量不能为负数。") % {"kind": label},
                        "max_digits": _("“%(kind)s”的重量位数过多。") % {"kind": label},
                        "max_decimal_places": _("“%(kind)s”的重量最多保留两位小数。") % {"kind": label},
                        "max_whole_digits": _("“%(kind)s”的重量位数过多。") % {"kind": label}})


class WeighForm(forms.Form):
    """垃圾分类称重: the resident (found by name in the counter's 社区) and kilograms by kind."""

    person = ScopedChoiceField(label=_("居民"), widget=forms.RadioSelect, help_text=_("先按姓名查找，再从结果中选择"))
    key = _key_field()

    def __init__(self, data=None, *, options, lookup, **kwargs):
        super().__init__(data, **kwargs)
        for name, label in WEIGHT_FIELDS:
            self.fields[name] = _weight_field(label)
        chinese_required(self)
        self.fields["person"].lookup = lookup
        self.fields["person"].choices = list(options)
        self.fields["person"].error_messages["invalid_choice"] = _("请从查找结果中选择居民。")
        if data is None:
            self.initial.setdefault("key", new_key())

    def weight_fields(self):
        return [self[name] for name, _label in WEIGHT_FIELDS]

    def weights(self) -> dict:
        return {name.removesuffix("_kg"): self.cleaned_data.get(name) or 0 for name, _label in WEIGHT_FIELDS}


class CodeForm(forms.Form):
    """The 6-digit code the resident's phone shows (typed, or scanned by a USB scanner that types it)."""

    code = forms.CharField(label=_("兑换码"), widget=forms.TextInput(attrs={
        "inputmode": "numeric", "autocomplete": "off", "autocapitalize": "off", "spellcheck": "false", "placeholder": _("6位数字"),
        "class": "code-input"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chinese_required(self)

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split())


class RedeemForm(forms.Form):
    """积分兑换: a quantity for each of the counter's goods on the shelf, the code looked up, the key."""

    code = forms.CharField(widget=forms.HiddenInput)
    key = _key_field()

    def __init__(self, data=None, *, goods, **kwargs):
        super().__init__(data, **kwargs)
        chinese_required(self)
        self.goods = list(goods)
        for item in self.goods:
            self.fields[f"qty_{item.pk}"] = forms.IntegerField(
                label=_("“%(name)s”数量") % {"name": item.name}, required=False, min_value=0, max_value=999,
                widget=forms.NumberInput(attrs={"min": "0", "max": "999", "inputmode": "numeric", "placeholder": "0", "class": "qty"}),
                error_messages={"invalid": _("“%(name)s”的数量须为整数。") % {"name": item.name},
                                "min_value": _("“%(name)s”的数量不能为负数。") % {"name": item.name},
                                "max_value": _("“%(name)s”的数量最多为 999。") % {"name": item.name}})
        if data is None:
            self.initial.setdefault("key", new_key())

    def rows(self):
        """(goods, its quantity field) for the table."""
        return [(item, self[f"qty_{item.pk}"]) for item in self.goods]

    def items(self) -> list[tuple[int, int]]:
        return [(item.pk, self.cleaned_data.get(f"qty_{item.pk}") or 0) for item in self.goods if self.cleaned_data.get(f"qty_{item.pk}")]

    def total(self) -> int:
        points = {item.pk: item.points for item in self.goods}
        return sum(points[pk] * quantity for pk, quantity in self.items())


class RefundForm(forms.Form):
    reason = forms.CharField(label=_("退兑原因"), max_length=150, widget=forms.TextInput(attrs={"placeholder": _("如：物品退回、误操作")}),
                             error_messages={"max_length": _("退兑原因最多 150 个字。")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chinese_required(self)
        self.fields["reason"].error_messages["required"] = _("退兑须填写原因。")
