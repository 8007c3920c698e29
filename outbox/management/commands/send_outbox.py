from django.core.management.base import BaseCommand

from outbox.emails import emails_deliver_due


class Command(BaseCommand):
    help = "Send every outbox email that is due now (what Celery beat does every minute)."

    def handle(self, *args, **options):
        sent = emails_deliver_due()
        self.stdout.write(f"{sent} emails sent")
