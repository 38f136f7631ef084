"""Demo step: two requests filed through Open311 (as a 311 app would, by the demo operator's account), so that
``GET /open311/v2/requests.json`` lists something. Marked as demo data; running again adds nothing."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict

from jiesu.catalog.models import Category
from jiesu.open311.models import Open311Request
from jiesu.open311.services import file_request

DEMO = "（演示数据）"
FILINGS = (
    {"service_code": "100201", "address_string": "铁西区英雄大街与北四马路交口", "lat": "43.166400", "long": "124.350100",
     "description": f"{DEMO}路口信号灯夜间不亮，过马路很危险。", "attribute[kind]": "help"},
    {"service_code": "020502", "address_string": "铁东区北二小区5号楼", "description": f"{DEMO}楼前井盖缺失，已放了树枝提醒。",
     "attribute[kind]": "report", "device_id": "demo-device-01"},
)


def load(ctx: Any) -> None:
    if Open311Request.objects.filter(ticket__content__startswith=DEMO).exists():
        return
    offered = set(Category.objects.filter(is_active=True, children__isnull=True).values_list("code", flat=True))
    for fields in FILINGS:
        if fields["service_code"] not in offered:
            continue
        form = QueryDict(mutable=True)
        form.update(fields)
        file_request(ctx.user("operator"), form)
    ctx.progress(f"Open311 演示请求 {len(FILINGS)} 件（GET /open311/v2/requests.json）")
