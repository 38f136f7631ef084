"""The site's URLs plus one view that fails, to see the 500 page as a visitor does (tests only)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from jiesu.urls import handler403, handler404
from jiesu.urls import urlpatterns as site_urlpatterns


def fail(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [path("fail/", fail), *site_urlpatterns]

__all__ = ["handler403", "handler404", "urlpatterns"]
