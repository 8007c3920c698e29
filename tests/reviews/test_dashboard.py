"""The board's dashboard: each open review against its target (the rule, clock stops and
extensions), the figures and the lists they link to, the month-by-month chart from history,
overdue deadlines by agency, who may see it, and queries that do not grow with reviews."""

import re
from datetime import datetime, time, timedelta
from html import unescape

import pytest
import time_machine
from django.db import connection
from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm

from agencies.models import Role
from agencies.services import agency_leads_group, person_roles_set
from reviews.builders import Cast, review_at
from reviews.models import ClockEvent, Deadline, Review, StageTransition
from reviews.selectors.clock import (
    TargetStatus,
    review_target_annotate,
    target_counts_on_days,
    target_status,
)
from reviews.selectors.dashboard import dashboard_for
from reviews.selectors.progress import review_next_step
from reviews.services.clock import (
    clock_extend,
    clock_restart,
    clock_stop,
    deadline_open,
    deadline_reschedule,
    deadline_waive,
)
from reviews.views.dashboard import _scale
from tests.factories import (
    AgencyFactory,
    DeadlineFactory,
    ReviewFactory,
    StageTransitionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


def _with_target(manager, *, due_in: int, allowed: int = 182, **fields) -> Review:
    """A decided review, decided 100 days ago, given ``allowed`` days to its original target
    and now due in ``due_in`` days."""
    decided_on = _today() - timedelta(days=100)
    review = ReviewFactory(
        decided=True,
        created_by=manager,
        referred_on=decided_on - timedelta(days=2),
        incident_date=decided_on - timedelta(days=9),
        decision__decided_on=decided_on,
        **fields,
    )
    DeadlineFactory(
        review=review,
        kind=Deadline.Kind.REVIEW_COMPLETE,
        due_on=_today() + timedelta(days=due_in),
        original_due_on=decided_on + timedelta(days=allowed),
    )
    return review


def _status(review: Review) -> Review:
    return review_target_annotate(Review.objects.filter(pk=review.pk)).get()


@pytest.mark.parametrize(
    ("due_in", "allowed", "expected"),
    [
        (60, 182, TargetStatus.ON_TRACK),
        # A fifth of 182 days is 36.4: 37 days left is on track, 36 at risk.
        (37, 182, TargetStatus.ON_TRACK),
        (36, 182, TargetStatus.AT_RISK),
        # A fifth of 100 days is 20: the 28-day rule decides.
        (29, 100, TargetStatus.ON_TRACK),
        (28, 100, TargetStatus.AT_RISK),
        (0, 182, TargetStatus.AT_RISK),
        (-1, 182, TargetStatus.OVER),
    ],
)
def test_each_review_is_on_track_at_risk_or_over_by_the_rule(manager, due_in, allowed, expected):
    review = _status(_with_target(manager, due_in=due_in, allowed=allowed))
    assert review.target_status == expected
    assert review.days_left == timedelta(days=due_in)


def test_a_review_without_an_open_target_or_closed_has_none(manager):
    awaiting = ReviewFactory(created_by=manager)
    waived = _with_target(manager, due_in=-5)
    waived.deadlines.update(state=Deadline.State.WAIVED)
    closed = _with_target(manager, due_in=-5, stage=Review.Stage.CLOSED)
    for review in (awaiting, waived, closed):
        annotated = _status(review)
        assert annotated.target_status == TargetStatus.NO_TARGET
        assert annotated.target_due is None


def test_while_the_clock_is_stopped_the_days_stand_still(manager):
    """Stopped 20 days ago with the target 10 days away: 30 days were left when it stopped,
    and 30 are left after the restart, which moves the target on by the days stopped."""
    review = _with_target(manager, due_in=10, allowed=100)
    assert _status(review).target_status == TargetStatus.AT_RISK
    with time_machine.travel(timezone.now() - timedelta(days=20), tick=False):
        clock_stop(review=review, actor=manager, reason="Criminal proceedings.")
    stopped = _status(review)
    assert stopped.clock_stopped_on == _today() - timedelta(days=20)
    assert stopped.days_left == timedelta(days=30)
    assert stopped.target_status == TargetStatus.ON_TRACK

    clock_restart(review=review, actor=manager, reason="Proceedings over.")
    restarted = _status(review)
    assert restarted.clock_stopped_on is None
    assert restarted.days_left == timedelta(days=30)
    assert restarted.target_status == TargetStatus.ON_TRACK


def test_an_extension_moves_the_target_and_the_status(manager):
    review = _with_target(manager, due_in=-3)
    assert _status(review).target_status == TargetStatus.OVER
    clock_extend(review=review, actor=manager, days=60, reason="Criminal proceedings.")
    extended = _status(review)
    assert extended.days_left == timedelta(days=57)
    assert extended.target_status == TargetStatus.ON_TRACK


def _figures(html: str) -> list[tuple[str, int]]:
    """Every figure of the page that links to a list: (its address, the number shown)."""
    main = html[html.index('<main class="govuk-main-wrapper"') :]
    found = re.findall(r'<a class="govuk-link" href="([^"]+)">(\d+)<span', main)
    return [(unescape(href), int(number)) for href, number in found]


@pytest.fixture
def board(manager, agency, other_agency):
    """Reviews at every point against their target, one awaiting the chair's decision, one
    closed, and overdue deadlines and actions of two agencies and of the board manager."""
    over = _with_target(manager, due_in=-12, referring_agency=agency)
    at_risk = _with_target(manager, due_in=10, framework="lcspr")
    on_track = _with_target(manager, due_in=120)
    ReviewFactory(created_by=manager)
    closed = _with_target(manager, due_in=-40, stage=Review.Stage.CLOSED)
    closed.deadlines.update(state=Deadline.State.MET)
    late = _today() - timedelta(days=3)
    DeadlineFactory(review=over, kind=Deadline.Kind.AGENCY_REPORT, owner_agency=agency, due_on=late)
    DeadlineFactory(review=over, kind=Deadline.Kind.ACTION, owner_agency=agency, due_on=late)
    DeadlineFactory(
        review=at_risk, kind=Deadline.Kind.ACTION, owner_agency=other_agency, due_on=late
    )
    DeadlineFactory(
        review=on_track,
        kind=Deadline.Kind.ACTION,
        owner_agency=other_agency,
        due_on=_today() + timedelta(days=5),
    )
    DeadlineFactory(review=at_risk, kind=Deadline.Kind.NOTIFY_NATIONAL_BODIES, due_on=late)
    DeadlineFactory(review=over, kind=Deadline.Kind.RAPID_REVIEW, due_on=late, met=True)
    return over


def test_the_dashboards_figures(manager, agency, other_agency, board):
    dashboard = dashboard_for(user=manager)
    stages = {row.stage: row.count for row in dashboard.stages}
    assert stages == {
        "referral": 1,
        "awaiting_decision": 1,
        "panel": 3,
        "agency_reports": 0,
        "overview": 0,
        "action_plan": 0,
        "publication": 0,
        "closed": 1,
    }
    assert dashboard.targets == {"on_track": 1, "at_risk": 1, "over": 1, "no_target": 1}
    assert [r.target_status for r in dashboard.urgent] == ["over", "at_risk", "on_track"]
    overdue = [(row.agency_name, row.deadlines, row.actions) for row in dashboard.overdue]
    assert overdue == [
        ("Northshire Constabulary", 1, 1),
        ("Riverside Academy Trust", 0, 1),
        # The notification to the national bodies, and the over review's own target.
        ("The board manager", 2, 0),
    ]
    assert (dashboard.overdue_deadlines, dashboard.overdue_actions) == (3, 2)
    assert str(dashboard.rule).startswith("At risk: 28 days or fewer left")


@pytest.mark.parametrize("role", [Role.BOARD_MANAGER, Role.CHAIR])
def test_every_figure_links_to_a_list_of_as_many(client, board, role):
    """Each number on the dashboard is a link, and the list it opens (the review list or
    "My tasks", filtered) holds exactly that many rows."""
    client.force_login(UserFactory(role=role))
    response = client.get(reverse("reviews:dashboard"))
    figures = _figures(response.content.decode())
    # Stages, targets, today in the chart, and the overdue table (2 agencies, the board, all).
    assert len(figures) == 8 + 4 + 3 + (2 + 2 + 1 + 2)
    for href, number in figures:
        listed = client.get(href)
        assert listed.status_code == 200, href
        page = listed.context["page"]
        # The review list's pages are numbered; "My tasks" pages by key and counts itself.
        assert getattr(page, "paginator", page).count == number, href


def test_the_most_urgent_reviews_show_their_days_and_whom_they_wait_on(client, manager, board):
    client.force_login(manager)
    response = client.get(reverse("reviews:dashboard"))
    html = response.content.decode()
    assert "12 days over" in html
    assert "10 days left" in html
    assert '<th scope="col" class="govuk-table__header">Waits on</th>' in html
    urgent = response.context["board"].urgent
    assert urgent
    for review in urgent:
        assert review.waits_on == review_next_step(review).waits_on
        assert f'<td class="govuk-table__cell">{review.waits_on}</td>' in html


def test_the_chart_is_an_accessible_svg_with_its_table(client, manager, board):
    client.force_login(manager)
    html = client.get(reverse("reviews:dashboard")).content.decode()
    svg = html[
        html.index('<svg class="app-chart__image"') : html.index(
            "</svg>", html.index("app-chart__image")
        )
    ]
    assert 'role="img"' in svg
    assert 'aria-labelledby="target-chart-title target-chart-desc"' in svg
    assert '<title id="target-chart-title">' in svg
    assert "Today 1 over, 1 at risk and 1 on track." in svg
    assert "<canvas" not in html
    table = html[html.index("Open reviews against target at the end of each month (this month") :]
    assert table.count('<th scope="row" class="govuk-table__header app-nowrap">') == 12


@pytest.mark.parametrize(
    ("largest", "expected"),
    [(0, (1, 1)), (4, (4, 1)), (6, (6, 2)), (11, (15, 5)), (260, (300, 100))],
)
def test_the_chart_scale_has_at_most_five_round_steps(largest, expected):
    assert _scale(largest) == expected


def _at(day, hour=12):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def test_the_chart_counts_each_month_from_the_history_of_the_day(manager, chair):
    """A review recorded 300 days ago: not open before its decision, on track after, at risk
    near its target until an extension recorded later moves it, and gone once closed."""
    cast = Cast(manager=manager, chair=chair)
    with time_machine.travel(_at(_today() - timedelta(days=300)), tick=False):
        review = review_at("decided", cast=cast, agencies_in_scope=[AgencyFactory()]).review
    d0 = review.decision.decided_on
    target = review.deadlines.get(kind=Deadline.Kind.REVIEW_COMPLETE).due_on
    with time_machine.travel(_at(target - timedelta(days=5)), tick=False):
        clock_extend(review=review, actor=manager, days=90, reason="Criminal proceedings.")
    reviews = Review.objects.all()

    def counts(day):
        counted = target_counts_on_days(reviews=reviews, days=[day])[day]
        return {k: v for k, v in counted.items() if v}

    assert counts(d0 - timedelta(days=1)) == {}
    assert counts(d0 + timedelta(days=30)) == {"on_track": 1}
    assert counts(target - timedelta(days=10)) == {"at_risk": 1}
    # After the extension was recorded, the target then was 90 days later.
    assert counts(target + timedelta(days=1)) == {"on_track": 1}

    closed_on = target + timedelta(days=20)
    review.stage = Review.Stage.CLOSED
    review.save()
    StageTransitionFactory(review=review, to_stage=Review.Stage.CLOSED, at=_at(closed_on))
    assert counts(closed_on - timedelta(days=1)) == {"on_track": 1}
    assert counts(closed_on) == {}


def test_a_target_recorded_after_its_decision_counts_from_the_decision(manager):
    """The decision dated 100 days ago, typed in today: the months before today count it at
    its original target."""
    review = _with_target(manager, due_in=82)
    day = _today() - timedelta(days=50)
    counts = target_counts_on_days(reviews=Review.objects.all(), days=[day])
    assert counts == {day: {"on_track": 1, "at_risk": 0, "over": 0}}
    none = target_counts_on_days(reviews=Review.objects.none(), days=[_today()])
    assert none[_today()]["on_track"] == 0
    assert review.decision.decided_on == _today() - timedelta(days=100)


def _counted_a_query_a_day(reviews, day):
    """How target_counts_on_days counted a single day before issue 15, one query a day with the
    history and the clock looked up for each target: the reference the new count must match."""
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    then = Deadline.history.model.objects.filter(id=OuterRef("pk"), history_date__lt=end).order_by(
        "-history_date", "-history_id"
    )
    closed = StageTransition.objects.filter(
        review=OuterRef("review_id"), to_stage=Review.Stage.CLOSED, at__lt=end
    )
    stops = (
        ClockEvent.objects.filter(review=OuterRef("review_id"), at__lt=end)
        .exclude(kind=ClockEvent.Kind.EXTENDED)
        .order_by("-at", "-id")
        .annotate(
            stop_day=Case(
                When(kind=ClockEvent.Kind.STOPPED, then=TruncDate("at")), output_field=DateField()
            )
        )
    )
    targets = (
        Deadline.objects.filter(
            kind=Deadline.Kind.REVIEW_COMPLETE,
            review__in=reviews.values("pk"),
            review__decision__decided_on__lte=day,
        )
        .exclude(Exists(closed))
        .alias(
            due_then=Coalesce(Subquery(then.values("due_on")[:1]), F("original_due_on")),
            state_then=Coalesce(Subquery(then.values("state")[:1]), Value(Deadline.State.OPEN)),
        )
        .annotate(
            status=target_status(
                due=F("due_then"),
                original=F("original_due_on"),
                decided_on=F("review__decision__decided_on"),
                clock_day=Coalesce(Subquery(stops.values("stop_day")[:1]), Value(day)),
            )
        )
    )
    counts = {"on_track": 0, "at_risk": 0, "over": 0}
    grouped = (
        targets.filter(state_then=Deadline.State.OPEN).values("status").annotate(n=Count("pk"))
    )
    counts.update({row["status"]: row["n"] for row in grouped})
    return counts


def test_counting_every_day_at_once_matches_a_query_a_day(
    manager, chair, django_assert_num_queries
):
    """Seven reviews over ten months: stopped and restarted, extended, waived and reopened,
    moved, closed, decided in the past but recorded today, and one left out of the reviews
    asked about. Every week's count matches the count made a day at a time."""
    cast = Cast(manager=manager, chair=chair)
    start = _today() - timedelta(days=300)

    def on(days, hour=12):
        return time_machine.travel(_at(start + timedelta(days=days), hour), tick=False)

    def decided(days):
        with on(days):
            return review_at("decided", cast=cast, agencies_in_scope=[AgencyFactory()]).review

    def target(review):
        return review.deadlines.get(kind=Deadline.Kind.REVIEW_COMPLETE)

    stopped = decided(0)
    with on(60):
        clock_stop(review=stopped, actor=manager, reason="Criminal proceedings.")
    with on(130, hour=23):  # late in the evening: the stop's day is the local day
        clock_restart(review=stopped, actor=manager, reason="Proceedings over.")
    with on(150):
        clock_stop(review=stopped, actor=manager, reason="Inquest.")

    extended = decided(10)
    with on(170):
        clock_extend(review=extended, actor=manager, days=45, reason="Criminal proceedings.")
    with on(200):
        clock_extend(review=extended, actor=manager, days=30, reason="Inquest.")

    waived = decided(20)
    with on(90):
        deadline_waive(deadline=target(waived), actor=manager, reason="Merged into another.")
    with on(120):
        deadline_open(
            review=waived,
            kind=Deadline.Kind.REVIEW_COMPLETE,
            due_on=start + timedelta(days=260),
            actor=manager,
        )

    moved = decided(40)
    with on(100):
        deadline_reschedule(
            deadline=target(moved),
            actor=manager,
            due_on=start + timedelta(days=110),
            reason="Agreed with the panel.",
        )

    closed = decided(5)
    with on(140):
        closed.stage = Review.Stage.CLOSED
        closed.save()
        StageTransitionFactory(review=closed, to_stage=Review.Stage.CLOSED, at=timezone.now())

    recorded_today = _with_target(manager, due_in=82)
    left_out = decided(30)
    reviews = Review.objects.exclude(pk=left_out.pk)

    days = [start + timedelta(days=n) for n in range(-7, 301, 7)] + [_today()]
    # Four reads, however many days and reviews.
    with django_assert_num_queries(4):
        counts = target_counts_on_days(reviews=reviews, days=days)
    assert list(counts) == days
    for day in days:
        assert counts[day] == _counted_a_query_a_day(reviews, day), day
    # The reviews went through every status, and the one left out was never counted.
    seen = {status for day in days for status, n in counts[day].items() if n}
    assert seen == {"on_track", "at_risk", "over"}
    day = start + timedelta(days=203)
    everyone = target_counts_on_days(reviews=Review.objects.all(), days=[day])
    assert sum(everyone[day].values()) == sum(counts[day].values()) + 1
    assert recorded_today.decision.decided_on < _today()


def test_the_dashboard_has_twelve_months_ending_today(manager, board):
    months = dashboard_for(user=manager).months
    assert len(months) == 12
    assert months[-1].day == _today()
    assert months[-1].current
    assert (months[-1].on_track, months[-1].at_risk, months[-1].over) == (1, 1, 1)
    assert [m.day.month for m in months[:-1]] == [
        (_today().month - back - 1) % 12 + 1 for back in range(11, 0, -1)
    ]
    assert all((m.day + timedelta(days=1)).day == 1 for m in months[:-1])


@pytest.mark.parametrize(
    ("role", "home"),
    [
        (Role.BOARD_MANAGER, "reviews:dashboard"),
        (Role.CHAIR, "reviews:dashboard"),
        (Role.INDEPENDENT_AUTHOR, "reviews:list"),
        (Role.PANEL_MEMBER, "reviews:list"),
        (Role.AGENCY_LEAD, "reviews:list"),
    ],
)
def test_home_is_the_dashboard_for_managers_and_chairs_only(client, agency, role, home):
    person = UserFactory(agency=agency)
    person_roles_set(person=person, roles=[role], agency=agency)
    client.force_login(person)
    assert client.get(reverse("home"))["Location"] == reverse(home)
    expected = 200 if home == "reviews:dashboard" else 403
    assert client.get(reverse("reviews:dashboard")).status_code == expected
    navigation = client.get(reverse("reviews:list")).content.decode()
    assert ('href="/reviews/dashboard/"' in navigation) is (expected == 200)


def _many(manager, agencies, count) -> list[Review]:
    today = _today()
    made = []
    for n in range(count):
        review = ReviewFactory(
            decided=True,
            created_by=manager,
            referring_agency=agencies[n % 2],
            subject_reference=f"Child {n}",
            identity__full_name=f"Subject {n}",
            decision__decided_by=manager,
        )
        DeadlineFactory(
            review=review,
            kind=Deadline.Kind.REVIEW_COMPLETE,
            due_on=today + timedelta(days=n % 200 - 50),
        )
        DeadlineFactory(
            review=review,
            kind=Deadline.Kind.ACTION,
            owner_agency=agencies[n % 2],
            due_on=today - timedelta(days=n % 3),
        )
        made.append(review)
    return made


def test_dashboard_queries_do_not_grow_with_reviews(
    client, manager, agency, other_agency, django_assert_max_num_queries
):
    client.force_login(manager)
    _many(manager, [agency, other_agency], 5)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("reviews:dashboard")).status_code == 200
    _many(manager, [agency, other_agency], 495)
    with django_assert_max_num_queries(len(small)):
        response = client.get(reverse("reviews:dashboard"))
    assert sum(response.context["board"].targets.values()) == 500


@pytest.mark.parametrize("as_lead", [False, True])
def test_review_list_queries_do_not_grow_when_searched_filtered_and_sorted(
    client, manager, agency, other_agency, django_assert_max_num_queries, as_lead
):
    person = manager
    if as_lead:
        person = UserFactory(agency=agency)
        person_roles_set(person=person, roles=[Role.AGENCY_LEAD], agency=agency)
    client.force_login(person)
    url = reverse("reviews:list")
    posted = client.post(url, {"q": "Child", "overdue": "yes", "sort": "-target"})
    searched = posted["Location"]

    def make(count):
        for review in _many(manager, [agency, other_agency], count):
            if as_lead:  # as terms of reference putting the agency in scope would
                assign_perm("reviews.view_review", leads, review)

    leads = agency_leads_group(agency=agency)

    make(5)
    with CaptureQueriesContext(connection) as small:
        assert client.get(searched).status_code == 200
    make(495)
    with django_assert_max_num_queries(len(small)):
        response = client.get(searched)
    late = Deadline.objects.filter(state=Deadline.State.OPEN, due_on__lt=_today())
    expected = Review.objects.filter(pk__in=late.values("review_id")).count()
    assert 25 < expected < 500
    assert response.context["page"].paginator.count == expected
