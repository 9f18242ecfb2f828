"""Forms of the notice board: the staff board's filters, a notice written by staff, withdrawing."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.core.forms import ScopedChoiceField, chinese_required, choose, date_field

from .models import Notice, NoticeKind, NoticeState

# What staff write themselves; resolutions, results and 公约 come from their decision matters.
STAFF_KINDS = (NoticeKind.ANNOUNCEMENT, NoticeKind.PUBLICITY, NoticeKind.HONOUR, NoticeKind.LECTURE)


class BoardFilterForm(forms.Form):
    community = forms.CharField(label=_("社区"), required=False, widget=forms.Select)
    kind = forms.ChoiceField(label=_("类别"), required=False, choices=[("", _("全部类别"))] + NoticeKind.choices)
    state = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部状态"))] + NoticeState.choices)
    q = forms.CharField(label=_("标题"), required=False, max_length=50,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("输入标题中的字词")}))

    def __init__(self, data=None, *, community_options=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["community"].widget.choices = [("", _("全部社区"))] + list(community_options)


class NoticeForm(forms.Form):
    community = ScopedChoiceField(label=_("社区"))
    compound = ScopedChoiceField(label=_("小区"), required=False, help_text=_("只涉及一个小区时选择，否则留空"))
    kind = forms.ChoiceField(label=_("类别"), choices=[(k.value, k.label) for k in STAFF_KINDS], initial=NoticeKind.ANNOUNCEMENT)
    title = forms.CharField(label=_("标题"), max_length=Notice._meta.get_field("title").max_length)
    body = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 8}),
                           help_text=_("公开栏无需登录即可查看：请勿写入身份证号、电话、门牌号等个人信息"))
    starts_on = date_field(_("公开日期"))
    ends_on = date_field(_("公开截止日期"), required=False, help_text=_("不填则一直公开，直到撤下"))

    def __init__(self, data=None, *, lookups: dict, options: dict, **kwargs):
        super().__init__(data, **kwargs)
        chinese_required(self)
        choose(self, "community", lookups["community"], options["community"])
        choose(self, "compound", lookups["compound"], options["compound"], empty=_("不限小区（整个社区）"))

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("公开截止日期不能早于公开日期。"))
        return data


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤下原因"), max_length=200, widget=forms.TextInput(attrs={"placeholder": _("如：内容有误，更正后重新发布")}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chinese_required(self)
