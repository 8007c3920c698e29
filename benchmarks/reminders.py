"""Benchmark the reminder sweep and the sending of reminders over many open deadlines.

Seeds reviews with open deadlines (a third overdue, some due within the reminder window, the
rest months away; half an agency's, half the board's), then prints:

- the sweep when something is due (the day's first: it writes the reminders) and when nothing
  is (the next hour's: it must write nothing), with their queries and writes;
- the sending rate, batch by batch as the Celery task sends them (emails to Django's
  in-memory backend, so that the figure is the app's own cost, not a mail server's).

Runs on a throwaway SQLite file at 10,000 deadlines (quick, for `make bench`) unless
DATABASE_URL names another database; at national scale, on PostgreSQL:

    createdb -h 127.0.0.1 -U postgres scr_bench_reminders
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scr_bench_reminders \\
        .venv/bin/python benchmarks/reminders.py --deadlines 200000
"""

import argparse
import time
from datetime import timedelta

import _setup

_setup.django_setup()

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agencies.models import Agency, Role
from reviews.builders import cast_create, person_create
from reviews.models import Deadline, Reminder, Review
from reviews.services.clock import REMINDER_BATCH, reminders_send, reminders_sweep

KINDS = [
    Deadline.Kind.NOTIFY_NATIONAL_BODIES,
    Deadline.Kind.RAPID_REVIEW,
    Deadline.Kind.REVIEW_COMPLETE,
    Deadline.Kind.PUBLICATION_NOTICE,
]


def seed(total: int, manager, agencies: list[Agency]) -> None:
    """Add reviews, four deadlines each, until there are ``total`` open deadlines."""
    today = timezone.localdate()
    reviews = [
        Review(
            reference=f"BENCH-{n:07d}",
            framework="scr",
            subject_reference=f"Child {n}",
            age_group="1_4",
            harm="death",
            referring_agency=agencies[n % len(agencies)],
            referrer_name="Bench",
            incident_date=today - timedelta(days=30),
            referred_on=today - timedelta(days=20),
            circumstances="Invented.",
            created_by=manager,
        )
        for n in range(total // len(KINDS))
    ]
    # Reviews and deadlines are written in bulk, not through the services: the benchmark
    # measures the sweep over deadlines, not the audit of its fixtures.
    Review.objects.bulk_create(reviews, batch_size=5000)
    deadlines = []
    for review in Review.objects.filter(reference__startswith="BENCH-").only("pk"):
        for index, kind in enumerate(KINDS):
            n = review.pk * len(KINDS) + index
            if n % 3 == 0:
                due = today - timedelta(days=1 + n % 200)  # overdue
            elif n % 30 == 1:
                due = today + timedelta(days=n % 5)  # due today or within the window
            else:
                due = today + timedelta(days=30 + n % 300)
            deadlines.append(
                Deadline(
                    review_id=review.pk,
                    kind=kind,
                    due_on=due,
                    original_due_on=due,
                    owner_agency=agencies[n % len(agencies)] if n % 2 else None,
                )
            )
    Deadline.objects.bulk_create(deadlines, batch_size=5000)


def _writes(queries: CaptureQueriesContext) -> int:
    verbs = ("INSERT", "UPDATE", "DELETE")
    return sum(q["sql"].lstrip().upper().startswith(verbs) for q in queries.captured_queries)


def _sweep() -> tuple[list[int], float, int, int]:
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        pending = reminders_sweep()
        took = time.perf_counter() - start
    return pending, took * 1000, len(queries), _writes(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deadlines", type=int, default=10_000, help="open deadlines to seed")
    parser.add_argument(
        "--send", type=int, default=1_000, help="how many of the due reminders to send"
    )
    parser.add_argument("--agencies", type=int, default=60)
    args = parser.parse_args()
    _setup.schema_create()
    Reminder.objects.all().delete()
    if not Review.objects.filter(reference__startswith="BENCH-").exists():
        agencies = Agency.objects.bulk_create(
            [Agency(name=f"Bench agency {n}", sector="police") for n in range(args.agencies)]
        )
        manager = cast_create(agencies=agencies[:1], domain="bench.example").manager
        for n, agency in enumerate(agencies * 2):
            person_create(
                email=f"lead{n}@bench.example",
                first_name="Lead",
                last_name=str(n),
                roles=[Role.AGENCY_LEAD],
                agency=agency,
            )
        start = time.perf_counter()
        seed(args.deadlines, manager, agencies)
        print(f"seeded {args.deadlines:,} deadlines in {time.perf_counter() - start:.0f} s")
    total = Deadline.objects.filter(state=Deadline.State.OPEN).count()
    print(f"database: {connection.vendor}, open deadlines: {total:,}")
    print(f"{'sweep':<28} {'ms':>8} {'queries':>8} {'writes':>7} {'pending':>9}")
    pending, took, queries, writes = _sweep()
    print(f"{'something due (first)':<28} {took:>8.0f} {queries:>8} {writes:>7} {len(pending):>9,}")
    _, took, queries, writes = _sweep()
    print(f"{'nothing new due (again)':<28} {took:>8.0f} {queries:>8} {writes:>7}")
    to_send = pending[: args.send]
    start, batches, most = time.perf_counter(), 0, 0
    for first in range(0, len(to_send), REMINDER_BATCH):
        with CaptureQueriesContext(connection) as queries_of_batch:
            reminders_send(ids=to_send[first : first + REMINDER_BATCH])
        batches, most = batches + 1, max(most, len(queries_of_batch))
    took = time.perf_counter() - start
    rate = len(to_send) / took if took else 0
    print(
        f"sent {len(to_send):,} reminders in {batches} batches of {REMINDER_BATCH}: "
        f"{took:.1f} s, {rate:,.0f} a second, at most {most} queries a batch"
    )
    if len(to_send) < len(pending):
        print(f"(all {len(pending):,} at that rate: {len(pending) / rate:.0f} s)")


if __name__ == "__main__":
    main()
