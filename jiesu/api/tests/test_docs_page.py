"""The API's docs page (/api/v1/docs) works offline: Swagger UI comes from the app's own static files."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

DOCS = "/api/v1/docs"
ASSET = re.compile(r"""<(?:script|link)\b[^>]*?\b(?:src|href)=["']([^"']+)["']""", re.IGNORECASE)


def referenced_assets(html: str) -> list[str]:
    return ASSET.findall(html)


def test_the_docs_page_loads_nothing_from_another_host(client):
    response = client.get(DOCS)
    assert response.status_code == 200
    html = response.content.decode()
    assets = referenced_assets(html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets), assets
    assert any(a.endswith("swagger-ui.css") for a in assets), assets
    assert "cdn." not in html
    outside = [a for a in assets if a.startswith(("http:", "https:", "//"))]
    assert not outside


def test_every_file_the_docs_page_references_is_served(client):
    assets = referenced_assets(client.get(DOCS).content.decode())
    for url in assets:
        assert url.startswith(settings.STATIC_URL), url
        assert finders.find(url.removeprefix(settings.STATIC_URL)), url
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"".join(response.streaming_content), url  # type: ignore[attr-defined]


def test_the_openapi_document_the_page_reads_is_there(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.json()["info"]["title"] == "接诉 jiesu API"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_docs_page_renders_in_a_browser_without_the_internet(browser_page, live_server, screenshot):
    outside: list[str] = []

    def only_this_server(route):  # type: ignore[no-untyped-def]
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    browser_page.route("**/*", only_this_server)
    browser_page.goto(DOCS)
    browser_page.wait_for_selector(".swagger-ui .info .title")
    assert "接诉 jiesu API" in browser_page.inner_text(".swagger-ui .info .title")
    browser_page.wait_for_selector(".opblock-tag-section")
    assert browser_page.locator(".opblock").count() > 5
    screenshot("api-docs")
    assert not outside
