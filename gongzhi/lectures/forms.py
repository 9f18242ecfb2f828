"""Forms of the 法治讲座 pages (staff, the public page, the teacher's link). They parse; the rules
(who may 点单 or 附议, which teachers serve a 社区, the allowed moves) are the services', whose Chinese
errors land on the fields through gongzhi.core.forms.add_service_errors."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.core.forms import DATE_INPUT, chinese_required, lazy_percent

from .models import OrderStatus, RequestStatus, TeacherKind, TopicCategory

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _int(label, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(label=label, error_messages={
        "invalid": lazy_percent(_("%(label)s须为整数。"), {"label": label}),
        "min_value": lazy_percent(_("%(label)s不能小于 %%(limit_value)s。"), {"label": label}),
        "max_value": lazy_percent(_("%(label)s不能大于 %%(limit_value)s。"), {"label": label}),
    }, **kwargs)


def _date(label) -> forms.DateField:
    return forms.DateField(label=label, required=False, input_formats=["%Y-%m-%d"], widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
                           error_messages={"invalid": lazy_percent(_("请按“年-月-日”填写%(label)s。"), {"label": label})})


class _Form(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chinese_required(self)


# ---- identifying a resident (public page; staff recording for them) ------------------------------


class IdentifyForm(_Form):
    name = forms.CharField(label=_("您的姓名"), max_length=30)
    id_number = forms.CharField(label=_("身份证号"), max_length=18, min_length=15,
                                widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text", "spellcheck": "false"}),
                                help_text=_("仅用于核对您是本社区登记在册的居民，不会公开"),
                                error_messages={"min_length": _("请填写完整的身份证号。")})


def _topic_choices(topics, empty):
    return [("", empty)] + [(t.pk, f"{t.title}（{t.get_category_display()}）") for t in topics]


class RequestForm(IdentifyForm):
    """点单 on the public page (and by staff for a resident: the same name and ID number)."""

    topic = forms.TypedChoiceField(label=_("讲座主题"), required=False, coerce=int, empty_value=None)
    wish = forms.CharField(label=_("想听的内容"), required=False, max_length=200, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("列表里没有的主题，或想重点听的问题，写在这里"))
    field_order = ["topic", "wish", "name", "id_number"]

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = _topic_choices(topics, _("不限（写在下面）"))


class StaffRequestForm(RequestForm):
    community = forms.TypedChoiceField(label=_("社区"), coerce=int)
    field_order = ["community", "name", "id_number", "topic", "wish"]

    def __init__(self, *args, community_options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = _("居民姓名")
        self.fields["id_number"].help_text = _("核对居民在册，不会公开")
        self.fields["community"].choices = [("", _("请选择"))] + list(community_options)
        chinese_required(self)


class SecondForm(IdentifyForm):
    pass


RATINGS = [(5, _("5分 非常满意")), (4, _("4分 满意")), (3, _("3分 一般")), (2, _("2分 不太满意")), (1, _("1分 不满意"))]


class FeedbackForm(IdentifyForm):
    rating = forms.TypedChoiceField(label=_("评分"), choices=RATINGS, coerce=int, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("意见建议"), required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    field_order = ["rating", "comment", "name", "id_number"]


# ---- staff ---------------------------------------------------------------------------------------


class RequestFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部状态"))] + RequestStatus.choices)
    community = forms.CharField(label=_("社区"), required=False, widget=forms.Select)
    topic = forms.TypedChoiceField(label=_("主题"), required=False, coerce=int, empty_value=None)
    q = forms.CharField(label=_("查找"), required=False, max_length=40,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("主题、内容或点单人姓名")}))

    def __init__(self, data=None, *, community_options=(), topics=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["community"].widget.choices = [("", _("全部社区"))] + list(community_options)
        self.fields["topic"].choices = _topic_choices(topics, _("全部主题"))


ORDER_FILTER_STATUSES = [("", _("全部状态")), ("open", _("进行中（待接单、待改派、已接单）"))] + OrderStatus.choices


class OrderFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), required=False, choices=ORDER_FILTER_STATUSES)
    community = forms.CharField(label=_("社区"), required=False, widget=forms.Select)
    topic = forms.TypedChoiceField(label=_("主题"), required=False, coerce=int, empty_value=None)
    start = _date(_("开讲日期自"))
    end = _date(_("至"))
    q = forms.CharField(label=_("查找"), required=False, max_length=40,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("讲座题目或地点")}))

    def __init__(self, data=None, *, community_options=(), topics=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["community"].widget.choices = [("", _("全部社区"))] + list(community_options)
        self.fields["topic"].choices = _topic_choices(topics, _("全部主题"))


class OrderForm(_Form):
    topic = forms.TypedChoiceField(label=_("讲座主题"), coerce=int)
    title = forms.CharField(label=_("讲座题目"), max_length=80, required=False, help_text=_("不填则用主题名称"))
    starts_at = forms.DateTimeField(label=_("开讲时间"), input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
                                    error_messages={"invalid": _("请按“年-月-日 时:分”填写开讲时间。")})
    minutes = _int(_("时长（分钟）"), initial=90, min_value=15, max_value=480)
    venue = forms.CharField(label=_("地点"), max_length=80)
    audience = forms.CharField(label=_("面向人群"), max_length=80, help_text=_("如：全体居民、老年人、青少年及家长、物业与业委会"))
    expected_size = _int(_("预计人数"), min_value=1, max_value=5000)
    teachers = forms.TypedMultipleChoiceField(label=_("邀请讲师"), coerce=int, widget=forms.CheckboxSelectMultiple,
                                              help_text=_("可同时邀请多位；任一位接单即确定，全部谢绝则退回社区改派"))
    requests = forms.TypedMultipleChoiceField(label=_("回应的居民点单"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, topics=(), teacher_options=(), request_options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = _topic_choices(topics, _("请选择"))
        self.fields["teachers"].choices = list(teacher_options)
        self.fields["requests"].choices = list(request_options)
        chinese_required(self)
        self.fields["teachers"].error_messages["required"] = _("请至少邀请一位讲师。")


class AskForm(_Form):
    teachers = forms.TypedMultipleChoiceField(label=_("再邀请讲师"), coerce=int, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, teacher_options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teachers"].choices = list(teacher_options)
        self.fields["teachers"].error_messages["required"] = _("请至少选择一位讲师。")


class HoldForm(_Form):
    attendance = _int(_("实到人数"), min_value=0, max_value=5000)
    summary = forms.CharField(label=_("讲座情况"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("主要内容、现场答疑、居民反映的问题"))


class CloseForm(_Form):
    note = forms.CharField(label=_("结单说明"), required=False, max_length=200)


class ReasonForm(_Form):
    reason = forms.CharField(label=_("原因"), max_length=200, widget=forms.Textarea(attrs={"rows": 2}))


class TeacherForm(_Form):
    name = forms.CharField(label=_("姓名"), max_length=30)
    kind = forms.ChoiceField(label=_("类型"), choices=TeacherKind.choices)
    organisation = forms.CharField(label=_("工作单位"), max_length=80, required=False, help_text=_("如律师事务所、人民法院、司法所"))
    place = forms.TypedChoiceField(label=_("所属"), coerce=int, help_text=_("登记在区或街道的讲师为其下所有社区服务；社区讲师只为本社区服务"))
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)
    id_number = forms.CharField(label=_("居民身份证号"), max_length=18, required=False,
                                widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
                                help_text=_("居民讲师可填写，用于关联居民档案（按姓名和身份证号核对，不单独保存）"))
    topics = forms.TypedMultipleChoiceField(label=_("可讲主题"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple)
    intro = forms.CharField(label=_("简介"), max_length=200, required=False)
    is_active = forms.BooleanField(label=_("在册"), required=False, initial=True)

    def __init__(self, *args, place_options=(), topics=(), phone_mask="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [("", _("请选择"))] + list(place_options)
        self.fields["topics"].choices = [(t.pk, t.title) for t in topics]
        if phone_mask:
            self.fields["phone"].help_text = _("现为 %(mask)s；不改请留空") % {"mask": phone_mask}
        chinese_required(self)


class TopicForm(_Form):
    title = forms.CharField(label=_("主题"), max_length=60)
    category = forms.ChoiceField(label=_("类别"), choices=TopicCategory.choices)
    description = forms.CharField(label=_("内容简介"), max_length=300, required=False)


class AnswerForm(_Form):
    """The teacher's answer on their link."""

    decision = forms.ChoiceField(label=_("答复"), choices=[("accept", _("接单")), ("decline", _("谢绝"))], widget=forms.RadioSelect)
    reason = forms.CharField(label=_("谢绝理由"), required=False, max_length=200, help_text=_("谢绝时必填，如时间冲突"))
