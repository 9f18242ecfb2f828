"""Forms of the member-points pages. They parse; the rules (the version in effect on the day, a
manual rule, evidence, no future dates) are the services', whose Chinese errors land on the
fields through gongzhi.core.forms.add_service_errors."""

import datetime as dt
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class RankingForm(forms.Form):
    """The rankings' filters: a name, an organisation (its options set by the view from the
    scope's organisations, looked up by the view: out of scope is a 404), the year."""

    q = forms.CharField(label=_("姓名"), required=False, max_length=50,
                        widget=forms.TextInput(attrs={"placeholder": _("输入姓名查找"), "type": "search"}))
    org = forms.CharField(label=_("党组织"), required=False, widget=forms.Select)
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, required=False)

    def __init__(self, data=None, *, years: list[int], default: int, org_options=(), **kwargs):
        if data is not None and data.get("year", "") not in {str(y) for y in years}:
            data = data.copy()
            data["year"] = default  # a year not offered (or none): the default, shown as chosen
        super().__init__(data, initial={"year": default}, **kwargs)
        self.default = default
        self.fields["year"].choices = [(y, _("%(y)s年度") % {"y": y}) for y in years]
        self.fields["org"].widget.choices = list(org_options)

    def chosen_year(self) -> int:
        if self.is_bound and self.is_valid() and self.cleaned_data["year"]:
            return self.cleaned_data["year"]
        return self.default

    def searched_name(self) -> str:
        return (self.cleaned_data.get("q") or "").strip() if self.is_bound and self.is_valid() else ""


def points_text(amount: Decimal) -> str:
    """Points as people write them: 35.0 → "35", 0.5 → "0.5" (never an exponent)."""
    return f"{amount.quantize(Decimal(1)) if amount == amount.to_integral() else amount.normalize():f}"


def _rule_label(rule) -> str:
    sign = "+" if rule.points > 0 else ""
    cap = _("，每年最多 %(cap)s 分") % {"cap": points_text(rule.cap)} if rule.cap is not None else ""
    points = _("%(points)s分") % {"points": f"{sign}{points_text(rule.points)}"}
    return f"{rule.category} · {rule.name}（{points}{cap}）"


class EntryForm(forms.Form):
    """A manual entry for one member. The rule is chosen by its code among the manual rules of
    the version in effect on the chosen day (`rules_on(day)` gives them)."""

    occurred_on = forms.DateField(label=_("发生日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                  error_messages={"required": _("请填写发生日期。"), "invalid": _("请按“年-月-日”填写发生日期。")})
    rule = forms.ChoiceField(label=_("细则条目"), error_messages={"required": _("请选择细则条目。"),
                                                                 "invalid_choice": _("所选细则条目在发生日期不适用，请重新选择。")})
    quantity = forms.DecimalField(label=_("次数"), max_digits=7, decimal_places=1, initial=1,
                                  widget=forms.NumberInput(attrs={"step": "0.5", "min": "0.5", "inputmode": "decimal"}),
                                  help_text=_("按次计的填次数；分值 = 条目分值 × 次数"),
                                  error_messages={"required": _("请填写次数。"), "invalid": _("次数应为数字。"),
                                                  "max_digits": _("次数过大。"), "max_decimal_places": _("次数最多保留一位小数。")})
    evidence = forms.CharField(label=_("依据"), max_length=200, widget=forms.TextInput(attrs={"placeholder": _("如文章题目、会议记录、处分文号")}),
                               error_messages={"required": _("请填写依据（如文章题目、会议记录、处分文号）。"),
                                               "max_length": _("依据最多200字。")})
    note = forms.CharField(label=_("说明"), max_length=200, required=False, error_messages={"max_length": _("说明最多200字。")})

    def __init__(self, data=None, *, rules_on, today: dt.date, **kwargs):
        super().__init__(data, initial={"occurred_on": today, "quantity": 1}, **kwargs)
        day = today
        if data is not None:
            try:
                day = self.fields["occurred_on"].to_python(data.get("occurred_on")) or today
            except ValidationError:
                pass
        self.rules = {r.code: r for r in rules_on(day)}
        self.fields["rule"].choices = [("", _("请选择"))] + [(code, _rule_label(r)) for code, r in self.rules.items()]

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"rule": self.rules[d["rule"]], "occurred_on": d["occurred_on"], "quantity": d["quantity"],
                "evidence": d["evidence"], "note": d["note"]}

