"""Forms of 民主决策. They parse; the rules (the next step only, what a step requires, counts that
add up, the threshold, 一肩挑) are the services', whose Chinese errors land on the fields through
`add_service_errors`. Objects chosen by id are looked up by the view's scoped selectors (404)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.core.forms import ScopedChoiceField, chinese_required, choose, date_field, int_field

from .models import MatterStatus, MethodStep


class MatterFilterForm(forms.Form):
    q = forms.CharField(label=_("事项"), required=False, max_length=40,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("输入事项名称或内容查找")}))
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部状态"))] + MatterStatus.choices)
    method = forms.CharField(label=_("决策方法"), required=False, widget=forms.Select)
    community = forms.CharField(label=_("社区"), required=False, widget=forms.Select)

    def __init__(self, data=None, *, community_options=(), method_options=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["community"].widget.choices = [("", _("全部社区"))] + list(community_options)
        self.fields["method"].widget.choices = [("", _("全部方法"))] + list(method_options)


class MatterForm(forms.Form):
    community = ScopedChoiceField(label=_("社区"))
    compound = ScopedChoiceField(label=_("小区"), required=False, help_text=_("事项只涉及一个小区时选择"))
    title = forms.CharField(label=_("事项名称"), max_length=100, widget=forms.TextInput(attrs={"placeholder": _("如：幸福家园1号楼加装电梯")}))
    method = ScopedChoiceField(label=_("决策方法"))
    description = forms.CharField(label=_("事项内容"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text=_("事由、方案要点、涉及范围和经费来源"))

    def __init__(self, data=None, *, lookups: dict, options: dict, **kwargs):
        super().__init__(data, **kwargs)
        chinese_required(self)
        for name in ("community", "compound", "method"):
            choose(self, name, lookups[name], options.get(name, ()), empty=_("不限小区") if name == "compound" else _("请选择"))


class StepForm(forms.Form):
    """The next step's record, with only the items the step (and a step merged with it) asks."""

    held_on = date_field(_("日期"))
    due_count = int_field(_("应到人数"), min_value=1, required=False)
    present_count = int_field(_("实到人数"), min_value=0, required=False)
    votes_for = int_field(_("赞成"), min_value=0, required=False)
    votes_against = int_field(_("反对"), min_value=0, required=False)
    votes_abstain = int_field(_("弃权"), min_value=0, required=False)
    minutes = forms.CharField(label=_("会议纪要"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("时间、地点、主持人、议题、讨论情况和结论"))
    signatures = forms.FileField(label=_("签字扫描件"), required=False, help_text=_("到会人员签到表和表决签字，PDF、JPG 或 PNG"),
                                 widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
    notice_text = forms.CharField(label=_("公开内容"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
                                  help_text=_("将在社区公开栏公布，请勿写入身份证号、电话等个人信息"))
    merge_next = forms.BooleanField(label=_("与下一步合并召开"), required=False)

    def __init__(self, data=None, files=None, *, steps: list[MethodStep], mergeable: MethodStep | None = None, **kwargs):
        kwargs.setdefault("initial", {"held_on": timezone.localdate()})
        super().__init__(data, files, **kwargs)
        chinese_required(self)
        needs = {"held_on"}
        for step in steps + ([mergeable] if mergeable else []):
            if step.requires_attendance or step.requires_vote:
                needs |= {"due_count", "present_count"}
            if step.requires_vote:
                needs |= {"votes_for", "votes_against", "votes_abstain"}
            if step.requires_signatures:
                needs.add("signatures")
            if step.requires_notice_text or step.publishes:
                needs.add("notice_text")
            needs.add("minutes")
        if mergeable is not None:
            needs.add("merge_next")
            self.fields["merge_next"].label = _("一肩挑：与“%(step)s”合并召开") % {"step": mergeable.name}
            self.fields["merge_next"].help_text = _("书记、主任一肩挑，提议与商议在同一次会议完成，两个步骤各记一条记录")
        for name in list(self.fields):
            if name not in needs:
                del self.fields[name]
        # Marked as required on the page; the service checks them and names the step in its message.
        self.must_fill = {"held_on"} | {n for s in steps for n in _required(s)}


    WIDE = ("minutes", "notice_text", "merge_next", "signatures")

    def layout(self):
        """(field, css) for the page: the step's required items marked, long texts full width."""
        return [(f, " ".join(c for c, on in (("required", f.name in self.must_fill), ("wide", f.name in self.WIDE)) if on))
                for f in self.visible_fields()]


def _required(step: MethodStep) -> set[str]:
    names = set()
    if step.requires_attendance or step.requires_vote:
        names |= {"due_count", "present_count"}
    if step.requires_vote:
        names |= {"votes_for", "votes_against", "votes_abstain"}
    if step.requires_minutes:
        names.add("minutes")
    if step.requires_signatures:
        names.add("signatures")
    if step.requires_notice_text:
        names.add("notice_text")
    return names


class WithdrawForm(forms.Form):
    withdraw_reason = forms.CharField(label=_("撤回原因"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chinese_required(self)


class SettingForm(forms.Form):
    secretary_is_director = forms.BooleanField(label=_("书记、主任一肩挑"), required=False)


class ConventionFilterForm(forms.Form):
    q = forms.CharField(label=_("公约名称"), required=False, max_length=40, widget=forms.TextInput(attrs={"type": "search"}))
    community = forms.CharField(label=_("社区"), required=False, widget=forms.Select)

    def __init__(self, data=None, *, community_options=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["community"].widget.choices = [("", _("全部社区"))] + list(community_options)


class ConventionForm(forms.Form):
    community = ScopedChoiceField(label=_("社区"))
    compound = ScopedChoiceField(label=_("小区"), required=False, help_text=_("小区公约选择小区；社区公约留空"))
    title = forms.CharField(label=_("公约名称"), max_length=100, widget=forms.TextInput(attrs={"placeholder": _("如：幸福社区居民公约")}))

    def __init__(self, data=None, *, lookups: dict, options: dict, **kwargs):
        super().__init__(data, **kwargs)
        chinese_required(self)
        for name in ("community", "compound"):
            choose(self, name, lookups[name], options.get(name, ()), empty=_("社区公约") if name == "compound" else _("请选择"))


class VersionForm(forms.Form):
    matter = ScopedChoiceField(label=_("通过事项"), help_text=_("经居民会议或居民代表会议决议通过的决策事项"))
    text = forms.CharField(label=_("公约全文"), widget=forms.Textarea(attrs={"rows": 10}))

    def __init__(self, data=None, *, lookup, options, **kwargs):
        super().__init__(data, **kwargs)
        chinese_required(self)
        choose(self, "matter", lookup, options)


class FileForm(forms.Form):
    filed_on = date_field(_("备案日期"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"filed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        chinese_required(self)
