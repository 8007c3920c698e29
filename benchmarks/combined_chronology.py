"""Benchmark the combined chronology of 20 agencies x 1,000 accepted entries: the first, a
middle and the last page, unfiltered and filtered (three agencies, a year, and key practice
episodes only), as the review's author sees them.

Prints median times and query counts; the query count must not grow with entries, and the
first page's target is under 200 ms. Runs on a throwaway SQLite file unless DATABASE_URL names
another database.

    make bench
"""

import logging
import statistics
import time
from datetime import date, timedelta

import _setup

_setup.django_setup(media=True)

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from agencies.models import Agency
from reviews.builders import cast_create, review_at
from reviews.models import ChronologyEntry, KeyEpisode

AGENCIES = 20
ENTRIES = 1000
RUNS = 10
START = date(2019, 1, 1)


def _timed(function):
    start = time.perf_counter()
    result = function()
    return result, (time.perf_counter() - start) * 1000


def _seed():
    """A review at stage 5 whose 20 agencies' reports were accepted, each with 1,000 entries
    over five years; every 50th entry a key practice episode. Returns (review, author, the
    first three agencies' ids)."""
    agencies = [
        Agency.objects.create(name=f"Bench agency {n:02d}", sector="health")
        for n in range(AGENCIES)
    ]
    cast = cast_create(agencies=agencies, domain="bench.example")
    today = timezone.localdate()
    review = review_at(
        "overview",
        cast=cast,
        agencies_in_scope=agencies,
        terms={"period_start": START, "period_end": today},
    ).review
    for report in review.report_requests.all():
        entries = [
            ChronologyEntry(
                request=report,
                occurred_on=START + timedelta(days=(n * 7 + report.agency_id) % 1800),
                what_happened=f"Contact number {n} with the family, as the agency recorded it.",
                practitioner_role=f"Worker {n % 9}",
                source_reference=f"R{n}",
                created_by=cast.lead_of(report.agency),
            )
            for n in range(ENTRIES)
        ]
        bulk_create_with_history(entries, ChronologyEntry, batch_size=500)
    marks = [
        KeyEpisode(entry=entry, note="Key practice episode.", marked_by=cast.author)
        for entry in ChronologyEntry.objects.filter(request__review=review)[::50]
    ]
    now = timezone.now()
    for mark in marks:
        mark.marked_at = now
    bulk_create_with_history(marks, KeyEpisode, default_user=cast.author)
    return review, cast.author, [agency.pk for agency in agencies[:3]]


def main() -> None:
    _setup.schema_create()
    logging.disable(logging.INFO)  # the builders' emails, sent in-process, say nothing here
    (review, author, three), seed_ms = _timed(_seed)
    client = Client()
    client.force_login(author)
    url = f"/reviews/{review.reference}/chronology/"
    filtered = "&".join(f"agency={pk}" for pk in three)
    filtered += "&since_0=1&since_1=1&since_2=2020&until_0=31&until_1=12&until_2=2020"
    total = AGENCIES * ENTRIES
    print(f"database: {connection.vendor}; {AGENCIES} agencies x {ENTRIES:,} entries")
    print(f"seeding: {seed_ms / 1000:.1f} s")
    for label, query in (("unfiltered", ""), ("filtered", filtered), ("key only", "key_only=yes")):
        first = client.get(f"{url}?{query}")
        assert first.status_code == 200
        paginator = first.context["page"].paginator
        middle = max(paginator.num_pages // 2, 1)
        print(f"{label}: {paginator.count:,} of {total:,} entries, {paginator.num_pages} pages")
        for page_label, number in (("first", 1), ("middle", middle), ("last", paginator.num_pages)):
            timings = []
            for _ in range(RUNS):
                with CaptureQueriesContext(connection) as queries:
                    response, ms = _timed(
                        lambda q=query, n=number: client.get(f"{url}?{q}&page={n}")
                    )
                assert response.status_code == 200
                timings.append(ms)
            print(
                f"  {page_label} page ({number}): {statistics.median(timings):.1f} ms, "
                f"{len(queries)} queries"
            )


if __name__ == "__main__":
    main()
