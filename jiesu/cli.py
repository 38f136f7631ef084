"""The `jiesu` command: the management commands a hotline's staff and admins need, explained in plain words."""

from __future__ import annotations

import os
import sys

COMMANDS: list[tuple[str, str, str]] = [
    # (jiesu sub-command, Django management command, what it does)
    ("serve", "serve", "启动网页服务：gunicorn（默认 http://127.0.0.1:8000）；--dev 为开发服务器。Serve the web application."),
    ("migrate", "migrate", "创建或升级数据库结构。Create or upgrade the database tables."),
    ("demo", "demo", "载入演示城市四平市（单位、区划、账号、工单）；--list 列出演示账号。Load the demo city."),
    ("createuser", "createuser", "新建用户并授予某单位的角色。Create a user with a role in a unit."),
    ("calendar", "calendar", "工作日历：计算期限（deadline）、查看年度安排（show）、导入（seed）。Working calendar."),
    ("token", "token", "为系统对接创建接口令牌（token create --user NAME）。API tokens for other systems."),
    ("sweep", "sweep", "扫描期限，标记预警与超期（可重复运行）。Mark warnings and overdue items."),
    ("signins", "signins", "登录记录：删除超过保留期的记录（signins prune，期限扫描时自动执行）。Prune the sign-in audit."),
    ("worker", "db_worker", "运行后台任务（期限扫描、通知、训练）。Run background tasks."),
    ("outbox", "outbox", "通知发件箱：列出、失败、重发、发送到期消息（list/failures/retry/deliver）。Notifications outbox."),
    ("model", "model", "训练、评估、列出、启用分类模型（train/eval/list/activate）。Train and manage models."),
    ("index", "index", "重建并单查重索引（index rebuild，受理时自动增量更新）。Rebuild the duplicate index."),
    ("kb", "kb", "知识库与相似案例检索（eval/import/reindex）。Knowledge base and retrieval."),
    ("calls", "calls", "话单：导入呼叫中心通话记录（calls import FILE [--source NAME]）。Import call records."),
    ("figures", "figures", "指标：某期间全部指标（--from --to --unit --group-by --json）；refresh/rebuild 维护日汇总。Figures."),
    ("ranking", "ranking", "单位月度综合评分与排名、红榜黑榜（--month --close --json）。Unit ranking."),
    ("report", "report", "月度通报：report monthly --month 2026-11 --out 通报.xlsx|通报.pdf。Monthly circular."),
    ("hot", "hot", "热点问题：hot analyse --data FILE 分析留言/工单文件；hot update/list；hot digest --week 2026-W48 --out 周报.xlsx。Hot issues."),
    ("partitions", "partitions", "按月分区（PostgreSQL）：预建、列出、归档、检查。Monthly partitions."),
    ("backup", "backup", "备份数据库、上传文件与模型（backup --out DIR）。Back up everything into one file."),
    ("restore", "restore", "从备份恢复（restore FILE [--force]），先校验。Restore a backup."),
    ("check", "check", "检查配置是否完整。Check the configuration."),
    ("collectstatic", "collectstatic", "收集静态文件供生产部署。Collect static files for deployment."),
]


def _print_help() -> None:
    print("jiesu — 12345 热线“接诉即办”平台\n")
    print("用法 usage: jiesu <命令> [参数]    （jiesu <命令> --help 查看该命令的参数）\n")
    width = max(len(name) for name, _, _ in COMMANDS)
    for name, _, text in COMMANDS:
        print(f"  {name.ljust(width)}  {text}")
    print("\n环境变量: JIESU_DATABASE_URL（默认 var/ 下的 SQLite）, JIESU_SECRET_KEY, JIESU_DEBUG, JIESU_ALLOWED_HOSTS")
    print("其他 Django 管理命令也可直接使用，例如 jiesu shell、jiesu createsuperuser。")


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        _print_help()
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiesu.settings")
    from django.core.management import execute_from_command_line

    mapping = {name: command for name, command, _ in COMMANDS}
    command = mapping.get(args[0], args[0])
    execute_from_command_line(["jiesu", command, *args[1:]])


if __name__ == "__main__":
    main()
