from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "jiesu.org"
    label = "org"
    verbose_name = _("组织机构")

    def ready(self) -> None:
        from jiesu.core.process_cache import watch
        from jiesu.org.models import Region, RegionAlias, Unit

        watch(Region, RegionAlias, Unit)  # read once per process (jiesu.core.process_cache)

        from django.contrib import admin

        from jiesu.org.login_forms import ThrottledAdminLoginForm

        admin.site.login_form = ThrottledAdminLoginForm  # throttled and audited (jiesu.org.signin)
