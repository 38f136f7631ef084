"""The real channels: e-mail through Django's SMTP backend to a real local SMTP server (aiosmtpd), and Aliyun
SMS's signed request against a local HTTP server that checks the signature as Aliyun does."""

from __future__ import annotations

import json
import socket
import threading
import urllib.parse
from collections.abc import Iterator
from email import message_from_bytes
from email.header import decode_header, make_header
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from aiosmtpd.controller import Controller

from jiesu.notify import delivery
from jiesu.notify.gateways import GatewayError, OutgoingSms
from jiesu.notify.gateways.aliyun import AliyunSms, sign
from jiesu.notify.gateways.console import ConsoleSms
from jiesu.notify.models import OutboxMessage, Status
from jiesu.tickets import services as tickets

pytestmark = pytest.mark.django_db


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Inbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]  # aiosmtpd's hook
        self.messages.append(envelope.original_content)
        return "250 OK"


@pytest.fixture
def smtp_server(settings) -> Iterator[Inbox]:  # type: ignore[no-untyped-def]
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.DEFAULT_FROM_EMAIL = "12345@hotline.example"
    try:
        yield inbox
    finally:
        controller.stop()


def test_unit_contacts_get_e_mail_through_a_real_smtp_server(city, gateway, contact, smtp_server):
    ticket = tickets.accept(city.operator, city.ticket_data())
    tickets.dispatch(city.dispatcher, ticket, lead_unit="heating")
    mail = OutboxMessage.objects.get(ticket_id=ticket.pk, channel="email")
    assert delivery.deliver(mail.pk) == delivery.SENT
    received = message_from_bytes(smtp_server.messages[0])
    assert received["To"] == "duty@heating.example" and received["Message-ID"] == f"<outbox-{mail.pk}@hotline.example>"
    assert ticket.number in str(make_header(decode_header(received["Subject"])))
    body = received.get_payload(decode=True).decode("utf-8")
    assert ticket.number in body and "签收" in body


def test_smtp_down_is_retried(city, gateway, contact, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    ticket = tickets.accept(city.operator, city.ticket_data())
    tickets.dispatch(city.dispatcher, ticket, lead_unit="heating")
    mail = OutboxMessage.objects.get(ticket_id=ticket.pk, channel="email")
    assert delivery.deliver(mail.pk) == delivery.RETRY
    mail.refresh_from_db()
    assert mail.status == Status.PENDING and "邮件发送失败" in mail.last_error


def test_the_signature_matches_aliyuns_documented_example():
    params = {"AccessKeyId": "testId", "Action": "SendSms", "Format": "XML", "OutId": "123",
              "PhoneNumbers": "15300000001", "RegionId": "cn-hangzhou", "SignName": "阿里云短信测试专用",
              "SignatureMethod": "HMAC-SHA1", "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
              "SignatureVersion": "1.0", "TemplateCode": "SMS_71390007", "TemplateParam": '{"customer":"test"}',
              "Timestamp": "2017-07-12T02:42:19Z", "Version": "2017-05-25"}
    assert sign(params, "testSecret", method="GET") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="


class FakeAliyun(BaseHTTPRequestHandler):
    """Checks each request's signature with the secret, as the provider would, and answers with the next code."""

    secret = "s3cret"
    answers: list[str] = []
    received: list[dict[str, str]] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        raw = self.rfile.read(int(self.headers["Content-Length"])).decode()
        params = dict(urllib.parse.parse_qsl(raw, keep_blank_values=True))
        given = params.pop("Signature", "")
        code = "SignatureDoesNotMatch" if given != sign(params, self.secret) else self.answers.pop(0)
        self.received.append(params)
        body = json.dumps({"Code": code, "Message": code, "BizId": "biz-1", "RequestId": "r"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:  # type: ignore[no-untyped-def]
        pass


@pytest.fixture
def aliyun() -> Iterator[AliyunSms]:
    server = HTTPServer(("127.0.0.1", 0), FakeAliyun)
    FakeAliyun.received.clear()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield AliyunSms(access_key_id="id", access_key_secret="s3cret", sign_name="四平12345",
                        endpoint=f"http://127.0.0.1:{server.server_port}/")
    finally:
        server.shutdown()
        server.server_close()


SMS = OutgoingSms(to="13812345678", text="…", reference="42", template_code="SMS_1", params={"number": "SP1"})


def test_aliyun_request_is_signed_and_carries_template_and_reference(aliyun):
    FakeAliyun.answers = ["OK"]
    assert aliyun.send(SMS).provider_id == "biz-1"
    sent = FakeAliyun.received[0]
    assert (sent["Action"], sent["PhoneNumbers"], sent["SignName"], sent["OutId"]) == (
        "SendSms", "13812345678", "四平12345", "42")
    assert json.loads(sent["TemplateParam"]) == {"number": "SP1"}


def test_aliyun_throttling_is_retried_and_a_bad_number_is_not(aliyun):
    FakeAliyun.answers = ["isv.BUSINESS_LIMIT_CONTROL", "isv.MOBILE_NUMBER_ILLEGAL"]
    with pytest.raises(GatewayError) as throttled:
        aliyun.send(SMS)
    with pytest.raises(GatewayError) as illegal:
        aliyun.send(SMS)
    assert (throttled.value.permanent, illegal.value.permanent) == (False, True)


def test_a_wrong_secret_is_a_permanent_error(aliyun):
    aliyun.access_key_secret = "wrong"
    with pytest.raises(GatewayError) as refused:
        aliyun.send(SMS)
    assert refused.value.permanent and "SignatureDoesNotMatch" in str(refused.value)


def test_an_unreachable_provider_is_retried():
    gateway = AliyunSms(access_key_id="id", access_key_secret="x", sign_name="s",
                        endpoint=f"http://127.0.0.1:{free_port()}/")
    with pytest.raises(GatewayError) as down:
        gateway.send(SMS)
    assert not down.value.permanent


def test_a_message_without_a_registered_template_is_refused_before_calling(aliyun):
    with pytest.raises(GatewayError) as refused:
        aliyun.send(OutgoingSms(to="13812345678", text="x", reference="1"))
    assert refused.value.permanent and not FakeAliyun.received


def test_the_console_gateway_prints_the_text_but_not_the_whole_number(capsys):
    ConsoleSms().send(OutgoingSms(to="13912345678", text="您的诉求已受理。", reference="m1"))
    printed = capsys.readouterr().out
    assert "139****5678" in printed and "您的诉求已受理。" in printed
    assert "13912345678" not in printed
