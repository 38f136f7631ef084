import pytest
from django.core.management import CommandError, call_command

from jiesu.core.errors import ValidationFailed
from jiesu.core.events import events_of
from jiesu.org.models import User
from jiesu.org.services import create_user
from jiesu.org.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def test_createuser_creates_a_user_with_a_role_in_a_unit(capsys):
    heating = UnitFactory(code="heating", name="四平市供热公司")
    call_command("createuser", "zhou", "--unit", "heating", "--role", "handler", "--name", "周建国",
                 "--password", "a-long-password")
    user = User.objects.get(username="zhou")
    assert user.display_name == "周建国" and user.check_password("a-long-password")
    assert user.roles() == {"handler"} and user.primary_unit() == heating
    assert not user.is_staff
    assert "已创建用户 zhou" in capsys.readouterr().out
    assert [e.action for e in events_of("user", user.pk)] == ["created"]


def test_an_admin_can_use_the_admin_site():
    UnitFactory(code="centre")
    call_command("createuser", "boss", "--unit", "centre", "--role", "admin", "--scope", "city",
                 "--password", "a-long-password")
    user = User.objects.get(username="boss")
    assert user.is_staff and user.scope_for_role("admin").city_wide


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unit", "nowhere", "--role", "handler"], "找不到启用的单位"),
        (["--unit", "heating", "--role", "handler", "--scope", "city", "--password", "short"], "密码"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_changes_nothing(args, message):
    UnitFactory(code="heating")
    if "--password" not in args:
        args = [*args, "--password", "a-long-password"]
    with pytest.raises(CommandError, match=message):
        call_command("createuser", "zhou", *args)
    assert not User.objects.filter(username="zhou").exists()


def test_an_existing_username_is_refused():
    UnitFactory(code="heating")
    create_user(actor=None, username="zhou", unit_code="heating", role="handler", password="a-long-password")
    with pytest.raises(ValidationFailed, match="已存在"):
        create_user(actor=None, username="zhou", unit_code="heating", role="handler", password="a-long-password")


def test_without_a_password_and_without_a_terminal_it_asks_for_one(monkeypatch):
    UnitFactory(code="heating")
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    with pytest.raises(CommandError, match="--password"):
        call_command("createuser", "zhou", "--unit", "heating", "--role", "handler")
