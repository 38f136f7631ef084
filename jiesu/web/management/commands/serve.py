from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "启动网页服务。Serve the application (static files through WhiteNoise)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        call_command("runserver", f"{options['host']}:{options['port']}", "--insecure", "--noreload")
