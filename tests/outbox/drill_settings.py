"""Settings for the Celery workers the outbox drill starts (tests/outbox/test_outbox_drill.py):
the project's own, with a lease short enough for the drill to watch one run out, and long
enough to outlast a worker noticing that its pool process was killed (it looks every 5 s) and
running the lost task again."""

from scr.settings import *  # noqa: F403

OUTBOX_LEASE_SECONDS = 12
