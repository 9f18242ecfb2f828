"""Forms of the mediation pages. They parse; the rules (tiers, escalation upward with a reason,
a session before the agreement, dates) are the services', whose Chinese errors land on the fields
through gongzhi.core.forms.add_service_errors."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from gongzhi.core.forms import DATE_INPUT, chinese_required

from .models import CaseStatus, Gender, PartyRole, Performance, Source

DATE = forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d")
STATUS_FILTER = [("", _("全部状态")), ("open", _("未结案"))] + list(CaseStatus.choices)


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("查找"), required=False, max_length=30,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("案号序号或当事人姓名")}))
    community = forms.ChoiceField(label=_("社区"), required=False)
    tier = forms.ChoiceField(label=_("调解层级"), required=False)
    category = forms.ChoiceField(label=_("纠纷类别"), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=STATUS_FILTER)
    overdue = forms.BooleanField(label=_("只看逾期"), required=False)

    def __init__(self, data=None, *, communities=(), tiers=(), categories=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["community"].choices = [("", _("全部社区"))] + [(str(pk), name) for pk, name in communities]
        self.fields["tier"].choices = [("", _("全部层级"))] + [(str(t.pk), t.name) for t in tiers]
        self.fields["category"].choices = [("", _("全部类别"))] + [(str(c.pk), c.name) for c in categories]


class CaseForm(forms.Form):
    community = forms.TypedChoiceField(label=_("社区"), coerce=int)
    category = forms.TypedChoiceField(label=_("纠纷类别"), coerce=int)
    tier = forms.TypedChoiceField(label=_("调解层级"), coerce=int, help_text=_("邻里小纠纷由调解志愿者调解，一般矛盾由社区调解员调解，较大民事纠纷由社区法官调解"))
    source = forms.ChoiceField(label=_("案件来源"), choices=[("", _("请选择"))] + Source.choices)
    referred_by = forms.CharField(label=_("移交单位或发现人"), required=False, max_length=60, help_text=_("有关部门移交或网格员排查发现的须填写"))
    received_on = forms.DateField(label=_("受理日期"), widget=DATE)
    address = forms.CharField(label=_("纠纷发生地"), required=False, max_length=100)
    description = forms.CharField(label=_("纠纷简要情况"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, data=None, *, communities=(), tiers=(), categories=(), **kwargs):
        super().__init__(data, **kwargs)
        chinese_required(self)
        self.fields["community"].choices = [("", _("请选择"))] + list(communities)
        self.fields["tier"].choices = [(t.pk, f"{t.name}（{t.handles}）" if t.handles else t.name) for t in tiers]
        self.fields["category"].choices = [("", _("请选择"))] + [(c.pk, c.name) for c in categories]


class PartyForm(forms.Form):
    role = forms.ChoiceField(label=_("身份"), choices=PartyRole.choices)
    name = forms.CharField(label=_("姓名或名称"), required=False, max_length=60)
    gender = forms.ChoiceField(label=_("性别"), required=False, choices=[("", "—")] + Gender.choices)
    age = forms.IntegerField(label=_("年龄"), required=False, min_value=0, max_value=130)
    phone = forms.CharField(label=_("手机号码"), required=False, max_length=20)
    address = forms.CharField(label=_("住所"), required=False, max_length=100)


class AssignForm(forms.Form):
    mediator = forms.TypedChoiceField(label=_("调解员"), coerce=int)

    def __init__(self, *args, mediators=(), **kwargs):
        super().__init__(*args, **kwargs)
        chinese_required(self)
        self.fields["mediator"].choices = [("", _("请选择"))] + [(m.pk, m.name) for m in mediators]


class EscalateForm(forms.Form):
    tier = forms.TypedChoiceField(label=_("升级到"), coerce=int)
    mediator = forms.TypedChoiceField(label=_("调解员"), coerce=int, required=False, empty_value=None, help_text=_("可稍后分派"))
    reason = forms.CharField(label=_("升级原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, tiers=(), mediators=(), **kwargs):
        super().__init__(*args, **kwargs)
        chinese_required(self)
        self.fields["tier"].choices = [(t.pk, t.name) for t in tiers]
        self.fields["mediator"].choices = [("", _("（稍后分派）"))] + [(m.pk, f"{m.name}（{m.tier.name}）") for m in mediators]


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("调解日期"), widget=DATE)
    place = forms.CharField(label=_("调解地点"), max_length=60)
    attendees = forms.CharField(label=_("参加人员"), max_length=200)
    record = forms.CharField(label=_("调解笔录"), widget=forms.Textarea(attrs={"rows": 5}))
    file = forms.FileField(label=_("笔录扫描件"), required=False, help_text=_("选填：PDF、JPG 或 PNG，不超过 10 MB"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chinese_required(self)


class AgreeForm(forms.Form):
    agreed_on = forms.DateField(label=_("协议日期"), widget=DATE)
    facts = forms.CharField(label=_("主要事实和争议事项"), widget=forms.Textarea(attrs={"rows": 3}))
    terms = forms.CharField(label=_("达成协议的内容"), widget=forms.Textarea(attrs={"rows": 3}))
    performance = forms.CharField(label=_("履行方式"), max_length=300)
    perform_by = forms.DateField(label=_("履行期限"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chinese_required(self)


class CloseForm(forms.Form):
    status = forms.ChoiceField(label=_("结案方式"), choices=[(CaseStatus.FAILED, CaseStatus.FAILED.label), (CaseStatus.WITHDRAWN, CaseStatus.WITHDRAWN.label)])
    closed_on = forms.DateField(label=_("结案日期"), widget=DATE)
    note = forms.CharField(label=_("结案说明"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chinese_required(self)


class FollowUpForm(forms.Form):
    visited_on = forms.DateField(label=_("回访日期"), widget=DATE)
    performance = forms.ChoiceField(label=_("履行情况"), choices=Performance.choices)
    note = forms.CharField(label=_("回访情况"), required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chinese_required(self)


class ConfirmForm(forms.Form):
    applied_on = forms.DateField(label=_("申请司法确认日期"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chinese_required(self)


class MediatorForm(forms.Form):
    community = forms.TypedChoiceField(label=_("社区"), coerce=int)
    name = forms.CharField(label=_("姓名"), max_length=30)
    tier = forms.TypedChoiceField(label=_("调解层级"), coerce=int)
    phone = forms.CharField(label=_("手机号码"), required=False, max_length=20, help_text=_("加密保存，页面只显示部分号码；修改时留空则不变"))
    organisation = forms.CharField(label=_("工作单位"), required=False, max_length=60)
    username = forms.CharField(label=_("登录账号（用户名）"), required=False, max_length=150,
                               help_text=_("选填：调解员有登录账号的，填写后可登录查看并办理分派给自己的案件"))
    is_active = forms.BooleanField(label=_("在岗"), required=False, initial=True)

    def __init__(self, *args, communities=(), tiers=(), **kwargs):
        super().__init__(*args, **kwargs)
        chinese_required(self)
        self.fields["community"].choices = [("", _("请选择"))] + list(communities)
        self.fields["tier"].choices = [(t.pk, t.name) for t in tiers]

    def clean_username(self):
        username = (self.cleaned_data.get("username") or "").strip()
        if not username:
            return None
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("没有用户名为“%(name)s”的账号。") % {"name": username})
        return user
