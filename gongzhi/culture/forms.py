"""Forms of the 德治 pages and the public vote. They parse; the rules (who may be nominated, the
periods, one vote per resident) are the services', whose Chinese errors land on the fields
through gongzhi.core.forms.add_service_errors. Objects chosen by id are looked up by the view's
scoped selectors: out of scope is a 404."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.core.forms import DATE_INPUT, ScopedChoiceField, chinese_required, lazy_percent

from .models import NominatorKind, StoryKind, TieRule


def date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, input_formats=["%Y-%m-%d"], widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
                           error_messages={"invalid": lazy_percent(_("请按“年-月-日”填写%(label)s。"), {"label": label})}, **kwargs)


def int_field(label, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(label=label, error_messages={
        "invalid": lazy_percent(_("%(label)s须为整数。"), {"label": label}),
        "min_value": lazy_percent(_("%(label)s不能小于 %%(limit_value)s。"), {"label": label}),
        "max_value": lazy_percent(_("%(label)s不能大于 %%(limit_value)s。"), {"label": label}),
    }, **kwargs)


def choose(form: forms.Form, name: str, lookup, options, empty=_("请选择")) -> None:
    form.fields[name].lookup = lookup
    form.fields[name].choices = [("", empty)] + list(options)


class FilterForm(forms.Form):
    """The filters every list shares: 社区 and a search box; the lists add theirs."""

    community = forms.CharField(label=_("社区"), required=False, widget=forms.Select)
    q = forms.CharField(label=_("查找"), required=False, max_length=40, widget=forms.TextInput(attrs={"type": "search"}))

    def __init__(self, data=None, *, community_options=(), placeholder="", **kwargs):
        super().__init__(data, **kwargs)
        self.fields["community"].widget.choices = [("", _("全部社区"))] + list(community_options)
        self.fields["q"].widget.attrs["placeholder"] = placeholder


# ---- stories ---------------------------------------------------------------------------------------


class StoryFilterForm(FilterForm):
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=[("", _("全部类型"))] + StoryKind.choices)
    published = forms.ChoiceField(label=_("发布"), required=False, choices=[("", _("全部")), ("yes", _("已发布")), ("no", _("未发布"))])


class StoryForm(forms.Form):
    community = ScopedChoiceField(label=_("所属社区"))
    kind = forms.ChoiceField(label=_("类型"), choices=StoryKind.choices)
    family_name = forms.CharField(label=_("家庭"), max_length=40, help_text=_("公开显示的家庭称呼，如“王家”“李大妈一家”"))
    title = forms.CharField(label=_("标题"), max_length=80)
    collected_on = date_field(_("征集日期"))
    household = ScopedChoiceField(label=_("关联户（可选）"), required=False, help_text=_("仅工作人员可见，不公开"))
    text = forms.CharField(label=_("内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8}),
                           help_text=_("家风故事或家风寄语、家训的全文，发布后居民可见"))
    photo = forms.FileField(label=_("照片（可选）"), required=False, help_text=_("JPG、PNG 或 WebP，10 MB 以内；发布后居民可见"),
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))

    def __init__(self, *args, lookups, options, **kwargs):
        super().__init__(*args, **kwargs)
        chinese_required(self)
        choose(self, "community", lookups["community"], options["community"])
        choose(self, "household", lookups["household"], options["household"], empty=_("不关联"))


# ---- campaigns -------------------------------------------------------------------------------------


class CampaignFilterForm(FilterForm):
    category = forms.CharField(label=_("评选类别"), required=False, widget=forms.Select)

    def __init__(self, data=None, *, category_options=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["category"].widget.choices = [("", _("全部类别"))] + list(category_options)


class CampaignForm(forms.Form):
    community = ScopedChoiceField(label=_("所属社区"))
    category = ScopedChoiceField(label=_("评选类别"))
    title = forms.CharField(label=_("评选名称"), max_length=80, help_text=_("如“2026年重阳节好婆婆评选”"))
    occasion = forms.CharField(label=_("结合节日"), max_length=20, required=False, help_text=_("如建党节、国庆节、重阳节"))
    seats = int_field(_("评选名额"), min_value=1, max_value=100)
    tie_rule = forms.ChoiceField(label=_("票数并列时"), choices=TieRule.choices)
    nominate_from = date_field(_("提名开始"))
    nominate_until = date_field(_("提名截止"))
    vote_from = date_field(_("投票开始"), help_text=_("提名截止后审核提名，再开始投票"))
    vote_until = date_field(_("投票截止"))
    description = forms.CharField(label=_("评选说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text=_("评选标准、投票方式等，显示在投票页"))

    def __init__(self, *args, lookups, options, **kwargs):
        super().__init__(*args, **kwargs)
        chinese_required(self)
        for name in ("community", "category"):
            choose(self, name, lookups[name], options[name])


class NominationForm(forms.Form):
    person = ScopedChoiceField(label=_("被提名人"))
    nominator_kind = forms.ChoiceField(label=_("提名方式"), choices=NominatorKind.choices)
    nominator = forms.CharField(label=_("提名人/单位"), max_length=60, help_text=_("如“幸福家园党支部”“居民张某等5人”"))
    reason = forms.CharField(label=_("主要事迹"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                             help_text=_("审核通过后在投票页公开"))

    def __init__(self, *args, lookup, options, **kwargs):
        super().__init__(*args, **kwargs)
        chinese_required(self)
        choose(self, "person", lookup, options)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("审核结果"), widget=forms.RadioSelect,
                                 choices=[("accept", _("通过，列为候选人")), ("reject", _("不予通过"))])
    review_note = forms.CharField(label=_("审核意见"), required=False, max_length=300, help_text=_("不予通过时必填"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chinese_required(self)


class PublishForm(forms.Form):
    tie_break = forms.MultipleChoiceField(label=_("并列者中确定当选"), required=False, widget=forms.CheckboxSelectMultiple)
    results_note = forms.CharField(label=_("结果说明"), required=False, max_length=300,
                                   help_text=_("票数并列时写明评选小组的决定，随结果公开"))

    def __init__(self, *args, tied=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tie_break"].choices = [(str(r.nomination.pk), f"{r.nomination.person.name}（{r.votes}）") for r in tied]
        if not tied:
            del self.fields["tie_break"]


class VoteForm(forms.Form):
    """The resident's vote on the public page: the nominee, their name and ID number."""

    nomination = forms.CharField(label=_("候选人"), widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("您的姓名"), max_length=20, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    id_number = forms.CharField(label=_("身份证号"), max_length=20, help_text=_("仅用于核对居民身份、保证每人一票，不会公开"),
                                widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chinese_required(self)


# ---- publicity -------------------------------------------------------------------------------------


class PublicityFilterForm(FilterForm):
    kind = forms.CharField(label=_("宣传形式"), required=False, widget=forms.Select)
    start = date_field(_("起始日期"), required=False)
    end = date_field(_("截止日期"), required=False)

    def __init__(self, data=None, *, kind_options=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["kind"].widget.choices = [("", _("全部形式"))] + list(kind_options)


class PublicityForm(forms.Form):
    community = ScopedChoiceField(label=_("所属社区"))
    kind = ScopedChoiceField(label=_("宣传形式"))
    count = int_field(_("数量"), min_value=1, max_value=100_000)
    made_on = date_field(_("日期"), help_text=_("制作、张贴或发布的日期"))
    topic = forms.CharField(label=_("主题"), max_length=100, help_text=_("如“传承红色基因 弘扬焦裕禄好家风”"))
    note = forms.CharField(label=_("备注"), required=False, max_length=200)

    def __init__(self, *args, lookups, options, **kwargs):
        super().__init__(*args, **kwargs)
        chinese_required(self)
        for name in ("community", "kind"):
            choose(self, name, lookups[name], options[name])
