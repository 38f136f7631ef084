"""Who may see and do what, derived from the roles' permissions, the memberships' scopes and the lifecycle table:
the expectations of the access matrices (API operations here, staff pages in jiesu/web/tests), never listed per
cell. The subjects are every role of the demo city (the tickets' city plus an analyst and an administrator),
a superuser without roles and an anonymous caller; the tickets are one in each place a ticket can be seen from."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from jiesu.core.permissions import CONFIGURATION_PERMS, Perm, Role, permissions_of
from jiesu.org.models import Membership, User
from jiesu.org.tests.factories import UserFactory
from jiesu.tickets import services
from jiesu.tickets.lifecycle import Actor, Transition
from jiesu.tickets.models import Assignment, AssignmentRole, Ticket
from jiesu.tickets.tests.conftest import City

CITY_USERS = ("operator", "dispatcher", "supervisor", "visitor", "adjudicator", "heating_handler", "urban_handler",
              "subcentre_handler", "street_handler")


@dataclass
class Subject:
    name: str
    user: User | None  # None: not signed in

    @cached_property
    def memberships(self) -> list[Membership]:
        return list(self.user.active_memberships()) if self.user is not None else []

    @property
    def roles(self) -> set[str]:
        return {m.role for m in self.memberships}

    def holds(self, perm: Perm) -> bool:
        """What the roles grant (superuser status adds only the configuration permissions)."""
        if self.user is None:
            return False
        superuser = self.user.is_superuser and perm in CONFIGURATION_PERMS
        return superuser or any(perm in permissions_of(m.role) for m in self.memberships)

    def sees(self, ticket: Ticket) -> bool:
        if ticket.pk not in self._seen:
            self._seen[ticket.pk] = self._sees(ticket)
        return self._seen[ticket.pk]

    @cached_property
    def _seen(self) -> dict[int, bool]:
        return {}  # the matrices roll every call back: what a subject sees does not change while they run

    def _sees(self, ticket: Ticket) -> bool:
        """The scope rule: a ticket belongs to every unit that has or had an assignment on it; a city-wide role
        sees every ticket, a unit's role its unit's (with a subtree scope, its sub-units' too)."""
        units = set(Assignment.objects.filter(ticket=ticket).values_list("unit_id", flat=True))
        for m in self.memberships:
            if Perm.TICKET_VIEW not in permissions_of(m.role):
                continue
            if m.scope == Membership.ScopeKind.CITY:
                return True
            reach = {m.unit_id}
            if m.scope == Membership.ScopeKind.SUBTREE:
                reach = set(m.unit.descendants_and_self().values_list("pk", flat=True))
            if reach & units:
                return True
        return False

    def holds_role_for(self, row: Transition) -> bool:
        """The lifecycle table's roles: a centre's act in one of them held city-wide, a unit's act in any unit."""
        centre_act = row.actor not in (Actor.LEAD_UNIT, Actor.ANY_ASSIGNED_UNIT)
        return any(m.role in row.roles and (m.scope == Membership.ScopeKind.CITY or not centre_act)
                   for m in self.memberships)

    def acts_for(self, row: Transition, ticket: Ticket) -> bool:
        """Who acts for a unit: a role held *in* a unit currently assigned (the lead unit for the lead's acts)."""
        if row.actor not in (Actor.LEAD_UNIT, Actor.ANY_ASSIGNED_UNIT):
            return True
        current = Assignment.objects.filter(ticket=ticket, is_current=True)
        if row.actor == Actor.LEAD_UNIT:
            current = current.filter(role=AssignmentRole.LEAD)
        units = set(current.values_list("unit_id", flat=True))
        return any(m.role in row.roles and m.unit_id in units for m in self.memberships)


@dataclass
class World:
    city: City
    subjects: list[Subject]
    tickets: dict[str, Ticket] = field(default_factory=dict)

    def refresh(self) -> None:
        for name, ticket in self.tickets.items():
            self.tickets[name] = Ticket.objects.get(pk=ticket.pk)

    def hidden_from(self, subject: Subject) -> list[str]:
        return [t.number for t in self.tickets.values() if not subject.sees(t)]


def build_world(city: City) -> World:
    """Three tickets: one still at intake (the centre's only), one dispatched to the heating company, one passed
    to the street under the district's sub-centre and signed there (in handling)."""
    centre_user = {"unit": city.centre, "scope": "city"}
    subjects = [Subject(name, getattr(city, name)) for name in CITY_USERS]
    subjects += [Subject("analyst", UserFactory(username="ana", role=Role.ANALYST, **centre_user)),
                 Subject("admin", UserFactory(username="adm", role=Role.ADMIN, is_staff=True, **centre_user)),
                 Subject("superuser", UserFactory(username="root", is_superuser=True, is_staff=True)),
                 Subject("anonymous", None)]
    world = World(city, subjects)
    world.tickets["received"] = services.accept(city.operator, city.ticket_data())
    heating = services.accept(city.operator, city.ticket_data(title="供暖费收费标准咨询"))
    world.tickets["heating"] = services.dispatch(city.dispatcher, heating, lead_unit="heating")
    street = services.accept(city.operator, city.ticket_data(title="仁兴街道路灯不亮"))
    street = services.dispatch(city.dispatcher, street, lead_unit="renxing")
    world.tickets["street"] = services.sign(city.street_handler, street)
    return world


def no_hidden_number(subject: Subject, world: World, text: str) -> list[Any]:
    """The numbers of the tickets hidden from ``subject`` that ``text`` shows (none, or it is a leak)."""
    return [number for number in world.hidden_from(subject) if number in text]
