"""The messages the hotline sends, one template per step, and how a message is rendered.

A template is a registered `Template` (its built-in wording) that an admin may override per channel in the admin
(`MessageTemplate`). Placeholders are ``${name}``; unknown ones stay as written. Values named in
``Template.secrets`` (the query code, a one-time code) are sent to the recipient but replaced by ``****`` in the
preview staff see. Packages above notify add their own templates with `register` (e.g. early warnings).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from string import Template as _Text
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from jiesu.notify.models import Audience, Channel, MessageTemplate

SECRET_MASK = "****"


@dataclass(frozen=True)
class Template:
    key: str
    audience: str
    label: Any
    sms: str
    email_subject: str = ""
    email: str = ""  # empty: the SMS text is the e-mail body too
    secrets: frozenset[str] = field(default_factory=lambda: frozenset({"query_code"}))
    bypass_quiet_hours: bool = False


TEMPLATES: dict[str, Template] = {}


def register(template: Template) -> Template:
    TEMPLATES[template.key] = template
    return template


def get(key: str) -> Template:
    return TEMPLATES[key]


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    preview: str
    provider_template_code: str
    has_secret: bool


def _override(key: str, channel: str) -> MessageTemplate | None:
    return MessageTemplate.objects.filter(key=key, channel=channel, is_active=True).first()


def render(template: Template, channel: str, params: dict[str, Any]) -> Rendered:
    """The message for one channel: the admin's wording if there is one, else the built-in text."""
    override = _override(template.key, channel)
    if channel == Channel.EMAIL:
        subject = override.subject if override and override.subject else template.email_subject
        text = override.text if override else (template.email or template.sms)
    else:
        subject, text = "", override.text if override else template.sms
    values = {"sign": settings.NOTIFY_SMS_SIGN, "hotline": "12345", **{k: str(v) for k, v in params.items()}}
    masked = {**values, **{k: SECRET_MASK for k in template.secrets if k in values}}
    subject = _Text(subject).safe_substitute(masked)
    return Rendered(
        subject=subject, body=_Text(text).safe_substitute(values), preview=_Text(text).safe_substitute(masked),
        provider_template_code=override.provider_template_code if override else "",
        has_secret=any(k in values for k in template.secrets),
    )


R, U = Audience.REQUESTER, Audience.UNIT
_TRACK = "可凭工单号和查询码在 ${track_url} 查询进度。"

for _template in [
    Template("submitted", R, _("网上诉求已提交"),
             "【${sign}】已收到您的诉求，工单号 ${number}，查询码 ${query_code}。工作人员审核受理后将告知您。" + _TRACK,
             "您的诉求已提交：${number}"),
    Template("accepted", R, _("已受理（工单号和查询码）"),
             "【${sign}】您的诉求已受理，工单号 ${number}，查询码 ${query_code}。" + _TRACK, "您的诉求已受理：${number}"),
    Template("dispatched", R, _("已派单"),
             "【${sign}】您的诉求（工单号 ${number}）已派至${unit}办理，我们将督促其按时答复。", "您的诉求已派单：${number}"),
    Template("replied", R, _("已答复"),
             "【${sign}】您的诉求（工单号 ${number}）已有答复：${excerpt} 完整答复请凭查询码在 ${track_url} 查看并评价。",
             "您的诉求已答复：${number}"),
    Template("follow_up_invitation", R, _("邀请评价（回访未接通）"),
             "【${sign}】我们回访时未能联系到您。请凭工单号 ${number} 和查询码在 ${track_url} 对办理结果作出评价。",
             "请对办理结果评价：${number}"),
    Template("rejected", R, _("不予受理"),
             "【${sign}】您的诉求（工单号 ${number}）不予受理：${route}", "您的诉求不予受理：${number}"),
    Template("merged", R, _("已并单"),
             "【${sign}】您的诉求（工单号 ${number}）与工单 ${into} 反映同一问题，已合并办理，答复将一并告知您。",
             "您的诉求已合并办理：${number}"),
    Template("reopened", R, _("重办"),
             "【${sign}】您的诉求（工单号 ${number}）已重新交${unit}办理。", "您的诉求已重办：${number}"),
    Template("one_time_code", R, _("验证码"),
             "【${sign}】验证码 ${code}，${minutes} 分钟内有效，用于确认您在 12345 提交诉求的手机号。请勿告诉他人。",
             "12345 验证码", secrets=frozenset({"code"}), bypass_quiet_hours=True),
    Template("new_assignment", U, _("新派工单（单位）"),
             "【${sign}】新工单 ${number}（${title}）已派至贵单位，请于 ${due} 前签收。", "新工单待签收：${number}"),
    Template("deadline_warning", U, _("期限预警（单位）"),
             "【${sign}】预警：工单 ${number}（${title}）${clock}期限 ${due}，请抓紧办理。", "工单即将超时：${number}"),
    Template("deadline_overdue", U, _("超期（单位）"),
             "【${sign}】超期：工单 ${number}（${title}）已超过${clock}期限 ${due}，请立即办理。", "工单已超时：${number}"),
    Template("urged", U, _("催办（单位）"),
             "【${sign}】催办：工单 ${number}（${title}）：${text}", "催办：${number}"),
    Template("supervision", U, _("督办（单位）"),
             "【${sign}】督办：工单 ${number}（${title}），要求：${text}，期限 ${due}。", "督办：${number}"),
]:
    register(_template)
