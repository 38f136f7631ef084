"""The lifecycle tests' small city, with an API client per role that authenticates with its own token."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from jiesu.api.tokens import create_token
from jiesu.tickets.tests.conftest import City, city, fixed_clock  # noqa: F401  (the fixtures, reused as is: a fixed working Monday)

BASE = "/api/v1"


@dataclass
class Api:
    """Calls the API as one user, with a bearer token."""

    client: Client
    token: str

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", **(extra or {})}

    def get(self, path: str, headers: dict[str, str] | None = None, **params: Any) -> Any:
        return self.client.get(f"{BASE}{path}", params, headers=self._headers(headers))

    def post(self, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
        return self.client.post(f"{BASE}{path}", body or {}, content_type="application/json",
                                headers=self._headers(headers))

    def act(self, number: str, action: str, version: int, **inputs: Any) -> Any:
        return self.post(f"/tickets/{number}/actions/{action}", {"version": version, **inputs})


class Apis:
    """`apis.operator`, `apis.heating_handler`, … : one API client per user of the city."""

    def __init__(self, the_city: City):
        self._city = the_city
        self._made: dict[str, Api] = {}

    def __getattr__(self, name: str) -> Api:
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self._made:
            _, raw = create_token(getattr(self._city, name), name=f"test {name}")
            self._made[name] = Api(Client(), raw)
        return self._made[name]


@pytest.fixture
def apis(city: City) -> Apis:  # noqa: F811
    return Apis(city)


def expect(response: Any, status: int) -> Any:
    assert response.status_code == status, (response.status_code, response.content.decode()[:800])
    return response.json()
