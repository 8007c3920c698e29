"""Run the reminder sweep and the daily digests now, in this process, and say what went out."""

from django.core.management.base import BaseCommand

from reviews.services.clock import REMINDER_BATCH, reminders_send, reminders_sweep
from reviews.services.handoffs import digests_queue


class Command(BaseCommand):
    help = (
        "Write today's reminders and send every unsent one, and queue today's digests (the "
        "same sweeps Celery beat runs hourly)."
    )

    def handle(self, *args, **options):
        ids = reminders_sweep()
        sent = sum(
            reminders_send(ids=ids[start : start + REMINDER_BATCH])
            for start in range(0, len(ids), REMINDER_BATCH)
        )
        self.stdout.write(f"Sent {sent} reminder{'s' if sent != 1 else ''}.")
        digests = digests_queue()
        self.stdout.write(f"Queued {digests} digest{'s' if digests != 1 else ''}.")
