"""The circular's download on the figures pages: `/figures/circular/?month=YYYY-MM&format=pdf|xlsx`, for
city-wide 统计查看 staff (the circular names every unit's figures); the same builder as `jiesu report monthly`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.utils.http import content_disposition_header

from jiesu.core import clock
from jiesu.core.errors import ValidationFailed
from jiesu.core.permissions import Perm
from jiesu.core.scope import scope_of
from jiesu.evaluation.circular import build
from jiesu.evaluation.periods import month_of, parse_month

CONTENT_TYPES = {"pdf": "application/pdf",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@login_required
def download(request: HttpRequest) -> HttpResponse:
    if not scope_of(request.user, Perm.STATS_VIEW).city_wide:
        raise PermissionDenied("月度通报只对热线中心的统计查看岗位开放。")
    try:
        fmt = build.check_format(request.GET.get("format", "pdf"))
        month = request.GET.get("month")
        period = parse_month(month) if month else month_of(timezone.localtime(clock.now()).date()).previous()
        content = build.render(build.build(period), fmt)
    except ValidationFailed as exc:
        return HttpResponseBadRequest(str(exc.message), content_type="text/plain; charset=utf-8")
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(True, f"月度通报-{period.start:%Y-%m}.{fmt}")
    return response
