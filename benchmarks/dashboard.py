"""Benchmark the board's dashboard, and the review list sorted by target, as reviews grow.

Prints, for each size, the median time of the dashboard and of the list (sorted by days to
target, filtered to reviews with an overdue deadline) and their query counts: the counts must
stay flat. Each review is decided, with its completion target (and the target's history row,
which the month-by-month chart reads), an agency's overdue action, and every tenth a stopped
clock. They are written in bulk, not built through the services: the benchmark measures the
dashboard's reads, not the writing of its fixtures. Runs on a throwaway SQLite file unless
DATABASE_URL names another database.

    make bench          # or: DJANGO_DEBUG=true .venv/bin/python benchmarks/dashboard.py
"""

from datetime import timedelta

import _setup

_setup.django_setup()

from django.db import connection
from django.test import Client
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from agencies.models import Agency
from reviews.builders import cast_create
from reviews.models import ClockEvent, Deadline, Review, ThresholdDecision

SIZES = (5, 500, 5000)
RUNS = 9


def seed(count: int, cast, agencies) -> None:
    """Add decided reviews until there are ``count``."""
    today = timezone.localdate()
    have = Review.objects.count()
    numbers = range(have, count)
    Review.objects.bulk_create(
        [
            Review(
                reference=f"BENCH-{n:07d}",
                framework="scr",
                stage=Review.Stage.PANEL,
                subject_reference=f"Child {n}",
                age_group="1_4",
                harm="death",
                referring_agency=agencies[n % len(agencies)],
                referrer_name="Bench",
                incident_date=today - timedelta(days=n % 300 + 12),
                referred_on=today - timedelta(days=n % 300 + 10),
                circumstances="Invented for a benchmark.",
                created_by=cast.manager,
            )
            for n in numbers
        ],
        batch_size=1000,
    )
    reviews = list(Review.objects.filter(pk__gt=0).order_by("id")[have:count])
    ThresholdDecision.objects.bulk_create(
        [
            ThresholdDecision(
                review=review,
                answers={},
                criteria_met=True,
                outcome="initiate",
                decided_on=review.referred_on + timedelta(days=2),
                decided_by=cast.chair,
                recorded_by=cast.chair,
            )
            for review in reviews
        ],
        batch_size=1000,
    )
    deadlines = []
    for n, review in zip(numbers, reviews, strict=True):
        target = review.referred_on + timedelta(days=184)
        deadlines.append(
            Deadline(
                review=review,
                kind=Deadline.Kind.REVIEW_COMPLETE,
                due_on=target,
                original_due_on=target,
            )
        )
        late = today - timedelta(days=n % 20 - 2)
        deadlines.append(
            Deadline(
                review=review,
                kind=Deadline.Kind.ACTION,
                due_on=late,
                original_due_on=late,
                owner_agency=agencies[n % len(agencies)],
            )
        )
    bulk_create_with_history(deadlines, Deadline, batch_size=1000, default_user=cast.manager)
    ClockEvent.objects.bulk_create(
        [
            ClockEvent(
                review=review, kind=ClockEvent.Kind.STOPPED, reason="Bench", actor=cast.manager
            )
            for n, review in zip(numbers, reviews, strict=True)
            if n % 10 == 0
        ]
    )


def main() -> None:
    _setup.schema_create()
    agencies = [Agency.objects.create(name=f"Bench agency {n}", sector="health") for n in range(6)]
    cast = cast_create(agencies=agencies, domain="bench.example")
    client = Client()
    client.force_login(cast.manager)
    print(f"database: {connection.vendor}; median of {RUNS} requests")
    print(f"{'reviews':>8} {'dashboard ms':>13} {'queries':>8} {'list ms':>9} {'queries':>8}")
    for size in SIZES:
        seed(size, cast, agencies)
        board_ms, board_q = _setup.median_ms(client, "/reviews/dashboard/", RUNS)
        list_ms, list_q = _setup.median_ms(client, "/reviews/?sort=target&overdue=yes", RUNS)
        print(f"{size:>8} {board_ms:>13.1f} {board_q:>8} {list_ms:>9.1f} {list_q:>8}")


if __name__ == "__main__":
    main()
