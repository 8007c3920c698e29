from django.core.management.base import BaseCommand

from publication.documents import documents_render_due


class Command(BaseCommand):
    help = "Render every PDF that is due now: its task lost, a try failed, its worker gone (what "
    "Celery beat does every minute)."

    def handle(self, *args, **options):
        rendered = documents_render_due()
        self.stdout.write(f"{rendered} documents rendered")
