"""Run the reminder sweep now, in this process, and say how many reminders went out."""

from django.core.management.base import BaseCommand

from reviews.services.clock import reminder_send, reminders_sweep


class Command(BaseCommand):
    help = "Write today's reminders and send every unsent one (the same sweep Celery beat runs)."

    def handle(self, *args, **options):
        sent = sum(reminder_send(reminder_id=pk) for pk in reminders_sweep())
        self.stdout.write(f"Sent {sent} reminder{'s' if sent != 1 else ''}.")
