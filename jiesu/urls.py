from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from jiesu.api.main import api

admin.site.site_header = "接诉 · 12345 热线管理后台"
admin.site.site_title = "接诉管理后台"
admin.site.index_title = "配置管理"

urlpatterns = [
    path("api/v1/", api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("kb/", include("jiesu.knowledge.urls")),
    path("ask/", include("jiesu.knowledge.public_urls")),
    path("", include("jiesu.web.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

__all__ = ["urlpatterns", "i18n_patterns"]
