from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jiesu.org.login_forms import ThrottledAuthenticationForm


class LoginForm(ThrottledAuthenticationForm):
    """Throttled and audited (jiesu.org.signin)."""

    username = forms.CharField(label=_("用户名"), max_length=150,
                               widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}))
    password = forms.CharField(label=_("密码"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    error_messages = {
        "invalid_login": _("用户名或密码不正确，请重新输入（密码区分大小写）。"),
        "inactive": _("该账号已停用，请联系系统管理员。"),
    }
