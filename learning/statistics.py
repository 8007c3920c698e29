"""The board's statistics for a reporting year: a selector, counting in the database.

``statistics_for(period=..., shared=...)`` returns one typed structure, the same for the page,
the PDF and the CSV: sections of tables, each table's rows of counts. Every count is made by an
aggregate or a grouped query (a dozen queries whatever the number of reviews); the "days"
figures read one column of dates per figure and take the median and range of them.

What shared outside the board means (``shared=True``), the rule of ``SUPPRESSION_RULE``:
a count of 1 to 4 is shown as "fewer than 5"; where the rows of a table add up to a total that
is shown, further counts are withheld, smallest first, until no hidden count can be worked
out from the total; a median and range of fewer than 5 reviews are withheld. Totals stay.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from statistics import median

from django.db.models import Count as CountOf
from django.db.models import Min, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from publication.models import Theme
from reviews.frameworks import (
    OUTCOMES_THAT_CONTINUE,
    PROFILES,
    AgeGroup,
    Ethnicity,
    Outcome,
)
from reviews.models import Action, ClockEvent, Deadline, Review, ThresholdDecision

APRIL = "april"
CALENDAR = "calendar"
BASES = {APRIL: "April to March", CALENDAR: "Calendar year (January to December)"}

SMALL, WITHHELD = "small", "withheld"
SUPPRESSION_RULE = (
    "Counts of 1 to 4 are shown as \u201cfewer than 5\u201d. Where the rows of a table add up "
    "to a total, further counts are withheld, smallest first, until no hidden count could be "
    "worked out from the total and the counts shown. A median and range of fewer than 5 "
    "reviews are withheld. Totals are always shown."
)


@dataclass(frozen=True)
class Period:
    """A reporting year: 1 April to 31 March (``basis`` APRIL), or a calendar year."""

    year: int
    basis: str
    start: date
    end: date  # the last day, inclusive

    @property
    def label(self) -> str:
        if self.basis == APRIL:
            return f"1 April {self.year} to 31 March {self.year + 1}"
        return f"1 January to 31 December {self.year}"

    @property
    def short_label(self) -> str:
        return f"{self.year} to {self.year + 1}" if self.basis == APRIL else str(self.year)

    def instants(self) -> tuple[datetime, datetime]:
        """The period as local instants: from its first midnight to the midnight after it."""
        zone = timezone.get_current_timezone()
        start = datetime.combine(self.start, time.min, tzinfo=zone)
        return start, datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone)


def period_for(*, year: int, basis: str = APRIL) -> Period:
    """The reporting year starting in ``year`` on that basis; raises ValueError for a basis
    other than APRIL or CALENDAR."""
    if basis == APRIL:
        return Period(year, basis, date(year, 4, 1), date(year + 1, 3, 31))
    if basis == CALENDAR:
        return Period(year, basis, date(year, 1, 1), date(year, 12, 31))
    raise ValueError(f"Unknown basis {basis!r}")


def current_year(*, basis: str = APRIL, today: date | None = None) -> int:
    """The year the reporting year holding ``today`` starts in."""
    today = today or timezone.localdate()
    return today.year - 1 if basis == APRIL and today.month < 4 else today.year


@dataclass
class Count:
    """A count, and whether it is hidden when shared: SMALL (1 to 4) or WITHHELD (another
    count could be worked out from it)."""

    value: int
    hidden: str = ""

    @property
    def text(self) -> str:
        if self.hidden == SMALL:
            return "fewer than 5"
        return "withheld" if self.hidden == WITHHELD else str(self.value)

    @property
    def csv(self) -> str | int:
        if self.hidden == SMALL:
            return "<5"
        return "withheld" if self.hidden == WITHHELD else self.value


@dataclass
class Row:
    label: str
    counts: list[Count]
    key: str = ""


@dataclass
class Table:
    """A table of counts. ``partition`` "columns": each column's rows add up to the total row;
    "rows": each row's counts add up to the same number (shown elsewhere); "": neither."""

    key: str
    title: str
    heading: str  # the rows' column heading
    columns: list[str]
    rows: list[Row]
    total: Row | None = None
    partition: str = ""
    chart: bool = True

    def value(self, key: str, column: int = 0) -> Count:
        """The count of the row ``key`` (the total: "total") in a column."""
        row = self.total if key == "total" else next(r for r in self.rows if r.key == key)
        assert row is not None
        return row.counts[column]


@dataclass
class Days:
    """Days between two dates over a number of reviews: median and range (None when there
    are none, or when withheld)."""

    key: str
    title: str
    count: Count
    median: float | None
    shortest: int | None
    longest: int | None
    withheld: bool = False


@dataclass
class Section:
    key: str
    title: str
    definitions: list[str]
    tables: list[Table] = field(default_factory=list)
    days: list[Days] = field(default_factory=list)


@dataclass
class Statistics:
    period: Period
    shared: bool
    sections: list[Section]
    as_of: date  # the day "overdue" is judged on: the period's end, or today if sooner

    def table(self, key: str) -> Table:
        return next(t for s in self.sections for t in s.tables if t.key == key)

    def days(self, key: str) -> Days:
        return next(d for s in self.sections for d in s.days if d.key == key)


# --- Suppression ---


def _at_risk(cells: list[Count]) -> bool:
    """Whether a hidden count of these cells, which add up to a known total, could be worked
    out: a single hidden count, or only "fewer than 5" counts whose sum pins each of them (all
    1s or all 4s)."""
    hidden = [c for c in cells if c.hidden]
    if not hidden:
        return False
    if len(hidden) == 1:
        return True
    small = [c for c in hidden if c.hidden == SMALL]
    total = sum(c.value for c in hidden)
    return len(small) == len(hidden) and total in (len(small), 4 * len(small))


def _protect(cells: list[Count]) -> None:
    """Hide further counts of a group adding up to a known total, smallest first."""
    while _at_risk(cells):
        shown = [c for c in cells if not c.hidden and c.value > 0]
        if not shown:
            return
        min(shown, key=lambda c: c.value).hidden = WITHHELD


def _suppress(table: Table) -> None:
    rows = [*table.rows, *([table.total] if table.total else [])]
    for row in rows:
        for count in row.counts:
            if 1 <= count.value <= 4:
                count.hidden = SMALL
    if table.partition == "columns":
        for column in range(len(table.columns)):
            _protect([row.counts[column] for row in table.rows])
    elif table.partition == "rows":
        for row in table.rows:
            _protect(row.counts)


def _days(key: str, title: str, values: list[int]) -> Days:
    if not values:
        return Days(key, title, Count(0), None, None, None)
    return Days(key, title, Count(len(values)), median(values), min(values), max(values))


# --- Counting ---


def _table(key, title, heading, columns, rows, *, total=None, partition="columns", chart=True):
    return Table(key, title, heading, columns, rows, total, partition, chart)


def _rows(labels: Iterable[tuple[str, str]], counted: dict[str, int]) -> list[Row]:
    return [Row(str(label), [Count(counted.get(key, 0))], key) for key, label in labels]


def _total(rows: list[Row], label: str, columns: int = 1) -> Row:
    sums = [sum(r.counts[i].value for r in rows) for i in range(columns)]
    return Row(label, [Count(s) for s in sums], "total")


def _grouped(queryset, column: str) -> dict[str, int]:
    return dict(queryset.values_list(column).annotate(n=CountOf("pk")).order_by())


def _criteria() -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for profile in PROFILES.values():
        for criterion in profile.criteria:
            seen.setdefault(criterion.key, criterion.text)
    return list(seen.items())


_MET = ("met", "The threshold was met (as computed from the answers)")


def _decisions(period: Period) -> Section:
    decided = ThresholdDecision.objects.filter(decided_on__range=(period.start, period.end))
    referrals = Review.objects.filter(referred_on__range=(period.start, period.end)).count()
    outcomes = _rows(Outcome.choices, _grouped(decided, "outcome"))
    criteria = _criteria()
    answered = decided.aggregate(
        met=CountOf("pk", filter=Q(criteria_met=True)),
        **{key: CountOf("pk", filter=Q(**{f"answers__{key}": True})) for key, _ in criteria},
    )
    total = sum(r.counts[0].value for r in outcomes)
    criterion_rows = [
        Row(str(text), [Count(answered[key]), Count(total - answered[key])], key)
        for key, text in [_MET, *criteria]
    ]
    days = [
        (decided_on - referred_on).days
        for referred_on, decided_on in decided.values_list("review__referred_on", "decided_on")
    ]
    return Section(
        "decisions",
        "Referrals and decisions",
        [
            "A referral counts in the year its referral date falls in.",
            "A decision counts in the year the chair decided it (the decision's date), "
            "whenever the review was referred.",
            "Days to decision: from the referral date to the decision's date, over the "
            "decisions of the year.",
        ],
        tables=[
            _table(
                "referrals",
                "Referrals",
                "Figure",
                ["Number"],
                [Row("Referrals received", [Count(referrals)], "referrals")],
                partition="",
                chart=False,
            ),
            _table(
                "decisions_by_outcome",
                "Decisions by outcome",
                "Outcome",
                ["Decisions"],
                outcomes,
                total=_total(outcomes, "All decisions"),
            ),
            _table(
                "decisions_by_criterion",
                "Decisions by criterion",
                "Criterion",
                ["Answered yes", "Answered no"],
                criterion_rows,
                partition="rows",
                chart=False,
            ),
        ],
        days=[_days("days_to_decision", "Days from referral to decision", days)],
    )


def _completed(period: Period):
    start, end = period.instants()
    return Review.objects.filter(
        closed_how__in=(Review.Closure.SIGNED_OFF, Review.Closure.HANDED_OVER),
        closed_at__gte=start,
        closed_at__lt=end,
    )


def _reviews(period: Period) -> tuple[Section, QuerySet[Review]]:
    start, end = period.instants()
    started = Review.objects.filter(
        decision__decided_on__range=(period.start, period.end),
        decision__outcome__in=OUTCOMES_THAT_CONTINUE,
    )
    published = (
        Review.objects.annotate(first_published=Min("publications__published_at"))
        .filter(first_published__gte=start, first_published__lt=end)
        .count()
    )
    target = Deadline.objects.filter(
        review=OuterRef("pk"),
        kind=Deadline.Kind.REVIEW_COMPLETE,
        report__isnull=True,
        interview__isnull=True,
        action__isnull=True,
        key="",
    )
    completions = list(
        _completed(period)
        .annotate(
            original=Subquery(target.values("original_due_on")[:1]),
            moved=Subquery(target.values("due_on")[:1]),
        )
        .values_list("closed_at", "decision__decided_on", "original", "moved")
    )
    against: dict[str, int] = {}
    against_moved: dict[str, int] = {}
    days = []
    for closed_at, decided_on, original, moved in completions:
        on = timezone.localdate(closed_at)
        if decided_on is not None:
            days.append((on - decided_on).days)
        for due, tally in ((original, against), (moved, against_moved)):
            key = "none" if due is None else ("within" if on <= due else "after")
            tally[key] = tally.get(key, 0) + 1
    labels = [
        ("within", "On or before the target"),
        ("after", "After the target"),
        ("none", "No completion target"),
    ]
    target_rows = [
        Row(label, [Count(against.get(key, 0)), Count(against_moved.get(key, 0))], key)
        for key, label in labels
    ]
    section = Section(
        "reviews",
        "Reviews started, completed and published",
        [
            "A review is started on the day of a decision to carry on with it (to initiate "
            "it, or to hold a partnership or single-agency review instead).",
            "A review is completed on the day it was closed once done: signed off, or closed "
            "with its open actions handed to the board's action log. A withdrawn review is "
            "not completed.",
            "A review is published in the year it was first put on the public site.",
            "Days to completion: from the decision's date to the day the review was completed.",
            "The original target is the completion target as first set (six months from the "
            "decision for a statutory review); the target as moved includes extensions and "
            "the days the clock stood stopped.",
        ],
        tables=[
            _table(
                "reviews",
                "Reviews",
                "Figure",
                ["Number"],
                [
                    Row("Started", [Count(started.count())], "started"),
                    Row("Completed", [Count(len(completions))], "completed"),
                    Row("Published", [Count(published)], "published"),
                ],
                partition="",
            ),
            _table(
                "completion_against_target",
                "Completed reviews against their target",
                "Completed",
                ["Against the original target", "Against the target as moved"],
                target_rows,
                total=_total(target_rows, "All completed reviews", 2),
            ),
        ],
        days=[_days("days_to_completion", "Days from decision to completion", days)],
    )
    return section, started


def _clock_and_actions(period: Period, as_of: date) -> Section:
    start, end = period.instants()
    stops = ClockEvent.objects.filter(kind=ClockEvent.Kind.STOPPED, at__gte=start, at__lt=end)
    stopped = stops.aggregate(events=CountOf("pk"), reviews=CountOf("review", distinct=True))
    not_done_then = Q(completed_on__isnull=True) | Q(completed_on__gt=as_of)
    by_agency = (
        Action.objects.exclude(review__closed_how=Review.Closure.WITHDRAWN)
        .values("agency__name")
        .annotate(
            completed=CountOf(
                "pk",
                filter=Q(
                    status=Action.Status.COMPLETE,
                    completed_on__range=(period.start, period.end),
                ),
            ),
            overdue=CountOf("pk", filter=Q(target_on__lt=as_of) & not_done_then),
        )
        .filter(Q(completed__gt=0) | Q(overdue__gt=0))
        .order_by("agency__name")
    )
    agency_rows = [
        Row(row["agency__name"], [Count(row["completed"]), Count(row["overdue"])], f"agency-{i}")
        for i, row in enumerate(by_agency)
    ]
    return Section(
        "clock_actions",
        "Clock stops and actions",
        [
            "A clock stop counts in the year it was recorded.",
            "An action is completed in the year of its completion date.",
            f"An action is overdue on {as_of:%-d %B %Y} (the end of the year, or today if "
            "sooner) when its target date is before then and it was not complete by then. "
            "Actions of withdrawn reviews are left out; actions handed to the board's action "
            "log are counted.",
        ],
        tables=[
            _table(
                "clock_stops",
                "Clock stops",
                "Figure",
                ["Number"],
                [
                    Row("Clock stops recorded", [Count(stopped["events"])], "events"),
                    Row("Reviews whose clock was stopped", [Count(stopped["reviews"])], "reviews"),
                ],
                partition="",
                chart=False,
            ),
            _table(
                "actions_by_agency",
                "Actions by agency",
                "Agency",
                ["Completed", "Overdue"],
                agency_rows,
                total=_total(agency_rows, "All agencies", 2),
            ),
        ],
    )


def _themes(period: Period) -> Section:
    start, end = period.instants()
    themes = Theme.objects.annotate(
        published=CountOf(
            "publications",
            filter=Q(publications__published_at__gte=start, publications__published_at__lt=end),
            distinct=True,
        ),
        learned=CountOf(
            "lessons",
            filter=Q(lessons__created_at__gte=start, lessons__created_at__lt=end),
            distinct=True,
        ),
    ).order_by("name")
    rows = [
        Row(theme.name, [Count(theme.published), Count(theme.learned)], f"theme-{theme.pk}")
        for theme in themes
    ]
    return Section(
        "themes",
        "Themes",
        [
            "Publications put on the public site in the year, and lessons recorded in the "
            "year, tagged with each theme. One publication or lesson may have several themes, "
            "so the counts do not add up to a total.",
        ],
        tables=[
            _table(
                "themes",
                "Themes of publications and lessons",
                "Theme",
                ["Publications", "Lessons"],
                rows,
                partition="",
            )
        ],
    )


def _ethnic_groups(counted: dict[str, int]) -> tuple[list[tuple[str, str]], dict[str, int]]:
    """The census's high-level groups, and the counts of the detailed groups added up."""
    labels: dict[str, str] = {}
    totals: dict[str, int] = {}
    for value, label in Ethnicity.choices:
        group = str(label).rpartition(": ")[0] or str(label)
        key = value.split("_")[0] if value != Ethnicity.NOT_KNOWN else value
        labels.setdefault(key, group)
        totals[key] = totals.get(key, 0) + counted.get(value, 0)
    return list(labels.items()), totals


def _subjects(started: QuerySet[Review]) -> Section:
    tables = []
    ethnic_labels, ethnic_counts = _ethnic_groups(_grouped(started, "ethnicity"))
    for key, title, heading, labels, counted in (
        ("age_group", "Subjects by age group", "Age group", AgeGroup.choices, None),
        ("sex", "Subjects by sex", "Sex", Review.Sex.choices, None),
        ("ethnicity", "Subjects by ethnic group", "Ethnic group", ethnic_labels, ethnic_counts),
    ):
        rows = _rows(labels, counted if counted is not None else _grouped(started, key))
        tables.append(
            _table(
                f"subjects_by_{key}", title, heading, ["Subjects"], rows, total=_total(rows, "All")
            )
        )
    return Section(
        "subjects",
        "Subjects of the reviews started",
        [
            "The child or adult at the centre of each review started in the year, by the age "
            "group, sex and ethnic group recorded at referral. Ethnic groups are the census's "
            "high-level groups.",
        ],
        tables=tables,
    )


def statistics_for(*, period: Period, shared: bool, today: date | None = None) -> Statistics:
    """The board's statistics for the period; ``shared``: suppressed as for sharing outside
    the board (``SUPPRESSION_RULE``)."""
    as_of = min(period.end, today or timezone.localdate())
    reviews, started = _reviews(period)
    sections = [
        _decisions(period),
        reviews,
        _clock_and_actions(period, as_of),
        _themes(period),
        _subjects(started),
    ]
    if shared:
        for section in sections:
            for table in section.tables:
                _suppress(table)
            section.days = [_protect_days(d) for d in section.days]
    return Statistics(period=period, shared=shared, sections=sections, as_of=as_of)


def _protect_days(days: Days) -> Days:
    if 1 <= days.count.value <= 4:
        return Days(days.key, days.title, Count(days.count.value, SMALL), None, None, None, True)
    return days
