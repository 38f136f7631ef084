"""Every staff page (each URL pattern of the site outside the API, the admin and the citizens' pages, its
parameters filled with every ticket, desk, action, …) × every demo role, a superuser without roles and no one,
by GET and by POST: no one signed out gets past the login, a ticket out of a user's scope is not found, a page
the navigation offers a role opens for it and one it does not offer does not, a hidden ticket's number is on no
page, and nothing answers 500. The expectations come from the scope rule, the navigation's and desks' own
permission checks and the lifecycle table (jiesu/api/tests/access.py), not from a list per cell."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from jiesu.api.tests.access import Subject, World, build_world, no_hidden_number
from jiesu.tickets.lifecycle import TABLE
from jiesu.tickets.models import Ticket
from jiesu.tickets.tests.conftest import City, city, fixed_clock  # noqa: F401  (the fixtures: a fixed working Monday)
from jiesu.web import intake_forms
from jiesu.web.desks import DESKS
from jiesu.web.navigation import NAV_ITEMS

pytestmark = pytest.mark.django_db

NOT_STAFF_PREFIXES = ("api/", "admin/", "i18n/", "open311/")  # the API has its own matrix; the admin is Django's
CITIZENS = {"knowledge_public", "channels_public", "channels_request"}  # namespaces of the citizens' pages
CITIZEN_PAGES = {"board:list", "board:message"}
NOT_PAGES = {"web:login", "web:logout", "web:favicon"}  # open to everyone by design


@dataclass(frozen=True)
class Page:
    route: str  # e.g. "tickets/<str:number>/"
    name: str  # namespaced URL name
    params: tuple[str, ...]


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[Page]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern) and p.name:
            route = prefix + str(p.pattern)
            yield Page(route, f"{namespace}{p.name}", tuple(p.pattern.converters))


def staff_pages() -> list[Page]:
    pages = []
    for page in _walk(get_resolver().url_patterns):
        namespace = page.name.rpartition(":")[0]
        if page.route.startswith(NOT_STAFF_PREFIXES) or namespace in CITIZENS:
            continue
        if page.name in CITIZEN_PAGES or page.name in NOT_PAGES:
            continue
        pages.append(page)
    return pages


def fillings(page: Page, world: World, refs: dict[str, Any]) -> Iterator[tuple[str, Ticket | None]]:
    """Each URL of ``page``: every ticket, desk, action and picker; the other records the fixture made."""
    values: dict[str, list[Any]] = {
        "number": list(world.tickets.values()), "slug": list(DESKS), "action": refs["actions"],
        "tree": refs["trees"], "pk": [refs["pk"]], "step_id": [refs["step_id"]], "code": [refs["unit_code"]],
        "issue_id": [999_999],  # the fixture's city has no hot issue: a task from one is not found
    }
    unknown = set(page.params) - set(values)
    assert not unknown, f"{page.name}: say how to fill {unknown} in fillings()"
    combos: list[dict[str, Any]] = [{}]
    for name in page.params:
        combos = [{**c, name: v} for c in combos for v in values[name]]
    for combo in combos:
        ticket = combo.get("number")
        kwargs = {k: (v.number if isinstance(v, Ticket) else v) for k, v in combo.items()}
        yield reverse(page.name, kwargs=kwargs), ticket


def nav_gate(page: Page) -> Any:
    """The navigation's own check for a page it links to (None: the page is not in the navigation)."""
    for item in NAV_ITEMS:
        if item.target == page.name:
            return item.visible
    return None


def expected(page: Page, method: str, subject: Subject, ticket: Ticket | None, url: str) -> set[int] | None:
    """The statuses the rules allow (None: any but 5xx)."""
    if subject.user is None:
        return {302}
    if ticket is not None and not subject.sees(ticket):
        # not found; forbidden when the page is not the role's at all; GET on a form's target: not allowed
        return {403, 404} | ({405} if method == "GET" else set())
    if method != "GET":
        return None
    gate = nav_gate(page)
    if gate is not None and not page.params:
        return {200, 302} if gate(subject.user) else {302, 403, 404}
    if page.name in ("web:desk", "web:desk_counts"):
        desk = DESKS[url.split("/")[2]]
        return {200, 204} if desk.allows(subject.user) else {403, 404}
    return None


@pytest.fixture
def world(city: City) -> World:  # noqa: F811
    return build_world(city)


def _refs(world: World) -> dict[str, Any]:
    # one action of each kind of actor (the centre, the lead unit, any unit assigned): every role against every
    # action is the API matrix's; the pages share its one service path
    first_of_kind = {row.actor: row.action.value for row in reversed(TABLE)}
    return {"actions": list(first_of_kind.values()), "trees": list(intake_forms.TREES), "pk": 1, "step_id": 1, "unit_code": world.city.heating.code}


def test_every_staff_page_answers_every_role_as_the_rules_say(world: World) -> None:
    refs, pages, cells, wrong = _refs(world), staff_pages(), Counter(), []
    assert {"web:ticket", "web:ticket_act", "evaluation:dashboard", "board:moderation", "knowledge:search"} <= {
        p.name for p in pages}
    for subject in world.subjects:
        client = Client()
        if subject.user is not None:
            client.force_login(subject.user)
        for page in pages:
            for url, ticket in fillings(page, world, refs):
                for method in ("GET", "POST"):
                    want = expected(page, method, subject, ticket, url)
                    with transaction.atomic():
                        response = client.get(url) if method == "GET" else client.post(url, {})
                        transaction.set_rollback(True)
                    got = response.status_code
                    text = response.content.decode(errors="replace") if not response.streaming else ""
                    cells[str(sorted(want)) if want else "any but 5xx"] += 1
                    leaks = no_hidden_number(subject, world, text) if got < 300 else []
                    login = got != 302 or subject.user is not None or response["Location"].startswith("/login/")
                    if got >= 500 or (want and got not in want) or leaks or not login:
                        wrong.append((subject.name, method, url, sorted(want or ()), got, leaks))
    assert not wrong, "\n".join(map(str, wrong))
    assert cells["[302]"] and cells["[403, 404]"] and cells["[200, 302]"] and cells["[302, 403, 404]"]
