"""What a production start refuses (JIESU_ENV=production): errors of Django's system checks, run by
`jiesu check --deploy` and by every `jiesu serve`, each saying which variable to set.

Django's own deploy checks are warnings and a server started by hand never runs them; these are errors, so
`jiesu serve` stops before the first request (docs/deployment.md)."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.core.checks import Error, Warning, register

# Keys seen in examples and tutorials; any key shorter than 50 characters or of few distinct ones is refused too.
KNOWN_WEAK_KEYS = {"changeme", "change-me", "secret", "secret_key", "django-insecure", "jiesu", "test", "dev"}


def weak_secret_key(key: str) -> bool:
    lowered = key.strip().lower()
    return (lowered in KNOWN_WEAK_KEYS or lowered.startswith("django-insecure-") or len(key) < 50
            or len(set(key)) < 5)


def production_errors() -> list[Error]:
    errors = []
    if settings.DEBUG:
        errors.append(Error("生产模式不得开启调试（DEBUG）：调试页面会泄露代码、配置和个人信息。",
                            hint="Unset JIESU_DEBUG (or set it to 0).", id="jiesu.E001"))
    if weak_secret_key(str(settings.SECRET_KEY)):
        errors.append(Error("密钥（SECRET_KEY）过弱或为示例值：会话和令牌可被伪造。",
                            hint="Set JIESU_SECRET_KEY to 50+ random characters, e.g. the output of "
                                 "python -c 'import secrets; print(secrets.token_urlsafe(50))', or unset it "
                                 "to use the key generated into var/secret_key.", id="jiesu.E002"))
    hosts = list(settings.ALLOWED_HOSTS)
    if not hosts or "*" in hosts:
        errors.append(Error("生产模式必须列出本站域名（ALLOWED_HOSTS），不得为空或 *。",
                            hint="Set JIESU_ALLOWED_HOSTS=hotline.example.gov.cn (comma-separated).",
                            id="jiesu.E003"))
    if not (settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE):
        errors.append(Error("生产模式的会话与 CSRF Cookie 必须只经 HTTPS 发送（Secure）。",
                            hint="Serve behind TLS and leave JIESU_SECURE_COOKIES unset (or 1).", id="jiesu.E004"))
    if not settings.SECURE_HSTS_SECONDS:
        errors.append(Error("生产模式必须开启 HSTS（浏览器只用 HTTPS 访问本站）。",
                            hint="Leave JIESU_HSTS_SECONDS unset (one year) or set it above 0.", id="jiesu.E005"))
    return errors


@register("security", deploy=True)
def production_settings_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    return production_errors() if settings.JIESU_PRODUCTION else []


def loopback(host: str) -> bool:
    if host in {"localhost", ""}:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serving_errors(host: str) -> list[Error | Warning]:
    """What `jiesu serve` refuses beyond the checks: debug pages on an address other machines reach."""
    if settings.DEBUG and not loopback(host):
        return [Error(f"调试模式（DEBUG）只能在本机地址上运行，不能监听 {host}。",
                      hint="Unset JIESU_DEBUG, or serve on 127.0.0.1.", id="jiesu.E006")]
    return []
