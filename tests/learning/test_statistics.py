"""The board's statistics against a fixture counted by hand: every figure, on both bases,
across the 31 March / 1 April boundary, unsuppressed for the board and suppressed (primary and
secondary) for sharing outside it."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings

from learning.statistics import (
    APRIL,
    CALENDAR,
    SMALL,
    WITHHELD,
    Count,
    Row,
    Table,
    _suppress,
    current_year,
    period_for,
    statistics_for,
)
from reviews.frameworks import AgeGroup, Ethnicity, Outcome
from reviews.models import Action, ClockEvent, Deadline, Review
from tests.factories import (
    ActionFactory,
    AgencyFactory,
    ClockEventFactory,
    DeadlineFactory,
    LessonFactory,
    PublicationFactory,
    RecommendationFactory,
    ReviewFactory,
    ThemeFactory,
    ThresholdDecisionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

D = date


def at(*parts: int) -> datetime:
    """A local time in the board's time zone (British Summer Time from 29 March 2026)."""
    return datetime(*parts, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _review(referred_on: date, **fields) -> Review:
    return ReviewFactory(referred_on=referred_on, incident_date=referred_on, **fields)


def _decide(review: Review, decided_on: date, outcome: str, answers: dict, met: bool):
    return ThresholdDecisionFactory(
        review=review, decided_on=decided_on, outcome=outcome, answers=answers, criteria_met=met
    )


def _closed(review: Review, how: str, closed_at: datetime) -> Review:
    review.stage, review.closed_how, review.closed_at = Review.Stage.CLOSED, how, closed_at
    review.save()
    return review


@pytest.fixture
def board():
    """The hand-counted board. Reporting year April 2025 to March 2026 unless said.

    R1 referred 31 Mar 2025 (not a referral of the year), decided 1 Apr 2025 (a decision of the
       year): initiate, 1 day; abuse or neglect, died; met. Started. Under 1, female, White.
    R2 referred 1 Apr 2025 (a referral), decided 11 Apr 2025: initiate, 10 days; abuse or
       neglect, seriously harmed, agency concern; met. Started. 1 to 4, male, White (Irish).
       Clock stopped 1 Apr 2025 and 1 Dec 2025: 2 stops, 1 review.
    R3 referred 1 Jun 2025, decided 21 Jun 2025: no further action, 20 days; nothing; not met.
    R4 referred 31 Mar 2026 (a referral), decided 1 Apr 2026 (next year's decision).
    R5 referred 1 Apr 2026 (next year's referral).
    R6 referred 10 Jan 2025, decided 31 Mar 2025 (last year's decision): initiate. Completed
       (signed off) 30 Sep 2025: 183 days; original target 30 Sep 2025 (on it), moved to
       28 Oct 2025 (before it). First published 15 Oct 2025 (theme Neglect), again May 2026.
    R7 referred 1 Jun 2024, decided 1 Jul 2024: partnership review. Completed (handed over)
       31 Mar 2026 at 23:30: 638 days; original target 1 Nov 2024 (after it), moved to
       30 Apr 2026 (before it).
    R8 referred 20 Apr 2025 (a referral), decided 1 May 2025: single-agency review, 11 days;
       abuse or neglect only; not met. Started. 10 to 15, female, Black (African). Withdrawn
       1 Aug 2025: not completed.
    R9 referred 1 Jan 2024, decided 1 Feb 2024: initiate. Signed off 1 Apr 2026 at 00:30
       (next year). First published 31 Mar 2025 at 23:59 (last year; theme Domestic abuse).

    Days to decision, April 2025 year: 1, 10, 11, 20: median 10.5, range 1 to 20.
    Days to completion: 183, 638: median 410.5, range 183 to 638.

    Actions, overdue judged on 31 Mar 2026:
      Health: completed 1 Apr 2025 (target 1 Jun 2025): completed 1; completed 1 Apr 2026
        (target 1 Mar 2026): overdue 1; not started, target 31 Mar 2026: neither.
      Police: on track, target 31 Dec 2025: overdue 1; completed 31 Mar 2025 (target
        1 Jan 2025): neither.
      Education: open, target 1 Jun 2025, on the withdrawn R8: left out.
    Lessons: Neglect, recorded 1 May 2025; Domestic abuse, recorded 1 Apr 2026 (next year).
    """
    chair = UserFactory()
    neglect, domestic = ThemeFactory(name="Neglect"), ThemeFactory(name="Domestic abuse")
    r = {}
    r[1] = _review(
        D(2025, 3, 31),
        age_group=AgeGroup.UNDER_1,
        sex=Review.Sex.FEMALE,
        ethnicity=Ethnicity.BRITISH,
    )
    _decide(r[1], D(2025, 4, 1), Outcome.INITIATE, {"abuse_or_neglect": True, "died": True}, True)
    r[2] = _review(
        D(2025, 4, 1), age_group=AgeGroup.AGED_1_4, sex=Review.Sex.MALE, ethnicity=Ethnicity.IRISH
    )
    answers = {"abuse_or_neglect": True, "seriously_harmed": True, "agency_concern": True}
    _decide(r[2], D(2025, 4, 11), Outcome.INITIATE, answers, True)
    r[3] = _review(D(2025, 6, 1))
    _decide(r[3], D(2025, 6, 21), Outcome.NO_FURTHER_ACTION, {"died": False}, False)
    r[4] = _review(D(2026, 3, 31))
    _decide(r[4], D(2026, 4, 1), Outcome.INITIATE, {}, True)
    r[5] = _review(D(2026, 4, 1))
    r[6] = _review(D(2025, 1, 10))
    _decide(r[6], D(2025, 3, 31), Outcome.INITIATE, {}, True)
    _closed(r[6], Review.Closure.SIGNED_OFF, at(2025, 9, 30, 12))
    DeadlineFactory(review=r[6], due_on=D(2025, 10, 28), original_due_on=D(2025, 9, 30), met=True)
    r[7] = _review(D(2024, 6, 1))
    _decide(r[7], D(2024, 7, 1), Outcome.PARTNERSHIP_REVIEW, {}, True)
    _closed(r[7], Review.Closure.HANDED_OVER, at(2026, 3, 31, 23, 30))
    DeadlineFactory(review=r[7], due_on=D(2026, 4, 30), original_due_on=D(2024, 11, 1), met=True)
    r[8] = _review(
        D(2025, 4, 20),
        age_group=AgeGroup.AGED_10_15,
        sex=Review.Sex.FEMALE,
        ethnicity=Ethnicity.AFRICAN,
    )
    _decide(r[8], D(2025, 5, 1), Outcome.SINGLE_AGENCY_REVIEW, {"abuse_or_neglect": True}, False)
    _closed(r[8], Review.Closure.WITHDRAWN, at(2025, 8, 1, 10))
    r[9] = _review(D(2024, 1, 1))
    _decide(r[9], D(2024, 2, 1), Outcome.INITIATE, {}, True)
    _closed(r[9], Review.Closure.SIGNED_OFF, at(2026, 4, 1, 0, 30))

    PublicationFactory(version__review=r[6], published_at=at(2025, 10, 15, 9), themes=[neglect])
    PublicationFactory(version__review=r[6], published_at=at(2026, 5, 1, 9))
    PublicationFactory(
        version__review=r[9], published_at=at(2025, 3, 31, 23, 59), themes=[domestic]
    )

    for when, review, kind in (
        (at(2025, 4, 1, 9), r[2], ClockEvent.Kind.STOPPED),
        (at(2025, 12, 1, 9), r[2], ClockEvent.Kind.STOPPED),
        (at(2026, 4, 1, 0, 0), r[1], ClockEvent.Kind.STOPPED),
        (at(2025, 5, 1, 9), r[1], ClockEvent.Kind.EXTENDED),
    ):
        with time_machine.travel(when, tick=False):
            ClockEventFactory(review=review, kind=kind, actor=chair)
    with time_machine.travel(at(2025, 5, 1, 9), tick=False):
        LessonFactory(review=r[6], themes=[neglect])
    with time_machine.travel(at(2026, 4, 1, 9), tick=False):
        LessonFactory(review=r[6], themes=[domestic])

    health, police = AgencyFactory(name="Health"), AgencyFactory(name="Police")
    education = AgencyFactory(name="Education")
    done = Action.Status.COMPLETE
    for agency, status, target_on, completed_on, review in (
        (health, done, D(2025, 6, 1), D(2025, 4, 1), None),
        (health, done, D(2026, 3, 1), D(2026, 4, 1), None),
        (health, Action.Status.NOT_STARTED, D(2026, 3, 31), None, None),
        (police, Action.Status.ON_TRACK, D(2025, 12, 31), None, None),
        (police, done, D(2025, 1, 1), D(2025, 3, 31), None),
        (education, Action.Status.ON_TRACK, D(2025, 6, 1), None, r[8]),
    ):
        extra = {"recommendation": RecommendationFactory(review=review)} if review else {}
        ActionFactory(
            agency=agency, status=status, target_on=target_on, completed_on=completed_on, **extra
        )
    return r


def _column(table: Table, column: int = 0) -> dict[str, int]:
    return {row.key: row.counts[column].value for row in [*table.rows, table.total] if row}


def test_the_april_year_counted_by_hand(board):
    stats = statistics_for(period=period_for(year=2025, basis=APRIL), shared=False)

    assert stats.as_of == D(2026, 3, 31)
    assert stats.table("referrals").value("referrals").value == 4
    assert _column(stats.table("decisions_by_outcome")) == {
        Outcome.INITIATE: 2,
        Outcome.PARTNERSHIP_REVIEW: 0,
        Outcome.CHILD_DEATH_REVIEW_ONLY: 0,
        Outcome.SINGLE_AGENCY_REVIEW: 1,
        Outcome.NO_FURTHER_ACTION: 1,
        "total": 4,
    }
    criteria = stats.table("decisions_by_criterion")
    yes, no = _column(criteria, 0), _column(criteria, 1)
    assert (yes["met"], no["met"]) == (2, 2)
    assert (yes["abuse_or_neglect"], no["abuse_or_neglect"]) == (3, 1)
    assert (yes["died"], yes["seriously_harmed"], yes["agency_concern"]) == (1, 1, 1)
    assert yes["suspected_suicide"] == yes["care_and_support_needs"] == 0
    decision_days = stats.days("days_to_decision")
    assert (decision_days.count.value, decision_days.median) == (4, 10.5)
    assert (decision_days.shortest, decision_days.longest) == (1, 20)

    assert _column(stats.table("reviews")) == {"started": 3, "completed": 2, "published": 1}
    target = stats.table("completion_against_target")
    assert _column(target, 0) == {"within": 1, "after": 1, "none": 0, "total": 2}
    assert _column(target, 1) == {"within": 2, "after": 0, "none": 0, "total": 2}
    completion = stats.days("days_to_completion")
    assert (completion.count.value, completion.median) == (2, 410.5)
    assert (completion.shortest, completion.longest) == (183, 638)

    assert _column(stats.table("clock_stops")) == {"events": 2, "reviews": 1}
    actions = stats.table("actions_by_agency")
    by_agency = {row.label: [c.value for c in row.counts] for row in actions.rows}
    assert by_agency == {"Health": [1, 1], "Police": [0, 1]}
    assert [c.value for c in actions.total.counts] == [1, 2]

    themes = {row.label: [c.value for c in row.counts] for row in stats.table("themes").rows}
    # The board's list of themes is seeded; two of them are tagged here.
    assert (themes["Neglect"], themes["Domestic abuse"]) == ([1, 1], [0, 0])
    assert sum(sum(counts) for counts in themes.values()) == 2

    ages = _column(stats.table("subjects_by_age_group"))
    assert {k: v for k, v in ages.items() if v} == {
        AgeGroup.UNDER_1: 1,
        AgeGroup.AGED_1_4: 1,
        AgeGroup.AGED_10_15: 1,
        "total": 3,
    }
    sexes = _column(stats.table("subjects_by_sex"))
    assert sexes == {"female": 2, "male": 1, "not_known": 0, "total": 3}
    ethnic = _column(stats.table("subjects_by_ethnicity"))
    assert {k: v for k, v in ethnic.items() if v} == {"white": 2, "black": 1, "total": 3}


def test_the_calendar_year_counted_by_hand(board):
    """January to December 2025: R6 and R1 (referred and decided in the first quarter) come
    in, R4 and R7 (2026) go out, and R9's publication of 31 March 2025 counts."""
    stats = statistics_for(period=period_for(year=2025, basis=CALENDAR), shared=False)

    assert stats.as_of == D(2025, 12, 31)
    # Referrals: R6, R1, R2, R3, R8.
    assert stats.table("referrals").value("referrals").value == 5
    # Decisions: R6, R1, R2 (initiate), R3 (no further action), R8 (single-agency).
    outcomes = _column(stats.table("decisions_by_outcome"))
    assert (outcomes[Outcome.INITIATE], outcomes["total"]) == (3, 5)
    # Started: R6, R1, R2, R8; completed: R6 (R7 in 2026); published: R9 (31 March), R6.
    assert _column(stats.table("reviews")) == {"started": 4, "completed": 1, "published": 2}
    # Days to decision: R6 80, R1 1, R2 10, R3 20, R8 11: median 11.
    assert stats.days("days_to_decision").median == 11
    # Stops on 1 April and 1 December 2025. Completed in 2025: Health's of 1 April, Police's
    # of 31 March. Overdue on 31 December 2025: none (Police's target is that day, not before).
    assert _column(stats.table("clock_stops")) == {"events": 2, "reviews": 1}
    actions = stats.table("actions_by_agency").rows
    by_agency = {row.label: [count.value for count in row.counts] for row in actions}
    assert by_agency == {"Health": [1, 0], "Police": [1, 0]}


@pytest.mark.parametrize(
    ("basis", "year", "start", "end", "label"),
    [
        (APRIL, 2025, (2025, 4, 1), (2026, 3, 31), "1 April 2025 to 31 March 2026"),
        (CALENDAR, 2025, (2025, 1, 1), (2025, 12, 31), "1 January to 31 December 2025"),
    ],
)
def test_a_period_runs_from_its_first_to_its_last_day(basis, year, start, end, label):
    period = period_for(year=year, basis=basis)
    assert (period.start, period.end, period.label) == (D(*start), D(*end), label)


@pytest.mark.parametrize(
    ("basis", "day", "year"),
    [
        (APRIL, (2026, 3, 31), 2025),
        (APRIL, (2026, 4, 1), 2026),
        (CALENDAR, (2026, 3, 31), 2026),
        (CALENDAR, (2025, 12, 31), 2025),
    ],
)
def test_the_current_year_turns_on_1_april_or_1_january(basis, day, year):
    assert current_year(basis=basis, today=D(*day)) == year


def test_an_unknown_basis_is_refused():
    with pytest.raises(ValueError, match="Unknown basis"):
        period_for(year=2025, basis="academic")


def test_the_boards_own_view_hides_nothing(board):
    stats = statistics_for(period=period_for(year=2025, basis=APRIL), shared=False)
    counts = [
        count
        for section in stats.sections
        for table in section.tables
        for row in [*table.rows, *([table.total] if table.total else [])]
        for count in row.counts
    ]
    assert counts
    assert all(count.hidden == "" for count in counts)
    assert stats.days("days_to_decision").median == 10.5


def test_shared_counts_of_1_to_4_are_fewer_than_5(board):
    stats = statistics_for(period=period_for(year=2025, basis=APRIL), shared=True)

    referrals = stats.table("referrals").value("referrals")
    assert (referrals.hidden, referrals.text, referrals.csv) == (SMALL, "fewer than 5", "<5")
    outcomes = stats.table("decisions_by_outcome")
    assert outcomes.value(Outcome.INITIATE).text == "fewer than 5"
    # A zero is no one: it is shown.
    assert outcomes.value(Outcome.PARTNERSHIP_REVIEW).text == "0"
    assert outcomes.value("total").text == "fewer than 5"
    # Medians and ranges of fewer than 5 reviews are withheld.
    days = stats.days("days_to_completion")
    assert days.withheld
    assert (days.median, days.shortest, days.longest) == (None, None, None)
    assert stats.table("subjects_by_sex").value("female").text == "fewer than 5"


@pytest.fixture
def secondary():
    """April 2025 year: 2 reviews initiated and 7 with no further action, all referred on
    1 May 2025 and decided on 11 May 2025 (10 days each); 9 decisions in all."""
    for outcome, number in ((Outcome.INITIATE, 2), (Outcome.NO_FURTHER_ACTION, 7)):
        for _ in range(number):
            _decide(_review(D(2025, 5, 1)), D(2025, 5, 11), outcome, {}, False)


def test_a_total_would_give_a_small_count_away_so_the_next_smallest_is_withheld(secondary):
    stats = statistics_for(period=period_for(year=2025, basis=APRIL), shared=True)
    outcomes = stats.table("decisions_by_outcome")
    # 9 - 7 would be the 2 initiated: the 7 is withheld, the total stays.
    assert outcomes.value(Outcome.INITIATE).text == "fewer than 5"
    assert outcomes.value(Outcome.NO_FURTHER_ACTION).text == "withheld"
    assert outcomes.value("total").text == "9"
    # The reviews started (2) are fewer than 5; the decisions' days over 9 are shown.
    assert stats.table("reviews").value("started").text == "fewer than 5"
    assert stats.days("days_to_decision").median == 10
    # Each criterion row adds up to the 9 decisions: "met" 0 of 9 hides nothing.
    assert stats.table("decisions_by_criterion").value("met", 1).text == "9"


def _table_of(*values: int) -> Table:
    rows = [Row(f"Row {i}", [Count(v)], f"r{i}") for i, v in enumerate(values)]
    total = Row("All", [Count(sum(values))], "total")
    return Table("t", "T", "Row", ["Number"], rows, total, partition="columns")


@pytest.mark.parametrize(
    ("values", "hidden"),
    [
        # Nothing small: nothing hidden.
        ((7, 9, 0), ["", "", ""]),
        # One small count: the next smallest non-zero count is withheld too.
        ((7, 2, 9), [WITHHELD, SMALL, ""]),
        ((3, 0, 0, 12), [SMALL, "", "", WITHHELD]),
        # Two small counts of 1 add up to 2 = 2 x 1: each could be worked out, so another goes.
        ((1, 1, 8), [SMALL, SMALL, WITHHELD]),
        # Two small counts of 4: 8 = 2 x 4, so likewise.
        ((4, 4, 6, 20), [SMALL, SMALL, WITHHELD, ""]),
        # Two small counts of 1 and 3: 4 could be 1 + 3, 2 + 2 or 3 + 1: safe as they are.
        ((1, 3, 8), [SMALL, SMALL, ""]),
    ],
)
def test_secondary_suppression_rule(values, hidden):
    table = _table_of(*values)
    _suppress(table)
    assert [row.counts[0].hidden for row in table.rows] == hidden
    assert table.total.counts[0].hidden == ("" if sum(values) >= 5 else SMALL)


def test_deadlines_of_other_kinds_are_not_completion_targets(board):
    """A review's other deadlines (here an agency's report due) do not stand for its target."""
    DeadlineFactory(
        review=board[6], kind=Deadline.Kind.NOTIFY_NATIONAL_BODIES, original_due_on=D(2020, 1, 1)
    )
    stats = statistics_for(period=period_for(year=2025, basis=APRIL), shared=False)
    assert stats.table("completion_against_target").value("within").value == 1
