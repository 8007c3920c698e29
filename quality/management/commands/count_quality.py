"""Count the board's reviews on every quality marker now, in this process: what Celery beat does
every night, for `make run`, which has no beat."""

from django.core.management.base import BaseCommand

from quality.services import quality_count


class Command(BaseCommand):
    help = (
        "Count the board's reviews on every quality marker for the board's view (what Celery "
        "beat does every night)."
    )

    def handle(self, *args, **options):
        reviews = quality_count()
        self.stdout.write(
            f"Counted the quality markers of {reviews} review{'s' if reviews != 1 else ''}."
        )
