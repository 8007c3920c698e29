"""Benchmark the reminder sweep over many open deadlines.

Seeds reviews with open deadlines (the first 1,000 due within the reminder window or overdue,
every other one months away), then times the sweep and counts its queries at two sizes: the
count must not grow with the number of deadlines. (It grows only with the reminders due, one
insert per batch of 2,000.) Runs on a throwaway SQLite file unless DATABASE_URL names
another database (CI's PostgreSQL: `DATABASE_URL=postgres://postgres@127.0.0.1:5432/scr_bench`).

    make bench
"""

import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_DEBUG", "true")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scr.settings")

import django

django.setup()

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agencies.models import Agency, Role
from reviews.builders import cast_create, person_create
from reviews.models import Deadline, Reminder, Review
from reviews.services.clock import reminders_sweep

SIZES = (50_000, 200_000)
KINDS = list(Deadline.Kind)


def seed(total: int, manager, agency) -> None:
    """Add reviews, four deadlines each, until there are ``total`` open deadlines."""
    today = timezone.localdate()
    have = Deadline.objects.count()
    reviews = [
        Review(
            reference=f"BENCH-{n:07d}",
            framework="scr",
            subject_reference=f"Child {n}",
            age_group="1_4",
            harm="death",
            referring_agency=agency,
            referrer_name="Bench",
            incident_date=today - timedelta(days=30),
            referred_on=today - timedelta(days=20),
            circumstances="Invented.",
            created_by=manager,
        )
        for n in range(have // len(KINDS), total // len(KINDS))
    ]
    # Tens of thousands of reviews are written in bulk, not built through the services: the
    # benchmark measures the sweep over deadlines, not the audit of its fixtures.
    Review.objects.bulk_create(reviews, batch_size=5000)
    deadlines = []
    for review in Review.objects.filter(reference__in=[r.reference for r in reviews]).only("pk"):
        for index, kind in enumerate(KINDS):
            n = review.pk * len(KINDS) + index
            soon = n < 1000
            due = today + timedelta(days=(n % 10) - 5 if soon else 60 + n % 300)
            deadlines.append(
                Deadline(
                    review_id=review.pk,
                    kind=kind,
                    due_on=due,
                    original_due_on=due,
                    owner_agency=agency if n % 2 else None,
                )
            )
    Deadline.objects.bulk_create(deadlines, batch_size=5000)


def main() -> None:
    call_command("migrate", verbosity=0)
    agency = Agency.objects.create(name="Bench agency", sector="police")
    manager = cast_create(agencies=[agency], domain="bench.example").manager
    for n in range(2):
        person_create(
            email=f"lead{n}@bench.example",
            first_name="Lead",
            last_name=str(n),
            roles=[Role.AGENCY_LEAD],
            agency=agency,
        )
    print(f"database: {connection.vendor}")
    print(f"{'deadlines':>10} {'sweep ms':>9} {'queries':>8} {'reminders':>10} {'again ms':>9}")
    for size in SIZES:
        seed(size, manager, agency)
        Reminder.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            pending = reminders_sweep()
            first = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        reminders_sweep()
        again = (time.perf_counter() - start) * 1000
        print(f"{size:>10,} {first:>9.0f} {len(queries):>8} {len(pending):>10,} {again:>9.0f}")


if __name__ == "__main__":
    main()
