"""Measure every list and detail page on the national-scale data set (issue 15).

For each page and role: p50/p95 of the page and its query count, beside the Django admin
changelist of the same model (25 a page, the same order, as a superuser) and the page's main
query run alone (the slowest query the page ran, executed again with cursor.execute), with the
ratios page/admin and page/SQL. Runs are interleaved: every page once, then every page again.

    make bench-scale                      # builds the data set if needed, then this
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scr_scale .venv/bin/python \\
        benchmarks/scale/measure.py [--runs 20] [--only review] [--explain]

``--explain`` prints EXPLAIN (ANALYZE, BUFFERS) of each list page's main query instead.
"""

import argparse
import math
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/scr_scale")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scr.settings")
os.environ.setdefault("EMAIL_URL", "dummymail://")

import django

django.setup()

from django.conf import settings
from django.contrib import admin
from django.db import connection, reset_queries
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment

from agencies.models import Role, User
from agencies.signin import SECOND_FACTOR_GIVEN
from learning.models import Lesson
from publication.models import Publication
from reviews.models import (
    ChronologyEntry,
    Deadline,
    Notification,
    ReportRequest,
    Review,
    StageTransition,
)

# Models the app does not put in its admin: registered here, before the URLs are read, so that
# each page has an admin changelist of its own rows to be measured against.
ADMIN_ORDER = {
    Review: ["-referred_on", "-id"],
    Deadline: ["due_on", "id"],
    Notification: ["-created_at", "-id"],
    User: ["last_name", "first_name", "email"],
    ChronologyEntry: ["occurred_on", "occurred_time", "id"],
    StageTransition: ["-at", "-id"],
    Lesson: ["-id"],
    Publication: ["-id"],
}
for model, ordering in ADMIN_ORDER.items():
    if not admin.site.is_registered(model):
        admin.site.register(model, type(f"{model.__name__}Bench", (admin.ModelAdmin,), {}))
    model_admin = admin.site._registry[model]
    model_admin.list_per_page = 25
    model_admin.ordering = ordering
    model_admin.show_full_result_count = True


@dataclass
class Page:
    """A page to measure as one person, and its admin changelist counterpart."""

    name: str
    who: str
    url: str
    admin: str = ""
    is_list: bool = True


@dataclass
class Figures:
    times: list[float]
    admin_times: list[float]
    sql_times: list[float]
    queries: int = 0
    main_sql: str = ""
    status: int = 0


def login(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
        session = client.session
        session[SECOND_FACTOR_GIVEN] = True
        session.save()
    return client


def admin_url(model, page: int = 1) -> str:
    label = model._meta
    return f"/admin/{label.app_label}/{label.model_name}/?p={page}"


def last(count: int, per_page: int) -> int:
    return max(1, math.ceil(count / per_page))


def people() -> dict[str, User | None]:
    """One person of each role; the agency lead is the one whose agency is in scope of the most
    reviews, the panel member and author the ones on the largest review."""
    by_role = {
        role: User.objects.filter(groups__name=role, is_active=True).order_by("pk").first()
        for role in Role
    }
    busiest = (
        User.objects.filter(groups__name=Role.AGENCY_LEAD, agency__isnull=False)
        .annotate(scope=Count("agency__reviews_in_scope"))
        .order_by("-scope", "pk")
        .first()
    )
    return {
        "manager": by_role[Role.BOARD_MANAGER],
        "chair": by_role[Role.CHAIR],
        "author": by_role[Role.INDEPENDENT_AUTHOR],
        "panel": by_role[Role.PANEL_MEMBER],
        "lead": busiest,
        "anonymous": None,
        "admin": User.objects.filter(is_superuser=True).order_by("pk").first(),
    }


def pages(who: dict[str, User | None]) -> list[Page]:
    per = settings.REVIEWS_PER_PAGE
    reviews = Review.objects.count()
    biggest = (
        ChronologyEntry.objects.values("request__review")
        .annotate(entries=Count("id"))
        .order_by("-entries")
        .first()
    )
    assert biggest is not None, "No chronology: build the data set first (build.py)"
    largest = Review.objects.get(pk=biggest["request__review"])
    report = (
        ReportRequest.objects.filter(review=largest, agency=who["lead"].agency).first()
        or largest.report_requests.order_by("pk").first()
    )
    lead = who["lead"]
    if report.agency_id != lead.agency_id:
        lead = User.objects.filter(groups__name=Role.AGENCY_LEAD, agency=report.agency).first()
        who["lead of largest"] = lead
    else:
        who["lead of largest"] = lead
    entries = report.chronology.count()
    manager_tasks = Deadline.objects.filter(state=Deadline.State.OPEN).count()
    ref = largest.reference
    chrono = f"/reviews/{ref}/reports/{report.pk}/chronology/"
    result = []
    for role in ("manager", "chair", "author", "panel", "lead"):
        result.append(Page("review list", role, "/reviews/", admin_url(Review)))
    result += [
        Page(
            f"review list, last page ({last(reviews, per)})",
            "manager",
            f"/reviews/?page={last(reviews, per)}",
            admin_url(Review, last(reviews, per)),
        ),
        Page(
            "review list, sorted by target, stage filter",
            "manager",
            "/reviews/?stage=agency_reports&sort=target",
            admin_url(Review),
        ),
        Page("review list, sorted by pseudonym", "lead", "/reviews/?sort=pseudonym"),
    ]
    for role in ("manager", "chair", "author", "panel", "lead of largest"):
        result.append(
            Page(
                f"review page, largest ({ref})",
                role,
                f"/reviews/{ref}/",
                f"/admin/reviews/review/{largest.pk}/change/",
                is_list=False,
            )
        )
    result += [
        Page("My tasks", "manager", "/reviews/tasks/", admin_url(Deadline)),
        Page(
            f"My tasks, last page ({last(manager_tasks, per)})",
            "manager",
            f"/reviews/tasks/?page={last(manager_tasks, per)}",
            admin_url(Deadline, last(manager_tasks, per)),
        ),
        Page("My tasks", "lead", "/reviews/tasks/", admin_url(Deadline)),
        Page("notifications", "manager", "/reviews/notifications/", admin_url(Notification)),
        Page("notifications", "lead", "/reviews/notifications/", admin_url(Notification)),
        Page("people", "manager", "/people/", admin_url(User)),
        Page(
            f"chronology, first page ({entries} entries)",
            "lead of largest",
            chrono,
            admin_url(ChronologyEntry),
        ),
        Page(
            "chronology, last page",
            "lead of largest",
            f"{chrono}?page={last(entries, settings.CHRONOLOGY_PER_PAGE)}",
            admin_url(ChronologyEntry, last(entries, 25)),
        ),
        Page(
            "combined chronology",
            "manager",
            f"/reviews/{ref}/chronology/",
            admin_url(ChronologyEntry),
        ),
        Page(
            "combined chronology, last page",
            "manager",
            f"/reviews/{ref}/chronology/?page=1000000",
            admin_url(ChronologyEntry, 1000),
        ),
        Page("dashboard", "manager", "/reviews/dashboard/", admin_url(Review)),
        Page("dashboard", "chair", "/reviews/dashboard/", admin_url(Review)),
        Page("audit trail", "manager", f"/reviews/{ref}/audit/", admin_url(StageTransition)),
        Page("board statistics", "manager", "/board/statistics/", admin_url(Review)),
        Page("board quality", "manager", "/board/quality/", admin_url(Review)),
        Page("dissemination", "manager", "/learning/dissemination/", admin_url(Review)),
        Page("retention", "manager", "/board/retention/", admin_url(Review)),
        Page("lessons library", "manager", "/learning/", admin_url(Lesson)),
        Page("publications (public)", "anonymous", "/publications/", admin_url(Publication)),
    ]
    return result


def _main_query(captured: list[dict]) -> str:
    """The page's slowest read, skipping the session's."""
    useful = [
        q
        for q in captured
        if q["sql"].lstrip().upper().startswith("SELECT") and "django_session" not in q["sql"]
    ]
    if not useful:
        return ""
    return max(useful, key=lambda q: float(q["time"]))["sql"]


def timed(client: Client, url: str) -> tuple[float, int, list[dict], int]:
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - start
    return elapsed * 1000, len(queries), list(queries.captured_queries), response.status_code


def sql_timed(sql: str) -> float:
    if not sql:
        return 0.0
    with connection.cursor() as cursor:
        start = time.perf_counter()
        cursor.execute(sql)
        cursor.fetchall()
        return (time.perf_counter() - start) * 1000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(plan: list[Page], who: dict, runs: int) -> dict[int, Figures]:
    clients = {key: login(person) for key, person in who.items()}
    figures = {i: Figures([], [], []) for i in range(len(plan))}
    for i, page in enumerate(plan):  # warm every page and find its main query
        _ms, count, captured, status = timed(clients[page.who], page.url)
        figures[i].queries, figures[i].status = count, status
        figures[i].main_sql = _main_query(captured)
    for _ in range(runs):
        for i, page in enumerate(plan):
            figures[i].times.append(timed(clients[page.who], page.url)[0])
            if page.admin:
                figures[i].admin_times.append(timed(clients["admin"], page.admin)[0])
            figures[i].sql_times.append(sql_timed(figures[i].main_sql))
            reset_queries()
    return figures


def table(plan: list[Page], figures: dict[int, Figures]) -> None:
    head = (
        f"{'page':<48} {'as':<16} {'code':>4} {'p50 ms':>8} {'p95 ms':>8} {'queries':>7} "
        f"{'admin p50':>9} {'SQL p50':>8} {'page/admin':>10} {'page/SQL':>9}"
    )
    print(head)
    print("-" * len(head))
    for i, page in enumerate(plan):
        f = figures[i]
        p50, p95 = statistics.median(f.times), percentile(f.times, 0.95)
        admin_p50 = statistics.median(f.admin_times) if f.admin_times else 0.0
        sql_p50 = statistics.median(f.sql_times)
        ratio = f"{p50 / admin_p50:.1f}x" if admin_p50 else "-"
        sql_ratio = f"{p50 / sql_p50:.0f}x" if sql_p50 else "-"
        admin_text = f"{admin_p50:.1f}" if admin_p50 else "-"
        print(
            f"{page.name[:48]:<48} {page.who:<16} {f.status:>4} {p50:>8.1f} {p95:>8.1f} "
            f"{f.queries:>7} {admin_text:>9} {sql_p50:>8.2f} {ratio:>10} {sql_ratio:>9}"
        )


def explain(plan: list[Page], who: dict) -> None:
    clients = {key: login(person) for key, person in who.items()}
    for page in plan:
        if not page.is_list:
            continue
        _ms, _count, captured, _status = timed(clients[page.who], page.url)
        sql = _main_query(captured)
        print(f"\n=== {page.name} as {page.who}: {page.url}\n{sql}\n")
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            print("\n".join(row[0] for row in cursor.fetchall()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--only", default="", help="measure only pages whose name has this")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN each list page's query")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Measure on PostgreSQL: set DATABASE_URL to the data set built by build.py.")
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DEBUG = False  # templates and queries as in production; queries still captured
    who = people()
    plan = [p for p in pages(who) if args.only in p.name]
    counts = {
        "reviews": Review.objects.count(),
        "people": User.objects.count(),
        "chronology entries": ChronologyEntry.objects.count(),
        "open deadlines": Deadline.objects.filter(state=Deadline.State.OPEN).count(),
        "notifications": Notification.objects.count(),
    }
    print(", ".join(f"{v:,} {k}" for k, v in counts.items()))
    if args.explain:
        explain(plan, who)
        return
    print(f"{args.runs} runs a page, interleaved, django.test.Client in process")
    started = time.perf_counter()
    figures = measure(plan, who, args.runs)
    table(plan, figures)
    print(f"measured in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
