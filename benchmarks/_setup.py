"""What the benchmarks that build their own data share: Django set up on a throwaway SQLite
file unless DATABASE_URL names another database (never a shared one: they write), an empty
schema, a page's median time with its query count, and reviews written in bulk.

Each script imports this first (its folder is on the path when run as a script) and calls
``django_setup()`` before it imports anything of Django or the project.
"""

import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path


def django_setup(*, media: bool = False) -> None:
    """Put the project on the path and set Django up; ``media``: uploads go to a throwaway
    folder."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_DEBUG", "true")
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scr.settings")
    if media:
        os.environ.setdefault("DJANGO_MEDIA_ROOT", tempfile.mkdtemp())
    import django

    django.setup()


def schema_create() -> None:
    """Migrate the database, with the test environment's settings (the test client's host,
    emails kept in memory).

    Migrating an SQLite file takes most of a minute on two cores, and ``make bench`` runs
    several scripts: where SCR_BENCH_SCHEMA names a file, the first script keeps a copy of
    its migrated database there and the others start from that copy.
    """
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    kept = os.environ.get("SCR_BENCH_SCHEMA", "")
    if not kept or connection.vendor != "sqlite":
        call_command("migrate", verbosity=0)
        return
    if Path(kept).exists():
        shutil.copyfile(kept, connection.settings_dict["NAME"])
        return
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [kept])


def median_ms(client, url: str, runs: int) -> tuple[float, int]:
    """The median milliseconds of ``runs`` requests for ``url`` (after one to warm up) and the
    last one's queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert client.get(url).status_code == 200, url
    timings = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings) * 1000, len(queries)


def reviews_seed(count: int, cast, agencies) -> None:
    """Add decided reviews until there are ``count``, written in bulk (the benchmarks measure
    reads, not the writing of their fixtures): each with its completion target (and the
    target's history row, which the dashboard's chart reads), an agency's overdue action, and
    every tenth a stopped clock."""
    from django.utils import timezone
    from simple_history.utils import bulk_create_with_history

    from reviews.models import ClockEvent, Deadline, Review, ThresholdDecision

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
