"""What the benchmarks that build their own data share: Django set up on a throwaway SQLite
file unless DATABASE_URL names another database (never a shared one: they write), an empty
schema, and a page's median time with its query count.

Each script imports this first (its folder is on the path when run as a script) and calls
``django_setup()`` before it imports anything of Django or the project.
"""

import os
import statistics
import sys
import tempfile
import time
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
    emails kept in memory)."""
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)


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
