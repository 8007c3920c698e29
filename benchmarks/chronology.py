"""Benchmark an agency's chronology at 5,000 entries: parsing and importing a 5,000-row
spreadsheet, and the chronology page (first and last page).

Prints median times and query counts; the page's query count must not grow with entries.
Runs on a throwaway SQLite file unless DATABASE_URL names another database.

    make bench
"""

import statistics
import time
from datetime import date, timedelta

import _setup

_setup.django_setup(media=True)

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agencies.models import Agency
from reviews.builders import cast_create, review_at
from reviews.services.chronology import (
    chronology_file_parse,
    chronology_import_confirm,
    chronology_import_preview,
)

ROWS = 5000
RUNS = 10


def _timed(function):
    start = time.perf_counter()
    result = function()
    return result, (time.perf_counter() - start) * 1000


def main() -> None:
    _setup.schema_create()
    agency = Agency.objects.create(name="Bench agency", sector="police")
    cast = cast_create(agencies=[agency], domain="bench.example")
    lead = cast.lead_of(agency)
    today = timezone.localdate()
    built = review_at(
        "agency_reports",
        cast=cast,
        agencies_in_scope=[agency],
        terms={"period_start": date(2020, 1, 1), "period_end": today},
        report_due_on=today + timedelta(days=40),
    )
    review, (report,) = built.review, built.reports
    lines = ["Date,What happened,Practitioner role,Source reference"]
    start = date(2020, 1, 1)
    lines += [
        f"{start + timedelta(days=n % 2000):%d/%m/%Y},Contact number {n},Worker {n % 9},R{n}"
        for n in range(ROWS)
    ]
    data = "\n".join(lines).encode()

    parsed, parse_ms = _timed(lambda: chronology_file_parse(SimpleUploadedFile("c.csv", data)))
    assert not parsed.errors, parsed.errors[:3]
    batch, _ = chronology_import_preview(
        report=report, actor=lead, file=SimpleUploadedFile("c.csv", data)
    )
    count, import_ms = _timed(lambda: chronology_import_confirm(batch=batch, actor=lead))

    client = Client()
    client.force_login(lead)
    print(f"database: {connection.vendor}; {ROWS:,} rows")
    print(
        f"parse {ROWS:,}-row CSV: {parse_ms:.0f} ms; import (preview to saved): {import_ms:.0f} ms"
    )
    url = f"/reviews/{review.reference}/reports/{report.pk}/chronology/"
    # Paginator.get_page reads "last" as a bad number and gives page 1: ask for the number.
    last = -(-ROWS // settings.CHRONOLOGY_PER_PAGE)
    for label, query, number in (("first page", "", 1), ("last page", f"?page={last}", last)):
        timings = []
        connection.queries_log.clear()
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as queries:
                response, ms = _timed(lambda q=query: client.get(url + q))
            assert response.status_code == 200
            assert response.context["page"].number == number
            timings.append(ms)
        print(f"chronology {label}: {statistics.median(timings):.1f} ms, {len(queries)} queries")
    assert count == ROWS


if __name__ == "__main__":
    main()
