from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确。请注意密码区分大小写。"),
        "inactive": _("该账号已停用，请联系管理员。"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["password"].label = _("密码")
        self.fields["username"].widget.attrs.update({"autofocus": True, "placeholder": _("用户名")})
        self.fields["password"].widget.attrs.update({"placeholder": _("密码")})
