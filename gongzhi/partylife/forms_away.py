"""Forms of the 在外党员 pages: a member's report (on their phone) and the branch's reply. The
rules are the services' in away.py; their Chinese errors land on the fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .away import CONTENT_MAX, LOCATION_MAX, REPLY_MAX, TITLE_MAX
from .models import ReportKind


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=ReportKind.choices, initial=ReportKind.THOUGHT, widget=forms.RadioSelect)
    title = forms.CharField(label=_("标题"), max_length=TITLE_MAX, widget=forms.TextInput(attrs={"placeholder": _("例如：第四季度思想汇报")}))
    content = forms.CharField(label=_("内容"), max_length=CONTENT_MAX, strip=False,
                              widget=forms.Textarea(attrs={"rows": 10, "placeholder": _("近期的学习、工作、思想情况，以及需要支部帮助的事")}))
    location = forms.CharField(label=_("现在所在地"), max_length=LOCATION_MAX, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].error_messages["required"] = _("请选择汇报类别：思想汇报或情况汇报。")
        self.fields["title"].error_messages["required"] = _("请填写标题。")
        self.fields["content"].error_messages["required"] = _("请填写汇报内容。")
        for name, n in (("title", TITLE_MAX), ("content", CONTENT_MAX), ("location", LOCATION_MAX)):
            self.fields[name].error_messages["max_length"] = _("不能超过%(n)s个字。") % {"n": n}


class ReplyForm(forms.Form):
    reply = forms.CharField(label=_("回复（可不填）"), max_length=REPLY_MAX, required=False,
                            widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("党员会在自己的页面上看到回复")}))
