"""Where messages leave the system: the SMS gateway interface with its adapters, and e-mail through Django's mail.

`sms_gateway()` returns the adapter named by ``NOTIFY_SMS_BACKEND``: ``console`` and ``file`` for development,
``aliyun`` for Aliyun SMS (阿里云短信服务, HTTPS requests signed with an AccessKey). Another provider is one more
class with ``name`` and ``send(OutgoingSms) -> SendResult`` raising `GatewayError`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from jiesu.notify.gateways.base import GatewayError, OutgoingSms, SendResult, SmsGateway


def sms_gateway() -> SmsGateway:
    name = settings.NOTIFY_SMS_BACKEND
    if name == "console":
        from jiesu.notify.gateways.console import ConsoleSms

        return ConsoleSms()
    if name == "file":
        from jiesu.notify.gateways.console import FileSms

        return FileSms(settings.NOTIFY_SMS_FILE_DIR)
    if name == "aliyun":
        from jiesu.notify.gateways.aliyun import AliyunSms

        return AliyunSms(**settings.NOTIFY_ALIYUN)
    raise ImproperlyConfigured(f"JIESU_SMS_BACKEND must be console, file or aliyun, not {name!r}")


__all__ = ["GatewayError", "OutgoingSms", "SendResult", "SmsGateway", "sms_gateway"]
