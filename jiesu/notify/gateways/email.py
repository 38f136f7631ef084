"""E-mail through Django's mail framework (the SMTP backend in production, configured by JIESU_EMAIL_*)."""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from jiesu.notify.gateways.base import GatewayError, SendResult

NAME = "email"


def message_id(reference: str) -> str:
    """A stable Message-ID per outbox row: a retried message is recognisable as the same one."""
    domain = (settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost").strip(">")
    return f"<outbox-{reference}@{domain}>"


def send_email(*, to: str, subject: str, body: str, reference: str) -> SendResult:
    mail = EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to],
                        headers={"Message-ID": message_id(reference)})
    try:
        with get_connection(fail_silently=False) as connection:
            connection.send_messages([mail])
    except smtplib.SMTPRecipientsRefused as exc:
        raise GatewayError(f"收件人被拒绝：{exc}", permanent=True) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise GatewayError(f"邮件发送失败：{exc}") from exc
    return SendResult(provider_id=message_id(reference))
