"""schemathesis over the OpenAPI document, as two roles (the centre's operator, the heating company's handler):
generated valid and invalid requests to every operation must get no 5xx, only statuses the document declares,
bodies of the declared shape, and invalid input must be refused. Bounded and derandomised, so CI runs the same
examples every time in a few minutes (docs/dev/testing.md)."""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from jiesu.api.main import api
from jiesu.api.tokens import create_token
from jiesu.tickets.tests.conftest import City

pytestmark = pytest.mark.django_db

# per operation and role; JIESU_SCHEMATHESIS_EXAMPLES=30 reruns the probe's size locally
MAX_EXAMPLES = int(os.environ.get("JIESU_SCHEMATHESIS_EXAMPLES", "12"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          negative_data_rejection]
ROLES = ("operator", "heating_handler")


@pytest.fixture(autouse=True)
def _one_connection() -> Any:
    """Calls go to the WSGI handler itself, which closes the database connection after each request; keep the
    test's connection (and its transaction) open, as Django's test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def bearers(city: City) -> dict[str, dict[str, str]]:
    return {role: {"Authorization": f"Bearer {create_token(getattr(city, role), name='schemathesis')[1]}"}
            for role in ROLES}


SCHEMA = schemathesis.openapi.from_dict(api.get_openapi_schema())
SCHEMA.app = WSGIHandler()
BOUNDED = settings(max_examples=MAX_EXAMPLES, derandomize=True, database=None, deadline=None,
                   suppress_health_check=list(HealthCheck))


@SCHEMA.parametrize()
@BOUNDED
def test_the_api_keeps_to_its_document_for_an_operator(case: Any, bearers: dict[str, dict[str, str]]) -> None:
    case.call_and_validate(headers=bearers["operator"], checks=CHECKS)


@SCHEMA.parametrize()
@BOUNDED
def test_the_api_keeps_to_its_document_for_a_handler(case: Any, bearers: dict[str, dict[str, str]]) -> None:
    case.call_and_validate(headers=bearers["heating_handler"], checks=CHECKS)
