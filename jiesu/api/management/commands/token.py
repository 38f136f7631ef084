"""jiesu token create --user NAME [--name LABEL] | token list [--user NAME] | token revoke PREFIX"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.timezone import localtime

from jiesu.api.models import ApiToken
from jiesu.api.tokens import create_token, revoke_token
from jiesu.core.errors import DomainError


class Command(BaseCommand):
    help = "接口令牌：create 创建（只显示一次）、list 列出、revoke 吊销。API tokens for other systems."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="为用户创建令牌，令牌只显示这一次")
        create.add_argument("--user", required=True, help="用户名")
        create.add_argument("--name", default="", help="用途说明，例如“市长信箱系统”")
        listing = sub.add_parser("list", help="列出令牌（只显示前缀）")
        listing.add_argument("--user", default=None, help="只列出该用户的令牌")
        revoke = sub.add_parser("revoke", help="吊销令牌")
        revoke.add_argument("prefix", help="令牌前缀（8 位）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc

    def _create(self, options: dict[str, Any]) -> None:
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"用户 {options['user']} 不存在。")
        token, raw = create_token(user, name=options["name"])
        self.stdout.write(raw)
        self.stderr.write(f"已为 {user.username} 创建令牌 {token.prefix}…；请立即保存，令牌不会再次显示。")

    def _list(self, options: dict[str, Any]) -> None:
        tokens = ApiToken.objects.select_related("user").order_by("user__username", "created_at")
        if options["user"]:
            tokens = tokens.filter(user__username=options["user"])
        for t in tokens:
            state = f"已吊销 {localtime(t.revoked_at):%Y-%m-%d %H:%M}" if t.revoked_at else "有效"
            used = f"{localtime(t.last_used_at):%Y-%m-%d %H:%M}" if t.last_used_at else "未使用"
            self.stdout.write(f"{t.prefix}  {t.user.username}  {t.name or '-'}  {state}  最近使用 {used}")

    def _revoke(self, options: dict[str, Any]) -> None:
        token = revoke_token(options["prefix"])
        self.stdout.write(f"已吊销令牌 {token.prefix}…（{token.user.username}）。")
