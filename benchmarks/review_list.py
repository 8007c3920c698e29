"""Benchmark the review list and review page as the number of reviews grows.

Prints, for each size, the median time of a page and its query count; the query count must
stay flat. Runs on a throwaway SQLite file unless DATABASE_URL names another database.

    make bench          # or: DJANGO_DEBUG=true .venv/bin/python benchmarks/review_list.py
"""

import _setup

_setup.django_setup()

from django.db import connection
from django.test import Client

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


def main() -> None:
    _setup.schema_create()
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
        list_ms, list_q = _setup.median_ms(client, "/reviews/", RUNS)
        page_ms, page_q = _setup.median_ms(client, f"/reviews/{reference}/", RUNS)
        print(f"{size:>8} {list_ms:>9.1f} {list_q:>7} {page_ms:>9.1f} {page_q:>7}")


if __name__ == "__main__":
    main()
