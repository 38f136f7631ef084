import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiesu.settings")
application = get_wsgi_application()

if os.environ.get("JIESU_WARM_UP", "1") != "0":
    from jiesu.knowledge.search_index import warm_up_in_background

    warm_up_in_background()
