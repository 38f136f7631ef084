"""Sign-in throttling: an account locks after N failures for M minutes, a success resets the count, an address
locks after its own limit, invalid API tokens count per address; every attempt leaves an audit row and none
holds a password or a token's secret."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jiesu.api.tokens import create_token
from jiesu.org.models import SignInAudit
from jiesu.org.signin import client_ip, prune
from jiesu.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "right-password-123"
WRONG = "wrong-password-456"
Outcome = SignInAudit.Outcome


@pytest.fixture(autouse=True)
def _limits(settings):  # type: ignore[no-untyped-def]
    settings.JIESU_LOGIN_MAX_FAILURES = 3
    settings.JIESU_LOGIN_MAX_FAILURES_PER_IP = 5
    settings.JIESU_TOKEN_MAX_FAILURES_PER_IP = 3
    settings.JIESU_LOGIN_LOCKOUT_MINUTES = 15


@pytest.fixture
def operator():  # type: ignore[no-untyped-def]
    user = UserFactory(username="op1", role="operator", scope="city")
    user.set_password(PASSWORD)
    user.save()
    return user


def _login(client: Client, username: str, password: str, ip: str = "203.0.113.7", path: str = "") -> int:
    response = client.post(path or reverse("web:login"), {"username": username, "password": password},
                           HTTP_X_FORWARDED_FOR=ip)
    return response.status_code


def _outcomes(**filters: str) -> list[str]:
    return list(SignInAudit.objects.filter(**filters).order_by("id").values_list("outcome", flat=True))


def test_the_account_locks_after_n_failures_and_even_the_right_password_is_refused(client, operator):
    assert [_login(client, "op1", WRONG) for _ in range(3)] == [200, 200, 200]
    response = client.post(reverse("web:login"), {"username": "op1", "password": PASSWORD},
                           HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert response.status_code == 429
    assert "登录失败次数过多，该账号已暂时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert _outcomes(username="op1") == [Outcome.FAILURE] * 3 + [Outcome.LOCKED]


def test_the_lock_ends_when_the_failures_are_older_than_the_window(client, operator, settings):
    for _ in range(3):
        _login(client, "op1", WRONG)
    SignInAudit.objects.update(at=SignInAudit.objects.first().at - timedelta(minutes=16))
    assert _login(client, "op1", PASSWORD) == 302
    assert _outcomes(username="op1")[-1] == Outcome.SUCCESS


def test_a_success_resets_the_count(client, operator):
    for _ in range(2):
        _login(client, "op1", WRONG)
    assert _login(client, "op1", PASSWORD) == 302
    client.logout()
    for _ in range(2):
        _login(client, "op1", WRONG)
    assert _login(client, "op1", PASSWORD) == 302
    success = SignInAudit.objects.filter(outcome=Outcome.SUCCESS).last()
    assert success.user == operator and success.channel == SignInAudit.Channel.WEB
    assert success.ip == "203.0.113.7"


def test_an_address_trying_many_accounts_is_locked_and_others_are_not(client, operator):
    for n in range(5):
        _login(client, f"guess{n}", WRONG)
    response = client.post(reverse("web:login"), {"username": "op1", "password": PASSWORD},
                           HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert response.status_code == 429 and "该网络地址登录失败次数过多" in response.content.decode()
    assert _login(Client(), "op1", PASSWORD, ip="198.51.100.9") == 302


def test_the_admin_login_is_throttled_and_audited_too(client, operator):
    admin_login = reverse("admin:login")
    for _ in range(3):
        _login(client, "op1", WRONG, path=admin_login)
    response = client.post(admin_login, {"username": "op1", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert "该账号已暂时锁定" in response.content.decode()
    assert set(SignInAudit.objects.values_list("channel", flat=True)) == {SignInAudit.Channel.ADMIN}


def test_no_audit_row_holds_a_password(client, operator):
    _login(client, "op1", WRONG)
    _login(client, "op1", PASSWORD)
    for row in SignInAudit.objects.values():
        assert not any(secret in str(value) for value in row.values() for secret in (WRONG, PASSWORD))


def test_invalid_tokens_lock_the_address_and_name_only_the_prefix(client, operator):
    _, valid = create_token(operator, name="test")
    bad = "jiesu_deadbeef_" + "s3cr3t" * 6
    headers = {"HTTP_AUTHORIZATION": f"Bearer {bad}", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    assert [client.get("/api/v1/tickets", **headers).status_code for _ in range(3)] == [401, 401, 401]
    refused = client.get("/api/v1/tickets", **headers)
    assert refused.status_code == 429 and refused.json()["code"] == "too_many_attempts"
    assert "无效令牌过多" in refused.json()["message"]
    assert client.get("/api/v1/tickets", HTTP_AUTHORIZATION=f"Bearer {valid}",
                      HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 200  # a valid token is never refused
    assert _outcomes(channel="api") == [Outcome.TOKEN_FAILURE] * 3 + [Outcome.TOKEN_LOCKED]
    labels = set(SignInAudit.objects.values_list("username", flat=True))
    assert labels == {"jiesu_deadbeef"}


def test_forwarded_addresses_count_only_from_a_trusted_proxy(rf):
    direct = rf.get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    proxied = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.7")
    garbage = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="not-an-address")
    # a malformed chain is the proxy's own address: counted (with everyone behind it), not escaping the lock
    assert (client_ip(direct), client_ip(proxied), client_ip(garbage)) == ("192.0.2.1", "203.0.113.7", "127.0.0.1")


def test_a_proxy_network_is_trusted_as_gunicorn_trusts_it(rf, settings):
    settings.JIESU_FORWARDED_ALLOW_IPS = ["10.0.0.0/24"]
    behind = rf.get("/", REMOTE_ADDR="10.0.0.7", HTTP_X_FORWARDED_FOR="203.0.113.7")
    outside = rf.get("/", REMOTE_ADDR="10.0.1.7", HTTP_X_FORWARDED_FOR="203.0.113.7")
    spoofed = rf.get("/", REMOTE_ADDR="10.0.0.7", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7, 10.0.0.8")
    assert (client_ip(behind), client_ip(outside), client_ip(spoofed)) == ("203.0.113.7", "10.0.1.7", "203.0.113.7")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_guesses_on_postgresql_stop_at_the_limit(operator):
    """Eight wrong passwords at once: on PostgreSQL the attempts on one account are serialised, so exactly the
    limit of them are checked and the rest are refused as locked."""
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: attempts are serialised by an advisory lock")
    barrier = threading.Barrier(8)

    def guess() -> None:
        try:
            barrier.wait()
            _login(Client(), "op1", WRONG)
        finally:
            connection.close()

    threads = [threading.Thread(target=guess) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    outcomes = _outcomes(username="op1")
    assert sorted(outcomes) == sorted([Outcome.FAILURE] * 3 + [Outcome.LOCKED] * 5)


def _audit_at(at, username: str = "op1", outcome: str = Outcome.FAILURE) -> SignInAudit:  # type: ignore[no-untyped-def]
    return SignInAudit.objects.create(at=at, outcome=outcome, channel=SignInAudit.Channel.WEB, username=username)


def test_prune_deletes_rows_older_than_the_retention_and_keeps_the_boundary(settings):
    settings.JIESU_SIGNIN_AUDIT_RETENTION_DAYS = 30
    now = timezone.now()
    old = _audit_at(now - timedelta(days=30, seconds=1))
    boundary = _audit_at(now - timedelta(days=30))
    recent = _audit_at(now - timedelta(days=1))
    assert prune(now) == 1
    assert set(SignInAudit.objects.values_list("pk", flat=True)) == {boundary.pk, recent.pk}
    assert not SignInAudit.objects.filter(pk=old.pk).exists()
    assert prune(now) == 0


def test_prune_never_deletes_the_failures_of_a_running_lock(client, operator, settings):
    settings.JIESU_SIGNIN_AUDIT_RETENTION_DAYS = 1
    settings.JIESU_LOGIN_LOCKOUT_MINUTES = 3 * 24 * 60  # a window longer than the retention
    for _ in range(3):
        _login(client, "op1", WRONG)
    SignInAudit.objects.update(at=timezone.now() - timedelta(days=2))
    assert prune() == 0
    assert _login(client, "op1", PASSWORD) == 429
    SignInAudit.objects.filter(outcome=Outcome.FAILURE).update(at=timezone.now() - timedelta(days=3, minutes=1))
    assert prune() == 3
    assert _outcomes(username="op1") == [Outcome.LOCKED]


def test_the_command_prunes_and_says_how_many(settings):
    settings.JIESU_SIGNIN_AUDIT_RETENTION_DAYS = 180
    for days in (181, 200):
        _audit_at(timezone.now() - timedelta(days=days))
    kept = _audit_at(timezone.now() - timedelta(days=10))
    out = StringIO()
    call_command("signins", "prune", stdout=out)
    assert out.getvalue().strip() == "已删除 180 天前的登录记录 2 条。"
    assert list(SignInAudit.objects.values_list("pk", flat=True)) == [kept.pk]
