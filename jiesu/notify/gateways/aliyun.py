"""Aliyun SMS (阿里云短信服务, API version 2017-05-25, action SendSms), called as its documented RPC request:
form parameters signed with HMAC-SHA1 over the canonicalised query (signature version 1.0).

Aliyun only sends templates registered with it, with a registered signature (SignName): each of our templates
needs its provider code (`MessageTemplate.provider_template_code`, set in the admin); the message's parameters
go as TemplateParam. Codes that retrying cannot fix are permanent errors; throttling and provider faults are
retried by the outbox.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import UTC, datetime
from typing import Any

from jiesu.notify.gateways.base import GatewayError, OutgoingSms, SendResult

API_VERSION = "2017-05-25"
TIMEOUT_SECONDS = 10
# Codes after which the same request can never succeed: the number, the template, the signature or the key.
PERMANENT_CODES = frozenset({
    "isv.MOBILE_NUMBER_ILLEGAL", "isv.TEMPLATE_MISSING_PARAMETERS", "isv.SMS_TEMPLATE_ILLEGAL",
    "isv.SMS_SIGNATURE_ILLEGAL", "isv.INVALID_PARAMETERS", "isv.PARAM_LENGTH_LIMIT", "isv.INVALID_JSON_PARAM",
    "isv.BLACK_KEY_CONTROL_LIMIT", "isv.MOBILE_COUNT_OVER_LIMIT", "isv.SMS_SIGN_ILLEGAL",
    "InvalidAccessKeyId.NotFound", "SignatureDoesNotMatch", "isv.ACCOUNT_NOT_EXISTS", "isv.ACCOUNT_ABNORMAL",
})


def percent_encode(value: str) -> str:
    """RFC 3986 as Aliyun wants it: only A-Z a-z 0-9 - _ . ~ stay; a space is %20, never +."""
    return urllib.parse.quote(value, safe="-_.~")


def sign(params: dict[str, str], secret: str, method: str = "POST") -> str:
    canonical = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))
    string_to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class AliyunSms:
    name = "aliyun"

    def __init__(self, *, access_key_id: str, access_key_secret: str, sign_name: str,
                 endpoint: str = "https://dysmsapi.aliyuncs.com/", region: str = "cn-hangzhou"):
        self.access_key_id = access_key_id
        self.access_key_secret = access_key_secret
        self.sign_name = sign_name
        self.endpoint = endpoint
        self.region = region

    def request_params(self, sms: OutgoingSms, *, nonce: str | None = None,
                       timestamp: datetime | None = None) -> dict[str, str]:
        moment = (timestamp or datetime.now(UTC)).astimezone(UTC)
        params = {
            "AccessKeyId": self.access_key_id, "Action": "SendSms", "Format": "JSON", "OutId": sms.reference,
            "PhoneNumbers": sms.to, "RegionId": self.region, "SignName": self.sign_name,
            "SignatureMethod": "HMAC-SHA1", "SignatureNonce": nonce or uuid.uuid4().hex, "SignatureVersion": "1.0",
            "TemplateCode": sms.template_code,
            "TemplateParam": json.dumps({k: str(v) for k, v in sms.params.items()}, ensure_ascii=False),
            "Timestamp": moment.strftime("%Y-%m-%dT%H:%M:%SZ"), "Version": API_VERSION,
        }
        params["Signature"] = sign(params, self.access_key_secret)
        return params

    def send(self, sms: OutgoingSms) -> SendResult:
        if not (self.access_key_id and self.access_key_secret and self.sign_name):
            raise GatewayError("阿里云短信未配置 AccessKey 或签名（JIESU_ALIYUN_*）", permanent=True)
        if not sms.template_code:
            raise GatewayError("该通知没有在阿里云报备的模板编号（管理后台 › 通知模板）", permanent=True)
        body = urllib.parse.urlencode(self.request_params(sms), quote_via=urllib.parse.quote).encode()
        request = urllib.request.Request(self.endpoint, data=body, method="POST",
                                         headers={"Content-Type": "application/x-www-form-urlencoded"})
        return _result(self._call(request))

    def _call(self, request: urllib.request.Request) -> dict[str, Any]:
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (configured URL)
                return _json(response.read())
        except urllib.error.HTTPError as exc:
            answer = _json(exc.read())
            if answer.get("Code"):
                return answer
            raise GatewayError(f"HTTP {exc.code}", permanent=False) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise GatewayError(f"网络错误：{exc}") from exc


def _json(raw: bytes) -> dict[str, Any]:
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _result(answer: dict[str, Any]) -> SendResult:
    code = str(answer.get("Code", ""))
    if code == "OK":
        return SendResult(provider_id=str(answer.get("BizId", "")))
    message = f"{code or '无应答'}: {answer.get('Message', '')}".strip()
    raise GatewayError(message, permanent=code in PERMANENT_CODES)
