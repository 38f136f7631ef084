"""jiesu createuser USERNAME --unit CODE --role ROLE [--scope unit|subtree|city] [--name 姓名] [--password …]"""

from __future__ import annotations

import getpass
import sys

from django.core.management.base import BaseCommand, CommandError

from jiesu.core.errors import ValidationFailed
from jiesu.core.permissions import Role
from jiesu.org.models import Membership
from jiesu.org.services import create_user


class Command(BaseCommand):
    help = "新建用户并授予某单位的角色。Create a user holding a role in a unit."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("username", help="登录用户名")
        parser.add_argument("--unit", required=True, help="单位代码，例如 heating")
        parser.add_argument("--role", required=True, choices=Role.values, help="角色")
        parser.add_argument("--scope", default=Membership.ScopeKind.UNIT, choices=Membership.ScopeKind.values,
                            help="范围：unit 本单位（默认）、subtree 本单位及下级单位、city 全市")
        parser.add_argument("--name", default="", help="姓名（显示名）")
        parser.add_argument("--password", default=None, help="密码；不给出时在终端中输入")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        password = options["password"] or self._ask_password()
        try:
            user = create_user(
                actor=None, username=options["username"], unit_code=options["unit"], role=options["role"],
                scope=options["scope"], display_name=options["name"], password=password,
            )
        except ValidationFailed as exc:
            raise CommandError(str(exc.message)) from exc
        membership = user.memberships.select_related("unit").get()
        self.stdout.write(self.style.SUCCESS(
            f"已创建用户 {user.username}：{membership.unit.name} · {membership.get_role_display()}"
            f" · {membership.get_scope_display()}"
        ))

    def _ask_password(self) -> str:
        if not sys.stdin.isatty():
            raise CommandError("请用 --password 给出密码（非交互环境无法输入密码）。")
        first = getpass.getpass("密码: ")
        if first != getpass.getpass("再次输入密码: "):
            raise CommandError("两次输入的密码不一致。")
        return first
