from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from jiesu.api.main import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("kb/", include("jiesu.knowledge.urls")),
    path("ask/", include("jiesu.knowledge.public_urls")),
    path("track/", include("jiesu.channels.public_urls")),
    path("request/", include("jiesu.channels.request_urls")),
    path("board/", include("jiesu.channels.board_urls")),
    path("open311/v2/", include("jiesu.open311.urls")),
    path("figures/", include("jiesu.evaluation.urls")),
    path("hot/", include("jiesu.insights.urls")),
    path("", include("jiesu.web.urls")),
]

# Citizens get the public shell, staff the workbench's (jiesu/web/errors.py); 500 is Django's with 500.html.
handler403 = "jiesu.web.errors.permission_denied"
handler404 = "jiesu.web.errors.page_not_found"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

__all__ = ["urlpatterns", "i18n_patterns"]
