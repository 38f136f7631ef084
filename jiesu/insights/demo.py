"""Demo step: the demo city's tickets grouped into hot issues (``services.rebuild``, which also raises the early
warnings of the day), and a notification contact at the hotline centre (演示) who receives those warnings."""

from __future__ import annotations

from typing import Any

from jiesu.insights import queries, services
from jiesu.notify.models import UnitContact

CENTRE_CONTACT = ("centre", "热线中心督办科值班（演示）", "13900000100", "duban@centre.siping.example")


def load(ctx: Any) -> None:
    code, name, mobile, email = CENTRE_CONTACT
    UnitContact.objects.update_or_create(unit=ctx.unit(code), name=name,
                                         defaults={"mobile": mobile, "email": email, "is_demo": True})
    hot = services.rebuild()
    top = list(queries.hot_issues(limit=1))
    example = f"，最热：{top[0].description}（{top[0].requesters} 人）" if top else ""
    warned = queries.warnings_of_day()
    warning = f"；今日预警 {len(warned)} 个" + (f"（{warned[0].description}）" if warned else "")
    ctx.progress(f"热点问题：{hot} 个{example}{warning}；jiesu hot list 查看，页面 /hot/")
