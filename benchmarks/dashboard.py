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

import _setup

_setup.django_setup()

from django.db import connection
from django.test import Client

from agencies.models import Agency
from reviews.builders import cast_create

SIZES = (5, 500, 5000)
RUNS = 9


def main() -> None:
    _setup.schema_create()
    agencies = [Agency.objects.create(name=f"Bench agency {n}", sector="health") for n in range(6)]
    cast = cast_create(agencies=agencies, domain="bench.example")
    client = Client()
    client.force_login(cast.manager)
    print(f"database: {connection.vendor}; median of {RUNS} requests")
    print(f"{'reviews':>8} {'dashboard ms':>13} {'queries':>8} {'list ms':>9} {'queries':>8}")
    for size in SIZES:
        _setup.reviews_seed(size, cast, agencies)
        board_ms, board_q = _setup.median_ms(client, "/reviews/dashboard/", RUNS)
        list_ms, list_q = _setup.median_ms(client, "/reviews/?sort=target&overdue=yes", RUNS)
        print(f"{size:>8} {board_ms:>13.1f} {board_q:>8} {list_ms:>9.1f} {list_q:>8}")


if __name__ == "__main__":
    main()
