"""Sessions end after SCR_IDLE_SECONDS without a request (and SESSION_COOKIE_AGE after signing
in, however active); the warning dialog's "Stay signed in" extends them."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_thirty_minutes_idle_signs_out_with_an_explanation(client, manager):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(manager)
        clock.shift(timedelta(minutes=29))
        assert client.get(reverse("reviews:list")).status_code == 200
        clock.shift(timedelta(minutes=29))
        assert client.get(reverse("reviews:list")).status_code == 200
        clock.shift(timedelta(minutes=31))
        response = client.get(reverse("reviews:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('login')}?timed_out=1")
    assert SESSION_KEY not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "you had not done anything for 30 minutes" in page


def test_stay_signed_in_extends_the_session(client, manager):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(manager)
        clock.shift(timedelta(minutes=28))
        extended = client.post(reverse("session_extend"), HTTP_ACCEPT="application/json")
        assert extended.json() == {"expires_in": 1800}
        clock.shift(timedelta(minutes=28))
        assert client.get(reverse("reviews:list")).status_code == 200


def test_activity_does_not_outlast_the_absolute_limit(client, manager, settings):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(manager)
        for _ in range(settings.SESSION_COOKIE_AGE // 1200):
            clock.shift(timedelta(minutes=20))
            assert client.get(reverse("reviews:list")).status_code == 200
        clock.shift(timedelta(minutes=20))
        assert client.get(reverse("reviews:list")).status_code == 302


def test_pages_tell_the_timeout_dialog_how_long_is_left(client, manager):
    client.force_login(manager)
    html = client.get(reverse("reviews:list")).content.decode()
    assert 'data-expires-in="1800"' in html
    assert 'data-warning-seconds="120"' in html
