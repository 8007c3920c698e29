"""Benchmark the review list and review page as the number of reviews grows.

Prints, for each size, the median time of a page and its query count; the query count must
stay flat. Runs on a throwaway SQLite file unless DATABASE_URL names another database.

    make bench          # or: DJANGO_DEBUG=true .venv/bin/python benchmarks/review_list.py
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_DEBUG", "true")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scr.settings")

import django

django.setup()

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment

SIZES = (5, 500, 5000)
RUNS = 15


def seed(count: int, cast, agencies) -> None:
    """Add reviews until there are ``count``, each built as the referral form records it."""
    from datetime import timedelta

    from django.utils import timezone

    from reviews.builders import review_at
    from reviews.models import Review

    today = timezone.localdate()
    for n in range(Review.objects.count(), count):
        review_at(
            "referral",
            cast=cast,
            agencies_in_scope=agencies[:3],
            referral={
                "subject_reference": f"Child {n}",
                "full_name": f"Bench Subject {n}",
                "referring_agency": agencies[n % len(agencies)],
                "referrer_name": "Bench referrer",
                "incident_date": today - timedelta(days=n % 300 + 2),
                "referred_on": today - timedelta(days=n % 300),
                "circumstances": "Invented for a benchmark.",
            },
        )


def measure(client: Client, url: str) -> tuple[float, int]:
    timings = []
    connection.queries_log.clear()
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings) * 1000, len(queries)


def main() -> None:
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    from agencies.models import Agency
    from reviews.builders import cast_create
    from reviews.models import Review

    agencies = [Agency.objects.create(name=f"Bench agency {n}", sector="health") for n in range(6)]
    cast = cast_create(agencies=agencies, domain="bench.example")
    client = Client()
    client.force_login(cast.manager)
    print(f"database: {connection.vendor}; median of {RUNS} requests")
    print(f"{'reviews':>8} {'list ms':>9} {'list q':>7} {'page ms':>9} {'page q':>7}")
    for size in SIZES:
        seed(size, cast, agencies)
        reference = Review.objects.order_by("id").values_list("reference", flat=True).first()
        list_ms, list_q = measure(client, "/reviews/")
        page_ms, page_q = measure(client, f"/reviews/{reference}/")
        print(f"{size:>8} {list_ms:>9.1f} {list_q:>7} {page_ms:>9.1f} {page_q:>7}")


if __name__ == "__main__":
    main()
