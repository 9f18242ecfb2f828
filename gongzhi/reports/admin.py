"""Alert rules are district configuration (ConfigAdmin: read by staff, changed by district
admins), with their change history. The indicator is chosen from the registry; only one with a
breakdown (by organisation or place) can trip for anyone."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from gongzhi.core.admin import ConfigAdmin
from gongzhi.core.indicators import Section, all_indicators, get

from .models import AlertRule


def indicator_choices(current: str = "") -> list[tuple[str, str]]:
    """Every registered indicator as "组织生活 · 参会率（partylife.attendance）", those without a
    breakdown marked; an unknown current value kept so the form shows it (and refuses it)."""
    choices = [("", "---------")]
    codes = set()
    for i in all_indicators():
        codes.add(i.code)
        label = f"{Section(i.section).label} · {i.name}（{i.code}）"
        if i.breakdown is None:
            label += _("——无分项，不可用")
        choices.append((i.code, label))
    if current and current not in codes:
        choices.append((current, _("%(code)s（未登记）") % {"code": current}))
    return choices


class AlertRuleForm(forms.ModelForm):
    class Meta:
        model = AlertRule
        fields = ("name", "indicator", "comparison", "threshold", "problem", "suggestion", "order", "is_active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.indicator if self.instance.pk else ""
        self.fields["indicator"].widget = forms.Select(choices=indicator_choices(current))

    def clean_indicator(self):
        code = (self.cleaned_data.get("indicator") or "").strip()
        try:
            indicator = get(code)
        except KeyError:
            raise forms.ValidationError(_("指标代码“%(code)s”不在指标登记表中，请从列表中选择。") % {"code": code})
        if indicator.breakdown is None:
            raise forms.ValidationError(
                _("指标“%(name)s”没有按党组织或地点的分项，无法逐一比对，请选择有分项的指标。") % {"name": indicator.name})
        return code


@admin.register(AlertRule)
class AlertRuleAdmin(ConfigAdmin, SimpleHistoryAdmin):
    form = AlertRuleForm
    list_display = ("name", "indicator_label", "comparison", "threshold", "is_active", "order")
    list_filter = ("is_active", "comparison")
    search_fields = ("name", "indicator", "problem")
    ordering = ("order", "id")

    @admin.display(description=gettext_lazy("指标"), ordering="indicator")
    def indicator_label(self, obj):
        indicator = obj.indicator_definition
        if indicator is None:
            return _("%(code)s（未登记）") % {"code": obj.indicator}
        return f"{indicator.name}（{obj.indicator}）"
