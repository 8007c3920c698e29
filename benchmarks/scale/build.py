"""Build the national-scale data set (issue 15) into a PostgreSQL database, once.

    make bench-scale                       # builds if needed, then measures
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scr_scale .venv/bin/python \\
        benchmarks/scale/build.py [--rebuild] [--reviews N] [--chronology N]

A marker table records a finished build: running again reuses the data set, ``--rebuild`` drops
the database and builds it afresh. How the rows are made: benchmarks/scale/dataset.py.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/scr_scale")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scr.settings")
os.environ.setdefault("EMAIL_URL", "dummymail://")  # the services' emails go nowhere

import django

django.setup()

import psycopg2
from django.core.management import call_command
from django.db import connection

from benchmarks.scale.dataset import Sizes, build, log

MARKER = "bench_scale_marker"


def marker_read() -> dict | None:
    """What the last finished build made, or None if the database holds no finished build."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [MARKER])
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute(f"SELECT facts FROM {MARKER}")
        row = cursor.fetchone()
    return json.loads(row[0]) if row else None


def marker_write(facts: dict) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {MARKER} (built_at timestamptz DEFAULT now(), facts text)")
        cursor.execute(f"INSERT INTO {MARKER} (facts) VALUES (%s)", [json.dumps(facts)])


def database_recreate() -> None:
    """Drop and create the database named by DATABASE_URL (connecting to "postgres")."""
    settings = connection.settings_dict
    connection.close()
    admin = psycopg2.connect(
        dbname="postgres",
        user=settings["USER"],
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        password=settings["PASSWORD"] or None,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{settings["NAME"]}"')
        cursor.execute(f'CREATE DATABASE "{settings["NAME"]}"')
    admin.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="drop the data set and build it")
    parser.add_argument("--reviews", type=int, default=Sizes.reviews)
    parser.add_argument("--chronology", type=int, default=Sizes.chronology)
    parser.add_argument("--people", type=int, default=Sizes.people)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("The national-scale data set is built on PostgreSQL: set DATABASE_URL to one.")
    if not args.rebuild:
        try:
            facts = marker_read()
        except django.db.OperationalError:
            facts = None
        if facts is not None:
            # The data set outlives the code: later migrations (an index, a column) are applied
            # to it, so the pages are measured on the schema they run on.
            call_command("migrate", verbosity=0)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            print(f"Reusing the data set in {connection.settings_dict['NAME']}: {facts}")
            return
    started = time.perf_counter()
    database_recreate()
    call_command("migrate", verbosity=0)
    log("database made and migrated", started)
    sizes = Sizes(reviews=args.reviews, chronology=args.chronology, people=args.people)
    facts, _copies = build(sizes=sizes)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    log("ANALYZE", started)
    marker_write(facts)
    print(f"Built {connection.settings_dict['NAME']} in {time.perf_counter() - started:.0f} s")
    print(json.dumps(facts, indent=2))


if __name__ == "__main__":
    main()
