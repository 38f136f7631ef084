"""The printed ticket (工单打印 / 回执): one layout for the browser's print and for the PDF download, and a unit's
tickets of a day. What is printed is what the page shows the same user: the requester masked (a print never
reveals), the query code only to the centre's staff (a receipt for the citizen), and a QR code that opens the
citizens' query page for the ticket.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from jiesu.core.documents.pdf import Column, PdfDocument
from jiesu.core.documents.qr import qr_png, qr_svg
from jiesu.core.permissions import Perm
from jiesu.core.scope import scope_of
from jiesu.tickets import marks, queries
from jiesu.tickets.models import Reply, Ticket
from jiesu.web.ticket_page import place, timeline


def track_url(request: HttpRequest, ticket: Ticket) -> str:
    """The citizens' query page for this ticket, as an absolute address (the number only: no personal data)."""
    base = (getattr(settings, "JIESU_PUBLIC_URL", "") or request.build_absolute_uri("/")).rstrip("/")
    path = getattr(settings, "JIESU_TRACK_PATH", "/track/")
    return f"{base}{path}?number={ticket.number}"


@dataclass
class PrintedTicket:
    ticket: Ticket
    requester: dict[str, Any]
    query_code: str
    marks: list[marks.Mark]
    assignments: list[Any]
    replies: list[Reply]
    timeline: list[Any]
    place: str
    track_url: str
    qr_svg: str


def printed(user: Any, request: HttpRequest, ticket: Ticket, found: dict[int, list[marks.Mark]] | None = None,
            ) -> PrintedTicket:
    url = track_url(request, ticket)
    found = found if found is not None else marks.marks_for([ticket])
    return PrintedTicket(
        ticket=ticket, requester=queries.requester_view(user, ticket),
        query_code=ticket.query_code if scope_of(user, Perm.TICKET_CREATE).city_wide else "",
        marks=found.get(ticket.pk, []),
        assignments=list(ticket.assignments.filter(is_current=True).select_related("unit").order_by("role", "id")),
        replies=list(Reply.objects.filter(assignment__ticket=ticket).select_related("assignment__unit").order_by("id")),
        timeline=timeline(ticket), place=place(ticket), track_url=url,
        qr_svg=qr_svg(url, title=_("扫码查询办理进度")))


def printed_many(user: Any, request: HttpRequest, tickets: list[Ticket]) -> list[PrintedTicket]:
    found = marks.marks_for(tickets)
    return [printed(user, request, t, found) for t in tickets]


def day_of(value: str | None) -> date:
    try:
        return date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()


# ---- PDF --------------------------------------------------------------------------------------------------------

def _facts(p: PrintedTicket) -> list[tuple[str, object]]:
    t = p.ticket
    lead = next((a.unit.name for a in p.assignments if a.role == "lead"), _("尚未派单"))
    assist = "、".join(a.unit.name for a in p.assignments if a.role == "assist")
    requester = p.requester
    who = (_("举报人，身份保密") if requester["whistleblower"] else _("匿名诉求") if requester["anonymous"]
           else f"{requester['name'] or '—'}  {requester['phone'] or ''}".strip())
    pairs: list[tuple[str, object]] = [
        (_("诉求类型"), f"{t.get_kind_display()}{'（' + _('紧急') + '）' if t.urgency == 'urgent' else ''}"),
        (_("诉求分类"), t.category.full_name if t.category else _("未分类")),
        (_("受理渠道"), t.channel.name), (_("受理时间"), timezone.localtime(t.created_at).strftime("%Y-%m-%d %H:%M")),
        (_("所在区域"), p.place or _("未识别")), (_("详细地址"), t.address or "—"), (_("诉求人"), who),
        (_("主办单位"), lead),
    ]
    if assist:
        pairs.append((_("协办单位"), assist))
    pairs.append((_("当前状态"), t.get_status_display()))
    for m in p.marks:
        due = timezone.localtime(m.due_at).strftime("%m-%d %H:%M") if m.due_at else ""
        pairs.append((str(m.label), (_("期限 %(due)s") % {"due": due}) if due else (m.text or "—")))
    return pairs


def _write(doc: PdfDocument, p: PrintedTicket) -> None:
    t = p.ticket
    top = doc.pdf.get_y()
    doc.image(qr_png(p.track_url), width=28, x=doc.pdf.l_margin + doc.width - 28, y=top,
              caption=_("扫码查询办理进度"))
    doc.pdf.set_right_margin(18 + 34)
    doc.key_values([(_("工单编号"), t.number), *([(_("查询码"), p.query_code)] if p.query_code else [])],
                   label_width=0.22)
    doc.heading(t.title, level=2)
    doc.paragraph(t.content)
    doc.pdf.set_right_margin(18)
    doc.key_values(_facts(p), label_width=0.18)
    if p.replies:
        doc.heading(_("答复"), level=2)
        for r in p.replies:
            doc.paragraph(f"{r.assignment.unit.name} · {timezone.localtime(r.created_at):%Y-%m-%d %H:%M}：{r.result}")
    doc.heading(_("流转记录"), level=2)
    doc.table([Column(_("时间"), 1.2), Column(_("环节"), 1.2), Column(_("办理人"), 2.2), Column(_("说明"), 3)],
              [[timezone.localtime(e.at).strftime("%m-%d %H:%M"), e.label,
                " · ".join(x for x in (e.actor, e.unit) if x), e.reason] for e in p.timeline], size=8.5)
    doc.note(_("查询办理进度：%(url)s") % {"url": p.track_url})


def tickets_pdf(title: str, pages: list[PrintedTicket], *, subtitle: str = "") -> bytes:
    """One ticket a page (a long history runs on), in the order given."""
    doc = PdfDocument(title, subtitle=subtitle, generated_at=timezone.now())
    for index, p in enumerate(pages):
        if index:
            doc.page_break()
        _write(doc, p)
    if not pages:
        doc.paragraph(_("这一天没有工单。"))
    return doc.output()
