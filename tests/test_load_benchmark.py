"""The load test's pieces (benchmarks/load.py) against the real app: a person signs in through
the sign-in form with its CSRF token and clicks through one round of the main journeys, with
no error; and its figures. gunicorn itself is not started here: `make bench-load` does that."""

import importlib.util
import os
import threading
from pathlib import Path

import pytest
from django.test import Client

from agencies.models import Role
from tests.factories import TEST_PASSWORD

_PATH = Path(__file__).resolve().parent.parent / "benchmarks" / "load.py"
_SPEC = importlib.util.spec_from_file_location("load_benchmark", _PATH)
load = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(load)


class ClientTransport:
    """The load test's requests through Django's test client, with the person's own cookies
    (the client's jar is emptied before each request) and CSRF checks on, as in production."""

    def __init__(self):
        self.client = Client(enforce_csrf_checks=True)

    def send(self, *, method, path, headers, body):
        self.client.cookies.clear()
        extra = {
            "HTTP_" + name.upper().replace("-", "_"): value
            for name, value in headers.items()
            if name != "Content-Type"
        }
        path, _, query = path.partition("?")
        response = self.client.generic(
            method,
            path,
            body or b"",
            content_type=headers.get("Content-Type", "application/octet-stream"),
            QUERY_STRING=query,
            **extra,
        )
        content = b"".join(response.streaming_content) if response.streaming else response.content
        cookies = [("Set-Cookie", morsel.OutputString()) for morsel in response.cookies.values()]
        return load.Response(response.status_code, [*response.items(), *cookies], content)


@pytest.fixture
def served_static(settings):
    """Static files from the finders, as runserver serves them, since the tests do not collect
    them (WhiteNoise reads this when the test client's handler is first made)."""
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True


def _person(user, samples):
    return load.Person(
        browser=load.Browser(transport=ClientTransport(), record=samples.append),
        email=user.email,
        password=TEST_PASSWORD,
        think=0,
        stop=threading.Event(),
        rng=load.random.Random(1),
    )


@pytest.mark.django_db
def test_people_sign_in_and_click_through_every_journey(settings, served_static, overview):
    """The board manager's round opens the dashboard; the agency lead's reaches a report and
    its chronology from the review page. Every request answers 2xx or 3xx, and none sends
    anyone back to the sign-in page."""
    settings.SCR_MFA_REQUIRED_ROLES = []
    manager = overview.review.created_by
    assert manager.groups.filter(name=Role.BOARD_MANAGER).exists()
    samples: list = []
    for user in (manager, overview.leads[0]):
        person = _person(user, samples)
        assert person.sign_in()
        person.round()
    assert [s for s in samples if s.error] == []
    kinds = {s.kind for s in samples}
    assert {"sign in (post)", "static file", "dashboard", "review list", "review page"} <= kinds
    assert {"report page", "chronology", "my tasks", "notifications"} <= kinds
    assert "publications (public)" in kinds


@pytest.mark.django_db
def test_a_wrong_password_is_a_failed_sign_in(settings, manager):
    settings.SCR_MFA_REQUIRED_ROLES = []
    samples: list = []
    person = _person(manager, samples)
    person.password = "not-the-password"
    assert not person.sign_in()


def test_percentiles_by_nearest_rank():
    values = [float(n) for n in range(100, 0, -1)]
    assert load.percentile(values, 50) == 50
    assert load.percentile(values, 95) == 95
    assert load.percentile(values, 99) == 99
    assert load.percentile([7.0], 99) == 7


def test_the_summary_counts_errors_apart_from_times():
    samples = [
        load.Sample("review list", 0, 10.0, 200, ""),
        load.Sample("review list", 0, 30.0, 200, ""),
        load.Sample("review list", 0, 5000.0, 500, "HTTP 500"),
        load.Sample("my tasks", 0, 20.0, 200, ""),
    ]
    header, review_list, my_tasks, overall, rate = load.summary_lines(samples, seconds=2)
    assert header.split()[:3] == ["page", "requests", "errors"]
    assert review_list.split()[-6:] == ["3", "1", "10", "30", "30", "30"]
    assert my_tasks.split()[-6:] == ["1", "0", "20", "20", "20", "20"]
    assert overall.split()[1:] == ["4", "1", "20", "30", "30", "30"]
    assert rate == "requests a second: 2.0 over 2 s"
    assert load.error_lines(samples) == ["  1 x review list: HTTP 500"]


def test_cookies_are_kept_replaced_and_dropped():
    jar = load.CookieJar()
    jar.update(["sessionid=abc; HttpOnly; Path=/; Secure", "csrftoken=x; Path=/"])
    assert jar.header() == "sessionid=abc; csrftoken=x"
    jar.update(['sessionid=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/'])
    assert jar.header() == "csrftoken=x"


def test_cpu_is_read_from_proc():
    sum(n * n for n in range(200_000))  # some CPU to read
    assert load.process_cpu_seconds(os.getpid()) > 0
    busy, total = load.machine_cpu()
    assert 0 < busy <= total
