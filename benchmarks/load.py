"""A bounded load test: people signed in to the app under gunicorn, clicking through its pages.

Starts gunicorn as docker-compose.yml runs it (3 workers, a 30 s timeout, debug off, static
files from WhiteNoise) on a free port of 127.0.0.1 only, signs in ``--people`` people (each as
one of the accounts, in turn: a board manager, a chair, an author, a panel member, an agency
lead), and lets them click through the main journeys with a pause between clicks, for
``--duration`` seconds; then stops gunicorn, also on Ctrl+C or an error. Each round a person
opens the dashboard (if their navigation has it), the review list (now and then a later page of
it), a review from the list, a report and a chronology reached from it, My tasks, their
notifications, and the public publications with one publication.

Prints the requests, the errors (an answer other than 2xx or 3xx, a redirect to the sign-in
page, or no answer), requests a second, p50/p95/p99 for each kind of page and overall, and the
CPU a request of the gunicorn workers and of the database's PostgreSQL processes (from /proc).
The sign-ins are timed apart: they happen before the measured window, as people sign in once
and then work. On a machine doing other work too, the times say more about that work than about
the app: the load average before the run is printed beside them.

By default it rebuilds the PostgreSQL database ``scr_load`` from the demo data (``migrate`` and
``demo_data``, a minute or two); ``--database-url`` runs against an existing database instead
(a copy: signing in writes sessions), signing in as ``--user`` with ``--password``, or by
default as the first people of each role in it. Only the standard library on the client side:
the threads stand for people, who mostly wait, so the client's own cost stays small.

    make bench-load
    .venv/bin/python benchmarks/load.py --people 50 --think 1 --duration 60
    .venv/bin/python benchmarks/load.py --database-url postgres://postgres@127.0.0.1/scr_copy \\
        --password national-scale-benchmark
"""

import argparse
import contextlib
import html
import http.client
import itertools
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Protocol

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
DEMO_PASSWORD = "northshire-demo"
DEMO_USERS = (
    "manager@northshire.example",
    "chair@northshire.example",
    "author@northshire.example",
    "panel@northshire.example",
    "agency@northshire.example",
)
# The roles' group names (agencies.models.Role), for drawing accounts from a database.
ROLES = ("Board manager", "Chair", "Independent author", "Panel member", "Agency lead")
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/scr_load"
DEFAULT_REDIS = "redis://127.0.0.1:6379/15"
# Longer than gunicorn's 30 s timeout: a worker killed mid-request shows as an error, not a hang.
REQUEST_TIMEOUT = 35.0
SIGN_IN_PATH = "/sign-in/"

# The pages a person reaches from their navigation (when it shows them) and the public site.
DASHBOARD = "/reviews/dashboard/"
REVIEW_LIST = "/reviews/"
MY_TASKS = "/reviews/tasks/"
NOTIFICATIONS = "/reviews/notifications/"
PUBLICATIONS = "/publications/"

_HREF = re.compile(r'href="([^"]*)"')
_NAV_LINK = re.compile(r'<a class="govuk-service-navigation__link" href="([^"]+)"')
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_REVIEW = re.compile(r"^/reviews/[A-Z]+-\d{4}-\d+/$")
_REPORT = re.compile(r"^/reviews/[^/]+/reports/\d+/$")
_CHRONOLOGY = re.compile(r"^/reviews/[^/]+/(?:reports/\d+/)?chronology/$")
_PUBLICATION = re.compile(r"^/publications/\d+/$")
# A link to another page of the same list (numbered, or a key to start after).
_LIST_PAGE = re.compile(r"^\?(?:.*&)?(?:page|after|before|cursor)=[^&]+$")
# The stylesheet, the scripts and the module the page's inline script imports.
_STATIC = re.compile(r'(?:href=|src=|from )"(/static/[^"]+\.(?:css|js))"')


# --- The client: one browser per person ---


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str:
        return next((v for k, v in self.headers if k.lower() == name.lower()), "")

    def all(self, name: str) -> list[str]:
        return [v for k, v in self.headers if k.lower() == name.lower()]

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class Transport(Protocol):
    """Sends one request and reads the whole answer (an HTTP connection, or a test client)."""

    def send(
        self, *, method: str, path: str, headers: dict[str, str], body: bytes | None
    ) -> Response: ...


class HttpTransport:
    """A new connection per request, as gunicorn's sync workers close each one anyway."""

    def __init__(self, *, host: str, port: int):
        self.host, self.port = host, port

    def send(
        self, *, method: str, path: str, headers: dict[str, str], body: bytes | None
    ) -> Response:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=REQUEST_TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            return Response(answer.status, answer.getheaders(), answer.read())
        finally:
            connection.close()


class CookieJar:
    """Name to value, for one site on loopback. Secure cookies are sent over plain http, as
    browsers do for 127.0.0.1 and localhost (a secure context), so the production settings'
    secure session and CSRF cookies work without weakening them."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def update(self, set_cookie_headers: list[str]) -> None:
        for header in set_cookie_headers:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel.value == "" or morsel["max-age"] == "0":
                    self.values.pop(name, None)
                else:
                    self.values[name] = morsel.value

    def header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.values.items())


@dataclass(frozen=True)
class Sample:
    kind: str
    started: float
    ms: float
    status: int
    error: str


def page_links(body: str, pattern: re.Pattern[str]) -> list[str]:
    """The distinct links of the page that match ``pattern``, in the page's order."""
    found = (html.unescape(href) for href in _HREF.findall(body))
    return list(dict.fromkeys(href for href in found if pattern.match(href)))


class Browser:
    """One person's browser: their cookies, and a record of each request it made."""

    def __init__(self, *, transport: Transport, record: Callable[[Sample], None]):
        self.transport, self.record = transport, record
        self.cookies = CookieJar()
        self.signed_in = False

    def open(self, path: str, *, kind: str, form: dict[str, str] | None = None) -> Response | None:
        """GET ``path`` (POST ``form`` to it if given) and record it; None when it failed.
        Once signed in, a redirect to the sign-in page is an error: the session was lost."""
        headers = {"User-Agent": "scr-load-test", "Accept": "text/html"}
        if self.cookies.values:
            headers["Cookie"] = self.cookies.header()
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            response = self.transport.send(
                method="GET" if form is None else "POST", path=path, headers=headers, body=body
            )
        except (OSError, http.client.HTTPException) as error:
            self._record(kind, started, 0, f"{type(error).__name__}: {error}")
            return None
        self.cookies.update(response.all("Set-Cookie"))
        error = "" if 200 <= response.status < 400 else f"HTTP {response.status}"
        location = urllib.parse.urlsplit(response.header("Location")).path
        if self.signed_in and location == SIGN_IN_PATH:
            error = "redirected to sign in"
        self._record(kind, started, response.status, error)
        return None if error else response

    def _record(self, kind: str, started: float, status: int, error: str) -> None:
        ms = (time.perf_counter() - started) * 1000
        self.record(Sample(kind, started, ms, status, error))


@dataclass
class Person:
    """Someone who signs in once and then clicks through the main journeys, pausing
    ``think`` seconds on average (uniformly between half and one and a half times it) between
    clicks, until ``stop`` is set."""

    browser: Browser
    email: str
    password: str
    think: float
    stop: threading.Event
    rng: random.Random
    navigation: set[str] = field(default_factory=set)
    chronologies: set[str] = field(default_factory=set)

    def sign_in(self) -> bool:
        """The sign-in page, its form posted with the CSRF token, then the redirects to the
        person's home (the dashboard or the review list); False if any step failed."""
        form_page = self.browser.open(SIGN_IN_PATH, kind="sign-in page")
        token = _CSRF.search(form_page.text) if form_page else None
        if token is None:
            return False
        answer = self.browser.open(
            SIGN_IN_PATH,
            kind="sign in (post)",
            form={
                "csrfmiddlewaretoken": html.unescape(token.group(1)),
                "username": self.email,
                "password": self.password,
            },
        )
        if answer is None or answer.status != 302:
            return False
        self.browser.signed_in = True
        home = self.browser.open(
            urllib.parse.urlsplit(answer.header("Location")).path or "/", kind="home"
        )
        target = urllib.parse.urlsplit(home.header("Location")).path if home else ""
        page = self.browser.open(target, kind="home page") if target else None
        if page is None:
            return False
        self._read_navigation(page)
        self._fetch_static(page)
        return bool(self.navigation)

    def work(self) -> None:
        """Rounds of the main journeys until ``stop`` is set; each person starts at a random
        point of the first pause, so that the clicks of fifty people do not fall together."""
        if self.stop.wait(self.rng.uniform(0, self.think)):
            return
        while not self.stop.is_set():
            self.round()

    def round(self) -> None:
        """One pass through the main journeys, each step a click followed by a pause."""
        if DASHBOARD in self.navigation:
            self.click(DASHBOARD, kind="dashboard")
        listing = self.click(REVIEW_LIST, kind="review list")
        if listing is not None:
            later = self._later_list_page(listing)
            if later is not None:
                listing = self.click(later, kind="review list, later page") or listing
            self._review(listing)
        if self.chronologies:
            self.click(self.rng.choice(sorted(self.chronologies)), kind="chronology")
        self.click(MY_TASKS, kind="my tasks")
        self.click(NOTIFICATIONS, kind="notifications")
        public = self.click(PUBLICATIONS, kind="publications (public)")
        publications = page_links(public.text, _PUBLICATION) if public else []
        if publications:
            self.click(self.rng.choice(publications), kind="publication (public)")

    def click(self, path: str, *, kind: str) -> Response | None:
        """Open a page, then pause as a person reading it would (unless time is up)."""
        if self.stop.is_set():
            return None
        page = self.browser.open(path, kind=kind)
        self.stop.wait(self.rng.uniform(0.5, 1.5) * self.think)
        return page

    def _review(self, listing: Response) -> None:
        """A review from the list, and a report and its chronology reached from it, if the
        person may see one; chronologies found are kept to open on later rounds."""
        reviews = page_links(listing.text, _REVIEW)
        if not reviews:
            return
        review = self.click(self.rng.choice(reviews), kind="review page")
        if review is None:
            return
        self.chronologies.update(page_links(review.text, _CHRONOLOGY))
        reports = page_links(review.text, _REPORT)
        if reports:
            report = self.click(self.rng.choice(reports), kind="report page")
            if report is not None:
                self.chronologies.update(page_links(report.text, _CHRONOLOGY))

    def _later_list_page(self, listing: Response) -> str | None:
        """One round in three, a page of the list other than the first, if it has more."""
        pages = [href for href in page_links(listing.text, _LIST_PAGE) if href != "?page=1"]
        if not pages or self.rng.random() >= 1 / 3:
            return None
        return REVIEW_LIST + self.rng.choice(pages)

    def _read_navigation(self, page: Response) -> None:
        self.navigation = {html.unescape(href) for href in _NAV_LINK.findall(page.text)}

    def _fetch_static(self, page: Response) -> None:
        """The stylesheet and scripts, once: a browser keeps them (WhiteNoise's hashed names
        are cached for a year)."""
        for path in dict.fromkeys(_STATIC.findall(page.text)):
            self.browser.open(html.unescape(path), kind="static file")


# --- The figures ---


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank percentile (``q`` from 0 to 100) of values, sorted or not."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def summary_lines(samples: list[Sample], *, seconds: float | None = None) -> list[str]:
    """A table of requests, errors and p50/p95/p99 (ms) per kind of request, then overall,
    and the requests a second over ``seconds`` if given."""
    by_kind: dict[str, list[Sample]] = defaultdict(list)
    for sample in samples:
        by_kind[sample.kind].append(sample)
    width = max([len("overall"), *(len(kind) for kind in by_kind)])
    lines = [
        f"{'page':<{width}}  {'requests':>8}  {'errors':>6}  {'p50 ms':>7}  {'p95 ms':>7}"
        f"  {'p99 ms':>7}  {'max ms':>7}"
    ]
    rows = sorted(by_kind.items(), key=lambda item: -len(item[1]))
    for kind, group in [*rows, ("overall", samples)]:
        times = [s.ms for s in group if not s.error]
        errors = sum(1 for s in group if s.error)
        lines.append(
            f"{kind:<{width}}  {len(group):>8}  {errors:>6}  {percentile(times, 50):>7.0f}"
            f"  {percentile(times, 95):>7.0f}  {percentile(times, 99):>7.0f}"
            f"  {max(times, default=float('nan')):>7.0f}"
        )
    if seconds:
        lines.append(f"requests a second: {len(samples) / seconds:.1f} over {seconds:.0f} s")
    return lines


def error_lines(samples: list[Sample], *, limit: int = 10) -> list[str]:
    counts = Counter((s.kind, s.error) for s in samples if s.error)
    return [f"  {n} x {kind}: {error}" for (kind, error), n in counts.most_common(limit)]


# --- CPU from /proc (Linux) ---


_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def process_cpu_seconds(pid: int, *, reaped_children: bool = False) -> float:
    """User and system CPU of a process (and of its children it has waited for, if asked),
    from /proc/<pid>/stat; 0 once it has gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    # Fields after the command name, which may itself hold spaces and parentheses.
    fields = stat.rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])
    if reaped_children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / _TICKS


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def gunicorn_cpu_seconds(master: int) -> float:
    """CPU of the workers alive now plus those the master has reaped (a worker restarted after
    a timeout still counts), and the master's own."""
    own = process_cpu_seconds(master, reaped_children=True)
    return own + sum(process_cpu_seconds(pid) for pid in children(master))


def database_backends(name: str) -> list[int]:
    """PostgreSQL's server processes for database ``name`` on this machine (their process
    title names the database)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if title.startswith(b"postgres: ") and f" {name} ".encode() in title:
            found.append(int(entry.name))
    return found


class DatabaseCpu:
    """CPU of one database's server processes over the window, sampled every second by a
    thread: a connection closed within it (CONN_MAX_AGE) counts up to its last sample, and one
    opened within it from zero."""

    def __init__(self, name: str):
        self.name = name
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._sample_until_stopped, daemon=True)

    def start(self) -> None:
        for pid in database_backends(self.name):
            self.first[pid] = self.last[pid] = process_cpu_seconds(pid)
        self.thread.start()

    def stop(self) -> float:
        """Stop sampling; the CPU seconds used since ``start``."""
        self.stopped.set()
        self.thread.join()
        self._sample()
        return sum(self.last[pid] - self.first[pid] for pid in self.last)

    def _sample_until_stopped(self) -> None:
        while not self.stopped.wait(1):
            self._sample()

    def _sample(self) -> None:
        for pid in database_backends(self.name):
            cpu = process_cpu_seconds(pid)
            self.first.setdefault(pid, 0.0)
            if cpu:
                self.last[pid] = cpu


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, from /proc/stat: the database,
    this client and anything else running count too."""
    try:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except FileNotFoundError:
        return 0.0, 0.0
    idle = values[3] + values[4]
    return (sum(values[:8]) - idle) / _TICKS, sum(values[:8]) / _TICKS


# --- The server and its data ---


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(*args: str, env: dict[str, str], log: Path) -> None:
    """Run a management command, its output to ``log``; raise with the log's end if it fails."""
    with log.open("ab") as out:
        done = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=out, stderr=out
        )
    if done.returncode:
        tail = log.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{tail}")


def database_rebuild(url: str) -> None:
    """Drop and create the database ``url`` names (the load test's own, nobody else's)."""
    from psycopg2 import sql

    name = urllib.parse.urlsplit(url).path.lstrip("/")
    server = _connect(url, dbname="postgres")
    server.autocommit = True
    try:
        with server.cursor() as cursor:
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        server.close()


def _connect(url: str, *, dbname: str | None = None):
    import psycopg2

    parts = urllib.parse.urlsplit(url)
    return psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=urllib.parse.unquote(parts.username or ""),
        password=urllib.parse.unquote(parts.password or ""),
        dbname=dbname or parts.path.lstrip("/"),
    )


def accounts_from_database(url: str, *, people: int) -> list[str]:
    """Up to one account a person, taken in turn from each role (the first active people of
    each, by id, who have no authenticator app: they would be asked for a code)."""
    per_role = -(-people // len(ROLES))
    connection = _connect(url)
    try:
        with connection.cursor() as cursor:
            found = []
            for role in ROLES:
                cursor.execute(
                    """
                    SELECT u.email FROM agencies_user u
                    JOIN agencies_user_groups m ON m.user_id = u.id
                    JOIN auth_group g ON g.id = m.group_id
                    WHERE g.name = %s AND u.is_active AND NOT EXISTS (
                        SELECT 1 FROM otp_totp_totpdevice d
                        WHERE d.user_id = u.id AND d.confirmed
                    )
                    ORDER BY u.id LIMIT %s
                    """,
                    [role, per_role],
                )
                found.append([email for (email,) in cursor.fetchall()])
    finally:
        connection.close()
    # Interleaved, so that any number of people spreads over the roles.
    return [email for row in itertools.zip_longest(*found) for email in row if email]


def demo_database_build(*, url: str, media: Path, log: Path) -> None:
    """The demo data in a fresh database, as ``make run`` loads it (debug on, which the demo
    command insists on; tasks, such as rendering the published PDF, run in-process), then
    analysed."""
    database_rebuild(url)
    env = {
        **os.environ,
        "DJANGO_DEBUG": "true",
        "DATABASE_URL": url,
        "DJANGO_MEDIA_ROOT": str(media),
        "SCR_MFA_REQUIRED_ROLES": "",
        "REDIS_URL": "",
    }
    manage("migrate", "--noinput", env=env, log=log)
    manage("demo_data", env=env, log=log)
    # Statistics, as autovacuum gathers them soon after a load: without them the planner
    # guesses thousands of rows in each small table, and JIT-compiles the dashboard's review
    # query (about 1.4 s a request here) on costs that only the guesses make high.
    connection = _connect(url)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    finally:
        connection.close()


def server_env(*, database_url: str, redis_url: str, media: Path, port: int) -> dict[str, str]:
    """Production settings as docker-compose.yml gives them, for plain http on loopback: debug
    off with a throwaway key, only 127.0.0.1 allowed, no HTTPS redirect (as the compose file
    sets it), no second factor (so the accounts sign in with a password alone), and email kept
    in memory so nothing can leave the machine. Secure cookies and HSTS stay as they are."""
    return {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": f"load-test-{secrets.token_urlsafe(32)}",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "SCR_MFA_REQUIRED_ROLES": "",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DJANGO_MEDIA_ROOT": str(media),
        "EMAIL_URL": "memorymail://",
        "SCR_SITE_URL": f"http://127.0.0.1:{port}",
        "DJANGO_LOG_LEVEL": "WARNING",
    }


@contextlib.contextmanager
def gunicorn(*, env: dict[str, str], port: int, workers: int, log: Path) -> Iterator[int]:
    """gunicorn as docker-compose.yml runs it, bound to 127.0.0.1 only; yields the master's
    pid once /healthz answers, and stops it (then its whole process group) on the way out."""
    with log.open("ab") as out:
        process = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "scr.wsgi:application",
                *("--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--timeout", "30"),
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=out,
            # Its own process group: Ctrl+C reaches this script, which stops it in order.
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        while not _healthy(port):
            if process.poll() is not None or time.monotonic() > deadline:
                tail = log.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"gunicorn did not start:\n{tail}")
            time.sleep(0.2)
        yield process.pid
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=35)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def _healthy(port: int) -> bool:
    try:
        answer = HttpTransport(host="127.0.0.1", port=port).send(
            method="GET", path="/healthz", headers={}, body=None
        )
    except OSError:
        return False
    return answer.status == 200


# --- The run ---


def people_sign_in(people: list[Person], *, at_once: int) -> list[Person]:
    """Everyone signs in, ``at_once`` at a time (a password's hash takes a worker's CPU for a
    while: fifty at once would queue past gunicorn's timeout, which people arriving over the
    morning never do); those who could not are left out."""
    signed_in: list[Person] = []
    lock = threading.Lock()
    turns = threading.Semaphore(at_once)

    def sign_in(person: Person) -> None:
        with turns:
            done = person.sign_in()
        if done:
            with lock:
                signed_in.append(person)

    threads = [threading.Thread(target=sign_in, args=(p,), daemon=True) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return signed_in


def run(
    *,
    transport_for: Callable[[], Transport],
    users: list[str],
    password: str,
    people: int,
    think: float,
    duration: float,
    seed: int,
    signing_in_at_once: int,
    on_window: Callable[[str], None] = lambda moment: None,
) -> tuple[list[Sample], list[Sample], float]:
    """Sign ``people`` people in, then let them work for ``duration`` seconds. Returns the
    sign-in requests, the requests of the measured window, and the window's length.
    ``on_window("start")`` and ``("end")`` mark the window (for the CPU readings)."""
    samples: list[Sample] = []
    lock = threading.Lock()

    def record(sample: Sample) -> None:
        with lock:
            samples.append(sample)

    stop = threading.Event()
    crowd = [
        Person(
            browser=Browser(transport=transport_for(), record=record),
            email=users[n % len(users)],
            password=password,
            think=think,
            stop=stop,
            rng=random.Random(seed + n),
        )
        for n in range(people)
    ]
    working = people_sign_in(crowd, at_once=signing_in_at_once)
    with lock:
        sign_ins = list(samples)
        samples.clear()
    on_window("start")
    started = time.perf_counter()
    threads = [threading.Thread(target=p.work, daemon=True) for p in working]
    try:
        for thread in threads:
            thread.start()
        stop.wait(duration)
    finally:
        stop.set()
        # A click already sent is waited for (its answer is part of the figures), no longer.
        for thread in threads:
            thread.join(REQUEST_TIMEOUT + 1)
    seconds = time.perf_counter() - started
    on_window("end")
    with lock:
        return sign_ins, list(samples), seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=50, help="people at once (default 50)")
    parser.add_argument("--think", type=float, default=1.0, help="seconds between clicks")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds measured")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3)")
    parser.add_argument(
        "--database-url", help="an existing database to run against (default: rebuild scr_load)"
    )
    parser.add_argument(
        "--user",
        action="append",
        dest="users",
        help=(
            "an account to sign in as, repeatable (default: the five demo accounts, or with "
            "--database-url the first people of each role, one account a person)"
        ),
    )
    parser.add_argument("--password", default=DEMO_PASSWORD, help="the accounts' password")
    parser.add_argument(
        "--redis-url", default=DEFAULT_REDIS, help="the broker the app queues tasks on"
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the people's choices")
    args = parser.parse_args(argv)

    # A SIGTERM (or the terminal closing) unwinds like Ctrl+C, so gunicorn is stopped too.
    def interrupted(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGHUP, interrupted)

    work = Path(tempfile.mkdtemp(prefix="scr-load-"))
    media, log = work / "media", work / "build.log"
    media.mkdir()
    try:
        database_url = args.database_url
        if database_url is None:
            database_url = DEFAULT_DATABASE
            print(f"Building {urllib.parse.urlsplit(database_url).path[1:]} from the demo data…")
            demo_database_build(url=database_url, media=media, log=log)
            users = args.users or list(DEMO_USERS)
        else:
            users = args.users or accounts_from_database(database_url, people=args.people)
        if not users:
            raise SystemExit("No accounts to sign in as: name them with --user.")
        port = free_port()
        env = server_env(
            database_url=database_url, redis_url=args.redis_url, media=media, port=port
        )
        print("Collecting static files…")
        manage("collectstatic", "--noinput", env=env, log=log)
        server_log = work / "gunicorn.log"
        with gunicorn(env=env, port=port, workers=args.workers, log=server_log) as master:
            print(
                f"gunicorn on http://127.0.0.1:{port}/ ({args.workers} workers); "
                f"{args.people} people as {len(set(users))} accounts, {args.think:g} s between "
                f"clicks, {args.duration:g} s; load average before: {os.getloadavg()[0]:.1f}"
            )
            readings: dict[str, tuple[float, float, float, float]] = {}
            database = DatabaseCpu(urllib.parse.urlsplit(database_url).path.lstrip("/"))

            def on_window(moment: str) -> None:
                if moment == "start":
                    database.start()
                    used = 0.0
                else:
                    used = database.stop()
                readings[moment] = (gunicorn_cpu_seconds(master), used, *machine_cpu())

            sign_ins, samples, seconds = run(
                transport_for=lambda: HttpTransport(host="127.0.0.1", port=port),
                users=users,
                password=args.password,
                people=args.people,
                think=args.think,
                duration=args.duration,
                seed=args.seed,
                signing_in_at_once=args.workers,
                on_window=on_window,
            )
        report(
            sign_ins=sign_ins,
            samples=samples,
            seconds=seconds,
            readings=readings,
            server_log=server_log,
        )
        return 1 if any(s.error for s in [*sign_ins, *samples]) else 0
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report(
    *,
    sign_ins: list[Sample],
    samples: list[Sample],
    seconds: float,
    readings: dict[str, tuple[float, float, float, float]],
    server_log: Path,
) -> None:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print("\nSigning in (before the measured window):")
    for line in summary_lines(sign_ins):
        print(f"  {line}")
    print(f"\nThe measured window ({cores} cores):")
    for line in summary_lines(samples, seconds=seconds):
        print(line)
    if "start" in readings and "end" in readings and samples:
        (g0, _, busy0, total0), (g1, db, busy1, total1) = readings["start"], readings["end"]
        machine = (busy1 - busy0) / (total1 - total0) * 100 if total1 > total0 else float("nan")
        print(
            f"CPU a request: gunicorn's workers {(g1 - g0) * 1000 / len(samples):.1f} ms, "
            f"PostgreSQL {db * 1000 / len(samples):.1f} ms ({g1 - g0:.1f} s and {db:.1f} s over "
            f"{seconds:.0f} s: {(g1 - g0 + db) / seconds:.2f} cores busy serving)"
        )
        print(
            f"The machine's CPU was {machine:.0f}% busy, everything on it included: this client "
            f"and any other work (a load average of {os.getloadavg()[0]:.1f} now)"
        )
    errors = error_lines([*sign_ins, *samples])
    if errors:
        print("Errors:")
        print("\n".join(errors))
    timeouts = server_log.read_text(errors="replace").count("WORKER TIMEOUT")
    if timeouts:
        print(f"gunicorn killed {timeouts} worker(s) that took over 30 s")


if __name__ == "__main__":
    sys.exit(main())
