"""The Celery broker is the real Redis when REDIS_URL is set (CI's second pass)."""

import os

import pytest

from scr.celery import app

pytestmark = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs the real Redis named by REDIS_URL"
)


@pytest.mark.redis
def test_celery_reaches_the_real_redis_broker(settings):
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=2)
        assert conn.transport.driver_type == "redis"
