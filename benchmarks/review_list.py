"""Benchmark the review list and review page as the number of reviews grows.

Prints, for each size, the median time of a page and its query count; the query count must
stay flat. The reviews are decided, each with its deadlines, written in bulk
(``_setup.reviews_seed``). Runs on a throwaway SQLite file unless DATABASE_URL names another
database.

    make bench          # or: DJANGO_DEBUG=true .venv/bin/python benchmarks/review_list.py
"""

import _setup

_setup.django_setup()

from django.db import connection
from django.test import Client

SIZES = (5, 500, 5000)
RUNS = 15


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
        _setup.reviews_seed(size, cast, agencies)
        reference = Review.objects.order_by("id").values_list("reference", flat=True).first()
        list_ms, list_q = _setup.median_ms(client, "/reviews/", RUNS)
        page_ms, page_q = _setup.median_ms(client, f"/reviews/{reference}/", RUNS)
        print(f"{size:>8} {list_ms:>9.1f} {list_q:>7} {page_ms:>9.1f} {page_q:>7}")


if __name__ == "__main__":
    main()
