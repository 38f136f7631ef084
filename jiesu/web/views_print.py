"""Printing: a ticket (print layout and PDF) and a day's tickets of the user's units (`web.ticket_print`)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from jiesu.org.queries import centre_name
from jiesu.tickets import queries
from jiesu.tickets.models import Ticket
from jiesu.web.ticket_print import day_of, printed, printed_many, tickets_pdf
from jiesu.web.views_tickets import _ticket

MAX_DAY = 200  # tickets in one day's print; more are listed by number only


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def ticket_print(request: HttpRequest, number: str) -> HttpResponse:
    ticket = _ticket(request.user, number)
    pages = [printed(request.user, request, ticket)]
    return render(request, "web/print/tickets.html", {"pages": pages, "centre": centre_name(), "single": ticket})


@login_required
def ticket_pdf(request: HttpRequest, number: str) -> HttpResponse:
    ticket = _ticket(request.user, number)
    title = _("%(centre)s 工单") % {"centre": centre_name()}
    return _pdf(tickets_pdf(title, [printed(request.user, request, ticket)], subtitle=ticket.number),
                f"{ticket.number}.pdf")


def _day(request: HttpRequest) -> tuple[date, list[Ticket], int]:
    day = day_of(request.GET.get("day"))
    rows = list(queries.tickets_of_day(request.user, day)[: MAX_DAY + 1])
    return day, rows[:MAX_DAY], len(rows)


@login_required
def day_print(request: HttpRequest) -> HttpResponse:
    day, rows, total = _day(request)
    pages = printed_many(request.user, request, rows)
    return render(request, "web/print/tickets.html", {"pages": pages, "centre": centre_name(), "day": day,
                                                      "truncated": total > MAX_DAY, "max_day": MAX_DAY})


@login_required
def day_pdf(request: HttpRequest) -> HttpResponse:
    day, rows, _total = _day(request)
    title = _("%(centre)s 工单（%(day)s）") % {"centre": centre_name(), "day": day}
    pages = printed_many(request.user, request, rows)
    return _pdf(tickets_pdf(title, pages, subtitle=_("共 %(n)s 件") % {"n": len(pages)}), f"tickets-{day}.pdf")
