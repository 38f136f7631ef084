"""The document of a unit step as a PDF: 约谈通知 (interview) or 问责建议 (accountability), for the unit."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiesu.core.documents.pdf import Column, PdfDocument
from jiesu.evaluation.models import UnitStep
from jiesu.org.queries import centre_name

TITLES = {UnitStep.Level.INTERVIEW: gettext_lazy("约谈通知"), UnitStep.Level.ACCOUNTABILITY: gettext_lazy("问责建议")}


def _day(moment: object) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "—"  # type: ignore[arg-type]


def step_pdf(step: UnitStep) -> bytes:
    """The notice as the unit receives it: reason, what is asked, the tickets concerned, the deadline, and,
    once closed, the rectification recorded."""
    title = str(TITLES.get(UnitStep.Level(step.level), step.get_level_display()))
    doc = PdfDocument(title, subtitle=f"{step.unit.name} · {centre_name()}", serif_title=True,
                      generated_at=timezone.now())
    doc.key_values([(_("承办单位"), step.unit.name), (_("下达时间"), _day(step.issued_at)),
                    (_("整改期限"), _day(step.due_at)), (_("编号"), f"{step.level}-{step.pk}")])
    doc.heading(_("事由"))
    doc.paragraph(step.reason, serif=True)
    doc.heading(_("通知内容") if step.level == UnitStep.Level.INTERVIEW else _("问责建议"))
    doc.paragraph(step.document, serif=True, indent=True)
    tickets = list(step.tickets.order_by("number"))
    if tickets:
        doc.heading(_("相关工单"))
        doc.table([Column(_("工单编号"), 1.2), Column(_("标题"), 2.4), Column(_("状态"), 0.8)],
                  [(t.number, t.title, t.get_status_display()) for t in tickets])
    if step.closed_at:
        doc.heading(_("整改情况"))
        doc.paragraph(f"{step.outcome}（{_day(step.closed_at)}）", serif=True)
    doc.note(_("本文书由 %(centre)s 督办系统生成。") % {"centre": centre_name()})
    return doc.output()
